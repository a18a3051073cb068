"""The official tables as a print-ready PDF: A4, fonts embedded, 第 N 页 共 M 页, 草稿 when asked.

Draws any placed grid (``grid.py``): each sheet on its own pages, portrait or
landscape; the bordered table as one reportlab Table per section, stacked, the
header rows of a row table repeated on every page. reportlab cannot split a
table row, nor a row span, so a long text is cut into pieces that are rows of
their own, and a cell merged down is no span but a box whose words the table
draws centred in the part of it each page holds. Every logical cell gets one
border around its whole range, so the page reads like the paper's merged
cells. A document sheet (项目经费情况说明) is prose instead: a paragraph per
line, flowing from page to page. reportlab is imported only when a PDF is built.

Text is set by the writer itself, not by reportlab's Paragraph: lines are broken
by the Chinese rules (``linebreak.py``: no line starts with ，。、 nor ends with （《),
each line drawn as its own characters (no word spacing, nothing past the cell's
padding), fixed words that would leave a character or two on a line of their own
set a step smaller. A table cut by a page break is closed with a border at the
bottom and reopened at the top, with 项目名称（续） above its repeated header rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import types
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop.atomic import write_atomic
from desktop.export.fonts import SYMBOL_STANDINS, FontSet, load_fonts
from desktop.export.grid import Placed, Section, SheetGrid, place_project
from desktop.export.layout import AMOUNT, HEADER, HEADING, LABEL, LONG, SUBTITLE, TITLE, TOTAL
from desktop.export.linebreak import break_lines
from desktop.models.amounts import display_amount
from desktop.models.project import Project

MM = 72 / 25.4
MARGIN_X = 15 * MM
MARGIN_TOP = 14 * MM
MARGIN_BOTTOM = 16 * MM  # room for 第 N 页 共 M 页

BODY_SIZE = 10.5
BODY_LEADING = 14.0
TITLE_SIZE = 18.0
SUBTITLE_SIZE = 12.0
HEADING_SIZE = 12.0
HEADING_LEADING = 18.0
HEADING_BEFORE = 8.0
# A heading with the first two lines of its text under it.
HEADING_ROOM = HEADING_BEFORE + HEADING_LEADING + 2 * BODY_LEADING
PAD = 3.0  # cell padding
ASCENT = 0.86  # a CJK glyph's top above the baseline, in ems
JUSTIFY_MAX = 0.1  # most room added between two characters of a justified line, in ems
# A label whose last line would hold this many characters or fewer is set smaller.
ORPHAN_CHARS = 2
SHRINK_SIZES = (10.0, 9.5, 9.0)  # a step or two below 五号, down to 小五
SHRINK_MAX_CHARS = 40  # only short fixed words and names shrink; prose never does
CONTINUED_SIZE = 10.5
CONTINUED_CHARS = 60  # a longer project name is cut short above a continued table
CONTINUED_GAP = 3.0  # between 项目名称（续） and the table under it
SEAM = 0.0  # padding where one piece of a long text meets the next: lines stay evenly spaced
LINE = 0.6  # border width
SIGN_GAP = 10.0  # between the table and the signature line
# A physical row is at most this share of the frame: a row cannot split, so a
# taller one would leave that much of a page blank before it.
PIECE_SHARE = 0.12
# A merged-down cell over a block up to this share of the frame keeps the block on
# one page, as a merged cell on paper; a taller block may break between its rows.
SPAN_SHARE = 0.25

CREATOR = "绩效目标申报助手"
DRAFT = "草稿"


def pdf_bytes(
    project: Project,
    *,
    family: str | None = None,
    draft: bool = False,
    created: dt.datetime | None = None,
    blank_guarantee: bool | None = None,
) -> bytes:
    """The project's official tables as PDF bytes; ``draft`` prints 草稿 on every page.

    ``blank_guarantee`` False leaves out an optional page the project has no rows for (the
    2021 制度保障), True prints it blank; None (the default) prints every page.

    ``created`` is the document's CreationDate (default: now); the same project with
    the same ``created`` (its last-saved time) gives the same bytes. Raises
    ``FontError`` (Chinese message) when no CJK TrueType font can be embedded.
    """
    return _project_document(project, family, draft, created, None, blank_guarantee).build()


def pdf_cell_boxes(
    project: Project, *, family: str | None = None, created: dt.datetime | None = None
) -> tuple[bytes, list[CellBox]]:
    """The PDF and every bordered cell with text as drawn (a check that nothing crosses a border)."""
    trace: list[CellBox] = []
    data = _project_document(project, family, False, created, trace).build()
    return data, trace


def _project_document(
    project: Project,
    family: str | None,
    draft: bool,
    created: dt.datetime | None,
    trace: list[CellBox] | None,
    blank_guarantee: bool | None = None,
) -> _Document:
    fonts = load_fonts()
    form = place_project(project, family, blank_pages=blank_guarantee)
    title = f"{project.name} {form.layout.title}".strip()
    return _Document(
        form.sheets,
        fonts,
        draft,
        title,
        project.unit or "",
        form.layout.title,
        continued=project.name.strip() or form.layout.title,
        created=created,
        trace=trace,
    )


def grids_pdf_bytes(
    sheets: list[SheetGrid], *, title: str, author: str = "", created: dt.datetime | None = None
) -> bytes:
    """Any placed sheets (the 汇总表) as a PDF, drawn as the official tables are."""
    return _Document(
        sheets, load_fonts(), False, title, author, title, continued=title, created=created
    ).build()


def write_pdf(
    project: Project,
    path: str | Path,
    *,
    family: str | None = None,
    draft: bool = False,
    created: dt.datetime | None = None,
) -> Path:
    """Write the PDF to ``path`` atomically (``WriteError`` if it cannot be written)."""
    return write_atomic(path, pdf_bytes(project, family=family, draft=draft, created=created))


# ------------------------------------------------------------------ text


def cell_text(cell: Placed) -> str:
    """The printed words of a cell: amounts with separators, dates ISO, the rest as is."""
    if cell.role in (AMOUNT, TOTAL) and isinstance(cell.value, Decimal | str):
        return display_amount(cell.value)
    return cell.text


def flow_text(cell: Placed) -> str:
    """A table cell's words, line ends unified and blank lines at either end dropped."""
    return cell_text(cell).replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def _drawn(ch: str) -> str:
    """The character a text prints for ``ch``: a tab as a space, other control characters as nothing."""
    if ch == "\t":
        return " "
    if ord(ch) < 32 or ch in "\u200b\ufeff":
        return ""
    return ch


def runs(text: str, font: str, fonts: FontSet) -> list[tuple[str, str]]:
    """One line as (font, characters) runs: glyphs the font lacks from the symbol font."""
    out: list[tuple[str, str]] = []
    for raw in text:
        ch = _drawn(raw)
        if not ch:
            continue
        use = font
        if ch != " " and not fonts.has(font, ch):
            if fonts.symbol and fonts.has(fonts.symbol, ch):
                use = fonts.symbol
            elif ch in SYMBOL_STANDINS and fonts.has(font, SYMBOL_STANDINS[ch]):
                ch = SYMBOL_STANDINS[ch]
            # else the font's blank glyph; nothing better to draw
        if out and out[-1][0] == use:
            out[-1] = (use, out[-1][1] + ch)
        else:
            out.append((use, ch))
    return out


# ------------------------------------------------------------------ the document


@dataclass(frozen=True)
class TextStyle:
    """How a text is set: font, size, leading, alignment, room before and after."""

    font: str
    size: float
    leading: float
    align: str = "left"
    before: float = 0.0
    after: float = 0.0


@dataclass(frozen=True)
class CellBox:
    """A bordered cell as drawn (PDF points, origin bottom left) and the text set in it."""

    page: int  # 0-based
    x0: float
    y0: float
    x1: float
    y1: float
    text: str  # as broken into lines
    path: str | None = None  # the project field shown (``overview``), if any
    size: float = BODY_SIZE  # the font size it is set in


class _Document:
    def __init__(
        self,
        sheets: list[SheetGrid],
        fonts: FontSet,
        draft: bool,
        title: str,
        author: str,
        subject: str,
        *,
        continued: str = "",
        created: dt.datetime | None = None,
        trace: list[CellBox] | None = None,
    ) -> None:
        from reportlab.lib.pagesizes import A4, landscape

        self.sheets = sheets
        self.title, self.author, self.subject = title, author, subject
        self.fonts = fonts
        self.draft = draft
        self.portrait = A4
        self.landscape = landscape(A4)
        # printed above the repeated header of a table continued on a new page
        name = " ".join(continued.split())
        if len(name) > CONTINUED_CHARS:
            name = name[: CONTINUED_CHARS - 1] + "…"
        self.continued = f"{name}（续）"
        self.created = created
        self.trace = trace
        self._widths: dict[tuple[str, float], dict[str, float]] = {}

    # ---- styles and text

    def style(self, role: str, align: str, size: float = BODY_SIZE) -> TextStyle:
        """The text style of a role; ``size`` shrinks a body text (a label set a step smaller)."""
        if role == TITLE:
            return TextStyle(self.fonts.title, TITLE_SIZE, 24.0, align, 0.0, 2.0)
        if role == SUBTITLE:
            return TextStyle(self.fonts.body, SUBTITLE_SIZE, 16.0, align, 0.0, 4.0)
        if role == HEADING:
            # 黑体 is how a Chinese document sets a heading in bold
            return TextStyle(
                self.fonts.title, HEADING_SIZE, HEADING_LEADING, align, HEADING_BEFORE, 2.0
            )
        return TextStyle(self.fonts.body, size, BODY_LEADING, align)

    def char_width(self, font: str, size: float, ch: str) -> float:
        """The advance of ``ch`` as printed in ``font`` (symbol font and stand-ins included)."""
        table = self._widths.setdefault((font, size), {})
        width = table.get(ch)
        if width is None:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            width = sum(stringWidth(t, f, size) for f, t in runs(ch, font, self.fonts))
            table[ch] = width
        return width

    def text_width(self, text: str, style: TextStyle) -> float:
        return sum(self.char_width(style.font, style.size, ch) for ch in text)

    def break_text(self, text: str, style: TextStyle, width: float) -> list[str]:
        """``text`` in lines no wider than ``width``, by the Chinese line-breaking rules."""
        return break_lines(text, width, lambda ch: self.char_width(style.font, style.size, ch))

    def record(self, canv: Any, box: tuple[float, float, float, float], text: Any) -> None:
        """Note a drawn cell (``box`` in the canvas's current coordinates) and its text for ``trace``."""
        if self.trace is None:
            return
        x0, y0 = canv.absolutePosition(box[0], box[1])
        x1, y1 = canv.absolutePosition(box[2], box[3])
        self.trace.append(
            CellBox(
                len(canv._held),
                min(x0, x1),
                min(y0, y1),
                max(x0, x1),
                max(y0, y1),
                "\n".join(text.lines or []),
                text.path,
                text.style.size,
            )
        )

    def paragraph(self, cell: Placed) -> Any:
        """A line above or below the table (a title, a caption), set to whatever width it gets."""
        style = self.style(cell.role, cell.align)
        return _kinds().Text(self, cell_text(cell), style)

    def cell_style(self, text: str, cell: Placed, width: float) -> TextStyle:
        """A cell's style: fixed words whose last line would hold a character or two (需要说明的
        其他问/题) are set a step or two smaller so that they fit on fewer lines, as the paper does."""
        style = self.style(cell.role, cell.align)
        if cell.role == LONG or "\n" in text or len(text) > SHRINK_MAX_CHARS:
            return style
        lines = self.break_text(text, style, width)
        if len(lines) < 2 or len(lines[-1].strip()) > ORPHAN_CHARS:
            return style
        for size in SHRINK_SIZES:
            smaller = self.style(cell.role, cell.align, size)
            if len(self.break_text(text, smaller, width)) < len(lines):
                return smaller
        return style

    def cell_lines(self, text: str, cell: Placed, width: float) -> Any:
        """A text in a bordered cell, broken to ``width`` (the cell less its padding)."""
        style = self.cell_style(text, cell, width)
        return _kinds().Text(
            self, text, style, lines=self.break_text(text, style, width), path=cell.path
        )

    # ---- pages

    def build(self) -> bytes:
        from reportlab.platypus import (
            BaseDocTemplate,
            Frame,
            NextPageTemplate,
            PageBreak,
            PageTemplate,
        )

        buf = io.BytesIO()
        doc = BaseDocTemplate(
            buf,
            pagesize=self.portrait,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=self.title,
            author=self.author,
            subject=self.subject,
            creator=CREATOR,
            invariant=1,
            # the canvas's first font goes into every page; Helvetica there is not embedded
            initialFontName=self.fonts.body,
            initialFontSize=BODY_SIZE,
        )
        templates = {}
        for name, size in (("portrait", self.portrait), ("landscape", self.landscape)):
            frame = Frame(
                MARGIN_X,
                MARGIN_BOTTOM,
                size[0] - 2 * MARGIN_X,
                size[1] - MARGIN_TOP - MARGIN_BOTTOM,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
                id=name,
            )
            templates[name] = PageTemplate(
                id=name, frames=[frame], pagesize=size, onPage=self._decorate
            )
        sheets = self.sheets
        orientation = ["landscape" if s.sheet.landscape else "portrait" for s in sheets]
        first = orientation[0] if orientation else "portrait"
        doc.addPageTemplates([templates[first]] + [t for n, t in templates.items() if n != first])

        story: list[Any] = []
        for i, sheet in enumerate(sheets):
            size = self.landscape if sheet.sheet.landscape else self.portrait
            if i:
                story += [NextPageTemplate(orientation[i]), PageBreak()]
            frame_w = size[0] - 2 * MARGIN_X
            frame_h = size[1] - MARGIN_TOP - MARGIN_BOTTOM
            story += _SheetFlow(self, sheet, frame_w, frame_h).flowables()
        doc.build(story, canvasmaker=_numbered_canvas(self.fonts.body, self.created))
        return buf.getvalue()

    def _decorate(self, canv: Any, doc: Any) -> None:
        """Drawn before the page's content: the 草稿 watermark sits behind the table."""
        if not self.draft:
            return
        width, height = canv._pagesize
        canv.saveState()
        canv.setFillGray(0.85)
        canv.setFont(self.fonts.title, 150)
        canv.translate(width / 2, height / 2)
        canv.rotate(math.degrees(math.atan2(height, width)))
        canv.drawCentredString(0, -50, DRAFT)
        canv.restoreState()
        canv.saveState()
        canv.setFillGray(0.35)
        canv.setFont(self.fonts.title, 12)
        canv.drawRightString(width - MARGIN_X, height - MARGIN_TOP + 4 * MM, DRAFT)
        canv.restoreState()


def _time_stamp(created: dt.datetime | None) -> Any:
    """reportlab's TimeStamp for ``created`` (naive: local time), or now."""
    when = (created or dt.datetime.now()).astimezone()
    offset = when.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    return types.SimpleNamespace(
        t=when.timestamp(),
        lt=when.timetuple(),
        YMDhms=tuple(when.timetuple())[:6],
        dhh=int(minutes / 60),  # towards zero, as reportlab writes it: -03'30'
        dmm=abs(minutes) % 60,
        tzname=when.tzname() or "",
    )


def _numbered_canvas(font: str, created: dt.datetime | None) -> type:
    """A canvas that holds its pages until the end, so each can say 第 N 页 共 M 页.

    The document is invariant (no random ID, same bytes for the same input) but its
    CreationDate is ``created`` or the time of export, not reportlab's fixed 2000-01-01.
    """
    from reportlab.pdfgen.canvas import Canvas

    stamp = _time_stamp(created)

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []
            self._doc._timeStamp = stamp

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                width = self._pagesize[0]
                self.saveState()
                self.setFont(font, 9)
                self.setFillGray(0)
                self.drawCentredString(width / 2, 8 * MM, f"第 {number} 页 共 {total} 页")
                self.restoreState()
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


# ------------------------------------------------------------------ one sheet


def _scaled(widths: Sequence[float], total: float) -> list[float]:
    units = sum(widths) or 1.0
    return [w / units * total for w in widths]


def _sections(grid: SheetGrid) -> list[Section]:
    """The grid's sections, joined where a merged cell crosses from one into the next."""
    out: list[Section] = []
    for sec in grid.sections:
        crossed = out and any(c.boxed and c.row < out[-1].end < c.row + c.rows for c in grid.cells)
        if crossed:
            out[-1] = Section(out[-1].start, sec.end, out[-1].header)
        else:
            out.append(Section(sec.start, sec.end, sec.header))
    return out


class _SheetFlow:
    def __init__(self, doc: _Document, grid: SheetGrid, frame_w: float, frame_h: float) -> None:
        self.doc = doc
        self.grid = grid
        self.frame_w = frame_w
        self.frame_h = frame_h
        self.widths = _scaled(grid.sheet.widths, frame_w)
        self.by_row: dict[int, list[Placed]] = defaultdict(list)
        for c in grid.cells:
            self.by_row[c.row].append(c)
        for cells in self.by_row.values():
            cells.sort(key=lambda c: c.col)

    def width(self, cell: Placed) -> float:
        return sum(self.widths[cell.col : cell.col + cell.cols])

    def flowables(self) -> list[Any]:
        from reportlab.platypus import Spacer

        grid = self.grid
        if grid.sheet.document:
            return self.prose()
        out: list[Any] = [f for r in range(0, grid.table_start) for f in self.line(r)]
        out.append(Spacer(1, 3))
        below = [f for r in range(grid.table_end, grid.rows) for f in self.line(r)]
        sections = _sections(grid)
        # the signature line rides in the table's last row, unless absurdly long
        attach = sections and sum(_height(f, self.frame_w) for f in below) < self.frame_h / 4
        for i, sec in enumerate(sections):
            last = i == len(sections) - 1
            out.append(self.table(sec, below if last and attach else []))
        if below and not attach:
            out += [Spacer(1, SIGN_GAP), *below]
        return out

    def prose(self) -> list[Any]:
        """A document sheet: a paragraph per typed line, which reportlab flows onto the next page.

        A heading goes to the next page when fewer than two lines of its text would follow
        it here (keepWithNext would instead move a long text whole, leaving a page blank).
        """
        from reportlab.platypus import CondPageBreak, Spacer

        kinds = _kinds()

        out: list[Any] = []
        for row in range(self.grid.rows):
            for cell in self.by_row.get(row, []):
                if cell.role == HEADING:
                    out.append(CondPageBreak(HEADING_ROOM))
                style = self.doc.style(cell.role, cell.align)
                text = flow_text(cell)
                for chunk in text.split("\n") if text.strip() else ():
                    if chunk.strip():
                        out.append(kinds.Text(self.doc, chunk, style))
                    else:  # an empty line the clerk typed between paragraphs
                        out.append(Spacer(1, style.leading))
        return out

    # ---- lines above and below the table (no borders)

    def line(self, row: int) -> list[Any]:
        """One unbordered line: a paragraph, or a row of captions on the column grid."""
        from reportlab.platypus import Table

        cells = [c for c in self.by_row.get(row, []) if not c.boxed]
        columns = len(self.widths)
        if not cells:
            return []
        if len(cells) == 1 and cells[0].col == 0 and cells[0].cols == columns:
            return [self.doc.paragraph(cells[0])]
        # segments: each cell, and the empty columns between them
        segments: list[tuple[Placed | None, float]] = []
        col = 0
        for cell in cells:
            if cell.col > col:
                segments.append((None, sum(self.widths[col : cell.col])))
            segments.append((cell, self.width(cell)))
            col = cell.col + cell.cols
        if col < columns:
            segments.append((None, sum(self.widths[col:])))
        widths = [w for _, w in segments]
        body = self.doc.style("", "left")
        need = [
            self.doc.text_width(cell_text(c), body) + 2 * PAD + 1 if c else 0.0 for c, _ in segments
        ]
        # a caption wider than its columns (填报单位负责人：) borrows room from its neighbours
        if any(n > w for n, w in zip(need, widths, strict=True)) and sum(need) <= self.frame_w:
            slack = self.frame_w - sum(need)
            widths = [n + slack * w / self.frame_w for n, w in zip(need, widths, strict=True)]
        data = [[self.doc.paragraph(c) if c else "" for c, _ in segments]]
        last = len(segments) - 1
        table = Table(
            data,
            colWidths=widths,
            hAlign="LEFT",
            style=[
                ("FONTNAME", (0, 0), (-1, -1), self.doc.fonts.body),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                # captions line up with the table's outer borders
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("RIGHTPADDING", (last, 0), (last, 0), 0),
            ],
        )
        if _height(table, self.frame_w) > self.frame_h / 4:
            # a caption as long as a page (a pasted text): paragraphs, which can split
            return [self.doc.paragraph(c) for c in cells]
        return [table]

    # ---- the bordered table

    def pieces(self, cell: Placed, max_h: float) -> list[tuple[Any, float]]:
        """The cell's text cut into pieces of equal line counts, each no taller than ``max_h``.

        A piece is a flowable (lines of the text, typed blank lines included), with its
        height. Equal line counts keep two long texts side by side level from piece to piece.
        """
        leading = BODY_LEADING
        per = max(1, int(max_h // leading))
        text = flow_text(cell)
        if not text.strip():
            return [("", 0.0)]
        whole = self.doc.cell_lines(text, cell, self.width(cell) - 2 * PAD)
        lines = whole.lines
        if len(lines) <= per:
            return [(whole, len(lines) * leading)]
        kinds = _kinds()
        return [
            (
                kinds.Text(self.doc, "", whole.style, lines=lines[a : a + per], path=cell.path),
                len(lines[a : a + per]) * leading,
            )
            for a in range(0, len(lines), per)
        ]

    def table(self, sec: Section, below: list[Any]) -> Any:
        kinds = _kinds()
        doc = self.doc
        cells = [c for r in range(sec.start, sec.end) for c in self.by_row.get(r, []) if c.boxed]
        piece_max = self.frame_h * PIECE_SHARE - 2 * PAD

        def last_row(c: Placed) -> int:
            return min(c.row + c.rows, sec.end) - 1

        # Physical rows: a logical row has as many as its longest text has pieces. A
        # merged-down cell too long for its rows (pasted text as a 一级 label) flows the
        # same way, its block lengthened at the bottom if need be.
        cut: dict[int, list[tuple[Any, float]]] = {}
        for c in cells:
            parts = self.pieces(c, piece_max)
            if c.rows == 1 or len(parts) > 1:
                cut[id(c)] = parts
        count = {r: 1 for r in range(sec.start, sec.end)}
        for c in cells:
            if c.rows == 1:
                count[c.row] = max(count[c.row], len(cut[id(c)]))
        for c in cells:
            if c.rows > 1 and id(c) in cut:
                have = sum(count[r] for r in range(c.row, last_row(c) + 1))
                count[last_row(c)] += max(0, len(cut[id(c)]) - have)
        start: dict[int, int] = {}
        physical = 0
        for r in range(sec.start, sec.end):
            start[r] = physical
            physical += count[r]
        start[sec.end] = physical

        heights = [BODY_LEADING + 2 * PAD] * physical
        data: list[list[Any]] = [[""] * len(self.widths) for _ in range(physical)]
        black = (0, 0, 0)
        style: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), doc.fonts.body),
            ("FONTSIZE", (0, 0), (-1, -1), BODY_SIZE),
            ("LEADING", (0, 0), (-1, -1), BODY_LEADING),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ("TOPPADDING", (0, 0), (-1, -1), PAD),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
            # where a page cuts the table, FormTable.split closes and reopens it
        ]

        tall: list[tuple[Placed, int, int]] = []  # one piece over several physical rows
        for c in cells:
            p0, p1 = start[c.row], start[last_row(c) + 1] - 1
            c0, c1 = c.col, c.col + c.cols - 1
            if c1 > c0:  # column spans row by row: a row span could not split
                style.extend(("SPAN", (c0, p), (c1, p)) for p in range(p0, p1 + 1))
            style.append(("BOX", (c0, p0), (c1, p1), LINE, black))
            parts = cut.get(id(c), [])
            if p1 > p0 and len(parts) <= 1:
                tall.append((c, p0, p1))
                continue
            for k, (part, h) in enumerate(parts):
                data[p0 + k][c0] = part
                pad = (PAD if k == 0 else SEAM) + (PAD if k == len(parts) - 1 else SEAM)
                heights[p0 + k] = max(heights[p0 + k], h + pad)
            if p1 > p0:  # a text in pieces: top-aligned, seams without padding
                style.append(("VALIGN", (c0, p0), (c1, p1), "TOP"))
                style.append(("TOPPADDING", (c0, p0 + 1), (c1, p1), SEAM))
                style.append(("BOTTOMPADDING", (c0, p0), (c1, p1 - 1), SEAM))

        # A cell over several physical rows is never a row span (a span cannot split):
        # markers fill its rows and the table draws its words centred in whatever part
        # of it each page holds. A short block stays on one page, as on paper; a tall
        # one keeps together only as many first rows as its words need.
        for c, p0, p1 in tall:
            para = doc.cell_lines(flow_text(c), c, self.width(c) - 2 * PAD)
            need = para.wrap(self.width(c) - 2 * PAD, 1e9)[1] + 2 * PAD
            block = heights[p0 : p1 + 1]
            if sum(block) <= self.frame_h * SPAN_SHARE:
                last = p1
            else:
                last, held = p0, block[0]
                while held < need and last < p1:
                    last += 1
                    held += heights[last]
            if last > p0:
                style.append(("NOSPLIT", (0, p0), (-1, last)))
            shortfall = need - sum(heights[p0 : last + 1])
            first = heights[p0] - 2 * PAD + shortfall if shortfall > 0 else 0.0
            repeat = c.rows > 1 or c.role in (LABEL, HEADER)
            owner = kinds.Owner(para, c.cols, repeat)
            for p in range(p0, p1 + 1):
                data[p][c.col] = kinds.Mark(owner, p == p0, first if p == p0 else 0.0)
            heights[p0] = max(heights[p0], first + 2 * PAD)

        repeat_rows = start[sec.start + sec.header] - start[sec.start] if sec.header else 0
        if below:
            # the signature line, on the page of the table's last row
            data.append([below] + [""] * (len(self.widths) - 1))
            q = len(data) - 1
            style += [
                ("SPAN", (0, q), (-1, q)),
                ("LEFTPADDING", (0, q), (-1, q), 0),
                ("TOPPADDING", (0, q), (-1, q), SIGN_GAP),
                ("BOTTOMPADDING", (0, q), (-1, q), 0),
                ("NOSPLIT", (0, q - 1), (-1, q)),
            ]
        table = kinds.FormTable(
            data, colWidths=self.widths, repeatRows=repeat_rows, style=style, hAlign="LEFT"
        )
        table.doc = doc  # type: ignore[attr-defined]
        # a table continued on a new page says whose it is above its repeated header
        table.continued = doc.continued  # type: ignore[attr-defined]
        return table


def _height(flowable: Any, width: float) -> float:
    return float(flowable.wrap(width, 1e9)[1])


@functools.cache
def _kinds() -> Any:
    """reportlab subclasses, made on first use so importing this module loads no reportlab."""
    from reportlab.platypus import Flowable, Table

    class Text(Flowable):  # type: ignore[misc]
        """Lines of text set by the Chinese line-breaking rules, drawn as they are.

        No justification and no word spacing: the page holds the text's own
        characters, and no line is wider than the width it was broken for. Broken
        when first wrapped unless ``lines`` are given; splits between lines.
        """

        def __init__(
            self,
            doc: _Document,
            text: str,
            style: TextStyle,
            lines: list[str] | None = None,
            path: str | None = None,
        ) -> None:
            super().__init__()
            self.doc = doc
            self.path = path  # the project field shown, for ``trace``
            self.text = text
            self.style = style
            self.lines = lines
            self.spaceBefore = style.before
            self.spaceAfter = style.after

        def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
            if self.lines is None:
                self.lines = self.doc.break_text(self.text, self.style, avail_w)
            self.width = avail_w
            self.height = len(self.lines) * self.style.leading
            return self.width, self.height

        def split(self, avail_w: float, avail_h: float) -> list[Any]:
            self.wrap(avail_w, avail_h)
            assert self.lines is not None
            fit = int((avail_h + 1e-6) // self.style.leading)
            if fit <= 0 or fit >= len(self.lines):
                return [] if fit <= 0 else [self]
            first = Text(self.doc, "", self.style, self.lines[:fit])
            rest = Text(self.doc, "", self.style, self.lines[fit:])
            first.spaceAfter, rest.spaceBefore = 0.0, 0.0
            return [first, rest]

        def draw(self) -> None:
            style, doc, canv = self.style, self.doc, self.canv
            lines = self.lines or []
            # the line's box of height ``leading``, the glyphs centred in it
            drop = (style.leading - style.size) / 2 + style.size * ASCENT
            for k, line in enumerate(lines):
                parts = runs(line.rstrip(), style.font, doc.fonts)
                if not parts:
                    continue
                width = sum(doc.text_width(t, TextStyle(f, style.size, 0)) for f, t in parts)
                x, spacing = 0.0, 0.0
                if style.align == "center":
                    x = (self.width - width) / 2
                elif style.align == "right":
                    x = self.width - width
                elif getattr(line, "soft", False):
                    # a line the breaker ended fills the width, as the paper's 两端对齐 does,
                    # when a little room between characters is enough
                    gaps = sum(len(t) for _, t in parts) - 1
                    room = self.width - width
                    if gaps > 0 and 0 < room / gaps <= JUSTIFY_MAX * style.size:
                        spacing = room / gaps
                y = self.height - k * style.leading - drop
                text = canv.beginText(x, y)
                text.setCharSpace(spacing)
                for font, chars in parts:
                    text.setFont(font, style.size, style.leading)
                    text.textOut(chars)
                text.setCharSpace(0)
                canv.drawText(text)

    class Owner:
        """The words of a cell over several physical rows."""

        def __init__(self, para: Any, cols: int, repeat: bool) -> None:
            self.para = para
            self.cols = cols
            self.repeat = repeat  # labels again on each page; values once

    class Mark(Flowable):  # type: ignore[misc]
        """Holds one physical row of a tall cell; draws nothing itself."""

        def __init__(self, owner: Owner, first: bool, height: float) -> None:
            super().__init__()
            self.owner = owner
            self.first = first
            self.height = height

        def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
            return 0.0, self.height

        def draw(self) -> None:
            pass

    class FormTable(Table):  # type: ignore[misc]
        """A bordered table: tall cells drawn over their rows, and on a page it continues
        onto, ``continued`` (项目名称（续）) above its repeated header rows."""

        doc: _Document | None = None
        continued = ""
        is_rest = False  # this part continues a table from an earlier page

        def _caption_lines(self, avail_w: float) -> list[str]:
            if not (self.is_rest and self.continued and self.doc is not None):
                return []
            style = self.doc.style("", "left", CONTINUED_SIZE)
            return self.doc.break_text(self.continued, style, avail_w)

        def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
            self._caption = self._caption_lines(avail_w)
            room = len(self._caption) * BODY_LEADING + (CONTINUED_GAP if self._caption else 0.0)
            w, h = super().wrap(avail_w, avail_h - room)
            return w, h + room

        def split(self, avail_w: float, avail_h: float) -> list[Any]:
            caption = self._caption_lines(avail_w)
            room = len(caption) * BODY_LEADING + (CONTINUED_GAP if caption else 0.0)
            # room for the padding a piece of a long text gets where the page cuts it
            parts = super().split(avail_w, avail_h - room - PAD)
            black = (0, 0, 0)
            for k, part in enumerate(parts):
                part.doc, part.continued = self.doc, self.continued
                part.is_rest = self.is_rest if k == 0 else True
                # closed where the page cuts it, and opened again on the next page
                # (reportlab's splitlast/splitfirst are lost when a rest splits again);
                # the text beside a cut keeps a cell's padding from the border
                if k < len(parts) - 1:
                    part.setStyle([("LINEBELOW", (0, -1), (-1, -1), LINE, black)])
                    _pad_row(part, part._nrows - 1, "BOTTOMPADDING")
                if k > 0:
                    part.setStyle([("LINEABOVE", (0, 0), (-1, 0), LINE, black)])
                    first = part.repeatRows if isinstance(part.repeatRows, int) else 0
                    if first < part._nrows:
                        _pad_row(part, first, "TOPPADDING")
            return parts

        def draw(self) -> None:
            super().draw()
            self._draw_caption()
            rows, cols = self._nrows, self._ncols
            for col in range(cols):
                r = 0
                while r < rows:
                    mark = self._mark(r, col)
                    if mark is None:
                        r += 1
                        continue
                    end, has_first = r, mark.first
                    while end + 1 < rows:
                        following = self._mark(end + 1, col)
                        if following is None or following.owner is not mark.owner:
                            break
                        end += 1
                        has_first = has_first or following.first
                    self._draw_owner(mark.owner, col, r, end, has_first)
                    r = end + 1

        def _draw_caption(self) -> None:
            caption = getattr(self, "_caption", [])
            if not caption or self.doc is None:
                return
            style = self.doc.style("", "left", CONTINUED_SIZE)
            text = Text(self.doc, "", style, caption)
            text.wrap(self._width, 1e9)
            text.drawOn(self.canv, 0, self._height + CONTINUED_GAP)

        def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:
            super()._drawCell(cellval, cellstyle, pos, size)
            if self.doc is None or self.doc.trace is None:
                return
            values = cellval if isinstance(cellval, tuple | list) else (cellval,)
            for value in values:
                if isinstance(value, Text) and value.lines:
                    x, y = pos
                    self.doc.record(self.canv, (x, y, x + size[0], y + size[1]), value)

        def _mark(self, row: int, col: int) -> Mark | None:
            value = self._cellvalues[row][col]
            # reportlab keeps a flowable cell as a one-item tuple
            if isinstance(value, tuple | list) and len(value) == 1:
                value = value[0]
            return value if isinstance(value, Mark) else None

        def _draw_owner(self, owner: Owner, col: int, r0: int, r1: int, has_first: bool) -> None:
            if not (owner.repeat or has_first):
                return
            top, bottom = self._rowpositions[r0], self._rowpositions[r1 + 1]
            x0 = self._colpositions[col]
            x1 = self._colpositions[min(col + owner.cols, self._ncols)]
            para = owner.para
            _, h = para.wrap(x1 - x0 - 2 * PAD, 1e9)
            room = top - bottom - 2 * PAD
            if h > room + 0.5:
                if not has_first:
                    return  # too little of it on this page to repeat the words
                y = top - PAD - h
            else:
                y = bottom + PAD + (room - h) / 2
            para.drawOn(self.canv, x0 + PAD, y)
            if self.doc is not None and self.doc.trace is not None:
                self.doc.record(self.canv, (x0, bottom, x1, top), para)

    def _pad_row(table: Any, row: int, side: str) -> None:
        """Give a row cut by a page break a cell's padding on that side, and the room for it.

        The cells of a long text's pieces meet without padding (SEAM); where the page
        cuts between them, the lines would touch the border. Rows reportlab fixed at
        the split grow by what they gain.
        """
        styles = table._cellStyles[row]
        attr = "topPadding" if side == "TOPPADDING" else "bottomPadding"
        gain = max((PAD - getattr(cs, attr) for cs in styles), default=0.0)
        if gain <= 0:
            return
        table.setStyle([(side, (0, row), (-1, row), PAD)])
        if table._argH[row] is not None:
            table._argH[row] += gain

    return types.SimpleNamespace(Text=Text, Owner=Owner, Mark=Mark, FormTable=FormTable)

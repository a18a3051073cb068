"""Chinese typesetting in the printed tables (issue 17), checked on the pages with PDFium.

Every reference case and long-text variants are rendered; the writer's cell
trace (``pdf_cell_boxes``) gives each bordered cell as drawn, and PDFium gives
every character's position and the drawn border lines. Checked: no line starts
with a closing mark, a long text reads back as typed with only line breaks
added (no spaces the text lacks, lines evenly spaced), every glyph lies inside
its cell, labels fit on their lines, a table cut by a page break is closed and
reopened with borders and says 项目名称（续） on its continuation pages, and the
document's CreationDate is the time of export.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from conftest import CASE_FILES, REPO
from rule_helpers import baseline, minhang_baseline
from test_pdf import needs_font, sheet_titles

from desktop.export.grid import place_project
from desktop.export.package import read_package_file
from desktop.export.pdf_writer import (
    BODY_LEADING,
    BODY_SIZE,
    PAD,
    CellBox,
    pdf_bytes,
    pdf_cell_boxes,
)
from desktop.models.project import BreakdownRow, Indicator, Project

FIXTURES = sorted((REPO / "tests" / "fixtures").glob("*.json"))
# The issue's rules, spelled out here so that a change to the breaker's own sets is caught.
NO_START = frozenset("，。、；：？！）」』”》%,.;:?!)")
NO_END = frozenset("（「『“《(")
TOL = 0.25  # points: PDFium's glyph boxes are floats of a float

# ------------------------------------------------------------------ the projects


def reference_projects() -> list[tuple[str, Project]]:
    out = []
    for path in [*CASE_FILES, *FIXTURES]:
        for i, project in enumerate(read_package_file(path).projects):
            out.append((f"{Path(path).stem}-{i}", project))
    return out


REFERENCE = reference_projects()


def long_overview() -> str:
    """About 3,000 characters whose ，。、 and brackets fall at every position of a line."""
    words = "区级机关单位工勤雇员额度经费由区机管局统一操作人员也由区机管局统一管理"
    parts: list[str] = []
    i = 0
    while sum(map(len, parts)) < 3000:
        i += 1
        n = (i * 7) % 23 + 1
        mark = "，。、；：？！"[i % 7]
        parts.append(words[i % 11 : i % 11 + n] + mark)
        if i % 9 == 0:
            parts.append("《上海市机关事务管理办法》（2017年修订）")
        if i % 13 == 0:
            parts.append("“提质增效”，纳入闵勤公司，并按照政府采购要求和流程购买服务。")
        if i % 40 == 0:
            parts.append("\n")
    return "".join(parts)


def long_minhang() -> Project:
    project = minhang_baseline()
    project.name = "区级机关工勤类雇员后勤服务保障经费" * 5
    project.overview = long_overview()
    project.establishment = long_overview()[::-1].replace("\n", "")
    project.other_issues = "需要说明：" + "按规定执行，" * 60
    project.indicators[0] = Indicator(
        "产出指标", "数量指标", "工勤雇员到岗人数（含文职、技术、辅助、工勤各类雇员）" * 2, "=159人"
    )
    project.breakdown = [
        BreakdownRow(
            f"内容{i}",
            f"明细{i}，含工勤雇员补差经费",
            Decimal(100 + i),
            Decimal(1),
            "",
            Decimal(100 + i),
            "",
            "年度项目",
        )
        for i in range(35)
    ]
    return project


def long_2021() -> Project:
    project = baseline()
    levels = [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("效益指标", "社会效益指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
    project.indicators = [
        Indicator(
            *levels[i * len(levels) // 60], f"第{i}项指标：后勤服务工作完成率（年度）", "≥95%"
        )
        for i in range(60)
    ]
    project.overall_goal = long_overview()[:900]
    return project


VARIANTS = {"long-minhang": long_minhang, "long-2021": long_2021}
ALL = [name for name, _ in REFERENCE] + list(VARIANTS)


def project_of(name: str) -> Project:
    if name in VARIANTS:
        return VARIANTS[name]()
    return dict(REFERENCE)[name]


SAVED = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)


@cache
def rendered(name: str) -> tuple[bytes, tuple[CellBox, ...]]:
    data, boxes = pdf_cell_boxes(project_of(name), created=SAVED)
    return data, tuple(boxes)


# ------------------------------------------------------------------ reading the pages


@dataclass(frozen=True)
class Char:
    ch: str
    box: tuple[float, float, float, float]  # the glyph (left, bottom, right, top)
    line: tuple[float, float, float, float]  # the font's box: same bottom for a whole line

    @property
    def centre(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2


# documents whose text pages are in use stay open for the session
_OPEN: list[pdfium.PdfDocument] = []


@cache
def pages(name: str) -> list[dict[str, object]]:
    """Per page: its characters, its text, its horizontal border lines, its text page."""
    data, _ = rendered(name)
    doc = pdfium.PdfDocument(data)
    _OPEN.append(doc)
    out: list[dict[str, object]] = []
    for page in doc:
        text = page.get_textpage()
        chars = []
        for i in range(text.count_chars()):
            ch = text.get_text_range(i, 1)
            if not ch or ch.isspace():
                continue
            chars.append(Char(ch, text.get_charbox(i), text.get_charbox(i, loose=True)))
        lines = []
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,)):
            left, bottom, right, top = obj.get_bounds()
            if top - bottom < 1.5 and right - left > 1:
                lines.append((left, right, (bottom + top) / 2))
        out.append(
            {"chars": chars, "text": text.get_text_range(), "lines": lines, "textpage": text}
        )
    return out


def inside(point: tuple[float, float], box: CellBox) -> bool:
    return box.x0 < point[0] < box.x1 and box.y0 < point[1] < box.y1


def chars_in(name: str, box: CellBox) -> list[Char]:
    return [c for c in pages(name)[box.page]["chars"] if inside(c.centre, box)]  # type: ignore[attr-defined]


def text_in(name: str, box: CellBox) -> str:
    textpage = pages(name)[box.page]["textpage"]
    return textpage.get_text_bounded(box.x0, box.y0, box.x1, box.y1)  # type: ignore[attr-defined]


def lines_of(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into printed lines (by their line box), top to bottom, left to right."""
    rows: dict[float, list[Char]] = {}
    for c in chars:
        key = next((k for k in rows if abs(k - c.line[1]) < 1.0), c.line[1])
        rows.setdefault(key, []).append(c)
    return [sorted(rows[k], key=lambda c: c.box[0]) for k in sorted(rows, reverse=True)]


def no_breaks(text: str) -> str:
    return text.replace("\r", "").replace("\n", "")


# ------------------------------------------------------------------ 禁则


@needs_font
@pytest.mark.parametrize("name", ALL)
def test_no_line_starts_with_a_closing_mark_nor_ends_with_an_opening_one(name: str) -> None:
    _, boxes = rendered(name)
    bad = []
    for box in boxes:
        for k, line in enumerate(lines_of(chars_in(name, box))):
            text = "".join(c.ch for c in line)
            # a typed paragraph may itself start with a mark: only breaks the writer made count
            made = k > 0 or not box.text.startswith(text[:1])
            if made and text[0] in NO_START:
                bad.append((box.page + 1, text))
        for line in lines_of(chars_in(name, box))[:-1]:
            text = "".join(c.ch for c in line)
            if text[-1] in NO_END:
                bad.append((box.page + 1, text))
    assert bad == []


@needs_font
def test_the_overview_of_the_minhang_case_has_no_line_starting_with_a_comma() -> None:
    """项目概况 of 政府雇员项目 printed 「，力保一线。」 at the start of a line."""
    name = next(n for n, p in REFERENCE if p.name == "政府雇员项目" and p.family == "minhang-2020")
    _, boxes = rendered(name)
    starts = [
        line[0].ch
        for box in boxes
        if box.path == "overview"
        for line in lines_of(chars_in(name, box))
    ]
    assert len(starts) > 10
    assert not set(starts) & NO_START


# ------------------------------------------------------------------ the text as typed


CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”《》（）]"


@needs_font
@pytest.mark.parametrize("name", ALL)
def test_no_space_between_chinese_characters_that_the_text_lacks(name: str) -> None:
    """Inside a cell PDFium reads a space only where the text has one (由 区机管局 had none)."""
    typed = repr(project_of(name))
    _, boxes = rendered(name)
    bad = []
    for box in boxes:
        for m in re.finditer(f"{CJK} +{CJK}", text_in(name, box)):
            if m.group(0) not in typed:
                bad.append((box.page + 1, m.group(0)))
    assert bad == []


LONG_FIELDS = ("overview", "establishment", "resources", "overall_goal", "annual_goal")


def printed(project: Project, path: str) -> bool:
    """Whether the project's form prints the field in a bordered cell, and it is filled."""
    cells = [c for s in place_project(project).sheets for c in s.cells if c.boxed]
    return bool(getattr(project, path)) and any(c.path == path for c in cells)


def field_text(name: str, path: str) -> str:
    """What PDFium reads in the cells of one field, page after page."""
    _, boxes = rendered(name)
    return "".join(text_in(name, b) for b in boxes if b.path == path)


@needs_font
@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("long-minhang", "overview"),
        ("long-minhang", "establishment"),
        ("long-minhang", "other_issues"),
        ("long-minhang", "name"),
        ("long-minhang", "indicators.0.name"),
        ("long-2021", "overall_goal"),
        *[(n, f) for n, p in REFERENCE for f in LONG_FIELDS if printed(p, f)],
    ],
)
def test_a_long_text_reads_back_as_typed_with_only_line_breaks_added(name: str, path: str) -> None:
    project = project_of(name)
    value = project
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)  # type: ignore[index]
    typed = str(value).replace("\r\n", "\n").strip("\n")
    assert no_breaks(field_text(name, path)) == no_breaks(typed)


PROSE_FIELDS = (
    "overview",
    "legal_basis",
    "implementer",
    "implementation_plan",
    "implementation_period",
    "budget_note",
)


@needs_font
@pytest.mark.parametrize("name", [n for n, p in REFERENCE if p.family == "shanghai-2020"])
def test_the_explanation_sheets_prose_reads_back_as_typed(name: str) -> None:
    """项目经费情况说明 flows as prose: each text is on the pages with only line breaks added."""
    project = project_of(name)
    printed_text = no_breaks("".join(str(page["text"]) for page in pages(name)))
    texts = [getattr(project, f) for f in PROSE_FIELDS if getattr(project, f)]
    assert texts
    for text in texts:
        assert no_breaks(text.strip("\n")) in printed_text


@needs_font
def test_a_long_explanation_text_flows_over_pages_with_nothing_lost() -> None:
    project = copy.deepcopy(next(p for _, p in REFERENCE if p.family == "shanghai-2020"))
    project.budget_note = long_overview() * 4
    doc = pdfium.PdfDocument(pdf_bytes(project, created=SAVED))
    try:
        texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
    assert len(texts) >= 4
    body = re.sub(r"第 \d+ 页 共 \d+ 页", "", "".join(texts))
    assert no_breaks(project.budget_note) in no_breaks(body)


@needs_font
def test_lines_of_a_long_text_are_evenly_spaced_across_its_pieces() -> None:
    _, boxes = rendered("long-minhang")
    by_page: dict[int, list[float]] = {}
    for box in boxes:
        if box.path == "overview":
            for line in lines_of(chars_in("long-minhang", box)):
                by_page.setdefault(box.page, []).append(line[0].line[1])
    assert sum(len(v) for v in by_page.values()) > 60
    for page, bottoms in by_page.items():
        steps = [a - b for a, b in zip(bottoms, bottoms[1:], strict=False)]
        # a typed blank line is one step more
        assert all(abs(s - BODY_LEADING) < TOL or abs(s - 2 * BODY_LEADING) < TOL for s in steps), (
            page,
            steps,
        )


@needs_font
def test_lines_the_breaker_ended_fill_the_cell_as_the_paper_does() -> None:
    """两端对齐: a line ended by a break reaches the cell's padding; a paragraph's last needn't."""
    _, boxes = rendered("long-minhang")
    ends = [
        box.x1 - PAD - line[-1].line[2]
        for box in boxes
        if box.path == "overview"
        for line in lines_of(chars_in("long-minhang", box))
    ]
    paragraphs = long_overview().count("\n") + 1
    assert len(ends) > 60
    assert all(end > -TOL for end in ends)
    assert sum(abs(end) < TOL for end in ends) >= len(ends) - paragraphs - 1


# ------------------------------------------------------------------ nothing over a border


@needs_font
@pytest.mark.parametrize("name", ALL)
def test_every_glyph_lies_inside_its_cell(name: str) -> None:
    _, boxes = rendered(name)
    bad = []
    for n, page in enumerate(pages(name)):
        cells = [b for b in boxes if b.page == n]
        if not cells:
            continue
        left, right = min(b.x0 for b in cells) - 20, max(b.x1 for b in cells) + 20
        bottom, top = min(b.y0 for b in cells), max(b.y1 for b in cells)
        for c in page["chars"]:  # type: ignore[attr-defined]
            x, y = c.centre
            if not (left < x < right and bottom < y < top):
                continue  # a caption above or below the table
            home = [b for b in cells if inside(c.centre, b)]
            if not home:
                bad.append((n + 1, c.ch, "outside every cell"))
                continue
            b = home[0]
            left_, low, right_, high = c.box
            if left_ < b.x0 - TOL or right_ > b.x1 + TOL or low < b.y0 - TOL or high > b.y1 + TOL:
                bad.append((n + 1, c.ch, "over the border"))
    assert bad == []


@needs_font
@pytest.mark.parametrize(
    ("family", "label"),
    [
        ("minhang-2020", "需要说明的其他问题"),
        ("shanghai-2021", "其中：财政资金"),
        ("shanghai-2021", "服务对象满意度指标"),
    ],
)
def test_a_label_that_would_wrap_one_character_is_set_smaller_on_one_line(
    family: str, label: str
) -> None:
    name = next(
        n
        for n, p in REFERENCE
        if p.family == family and (label != "服务对象满意度指标" or "服务对象满意度指标" in repr(p))
    )
    _, boxes = rendered(name)
    found = [b for b in boxes if no_breaks(b.text) == label]
    assert found, label
    for box in found:
        assert box.size < BODY_SIZE
        lines = lines_of(chars_in(name, box))
        assert ["".join(c.ch for c in line) for line in lines] == [label]


# ------------------------------------------------------------------ page breaks


def covered(lines: list[tuple[float, float, float]], x0: float, x1: float, y: float) -> bool:
    """Whether drawn horizontal lines run all the way from x0 to x1 at height y."""
    pos = x0 + 0.5
    for left, right, _ in sorted(seg for seg in lines if abs(seg[2] - y) < 1.0):
        if left <= pos + 0.5:
            pos = max(pos, right)
    return pos >= x1 - 0.5


@needs_font
@pytest.mark.parametrize("name", ALL)
def test_a_table_cut_by_a_page_break_is_closed_and_reopened(name: str) -> None:
    _, boxes = rendered(name)
    bad = []
    for n, page in enumerate(pages(name)):
        cells = [b for b in boxes if b.page == n]
        if not cells:
            continue
        x0, x1 = min(b.x0 for b in cells), max(b.x1 for b in cells)
        bottom, top = min(b.y0 for b in cells), max(b.y1 for b in cells)
        lines = page["lines"]
        if not covered(lines, x0, x1, bottom):  # type: ignore[arg-type]
            bad.append((n + 1, "open at the bottom"))
        if not covered(lines, x0, x1, top):  # type: ignore[arg-type]
            bad.append((n + 1, "open at the top"))
    assert bad == []


@needs_font
def test_the_breakdown_cut_twice_keeps_its_label_column_closed() -> None:
    """项目构成分解 of 35 rows breaks twice; the label column had no bottom border at the second."""
    _, boxes = rendered("long-minhang")
    labels = [b for b in boxes if no_breaks(b.text) == "项目构成分解"]
    assert len({b.page for b in labels}) >= 2
    for box in labels:
        lines = pages("long-minhang")[box.page]["lines"]
        assert covered(lines, box.x0, box.x1, box.y0), box.page + 1  # type: ignore[arg-type]


@needs_font
@pytest.mark.parametrize("name", ["long-2021", "long-minhang"])
def test_a_continued_table_says_whose_it_is_above_its_header(name: str) -> None:
    project = project_of(name)
    _, boxes = rendered(name)
    titles = [title for title, _ in sheet_titles(project)]
    with_table = [n for n in range(len(pages(name))) if any(b.page == n for b in boxes)]
    continued = 0
    for n in with_table:
        text = re.sub(r"\s+", "", str(pages(name)[n]["text"]))
        if any(title in text for title in titles):
            continue  # a sheet's first page: its title, no caption
        continued += 1
        top = max(b.y1 for b in boxes if b.page == n)
        above = [c for c in pages(name)[n]["chars"] if c.centre[1] > top]  # type: ignore[attr-defined]
        caption = "".join(c.ch for line in lines_of(above) for c in line)
        expected = re.sub(r"\s+", "", project.name)
        assert caption.endswith("（续）"), (n + 1, caption)
        assert caption.startswith(expected[:20]), (n + 1, caption)
    assert continued >= 2


@needs_font
def test_the_2021_continuation_page_repeats_the_header_under_the_caption() -> None:
    texts = [re.sub(r"\s+", "", str(p["text"])) for p in pages("long-2021")]
    later = [t for t in texts[1:] if "一级指标" in t]
    assert later
    name = re.sub(r"\s+", "", baseline().name)
    for text in later:
        assert f"{name}（续）" in text
        assert "一级指标二级指标三级指标指标目标值" in text


# ------------------------------------------------------------------ metadata


def creation_date(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc.get_metadata_dict()["CreationDate"]
    finally:
        doc.close()


@needs_font
def test_creation_date_is_the_given_saved_time() -> None:
    pdf = pdf_bytes(baseline(), created=SAVED)
    assert creation_date(pdf) == "D:20260304093000+00'00'"


@needs_font
def test_creation_date_is_the_time_of_export_by_default() -> None:
    stamp = creation_date(pdf_bytes(baseline()))
    assert not stamp.startswith("D:2000")
    printed = dt.datetime.strptime(stamp[2:16], "%Y%m%d%H%M%S")
    # local wall time of the export; a day's bound covers any time zone (not a timing test)
    assert abs(printed - dt.datetime.now()) < dt.timedelta(days=1)

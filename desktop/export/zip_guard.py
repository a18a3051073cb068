"""Looking inside a workbook's zip before openpyxl opens it: bombs, DTDs and giant sheets.

openpyxl trusts the zip it is given: it unpacks every part it needs in full and turns
every cell, and every cell a merge covers, into an object. A small hostile file could
so exhaust memory or time before the reader sees a single cell. Every part is therefore
unpacked here first, as a stream with hard caps, and its XML counted, before openpyxl
sees the bytes. The caps sit far above what this program's workbooks need (measured
from the exported reference cases, and a LibreOffice-saved one, in the comments).

Only the problems come back (Chinese sentences); the caller raises its own error.
"""

from __future__ import annotations

import copy
import io
import re
import struct
import zipfile
from xml.parsers import expat

# Real workbooks of this program have 10-13 zip members (an exported one 10-12, the
# LibreOffice-saved fixture 13); a clerk's pictures or Excel's extra parts add a few.
MAX_ENTRIES = 2_000
# zipfile reads the whole central directory and makes an object per entry before one can
# count them: its size is bounded first (a real entry takes well under 200 bytes).
MAX_DIRECTORY_BYTES = MAX_ENTRIES * 1024
# Unpacked, the exported reference cases take 26-53 KB and the LibreOffice-saved one
# 92 KB; a stress project of 500 rows in each of the three tables with 300-character
# texts takes 10 MB. 64 MB leaves room for pasted pictures and is still harmless to hold.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# A member compresses at most 10:1 in the real workbooks and 158:1 in that stress project
# (the same text repeated 1,500 times); zeros deflate at about 1,000:1. Small members are
# left alone: a ratio only matters once there is something large to unpack.
MAX_RATIO = 200
RATIO_FROM_BYTES = 1024 * 1024
# Cells (``<c>``) plus the cells merges cover, which openpyxl creates one by one: the
# reference workbooks have at most 422 + 387, the stress project 13,254 + 5,513.
# openpyxl reads about 50,000 cells a second.
MAX_CELLS = 100_000
# Merges: at most 119 in the reference workbooks, 1,911 in the stress project. openpyxl
# takes about 0.1 ms for each (60,000 took 6 s).
MAX_MERGES = 10_000
# XML elements of all parts (rows, styles, links...): at most 2,816 in the reference
# workbooks, 35,138 in the stress project. openpyxl's slowest kinds (hyperlinks, empty
# rows) take about 30 microseconds each: the cap bounds a crafted file to ~10 s.
MAX_ELEMENTS = 300_000
CHUNK_BYTES = 64 * 1024

XML_SUFFIXES = (".xml", ".rels", ".vml")
WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"

DAMAGED = "文件已损坏或不完整，无法按 Excel 工作簿打开：请重新导出或重新拷贝。"
NOT_A_WORKBOOK = "文件不是 Excel 工作簿（可能是 Word 文档或其他压缩文件）：请选择 .xlsx 申报表。"
BOMB = (
    "文件解压后超过 {mb} MB，不像本程序导出的申报表（可能是压缩炸弹），未导入。"
    "请选择本程序导出的申报表；若表中粘贴了很多图片，请删除后再导入。"
)
RATIO = (
    "文件中的“{part}”压缩比异常（约 {ratio}:1，上限 {cap}:1），不像本程序导出的申报表"
    "（可能是压缩炸弹），未导入：请选择本程序导出的申报表。"
)
LIED = (
    "文件中“{part}”的实际大小与文件记录的不符，文件已损坏或被改动（可能是压缩炸弹），"
    "未导入：请重新导出或重新拷贝。"
)
DTD = (
    "文件中的“{part}”含有 XML 实体声明（DOCTYPE/ENTITY），出于安全原因拒绝导入。"
    "Excel 保存的工作簿从不含这类声明：请在 Excel 中打开后另存为 .xlsx，或用本程序重新导出。"
)
# An SVG picture a clerk inserted may carry a DOCTYPE; resaving keeps it, deleting it helps.
DTD_IN_PICTURE = (
    "文件中插入的图片“{part}”含有 XML 实体声明（DOCTYPE/ENTITY），出于安全原因拒绝导入："
    "请删除表中插入的图片（SVG 图片）后再导入。"
)

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
# ``<!DOCTYPE`` and ``<!ENTITY`` in any case; the parser also refuses ``<! DOCTYPE``.
_DTD = re.compile(rb"<!\s*(?:doctype|entity)", re.IGNORECASE)
_DTD_CARRY = 16  # longer than any match, so one split across two chunks is still found


class _Refused(Exception):
    """One problem found; the scan stops at the first."""


def inspect_workbook_zip(data: bytes) -> list[str]:
    """What makes ``data`` unsafe or unfit to open as a workbook; empty when it may be opened.

    Checks, in order: the zip's directory (size, entry count), that it is a workbook, the
    declared sizes and ratios, then every member unpacked for real: its actual size and
    ratio (headers can lie), no DTD in any XML part, and the cells and elements counted.
    """
    try:
        _check_directory(data)
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except Exception as exc:  # zipfile raises many kinds on a damaged directory
            raise _Refused(DAMAGED) from exc
        with zf:
            _Scan(zf).run()
    except _Refused as refused:
        return [str(refused)]
    return []


def _check_directory(data: bytes) -> None:
    """Entry count and directory size as the end record declares them, before zipfile reads."""
    entries, size = _declared_directory(data)
    if entries > MAX_ENTRIES or size > MAX_DIRECTORY_BYTES:
        shown = f" {entries} 个" if entries > MAX_ENTRIES else "过多"
        raise _Refused(
            f"文件中有{shown}压缩条目（上限 {MAX_ENTRIES} 个），不像本程序导出的申报表，未导入。"
            "请选择本程序导出的申报表。"
        )


def _declared_directory(data: bytes) -> tuple[int, int]:
    """(entries, central directory bytes) from the end record, zip64 included."""
    # The end record is the last 22 bytes, unless a comment (at most 65,535 bytes) follows it.
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - _EOCD.size - 0xFFFF))
    if at < 0 or at + _EOCD.size > len(data):
        raise _Refused(DAMAGED)
    fields = _EOCD.unpack_from(data, at)
    entries, size = fields[4], fields[5]
    if entries == 0xFFFF or size == 0xFFFFFFFF:
        locator = at - _EOCD64_LOCATOR.size
        if locator < 0 or data[locator : locator + 4] != b"PK\x06\x07":
            raise _Refused(DAMAGED)
        offset = _EOCD64_LOCATOR.unpack_from(data, locator)[2]
        if offset + _EOCD64.size > len(data) or data[offset : offset + 4] != b"PK\x06\x06":
            raise _Refused(DAMAGED)
        record = _EOCD64.unpack_from(data, offset)
        entries, size = record[6], record[7]
    return entries, size


class _Scan:
    """Every member of the zip unpacked once, with the counts kept across members."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.cells = 0
        self.merges = 0
        self.elements = 0
        # Relationship id -> sheet name, and -> part: which sheet a part is, for messages.
        self.sheet_ids: dict[str, str] = {}
        self.targets: dict[str, str] = {}

    def run(self) -> None:
        infos = self.zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _Refused(
                f"文件中有 {len(infos)} 个压缩条目（上限 {MAX_ENTRIES} 个），"
                "不像本程序导出的申报表，未导入。请选择本程序导出的申报表。"
            )
        if WORKBOOK_PART not in {i.filename for i in infos}:
            raise _Refused(NOT_A_WORKBOOK)
        for info in infos:
            self._check_method(info)
        if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
            raise _Refused(_bomb())
        for info in infos:
            if _too_packed(info.file_size, info.compress_size):
                raise _Refused(_ratio(info))
        # The workbook part and its relationships first: they name the sheets' parts.
        first = (WORKBOOK_PART, WORKBOOK_RELS)
        for info in sorted(infos, key=lambda i: i.filename not in first):
            self._unpack(info)

    def sheet_name(self, part: str) -> str | None:
        return next((n for rid, n in self.sheet_ids.items() if self.targets.get(rid) == part), None)

    def _check_method(self, info: zipfile.ZipInfo) -> None:
        name = _shown(info.filename)
        if info.flag_bits & 0x1:
            raise _Refused(
                f"文件中的“{name}”已加密：请在 Excel 中取消密码、另存为 .xlsx 后再导入。"
            )
        # Excel, WPS and LibreOffice only store or deflate; other methods are refused unread
        # (bzip2 and lzma members would be unpacked by zipfile without any output bound).
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Refused(
                f"文件中的“{name}”使用了 Excel 不使用的压缩方式：请在 Excel 中另存为 .xlsx 后再导入。"
            )

    def _unpack(self, info: zipfile.ZipInfo) -> None:
        """Unpack one member as a stream, never trusting its declared size.

        Unpacking stops as soon as the data holds more than declared, so the declared sizes
        checked in ``run`` (total and ratio) bound what is really unpacked.
        """
        # zipfile itself stops at the declared size (and then fails the CRC): lifting it to
        # the cap lets the scan see what the compressed data really holds.
        real = copy.copy(info)
        real.file_size = MAX_UNPACKED_BYTES + 1
        xml: _XmlScan | None = None
        size = 0
        try:
            with self.zf.open(real) as member:
                while chunk := member.read(CHUNK_BYTES):
                    size += len(chunk)
                    if size > info.file_size:
                        # A header that understates the size, made to slip past the checks
                        # on declared sizes (or damaged): unpack no further.
                        raise _Refused(LIED.format(part=_shown(info.filename)))
                    if xml is None and size == len(chunk) and _is_xml(info.filename, chunk):
                        xml = _XmlScan(self, info.filename)
                    if xml is not None:
                        xml.feed(chunk)
        except _Refused:
            raise
        except Exception as exc:  # zipfile and zlib raise many kinds on damaged data
            raise _Refused(DAMAGED) from exc
        if size != info.file_size:
            raise _Refused(LIED.format(part=_shown(info.filename)))
        if xml is not None:
            xml.close()

    # -- counts, called by the XML scan

    def count_cell(self, part: str, cells: int) -> None:
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise _Refused(
                f"工作簿中的单元格（含合并单元格覆盖的格子）超过上限 {MAX_CELLS} 个{self._in(part)}，"
                "不像本程序导出的申报表，未导入：请删除表格外多余的内容和格式后再导入，"
                "或用本程序重新导出。"
            )

    def count_merge(self, part: str, cells: int) -> None:
        self.merges += 1
        if self.merges > MAX_MERGES:
            raise _Refused(
                f"工作簿中的合并单元格超过上限 {MAX_MERGES} 处{self._in(part)}，"
                "不像本程序导出的申报表，未导入：请取消多余的合并后再导入，或用本程序重新导出。"
            )
        self.count_cell(part, cells)

    def count_element(self, part: str) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise _Refused(
                f"文件中的 XML 元素超过上限 {MAX_ELEMENTS} 个{self._in(part)}，"
                "不像本程序导出的申报表，未导入：请删除多余的内容和格式后再导入。"
            )

    def _in(self, part: str) -> str:
        """Where, for a message: the sheet's name when the part is a sheet, else the part."""
        sheet = self.sheet_name(part)
        return f"（在“{sheet[:40]}”页）" if sheet else f"（在“{_shown(part)}”中）"

    def note_sheet(self, rid: str, name: str) -> None:
        if len(self.sheet_ids) < MAX_ENTRIES:
            self.sheet_ids[rid] = name

    def note_target(self, rid: str, target: str) -> None:
        if len(self.targets) < MAX_ENTRIES:
            # Targets are relative to xl/, or absolute within the zip.
            path = target[1:] if target.startswith("/") else f"xl/{target}"
            self.targets[rid] = path


def _too_packed(size: int, compressed: int) -> bool:
    return size > RATIO_FROM_BYTES and size > MAX_RATIO * max(compressed, 1)


def _bomb() -> str:
    return BOMB.format(mb=MAX_UNPACKED_BYTES // (1024 * 1024))


def _ratio(info: zipfile.ZipInfo) -> str:
    ratio = info.file_size // max(info.compress_size, 1)
    return RATIO.format(part=_shown(info.filename), ratio=ratio, cap=MAX_RATIO)


def _is_xml(name: str, head: bytes) -> bool:
    """An XML part by its name, or by its first bytes (openpyxl follows relationships, which
    may name a part anything)."""
    if name.lower().endswith(XML_SUFFIXES):
        return True
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start == b"<" or head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00<", b"\x00\x00"))


def _shown(name: str) -> str:
    return name if len(name) <= 60 else name[:60] + "…"


class _XmlScan:
    """One XML part, fed chunk by chunk: bytes searched for a DTD, elements counted by expat."""

    def __init__(self, scan: _Scan, part: str) -> None:
        self.scan = scan
        self.part = part
        self.carry = b""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartDoctypeDeclHandler = self._dtd
        parser.EntityDeclHandler = self._dtd
        parser.StartElementHandler = self._element
        self.parser: expat.XMLParserType | None = parser
        self.workbook = part == WORKBOOK_PART
        self.rels = part == WORKBOOK_RELS

    def feed(self, chunk: bytes) -> None:
        # Byte search first, on the raw bytes, carrying the end of the previous chunk over.
        window = self.carry + chunk
        if _DTD.search(window):
            self._dtd()
        self.carry = window[-_DTD_CARRY:]
        self._parse(chunk, final=False)

    def close(self) -> None:
        self._parse(b"", final=True)

    def _parse(self, data: bytes, final: bool) -> None:
        if self.parser is None:
            return
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError:
            # Not well-formed: openpyxl fails on it too if it needs the part (and Excel's VML
            # often is not). The byte search above goes on to the end regardless.
            self.parser = None

    def _dtd(self, *_: object) -> None:
        # Called by expat too: it also finds a DTD in a UTF-16 part the byte search cannot read.
        text = DTD_IN_PICTURE if self.part.startswith("xl/media/") else DTD
        raise _Refused(text.format(part=_shown(self.part)))

    def _element(self, name: str, attrs: dict[str, str]) -> None:
        self.scan.count_element(self.part)
        local = name.rpartition(" ")[2]
        if local == "c":
            self.scan.count_cell(self.part, 1)
        elif local == "mergeCell":
            # openpyxl creates every cell a merge covers: ``A1:XFD1048576`` is 17 billion.
            self.scan.count_merge(self.part, _merged_cells(attrs.get("ref", "")))
        elif self.workbook and local == "sheet":
            rid = next((v for k, v in attrs.items() if k.rpartition(" ")[2] == "id"), None)
            if rid and "name" in attrs:
                self.scan.note_sheet(rid, attrs["name"])
        elif self.rels and local == "Relationship" and "Id" in attrs and "Target" in attrs:
            self.scan.note_target(attrs["Id"], attrs["Target"])


def _merged_cells(ref: str) -> int:
    """How many cells openpyxl creates for a merge; 0 when it cannot read the range either."""
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return 0
    # A whole-row or whole-column range leaves a bound open: count it as the sheet's edge.
    cols = (max_col or 16_384) - (min_col or 1) + 1
    rows = (max_row or 1_048_576) - (min_row or 1) + 1
    return max(cols, 0) * max(rows, 0)

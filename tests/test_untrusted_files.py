"""Hostile and broken files: each refused with a Chinese message naming what is wrong.

Every file is built here (no binary fixtures): a workbook this program exported, with one
part rewritten, or a 数据包 with one thing wrong. Each is read by its reader (its own
error), by the dispatcher (ImportFileError), and imported on the command line into a
store holding the reference cases (exit 2, the store unchanged).

``HOSTILE`` maps each kind to the cases tried, so they can be counted.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import io
import json
import re
import sqlite3
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CASE_FILES, case_projects, write_package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main
from desktop.export import package, reading, xlsx_values, zip_guard
from desktop.export.grid import place_project
from desktop.export.imports import ImportFileError, read_import_file
from desktop.export.package import PackageError, read_package_file
from desktop.export.xlsx_reader import (
    WorkbookError,
    WorkbookImport,
    read_workbook_bytes,
    read_workbook_file,
)
from desktop.export.xlsx_writer import workbook_bytes
from desktop.models.project import Project

CASE = "车辆购置费"  # a shanghai-2021 case: one form sheet, 制度保障, and the hidden data sheet
FORM = "绩效目标申报表"
FORM_PART = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024


# ------------------------------------------------------------------ building blocks


@functools.cache
def _project() -> Project:
    return next(p for p in case_projects() if p.name == CASE)


@functools.cache
def _base() -> bytes:
    return workbook_bytes(_project())


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def _rezip(
    replace: dict[str, Callable[[bytes], bytes]] | None = None,
    add: tuple[tuple[str, bytes], ...] = (),
    drop: tuple[str, ...] = (),
) -> bytes:
    """The exported workbook with members rewritten, added or dropped."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in _members(_base()):
            if name in drop:
                continue
            if replace and name in replace:
                body = replace[name](body)
            zf.writestr(name, body)
        for name, body in add:
            zf.writestr(name, body)
    return out.getvalue()


def _body(xml: bytes) -> bytes:
    """A part without its XML declaration (openpyxl writes some parts without one)."""
    return xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml


def _before_root(prolog: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: b'<?xml version="1.0" encoding="UTF-8"?>' + prolog + _body(xml)


def _in_sheet_data(rows: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>", 1)


def _merges(refs: bytes) -> Callable[[bytes], bytes]:
    """The sheet with its merges replaced by ``refs`` (``<mergeCell>`` elements)."""

    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb"<mergeCells[^>]*>.*?</mergeCells>", b"", xml, flags=re.S)
        return xml.replace(b"</sheetData>", b"</sheetData><mergeCells>" + refs + b"</mergeCells>")

    return edit


def _cell(path: str) -> str:
    """The Excel name of the cell showing ``path`` on the form (``B12``)."""
    from openpyxl.utils import get_column_letter

    for sheet in place_project(_project()).sheets:
        placed = sheet.by_path(path)
        if placed is not None:
            return f"{get_column_letter(placed.col + 1)}{placed.row + 1}"
    raise KeyError(path)


def _with_text(path: str, text: str) -> bytes:
    """The form with the cell showing ``path`` holding ``text`` as written in the XML.

    Written into the XML directly: openpyxl cuts a value to Excel's 32,767 characters.
    """
    ref = _cell(path).encode()

    def edit(xml: bytes) -> bytes:
        cell = re.compile(rb'<c r="' + ref + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
        new = b'<c r="' + ref + b'" t="inlineStr"><is><t>' + _escape(text) + b"</t></is></c>"
        xml, n = cell.subn(new, xml, count=1)
        assert n == 1, ref
        return xml

    return _rezip({FORM_PART: edit})


def _escape(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


# -- zips made by hand: sizes, flags and methods as a hostile tool would write them


@dataclass(frozen=True)
class _Raw:
    """One zip member as stored: ``data`` already compressed, ``size`` what the header says."""

    name: str
    data: bytes
    crc: int
    size: int
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _raw(name: str, body: bytes) -> _Raw:
    return _Raw(name, _deflate(body), zlib.crc32(body), len(body))


def _raw_zip(members: list[_Raw], entries: int | None = None) -> bytes:
    """A zip of ``members``; ``entries`` overrides the count its end record declares."""
    out, directory = bytearray(), bytearray()
    for m in members:
        name, offset = m.name.encode(), len(out)
        sizes = (m.crc, len(m.data), m.size, len(name))
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, m.flags, m.method, 0, 0x21, *sizes, 0)
        out += name + m.data
        # extra, comment, disk, internal and external attributes: none
        directory += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            20,
            20,
            m.flags,
            m.method,
            0,
            0x21,
            *sizes,
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += name
    count = len(members) if entries is None else entries
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(out), 0)
    return bytes(out + directory + end)


def _workbook_raws() -> list[_Raw]:
    return [_raw(name, body) for name, body in _members(_base())]


@functools.cache
def _zeros(megabytes: int) -> tuple[bytes, int]:
    """Raw deflate of ``megabytes`` MB of zeros, and their CRC, without holding the zeros.

    After a full flush the compressor starts afresh, so every megabyte compresses to the
    same bytes: one compressed megabyte repeated is the whole stream.
    """
    one = bytes(MB)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(one) + c.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(one, crc)
    return block * megabytes + c.flush(zlib.Z_FINISH), crc


def _zero_bomb(megabytes: int, declared: int, name: str = "xl/media/image1.png") -> bytes:
    data, crc = _zeros(megabytes)
    return _raw_zip([*_workbook_raws(), _Raw(name, data, crc, declared)])


# ------------------------------------------------------------------ the registry


@dataclass(frozen=True)
class Hostile:
    kind: str
    name: str
    phrases: tuple[str, ...]  # what the message must say
    build: Callable[[], bytes]
    suffix: str = ".xlsx"

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.kind}-{self.name}{self.suffix}"
        path.write_bytes(self.build())
        return path


HOSTILE: dict[str, list[Hostile]] = {}


def hostile(
    kind: str, name: str, *phrases: str, suffix: str = ".xlsx"
) -> Callable[[Callable[[], bytes]], Callable[[], bytes]]:
    def register(build: Callable[[], bytes]) -> Callable[[], bytes]:
        built = functools.cache(build)  # each file is built once, used by three tests
        HOSTILE.setdefault(kind, []).append(Hostile(kind, name, phrases, built, suffix))
        return build

    return register


def _package_case(name: str, data: bytes, *phrases: str) -> None:
    hostile("json", name, *phrases, suffix=".json")(lambda: data)


DTD = "含有 XML 实体声明（DOCTYPE/ENTITY），出于安全原因拒绝导入"
LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)

# -- XML entities


@hostile("xml-entity", "billion-laughs-in-a-sheet", DTD, FORM_PART)
def _laughs_in_sheet() -> bytes:
    def edit(xml: bytes) -> bytes:
        xml = _before_root(LAUGHS)(xml)
        return xml.replace(_escape(CASE), b"&lol9;", 1)

    return _rezip({FORM_PART: edit})


@hostile("xml-entity", "billion-laughs-in-app-properties", DTD, "docProps/app.xml")
def _laughs_in_properties() -> bytes:
    return _rezip({"docProps/app.xml": _before_root(LAUGHS)})


@hostile("xml-entity", "external-entity-etc-passwd", DTD, "xl/workbook.xml")
def _external_entity() -> bytes:
    prolog = b'<!DOCTYPE x [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return _rezip(
        {
            "xl/workbook.xml": lambda xml: _before_root(prolog)(xml).replace(
                b'name="', b'name="&x;', 1
            )
        }
    )


@hostile("xml-entity", "parameter-entity-over-http", DTD, "[Content_Types].xml")
def _parameter_entity() -> bytes:
    prolog = b'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>'
    return _rezip({"[Content_Types].xml": _before_root(prolog)})


@hostile("xml-entity", "svg-picture-with-a-doctype", DTD, "请删除表中插入的图片")
def _svg() -> bytes:
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>'
    return _rezip(add=(("xl/media/image1.svg", svg),))


@hostile("xml-entity", "lower-case-doctype", DTD, "xl/styles.xml")
def _lower_case() -> bytes:
    return _rezip({"xl/styles.xml": _before_root(b"<!doctype styleSheet>")})


@hostile("xml-entity", "doctype-in-a-utf16-part", DTD, "xl/workbook.xml")
def _utf16() -> bytes:
    def edit(xml: bytes) -> bytes:
        text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>'
        return (text + _body(xml).decode("utf-8")).encode("utf-16")

    return _rezip({"xl/workbook.xml": edit})


def _split_doctype(broken: bool) -> bytes:
    # ``<!DOCTYPE`` starts 4 bytes before the first 64 KB chunk ends. In a part expat has
    # already given up on (``<<``), only the byte search across chunks can find it.
    head = b'<?xml version="1.0"?>' + (b"<a><<" if broken else b"") + b"<!--"
    pad = zip_guard.CHUNK_BYTES - 4 - len(head) - len(b"-->")
    part = head + b"x" * pad + b"--><!DOCTYPE a [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><a/>"
    assert part.index(b"<!DOCTYPE") == zip_guard.CHUNK_BYTES - 4
    return _rezip(add=(("docProps/custom.xml", part),))


hostile("xml-entity", "doctype-split-across-chunks", DTD, "docProps/custom.xml")(
    lambda: _split_doctype(broken=False)
)
hostile("xml-entity", "doctype-split-across-chunks-after-bad-xml", DTD)(
    lambda: _split_doctype(broken=True)
)

# -- zip bombs and hostile zips

BOMB = "文件解压后超过 64 MB，不像本程序导出的申报表（可能是压缩炸弹），未导入"
LIED = "的实际大小与文件记录的不符"

hostile("zip-bomb", "200MB-of-zeros", BOMB)(lambda: _zero_bomb(200, declared=200 * MB))
hostile("zip-bomb", "200MB-of-zeros-header-says-1KB", LIED, "xl/media/image1.png")(
    lambda: _zero_bomb(200, declared=1000)
)
hostile("zip-bomb", "200MB-of-zeros-header-says-10MB", LIED)(
    lambda: _zero_bomb(200, declared=10 * MB)
)
hostile("zip-bomb", "sheet-of-zeros-header-says-1KB", LIED, "sheet9.xml")(
    lambda: _zero_bomb(200, declared=1000, name="xl/worksheets/sheet9.xml")
)
hostile("zip-bomb", "40MB-of-zeros-ratio-1000-to-1", "压缩比异常", "上限 200:1")(
    lambda: _zero_bomb(40, declared=40 * MB)
)
hostile("zip-bomb", "2001-extra-entries", "压缩条目", "上限 2000 个")(
    lambda: _rezip(add=tuple((f"xl/media/pad{i}.bin", b"") for i in range(2001)))
)
hostile("zip-bomb", "end-record-claims-65000-entries", "65000 个压缩条目")(
    lambda: _raw_zip(_workbook_raws(), entries=65_000)
)


@hostile("zip-bomb", "bzip2-member", "Excel 不使用的压缩方式")
def _bzip2() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in _members(_base()):
            method = zipfile.ZIP_BZIP2 if name == FORM_PART else zipfile.ZIP_DEFLATED
            zf.writestr(name, body, compress_type=method)
    return out.getvalue()


@hostile("zip-bomb", "encrypted-member", "已加密")
def _encrypted() -> bytes:
    raws = _workbook_raws()
    return _raw_zip([dataclasses.replace(r, flags=1) if r.name == FORM_PART else r for r in raws])


# -- giant sheets


def _empty_cells(rows: int, cols: int) -> bytes:
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c).encode() for c in range(1, cols + 1)]
    return b"".join(
        b'<row r="%d">' % r + b"".join(b'<c r="%s%d" s="1"/>' % (x, r) for x in letters) + b"</row>"
        for r in range(1000, 1000 + rows)
    )


CELLS = "超过上限 100000 个（在“绩效目标申报表”页）"
hostile("giant-sheet", "300000-cells", CELLS)(
    lambda: _rezip({FORM_PART: _in_sheet_data(_empty_cells(300, 1000))})
)
hostile("giant-sheet", "one-merge-over-the-whole-sheet", CELLS)(
    lambda: _rezip({FORM_PART: _merges(b'<mergeCell ref="A1:XFD1048576"/>')})
)
hostile("giant-sheet", "20000-merges", "合并单元格超过上限 10000 处（在“绩效目标申报表”页）")(
    lambda: _rezip(
        {
            FORM_PART: _merges(
                b"".join(b'<mergeCell ref="H%d:I%d"/>' % (r, r) for r in range(1, 20_001))
            )
        }
    )
)
hostile("giant-sheet", "400000-empty-rows", "XML 元素超过上限 300000 个")(
    lambda: _rezip(
        {FORM_PART: _in_sheet_data(b"".join(b'<row r="%d"/>' % r for r in range(1000, 401_000)))}
    )
)


@hostile("giant-sheet", "501-indicator-rows", "绩效指标超过上限 500 行")
def _too_many_rows() -> bytes:
    p = copy.deepcopy(_project())
    p.indicators = [copy.deepcopy(p.indicators[i % len(p.indicators)]) for i in range(501)]
    return workbook_bytes(p)


# -- oversized and mistyped cells (the cell is named: sheet and coordinate)


def _at(path: str) -> str:
    return f"“{FORM}”页 {_cell(path)}"


hostile(
    "oversized-cell",
    "40000-characters-in-a-goal",
    _at("overall_goal"),
    "项目总目标有 40000 个字符，超过上限 20000 个",
)(lambda: _with_text("overall_goal", "目" * 40_000))
hostile(
    "oversized-cell", "40000-digits-in-an-amount", _at("funding.total"), "40000 个字符，不是金额"
)(lambda: _with_text("funding.total", "9" * 40_000))
hostile("oversized-cell", "40000-characters-in-the-category", _at("category"), "40000 个字符")(
    lambda: _with_text("category", "类" * 40_000)
)
hostile("oversized-cell", "201-characters-in-the-name", _at("name"), "项目名称超过 200 个字符")(
    lambda: _with_text("name", "名" * 201)
)
hostile("wrong-type", "text-in-a-date-cell", _at("start_date"), "“明年春天”不是日期")(
    lambda: _with_text("start_date", "明年春天")
)
hostile("wrong-type", "two-categories-ticked", _at("category"), "不是可选的类别")(
    lambda: _with_text("category", "☑一次性项目 ☑经常性项目")
)


@hostile(
    "wrong-type", "formula-without-result-in-an-amount", _at("funding.total"), "项目资金总额是公式"
)
def _formula() -> bytes:
    ref = _cell("funding.total").encode()
    cell = re.compile(rb'<c r="' + ref + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
    return _rezip(
        {FORM_PART: lambda xml: cell.sub(b'<c r="' + ref + b'"><f>SUM(1,2)</f></c>', xml)}
    )


# -- broken files

DAMAGED = "文件已损坏或不完整"
hostile("broken-zip", "cut-in-half", DAMAGED)(lambda: _base()[: len(_base()) // 2])
hostile("broken-zip", "last-byte-missing", DAMAGED)(lambda: _base()[:-1])


@hostile("broken-zip", "member-checksum-wrong", DAMAGED)
def _bad_checksum() -> bytes:
    raws = _workbook_raws()
    return _raw_zip(
        [dataclasses.replace(r, crc=r.crc ^ 1) if r.name == FORM_PART else r for r in raws]
    )


@hostile("broken-zip", "a-word-document", "不是 Excel 工作簿")
def _word() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


hostile("broken-zip", "sheet-xml-not-well-formed", "无法按 Excel 工作簿读取")(
    lambda: _rezip({FORM_PART: lambda xml: xml[: len(xml) // 2]})
)
hostile("broken-zip", "sheet-part-missing", f"找不到“{FORM}”页")(lambda: _rezip(drop=(FORM_PART,)))

# -- 数据包 (JSON)


def _doc(project: str) -> bytes:
    return b'{"format":"jixiao-shenbao","version":1,"projects":[' + project.encode() + b"]}"


def _good_text() -> str:
    return json.dumps(
        {
            "format": "jixiao-shenbao",
            "version": 1,
            "projects": [{"name": "测试项目", "year": 2021}],
        },
        ensure_ascii=False,
    )


UTF8 = "请用 UTF-8 编码保存"
_package_case("100000-brackets", b"[" * 100_000 + b"]" * 100_000, "嵌套过深")
_package_case(
    "100000-nested-objects-in-a-project",
    _doc('{"name":"x","notes":' + '{"a":' * 100_000 + "1" + "}" * 100_000 + "}"),
    "嵌套过深",
)
_package_case("utf-16-with-bom", _good_text().encode("utf-16"), "UTF-16", UTF8)
_package_case("utf-16-without-bom", _good_text().encode("utf-16-le"), "UTF-16", UTF8)
_package_case("utf-32", _good_text().encode("utf-32"), "UTF-32", UTF8)
_package_case("gbk", _good_text().encode("gbk"), "GBK", UTF8)
_package_case("broken-utf-8", _doc('{"name":"x"}').replace(b'"x"', b'"\xff\xfe"'), UTF8)
_package_case("nan-year", _doc('{"name":"x","year":NaN}'), "year（年度）", "NaN")
_package_case("infinity-amount", _doc('{"name":"x","funding":{"total":Infinity}}'), "funding.total")
_package_case("1e999999-year", _doc('{"name":"x","year":1e999999}'), "year（年度）", "超出范围")
_package_case(
    "10000-digit-year", _doc('{"name":"x","year":' + "9" * 10_000 + "}"), "year（年度）", "超出范围"
)
_package_case(
    "10000-digit-version",
    b'{"format":"jixiao-shenbao","version":' + b"9" * 10_000 + b',"projects":[]}',
    "version 应为整数 1",
)
_package_case(
    "duplicate-name-key", _doc('{"name":"a","name":"b"}'), "字段“name”在同一个对象", "不止一次"
)
_package_case(
    "duplicate-projects-key",
    b'{"format":"jixiao-shenbao","version":1,"projects":[],"projects":[{"name":"b"}]}',
    "字段“projects”",
)
_package_case("number-as-name", _doc('{"name":123}'), "name（项目名称）应为文本，实际是数字")
_package_case("number-as-amount", _doc('{"name":"x","funding":{"total":5}}'), "应为文本形式的金额")
_package_case("escaped-null-in-name", _doc('{"name":"a\\u0000b"}'), "name（项目名称）含有无法保存")
_package_case("raw-null-byte", _doc('{"name":"a\x00b"}'), "含有非法控制字符")
_package_case("lone-surrogate-in-name", _doc('{"name":"\\ud800"}'), "name（项目名称）含有无法保存")
_package_case("lone-surrogate-in-format", b'{"format":"\\udfff","version":1}', "format 应为")
_package_case("cut-off", _good_text().encode()[:-7], "不是完整的 JSON")
_package_case("too-long-name", _doc(json.dumps({"name": "名" * 201})), "name（项目名称）")

ALL = [case for cases in HOSTILE.values() for case in cases]
IDS = [f"{case.kind}:{case.name}" for case in ALL]


# ------------------------------------------------------------------ each one refused


def _reader(case: Hostile) -> tuple[Callable[[Path], object], type[Exception]]:
    if case.suffix == ".xlsx":
        return read_workbook_file, WorkbookError
    return read_package_file, PackageError


@pytest.mark.parametrize("case", ALL, ids=IDS)
def test_the_reader_and_the_dispatcher_refuse_it_naming_what_is_wrong(
    case: Hostile, tmp_path: Path
) -> None:
    path = case.write(tmp_path)
    reader, error = _reader(case)
    with pytest.raises(error) as own:
        reader(path)
    with pytest.raises(ImportFileError) as dispatched:
        read_import_file(path)
    for message in (str(own.value), str(dispatched.value)):
        assert path.name in message
        for phrase in case.phrases:
            assert phrase in message


def dump(db: Path) -> list[str]:
    """The whole store as SQL text: equal dumps mean an unchanged store."""
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the 10 reference cases (shared: every test below leaves it unchanged)."""
    db = tmp_path_factory.mktemp("store") / "store.db"
    assert main(["import", *map(str, CASE_FILES), "--db", str(db)]) == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from projects").fetchone() == (10,)
    return db


@pytest.mark.parametrize("case", ALL, ids=IDS)
def test_the_command_line_refuses_it_and_leaves_the_store_unchanged(
    case: Hostile, store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = case.write(tmp_path)
    before = dump(store)
    capsys.readouterr()
    code = main(["import", str(path), "--db", str(store)])
    _, err = capsys.readouterr()
    assert code == 2
    assert path.name in err and "未导入任何项目，数据库保持不变" in err
    for phrase in case.phrases:
        assert phrase in err
    assert dump(store) == before


def test_every_kind_was_tried() -> None:
    kinds = {"xml-entity", "zip-bomb", "giant-sheet", "oversized-cell", "wrong-type"}
    assert set(HOSTILE) == kinds | {"broken-zip", "json"}
    assert all(len(cases) >= 3 for cases in HOSTILE.values())


# ------------------------------------------------------------------ what still reads


def test_the_hand_made_zip_of_the_export_reads_back() -> None:
    """The zips above are made by hand: unchanged, the same members read back as exported."""
    assert read_workbook_bytes(_raw_zip(_workbook_raws())).project.name == CASE


def test_real_workbooks_are_far_below_every_cap() -> None:
    fixture = Path(__file__).parent / "fixtures" / "xlsx" / "minhang-edited-libreoffice.xlsx"
    books = [workbook_bytes(p) for p in case_projects()]
    books.append(fixture.read_bytes())
    for data in books:
        assert zip_guard.inspect_workbook_zip(data) == []
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            cells = sum(len(re.findall(rb"<c[ >/]", zf.read(i))) for i in infos)
        assert len(infos) * 100 < zip_guard.MAX_ENTRIES
        assert sum(i.file_size for i in infos) * 500 < zip_guard.MAX_UNPACKED_BYTES
        assert all(i.file_size < 11 * i.compress_size for i in infos)
        assert cells * 200 < zip_guard.MAX_CELLS


def test_a_text_in_an_amount_cell_is_kept_as_written_for_the_rules() -> None:
    back = read_workbook_bytes(_with_text("funding.total", "一百万元"))
    assert back.project.funding.total == "一百万元"  # rule F01 names it and asks for a number


def test_a_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "带BOM.json"
    path.write_bytes(b"\xef\xbb\xbf" + _good_text().encode("utf-8"))
    assert [p.name for p in read_package_file(path).projects] == ["测试项目"]


def test_unknown_fields_the_store_cannot_hold_are_left_out_naming_them(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before, a lone surrogate kept in an unknown field crashed the store on saving."""
    raw = _doc(
        '{"name":"保留的项目","year":2021,"ok":{"a":[1,2]},"surrogate":"\\ud800",'
        '"huge":' + "9" * 5000 + ',"indicators":[{"name":"指标","target":"=1个","bad\\udc00":1}]}'
    )
    path = tmp_path / "怪字段.json"
    path.write_bytes(raw)
    (p,) = read_package_file(path).projects
    assert p.extra == {"ok": {"a": [1, 2]}} and p.indicators[0].extra == {}
    code = main(["import", str(path), "--db", str(db_path)])
    _, err = capsys.readouterr()
    assert code == 0  # the store takes the project: what it could not hold was left out
    assert "字段 surrogate 本程序不认识且含有无法保存的控制字符或残缺字符，已忽略" in err
    assert "字段 huge 本程序不认识且含有非标准或超出范围的数字" in err
    assert "indicators[0] 中本程序不认识的字段含有无法保存的控制字符或残缺字符，已忽略" in err
    assert not re.search("[\ud800-\udfff]", err)


def test_unknown_fields_with_nan_or_deep_nesting_are_left_out(tmp_path: Path) -> None:
    deep: list[object] = []
    for _ in range(40):
        deep = [deep]
    path = write_package(
        tmp_path / "p.json",
        [{"name": "x", "nan": [float("nan")], "deep": deep, "fine": [[[1]]]}],
    )
    package_ = read_package_file(path)
    assert package_.projects[0].extra == {"fine": [[[1]]]}
    assert any("字段 nan 本程序不认识且含有非标准或超出范围的数字" in w for w in package_.warnings)
    assert any("字段 deep 本程序不认识且嵌套超过 32 层" in w for w in package_.warnings)


def test_messages_quoting_the_file_are_printable() -> None:
    with pytest.raises(PackageError) as caught:
        package.read_package_bytes(_doc('{"name":"\\ud800\\u0001"}'), "a\udcff.json")
    text = str(caught.value)
    assert "a\ufffd.json" in text and "“\ufffd\ufffd”" in text
    assert not re.search("[\ud800-\udfff\x00-\x08]", text)


def test_shared_limits_have_one_home() -> None:
    assert package.MAX_FIELD_CHARS is reading.MAX_FIELD_CHARS
    assert package.MAX_ROWS is reading.MAX_ROWS
    assert xlsx_values.MAX_FIELD_CHARS is reading.MAX_FIELD_CHARS
    assert xlsx_values.MAX_AMOUNT_CHARS is reading.MAX_AMOUNT_CHARS


def test_openpyxl_parses_with_defusedxml() -> None:
    """The second line behind the zip guard: openpyxl refuses DTDs itself."""
    import defusedxml.ElementTree
    import openpyxl
    import openpyxl.xml.functions as xml_functions

    assert openpyxl.DEFUSEDXML is True
    assert xml_functions.iterparse is defusedxml.ElementTree.iterparse
    if not openpyxl.LXML:  # with lxml, fromstring is lxml's with entities left unresolved
        assert xml_functions.fromstring is defusedxml.ElementTree.fromstring
    with pytest.raises(ValueError) as caught:  # the guard bypassed: openpyxl alone
        openpyxl.load_workbook(io.BytesIO(_laughs_in_sheet()))
    chain = [caught.value.__cause__, caught.value.__context__]
    assert any(type(e).__module__.startswith("defusedxml") for e in chain if e is not None)


# ------------------------------------------------------------------ mutated workbooks


_TEXTS = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(max_codepoint=0x1F), max_size=5),  # control characters
    st.sampled_from(
        ["", "1e999", "-0", "NaN", "=SUM(A1:A3)", "☑☑", "2021-13-45", "９９", "　", "%", "_x0000_"]
    ),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_workbook_with_any_cell_rewritten_reads_or_is_refused(data: st.DataObject) -> None:
    members = dict(_members(_base()))
    part = data.draw(st.sampled_from(sorted(n for n in members if "worksheets/" in n)))
    xml = members[part]
    values = list(re.finditer(rb"<(t|v)>([^<]*)</\1>", xml))
    hit = values[data.draw(st.integers(0, len(values) - 1))]
    text = data.draw(_TEXTS)
    escaped = _escape(text) if data.draw(st.booleans()) else text.encode("utf-8")
    new = xml[: hit.start(2)] + escaped + xml[hit.end(2) :]
    mutated = _rezip({part: lambda _: new})
    _reads_or_refuses(mutated)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_workbook_with_bytes_flipped_cut_or_dropped_reads_or_is_refused(
    data: st.DataObject,
) -> None:
    members = _members(_base())
    names = [n for n, _ in members]
    how = data.draw(st.sampled_from(["flip", "cut", "drop", "zip"]))
    if how == "zip":  # the zip file itself
        raw = bytearray(_base())
        for _ in range(data.draw(st.integers(1, 4))):
            raw[data.draw(st.integers(0, len(raw) - 1))] ^= data.draw(st.integers(1, 255))
        _reads_or_refuses(bytes(raw))
        return
    name = data.draw(st.sampled_from(names))
    body = dict(members)[name]
    if how == "drop":
        _reads_or_refuses(_rezip(drop=(name,)))
        return
    if how == "cut":
        new = body[: data.draw(st.integers(0, max(len(body) - 1, 0)))]
    else:
        flipped = bytearray(body)
        for _ in range(data.draw(st.integers(1, 4))):
            flipped[data.draw(st.integers(0, len(flipped) - 1))] ^= data.draw(st.integers(1, 255))
        new = bytes(flipped)
    _reads_or_refuses(_rezip({name: lambda _: new}))


def _reads_or_refuses(data: bytes) -> None:
    """Only the documented outcomes: a project, or WorkbookError with problems in words."""
    try:
        result = read_workbook_bytes(data, "变异.xlsx")
    except WorkbookError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        return
    assert isinstance(result, WorkbookImport) and isinstance(result.project, Project)

"""The printed tables (forms.md, Printing conventions): A4, fonts embedded, every value on paper.

Pages are read back with PDFium (pypdfium2), so no poppler is needed; where
``pdffonts``/``pdftotext`` are on PATH they check the same files again.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import REPO, case_projects
from rule_helpers import baseline, minhang_baseline

from desktop.export import fonts
from desktop.export.fonts import FontError, load_fonts
from desktop.export.grid import place_project
from desktop.export.layout import TITLE
from desktop.export.pdf_writer import pdf_bytes, write_pdf
from desktop.models.project import BreakdownRow, Guarantee, Indicator, Project, Signoff

A4 = (595.28, 841.89)
STANDARD_14 = {
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
}


def _font_problem() -> str | None:
    try:
        load_fonts()
    except FontError as exc:
        return exc.message
    return None


NO_FONT = _font_problem()
ON_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
# A developer without any CJK TrueType font is told why; CI installs fonts-arphic-uming
# and must never pass by skipping.
needs_font = pytest.mark.skipif(
    NO_FONT is not None and not ON_CI,
    reason="no embeddable CJK TrueType font on this machine "
    "(install fonts-arphic-uming or set JIXIAO_FONT); CI must have one",
)

PROJECTS = case_projects()
IDS = [f"{i}-{p.name}" for i, p in enumerate(PROJECTS)]


def squeeze(text: str) -> str:
    """Text without whitespace: CJK extraction breaks lines and spaces words at will."""
    return re.sub(r"\s+", "", text)


@cache
def built(index: int, draft: bool = False) -> bytes:
    return pdf_bytes(PROJECTS[index], draft=draft)


def page_texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [tuple(doc[i].get_size()) for i in range(len(doc))]  # type: ignore[misc]
    finally:
        doc.close()


def font_problems(pdf: bytes) -> list[str]:
    """Every /Font object must be a TrueType font with its file embedded (/FontFile2)."""
    objects = {
        m.group(1): m.group(2)
        for m in re.finditer(rb"(\d+) 0 obj\s*(<<.*?>>)\s*(?:stream|endobj)", pdf, re.S)
    }
    problems: list[str] = []
    font_objects = [body for body in objects.values() if re.search(rb"/Type\s*/Font\b", body)]
    if not font_objects:
        problems.append("no font objects at all")
    for body in font_objects:
        base = re.search(rb"/BaseFont\s*/([^\s/<>\[\]]+)", body)
        name = base.group(1).decode() if base else "?"
        if name.split("+")[-1] in STANDARD_14:
            problems.append(f"standard font {name}")
        descriptor = re.search(rb"/FontDescriptor\s+(\d+)\s+0\s+R", body)
        if descriptor is None:
            problems.append(f"{name}: no FontDescriptor")
        elif b"/FontFile2" not in objects.get(descriptor.group(1), b""):
            problems.append(f"{name}: no embedded TrueType file")
    return problems


def sheet_titles(project: Project) -> list[tuple[str, bool]]:
    """(title, landscape) of each sheet of the project's form."""
    out = []
    for sheet in place_project(project).sheets:
        title = next(c.text for c in sheet.cells if c.role == TITLE)
        out.append((squeeze(title), sheet.sheet.landscape))
    return out


# ------------------------------------------------------------------ every reference case


@needs_font
@pytest.mark.parametrize("index", range(len(PROJECTS)), ids=IDS)
def test_every_page_is_a4_in_its_sheets_orientation(index: int) -> None:
    pdf = built(index)
    titles = sorted(sheet_titles(PROJECTS[index]), key=lambda t: -len(t[0]))
    landscape = False
    for n, (size, text) in enumerate(zip(page_sizes(pdf), page_texts(pdf), strict=True), 1):
        # a page that shows a sheet's title starts that sheet; later pages continue it
        found = [wide for title, wide in titles if title in squeeze(text)]
        if found:
            landscape = found[0]
        expected = (A4[1], A4[0]) if landscape else A4
        assert size == pytest.approx(expected, abs=0.5), f"page {n}"


@needs_font
def test_the_minhang_targets_sheet_is_landscape() -> None:
    index = next(i for i, p in enumerate(PROJECTS) if p.family == "minhang-2020")
    pdf = built(index)
    pages = [
        size
        for size, text in zip(page_sizes(pdf), page_texts(pdf), strict=True)
        if "财政项目支出绩效目标申报表（绩效目标）" in squeeze(text)
    ]
    assert pages and all(w > h for w, h in pages)


@needs_font
@pytest.mark.parametrize("index", range(len(PROJECTS)), ids=IDS)
def test_every_font_is_embedded(index: int, tmp_path: Path) -> None:
    pdf = built(index)
    assert font_problems(pdf) == []
    if shutil.which("pdffonts"):
        path = tmp_path / "form.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            ["pdffonts", str(path)], capture_output=True, text=True, check=True
        ).stdout
        rows = out.splitlines()[2:]
        assert rows
        for row in rows:
            emb = re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row)
            assert emb and emb.group(1) == "yes", row


@needs_font
@pytest.mark.parametrize("index", range(len(PROJECTS)), ids=IDS)
def test_every_indicator_and_target_is_printed(index: int) -> None:
    project = PROJECTS[index]
    text = squeeze("".join(page_texts(built(index))))
    for ind in project.indicators:
        assert squeeze(ind.name) in text
        if ind.target and ind.target.strip():
            assert squeeze(ind.target) in text
    assert squeeze(project.name) in text
    assert squeeze(place_project(project).layout.title) in text
    assert "第1页共" in text


@needs_font
def test_pdftotext_reads_the_same_words(tmp_path: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed; PDFium checked the text already")
    path = tmp_path / "form.pdf"
    path.write_bytes(built(0))
    text = squeeze(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    )
    project = PROJECTS[0]
    assert squeeze(project.name) in text
    assert all(squeeze(i.name) in text for i in project.indicators)


@needs_font
def test_page_numbers_count_this_document() -> None:
    texts = [squeeze(t) for t in page_texts(built(0))]
    for n, text in enumerate(texts, 1):
        assert f"第{n}页共{len(texts)}页" in text


@needs_font
def test_document_metadata_names_project_and_unit() -> None:
    project = baseline()
    doc = pdfium.PdfDocument(pdf_bytes(project))
    meta = doc.get_metadata_dict()
    doc.close()
    assert meta["Title"] == f"{project.name} 财政项目支出绩效目标申报表"
    assert meta["Author"] == project.unit
    assert meta["Creator"] == "绩效目标申报助手"


# ------------------------------------------------------------------ long content flows


@needs_font
def test_a_20000_character_overview_flows_over_pages_and_nothing_is_cut() -> None:
    project = minhang_baseline()
    sentence = "区级机关单位工勤雇员额度经费由区机管局统一操作，人员也由区机管局统一管理。"
    parts = []
    i = 0
    while sum(map(len, parts)) < 20000:
        i += 1
        parts.append(f"第{i}句：{sentence}" + ("\n" if i % 7 == 0 else ""))
    project.overview = "".join(parts) + "这是最后一句话。"
    assert len(project.overview) >= 20000

    texts = page_texts(pdf_bytes(project))
    assert len(texts) >= 8
    # the overview pages, without what repeats on every page, read as the text typed
    furniture = re.compile(r"第\d+页共\d+页|项目概况|项目立项情况|项目资金|政府雇员项目（续）")
    body = "".join(furniture.sub("", squeeze(t)) for t in texts)
    assert squeeze(project.overview) in body
    assert "这是最后一句话。" in body


@needs_font
def test_150_indicators_repeat_the_header_on_every_page() -> None:
    project = baseline()
    levels = [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("效益指标", "社会效益指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
    project.indicators = [
        Indicator(*levels[i * len(levels) // 150], f"测试指标{i:03d}号", f"≥{i}%")
        for i in range(150)
    ]
    texts = [squeeze(t) for t in page_texts(pdf_bytes(project))]
    with_rows = [t for t in texts if "测试指标" in t]
    assert len(with_rows) >= 3
    assert texts[1].startswith("一级指标二级指标三级指标指标目标值")
    assert all("一级指标" in t for t in with_rows)
    joined = "".join(texts)
    assert all(f"测试指标{i:03d}号" in joined for i in range(150))
    assert all(f"≥{i}%" in joined for i in range(150))


@needs_font
def test_side_by_side_long_goals_both_flow() -> None:
    project = baseline()
    project.overall_goal = "总目标" + "保障机关公务出行，" * 800 + "总目标结束。"
    project.annual_goal = "年度目标" + "完成车辆采购，" * 600 + "年度目标结束。"
    text = squeeze("".join(page_texts(pdf_bytes(project))))
    assert "总目标结束。" in text and "年度目标结束。" in text


# ------------------------------------------------------------------ marks on the page


@needs_font
@pytest.mark.parametrize("index", [0, 2], ids=["minhang-2020", "shanghai-2021"])
def test_draft_is_marked_on_every_page_and_only_when_asked(index: int) -> None:
    assert all("草稿" in t for t in page_texts(built(index, draft=True)))
    assert not any("草稿" in t for t in page_texts(built(index)))


@needs_font
def test_minhang_stamp_caption_and_signature_line_with_the_last_rows() -> None:
    texts = [squeeze(t) for t in page_texts(pdf_bytes(minhang_baseline()))]
    # the paper prints no ： after （盖章） (issue 17); either way the unit follows it
    assert re.search("填报单位（盖章）：?上海市闵行区机关事务管理局", texts[0])
    signed = [t for t in texts if "填报单位负责人：" in t]
    assert len(signed) == 1
    assert "填表人：" in signed[0] and "填报日期：" in signed[0]
    # the signature line stays on the page of the table's last row
    assert "需要说明的其他问题" in signed[0]


@needs_font
def test_category_boxes_and_stage_ticks_are_drawn() -> None:
    text = "".join(page_texts(pdf_bytes(minhang_baseline())))
    assert "☑经常性项目" in squeeze(text) or "■经常性项目" in squeeze(text)
    assert "✓" in text or "√" in text


@needs_font
def test_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    project = minhang_baseline()
    saved = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)  # the project's last-saved time
    first = pdf_bytes(project, draft=True, created=saved)
    assert pdf_bytes(project, draft=True, created=saved) == first
    written = write_pdf(project, tmp_path / "申报表.pdf", draft=True, created=saved)
    assert written.read_bytes() == first


@needs_font
def test_other_family_prints_its_own_form() -> None:
    text = squeeze("".join(page_texts(pdf_bytes(baseline(), family="shanghai-2020"))))
    assert "上海市财政支出项目绩效目标" in text and "分解目标" in text


# ------------------------------------------------------------------ fonts


@pytest.fixture
def fresh_fonts() -> Iterator[None]:
    """Fonts searched again, and again after the test, so no other test sees its fakes."""
    fonts.clear_cache()
    yield
    fonts.clear_cache()


def test_no_font_anywhere_is_a_chinese_error(
    monkeypatch: pytest.MonkeyPatch, fresh_fonts: None
) -> None:
    monkeypatch.setattr(fonts, "candidates", lambda: [])
    monkeypatch.setattr(fonts, "symbol_candidates", lambda: [])
    with pytest.raises(FontError) as caught:
        pdf_bytes(baseline())
    assert caught.value.message == (
        "找不到可嵌入 PDF 的中文 TrueType 字体：Windows 自带宋体；"
        "其他系统请安装 fonts-arphic-uming，或把 .ttf/.ttc 字体放到 resources/fonts 文件夹。"
    )


@needs_font
def test_an_unusable_font_file_is_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_fonts: None
) -> None:
    fake = tmp_path / "notafont.ttf"
    fake.write_bytes(b"not a font at all")
    monkeypatch.setenv(fonts.ENV_VAR, str(fake))
    found = load_fonts()
    assert found.has(found.body, "财")


@needs_font
def test_fonts_are_found_once() -> None:
    assert load_fonts() is load_fonts()


def test_importing_the_writer_loads_no_reportlab() -> None:
    code = (
        "import sys, desktop.export.pdf_writer, desktop.export.fonts; "
        "print(any(m.split('.')[0] == 'reportlab' for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.strip() == "False", out.stderr


@needs_font
@pytest.mark.parametrize(
    "junk",
    ["\x00\x0b控制字符\x1f<b>&amp;", "\u200b\ufeff", "长" * 1200, "x" + "\n" * 120 + "y"],
    ids=["control-chars-and-markup", "zero-width", "1200-chars", "120-blank-lines"],
)
@pytest.mark.parametrize("family", ["minhang-2020", "shanghai-2021"])
def test_any_text_in_any_field_prints(junk: str, family: str) -> None:
    """Whatever an import brought in prints, in every cell, merged or not; nothing raises."""
    project = minhang_baseline() if family == "minhang-2020" else baseline()
    for name in ("name", "unit", "overview", "overall_goal", "annual_goal", "main_activity"):
        setattr(project, name, junk)
    project.signoff = Signoff(junk, junk, None)
    # two rows with the same long labels: a merged 一级/二级 cell as long as the text
    project.indicators[1:1] = [Indicator(junk, junk, junk, junk, junk) for _ in range(2)]
    project.breakdown.append(BreakdownRow(junk, junk, junk, junk, junk, junk, junk, junk))
    project.guarantees.append(Guarantee(junk, junk, junk, ["实施阶段"]))
    pdf = pdf_bytes(project, draft=True)
    assert font_problems(pdf) == []
    if junk.startswith("长"):
        text = squeeze("".join(page_texts(pdf)))
        assert text.count("长" * 40) >= 2

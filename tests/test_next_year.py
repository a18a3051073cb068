"""复制到下一年度: the copy for year + 1, conversion between form families, and the review marks."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import case_projects
from rule_helpers import baseline

from desktop.models import taxonomy as tx
from desktop.models.labels import FORM_FUNDING_KEYS
from desktop.models.next_year import next_year, shift_year
from desktop.models.project import (
    FAMILIES,
    STANDARD_GUARANTEE_KINDS,
    STATUS_DRAFT,
    STATUS_FINAL,
    Guarantee,
    Indicator,
    Project,
    Signoff,
)
from desktop.models.rules import validate

IT_CASE = "区机关单位办公用房与公务用车信息管理系统(2021运维)"


def case(name: str, year: int) -> Project:
    return next(p for p in case_projects() if p.name == name and p.year == year)


@pytest.mark.parametrize("family", [None, *FAMILIES])
def test_every_case_copies_to_next_year_leaving_the_source_alone(family: str | None) -> None:
    for source in case_projects():
        source.id = f"id-{source.name}"
        source.status = STATUS_FINAL
        before = copy.deepcopy(source)
        result = next_year(source, family)
        new = result.project
        assert source == before
        target = family or source.family
        assert (new.id, new.status, new.year, new.family) == (
            None,
            STATUS_DRAFT,
            (source.year or 0) + 1,
            target,
        )
        assert new.copied_from == source.id
        assert new.start_date == shift_year(source.start_date)
        assert new.end_date == shift_year(source.end_date)
        # the name's own year moves on ("(2021运维)" → "(2022运维)"); other text is kept
        assert new.name == re.sub(rf"(?<!\d){source.year}(?!\d)", str(new.year), source.name)
        for key in ("unit", "overall_goal", "annual_goal", "overview"):
            assert getattr(new, key) == getattr(source, key)
        assert [i.target for i in new.indicators] == [i.target for i in source.indicators]
        assert [i.name for i in new.indicators] == [i.name for i in source.indicators]
        assert new.funding == source.funding  # amounts kept …
        assert new.review == [  # … and marked where the new form shows them
            f"funding.{k}"
            for k in FORM_FUNDING_KEYS[target]
            if getattr(source.funding, k) is not None
        ]
        assert all(isinstance(note, str) and note for note in result.notes)


def test_dates_move_one_year_and_29_february_is_safe() -> None:
    assert shift_year(dt.date(2020, 2, 29)) == dt.date(2021, 2, 28)
    assert shift_year(dt.date(2023, 2, 28)) == dt.date(2024, 2, 28)
    assert shift_year(dt.date(2021, 12, 31)) == dt.date(2022, 12, 31)
    p = baseline()
    p.year, p.start_date, p.end_date = 2020, dt.date(2020, 2, 29), dt.date(2020, 12, 31)
    new = next_year(p).project
    assert (new.year, new.start_date, new.end_date) == (
        2021,
        dt.date(2021, 2, 28),
        dt.date(2021, 12, 31),
    )


def test_the_it_project_same_family() -> None:
    result = next_year(case(IT_CASE, 2021))
    new = result.project
    assert new.year == 2022 and new.family == "shanghai-2021"
    assert new.review == ["funding.total", "funding.total_fiscal", "funding.annual"]
    assert [g.kind for g in new.guarantees] == list(STANDARD_GUARANTEE_KINDS)  # ensured
    notes = "\n".join(result.notes)
    assert "3 项金额沿用上年数据" in notes
    assert new.name == "区机关单位办公用房与公务用车信息管理系统(2022运维)"
    assert "项目名称中的 2021 已改为 2022。" in notes
    assert "项目名称中仍写有" not in notes
    assert "已补上制度保障的标准行" in notes


def test_minhang_to_shanghai_2021_rewrites_the_level_words() -> None:
    source = case("政府雇员项目", 2020)
    result = next_year(source, "shanghai-2021")
    new = result.project
    words = [(i.level1, i.level2) for i in new.indicators]
    assert words[0] == ("产出指标", "数量指标")
    assert words[4] == ("效益指标", "社会效益指标")
    assert words[6] == ("满意度指标", "服务对象满意度指标")  # 影响力目标 / 满意度
    for old, row in zip(source.indicators, new.indicators, strict=True):
        assert tx.place(row.level1, row.level2) == tx.place(old.level1, old.level2)
    assert not [f for f in validate(new) if f.code == "I13"]
    notes = "\n".join(result.notes)
    assert "8 行指标的一级、二级指标已改为新表式的写法" in notes
    assert "备注保留在项目中" in notes  # the 2021 form has no 备注 column
    assert "新表式没有上级财政拨款、本级财政安排、下级财政配套栏" in notes


def test_the_breakdown_stays_behind_when_leaving_minhang_2020() -> None:
    """项目构成分解 is a 闵行 2020 table: elsewhere it is neither shown nor printed, yet the
    rules still check it (F07 against 当年预算), so it would raise errors nobody can see."""
    source = case("政府雇员项目", 2020)
    assert len(source.breakdown) == 4
    away = next_year(source, "shanghai-2021")
    assert away.project.breakdown == [] and len(source.breakdown) == 4
    assert any("项目构成分解只在" in n and "4 行明细没有复制" in n for n in away.notes)
    kept = next_year(source)
    assert kept.project.breakdown == source.breakdown
    assert any("项目构成分解 4 行沿用上年" in n for n in kept.notes)


def test_shanghai_2021_to_minhang_2020() -> None:
    result = next_year(case(IT_CASE, 2021), "minhang-2020")
    new = result.project
    assert {(i.level1, i.level2) for i in new.indicators} >= {
        ("产出目标", "数量"),
        ("效果目标", "社会效益"),
        ("影响力目标", "可持续影响"),
        ("影响力目标", "满意度"),
    }
    assert new.review == ["funding.total", "funding.annual"]  # 财政资金 is not on the 闵行 form
    assert any("新表式没有财政资金栏" in n for n in result.notes)
    assert [g.kind for g in new.guarantees] == list(STANDARD_GUARANTEE_KINDS)


def test_rows_the_taxonomy_cannot_place_are_kept_as_written_and_reported() -> None:
    p = baseline()
    p.indicators.append(Indicator("其他类", "其他", "自定义指标", "=1项"))
    result = next_year(p, "minhang-2020")
    row = result.project.indicators[-1]
    assert (row.level1, row.level2) == ("其他类", "其他")
    assert any(
        f"第 {len(p.indicators)} 行“自定义指标”" in n and "按原文保留" in n for n in result.notes
    )


def test_the_same_family_keeps_the_labels_as_written() -> None:
    source = case("区级机关工勤类雇员后勤服务保障经费", 2020)  # 数量目标 … as the clerk wrote them
    new = next_year(source).project
    assert [(i.level1, i.level2) for i in new.indicators] == [
        (i.level1, i.level2) for i in source.indicators
    ]


def test_the_unit_s_own_guarantee_rows_stay_after_the_standard_ones() -> None:
    p = baseline()
    p.guarantees = [Guarantee("安全管理制度", "安全手册", "定期检查", ["实施阶段"])]
    new = next_year(p).project
    assert [g.kind for g in new.guarantees] == [*STANDARD_GUARANTEE_KINDS, "安全管理制度"]


def test_old_dates_in_targets_and_the_signing_date_are_reported() -> None:
    p = baseline()
    p.indicators[0].target = "=100% (2021年6月底前)"  # row 3 has one too
    p.signoff = Signoff("张三", "李四", dt.date(2021, 3, 1))
    result = next_year(p)
    assert result.project.signoff is not None and result.project.signoff.date is None
    assert result.project.signoff.preparer == "李四"
    assert any("第 1 行、第 3 行指标的目标值写有 2021 年的日期" in n for n in result.notes)
    assert any("填报日期已清空" in n for n in result.notes)


def test_refused_without_a_year_or_with_an_unknown_family() -> None:
    with pytest.raises(ValueError, match="年度"):
        next_year(Project(name="x"))
    with pytest.raises(ValueError, match="表式"):
        next_year(baseline(), "beijing-2030")


# ---------------------------------------------------------------- local state


def test_review_marks_and_the_source_are_not_written_to_the_data_package(tmp_path: Path) -> None:
    from desktop.export.package import read_package_file, write_package_file

    source = case(IT_CASE, 2021)
    source.id = "abc"
    new = next_year(source).project
    assert new.review and new.copied_from == "abc"
    path = write_package_file([new], tmp_path / "p.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "review" not in doc["projects"][0] and "copied_from" not in doc["projects"][0]
    assert "funding.total" not in path.read_text(encoding="utf-8")
    back = read_package_file(path).projects[0]
    assert back.review == [] and back.copied_from is None


def test_the_store_keeps_the_marks(tmp_path: Path) -> None:
    from desktop.store import open_repository

    repo = open_repository(tmp_path / "t.db")
    source = case(IT_CASE, 2021)
    repo.save(source)
    new = next_year(source).project
    repo.save(new)
    back = repo.load(new.id or "")
    assert back.review == ["funding.total", "funding.total_fiscal", "funding.annual"]
    assert back.copied_from == source.id

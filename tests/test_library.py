"""The 指标库: the built-in library, the unit's history, search, and rows for each form family."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import case_projects

from desktop.models import taxonomy as tx
from desktop.models.library import (
    SOURCE_LIBRARY,
    Library,
    LibraryEntry,
    Usage,
    builtin_entries,
    fill_cells,
    fold,
    grouped,
    insertion_plan,
    name_key,
    to_indicator,
)
from desktop.models.library_data import BUILTIN
from desktop.models.project import Indicator
from desktop.models.rules import validate
from desktop.models.targets import read_target

# ---------------------------------------------------------------- the built-in library


def test_every_builtin_row_and_entry_places_in_the_taxonomy() -> None:
    for level1, level2, name, _target in BUILTIN:
        assert tx.place(level1, level2) == tx.Placement(level1, level2), name
    for entry in builtin_entries():
        assert entry.level1 in tx.LEVEL1
        assert entry.level2 in tx.LEVEL2[entry.level1], entry.name


def test_builtin_library_covers_every_level2_the_sources_use() -> None:
    """Each canonical 二级 of the reference cases, and those of the 2018 report's
    投入/过程 framework (决策、投入、财务、项目管理), has entries to pick."""
    placed = (tx.place(i.level1, i.level2) for p in case_projects() for i in p.indicators)
    used = {p.level2 for p in placed if p.level2}
    used |= {tx.COST, tx.DECISION, tx.INPUT, tx.FINANCE, tx.PROJECT_MGMT}
    have = {e.level2 for e in builtin_entries()}
    assert used <= have
    assert len(builtin_entries()) >= 100


def test_builtin_library_is_deduplicated_with_the_usual_target_first() -> None:
    entries = builtin_entries()
    keys = [e.key for e in entries]
    assert len(keys) == len(set(keys))
    by_name = {e.name: e for e in entries}
    # three declarations wrote 工作人员满意度 with a target (and one without)
    staff = by_name["工作人员满意度"]
    assert staff.uses == 4
    assert set(staff.targets) == {"≥95%", "≥90%", "＞90%"}
    assert (staff.level1, staff.level2, staff.unit) == (tx.SATISFACTION, tx.SERVED, "%")
    assert by_name["有效投诉处置率"].targets == ("=100%",)
    # 设施设备完好率: 质量指标 ≥95% in 后勤保障经费, 社会效益 =100% elsewhere; the first wins the tie
    assert by_name["设施设备完好率"].level2 == tx.QUALITY
    assert by_name["设施设备完好率"].targets == ("≥95%", "=100%")
    assert by_name["评审会专家参与数"].unit == "人次"
    assert by_name["项目立项规范性"].level1 == tx.MANAGEMENT
    assert all(e.source == SOURCE_LIBRARY for e in entries)


def test_builtin_targets_are_written_as_the_rules_want() -> None:
    """What the library offers raises no target finding of its own (I03–I09, I15)."""
    for entry in builtin_entries():
        for target in entry.targets:
            reading = read_target(target)
            assert reading.standard == target, target
            if reading.is_quantity:
                assert reading.comparator and reading.unit, (entry.name, target)
    from desktop.models.project import Project

    rows = [to_indicator(e, "shanghai-2021") for e in builtin_entries() if e.target]
    project = Project(year=2022, name="指标库", template="shanghai-2021", indicators=rows)
    codes = {f.code for f in validate(project) if f.field.startswith("indicators[")}
    assert not codes & {"I03", "I04", "I05", "I06", "I07", "I08", "I09", "I13", "I14", "I15"}


def test_library_data_is_python_not_a_data_file() -> None:
    """Packaging needs no data files: the library is a module of the package."""
    import desktop.models.library_data as data

    assert Path(data.__file__).suffix == ".py"
    assert isinstance(BUILTIN, tuple) and all(len(row) == 4 for row in BUILTIN)


# ---------------------------------------------------------------- search


def entry(name: str, level2: str = tx.QUANTITY, **kw: object) -> LibraryEntry:
    return LibraryEntry(tx.PARENT[level2], level2, name, **kw)  # type: ignore[arg-type]


def test_search_ranks_prefix_then_history_then_use() -> None:
    library = Library(
        history=[entry("车辆调度及时率", tx.TIMELINESS, source="本单位 2021 年 1 个项目")],
        builtin=[
            entry("新购车辆纳管率", uses=5),
            entry("车辆购置完成数", uses=1),
            entry("车辆购置数", uses=2),
        ],
    )
    names = [e.name for e in library.search("车辆")]
    # prefix: the history entry first, then by use; then names holding 车辆 later on
    assert names == ["车辆调度及时率", "车辆购置数", "车辆购置完成数", "新购车辆纳管率"]
    assert [e.name for e in library.search("车辆 完成")] == ["车辆购置完成数"]
    assert library.search("不存在的指标") == []
    assert library.search("车辆", limit=2) == library.search("车辆")[:2]


def test_search_finds_by_level_words_in_any_family_wording() -> None:
    library = Library()
    timely = library.search("时效")
    assert timely and all(e.level2 == tx.TIMELINESS for e in timely)
    # 长效管理 is how shanghai-2020 prints 可持续影响: such rows are found too
    assert {e.level2 for e in library.search("长效管理")} >= {tx.SUSTAINABLE}
    # a name match ranks before a level-word match
    satisfied = library.search("满意度")
    names = [e.name for e in satisfied]
    assert names and all("满意" in n for n in names)
    # 知晓率 is a 社会效益 indicator (the source filed it under 满意度, rule I19)
    social = library.search("社会效益")
    assert "政策知晓率" in [e.name for e in social]
    assert social[-1].level2 == tx.SOCIAL


def test_search_spaces_and_widths_do_not_matter() -> None:
    library = Library()
    assert library.find("工作人员 满意度") == library.find("工作人员满意度") is not None
    assert library.search("　工作人员　")[0].name.startswith("工作人员")


def test_minhang_2020_is_not_offered_management_rows() -> None:
    library = Library()
    assert any(e.level1 == tx.MANAGEMENT for e in library.offered("shanghai-2021"))
    assert not any(e.level1 == tx.MANAGEMENT for e in library.offered("minhang-2020"))
    assert library.search("财务管理", "minhang-2020") == []


def test_grouped_follows_the_taxonomy() -> None:
    groups = grouped(Library().offered())
    ranks = [(tx.LEVEL1.index(l1), tx.LEVEL2[l1].index(l2)) for l1, l2, _ in groups]
    assert ranks == sorted(ranks)
    assert groups[0][:2] == (tx.OUTPUT, tx.QUANTITY)


# ---------------------------------------------------------------- history


@pytest.fixture
def repo(db_path: Path):  # type: ignore[no-untyped-def]
    from desktop.store import open_repository

    repository = open_repository(db_path)
    repository.save_many(case_projects())
    return repository


def test_history_aggregates_the_units_projects(repo) -> None:  # type: ignore[no-untyped-def]
    from desktop.store.history import read_history

    history = {e.name: e for e in read_history(repo.engine)}
    staff = history["工作人员满意度"]
    # 车辆购置费, 法律顾问费, 后勤保障经费 (2021) and 政府雇员项目 (2020, blank target)
    assert (staff.uses, staff.last_year) == (4, 2021)
    assert staff.source == "本单位 2021 年等 4 个项目"
    assert set(staff.targets) == {"≥95%", "≥90%", "＞90%"}  # "> 90%" and ">=95%" read
    assert (staff.level1, staff.level2) == (tx.SATISFACTION, tx.SERVED)
    # written "产出目标 / 数量目标" in 2020: placed canonically
    arrived = history["工勤雇员到岗数"]
    assert (arrived.level1, arrived.level2, arrived.uses) == (tx.OUTPUT, tx.QUANTITY, 2)
    assert arrived.source == "本单位 2020 年等 2 个项目"
    assert history["评审会召开数"].targets == ("≥400场",)
    # the name repeated as its target (I03) is no target
    assert history["党建培训工作完成及时率"].targets == ()
    assert history["车辆购置完成数"].source == "本单位 2021 年 1 个项目"


def test_history_leaves_out_trashed_projects_and_the_open_one(repo) -> None:  # type: ignore[no-untyped-def]
    from desktop.store.history import read_history

    ids = {s.name: s.id for s in repo.summaries()}
    repo.delete(ids["车辆购置费"])
    history = {e.name: e for e in read_history(repo.engine)}
    assert "车辆购置完成数" not in history
    assert history["工作人员满意度"].uses == 3
    without_law = {e.name: e for e in read_history(repo.engine, exclude=ids["法律顾问费"])}
    assert "涉案结案率" not in without_law
    assert without_law["工作人员满意度"].uses == 2


def test_history_ranks_above_the_builtin_library(repo) -> None:  # type: ignore[no-untyped-def]
    from desktop.store.history import read_history

    library = Library(read_history(repo.engine))
    staff = library.find("工作人员满意度")
    assert staff is not None and staff.from_history
    first = library.search("工作")
    assert first[0].from_history
    # a library-only name is still there, after the unit's own
    offered = library.offered()
    assert offered[0].from_history and not offered[-1].from_history
    assert library.find("项目立项规范性") is not None


def test_fold_counts_projects_once_per_name() -> None:
    usages = [
        Usage("工作人员满意度", "满意度指标", "服务对象满意度指标", ">=90%", 2, 2021),
        Usage("工作人员满意度", "影响力目标", "满意度", "≥90%", 1, 2020),
        Usage("工作人员满意度", "满意度指标", "服务对象满意度指标", "≥95%", 1, 2019),
        Usage("其他类指标", "其他", "其他", "=1项", 1, 2021),  # placed nowhere: left out
    ]
    (folded,) = fold(usages, totals={name_key("工作人员满意度"): (3, 2021)})
    assert folded.targets == ("≥90%", "≥95%")
    assert (folded.uses, folded.last_year) == (3, 2021)


# ---------------------------------------------------------------- into a project


@pytest.mark.parametrize(
    ("family", "l1", "l2"),
    [
        ("minhang-2020", "产出目标", "数量"),
        ("shanghai-2020", "产出目标", "数量目标"),
        ("shanghai-2021", "产出指标", "数量指标"),
    ],
)
def test_to_indicator_prints_the_family_words(family: str, l1: str, l2: str) -> None:
    library = Library()
    row = to_indicator(library.find("车辆购置完成数"), family)  # type: ignore[arg-type]
    assert (row.level1, row.level2, row.name, row.target) == (l1, l2, "车辆购置完成数", "=2部")


def test_to_indicator_satisfaction_and_sustainability_in_2020_forms() -> None:
    library = Library()
    staff = library.find("工作人员满意度")
    lasting = library.find("车辆管理长效机制健全性")
    assert staff is not None and lasting is not None
    minhang = to_indicator(staff, "minhang-2020")
    assert (minhang.level1, minhang.level2) == ("影响力目标", "满意度")
    row = to_indicator(lasting, "minhang-2020")
    assert (row.level1, row.level2) == ("影响力目标", "可持续影响")
    assert to_indicator(lasting, "shanghai-2020").level2 == "长效管理"
    assert to_indicator(staff, "shanghai-2021").level2 == "服务对象满意度指标"


def test_fill_cells_fills_only_what_is_blank_and_agrees() -> None:
    done = Library().find("采购完成及时率")
    assert done is not None
    blank = fill_cells(Indicator(), done, "shanghai-2021")
    assert blank == [
        ("name", "采购完成及时率"),
        ("level1", "产出指标"),
        ("level2", "时效指标"),
        ("target", "=100%"),
    ]
    # a row written under 产出目标 gets only its 二级, in the family's words
    assert fill_cells(Indicator(level1="产出目标"), done, "minhang-2020") == [
        ("name", "采购完成及时率"),
        ("level2", "时效"),
        ("target", "=100%"),
    ]
    # a row under another 一级 keeps its levels blank rather than contradict them
    kept = fill_cells(Indicator(level1="效益指标", target="=1次"), done, "shanghai-2021")
    assert kept == [("name", "采购完成及时率")]


def test_insertion_plan_puts_rows_beside_their_level2() -> None:
    rows = [
        Indicator("产出目标", "数量", "工勤雇员到岗数", "=100%"),
        Indicator("产出目标", "质量", "工勤雇员出勤率", "=100%"),
        Indicator("影响力目标", "满意度", "工作人员满意度", "≥90%"),
    ]
    library = Library()
    chosen = [library.find(n) for n in ("机关工作人员满意度", "车辆购置完成数", "采购完成及时率")]
    plan = insertion_plan(rows, chosen, "minhang-2020")  # type: ignore[arg-type]
    table = list(rows)
    for position, row in plan:
        table.insert(position, row)
    assert [r.name for r in table] == [
        "工勤雇员到岗数",
        "车辆购置完成数",  # after the last 数量 row, its labels copied
        "工勤雇员出勤率",
        "采购完成及时率",  # no 时效 row yet: after 质量, under the same 一级 word
        "工作人员满意度",
        "机关工作人员满意度",
    ]
    assert (table[1].level1, table[1].level2) == ("产出目标", "数量")
    assert (table[3].level1, table[3].level2) == ("产出目标", "时效")
    assert insertion_plan([], chosen[:1], "shanghai-2021")[0][0] == 0  # type: ignore[list-item]


def test_the_builtin_library_offers_no_target_the_checker_flags() -> None:
    """The real declarations carry defects (``提升…`` → ``提升``, ``>=95%``); a picked row
    must not: flagged targets are left out, fixable ones offered in the standard form."""
    from desktop.models.library import builtin_entries, to_indicator
    from desktop.models.project import Project
    from desktop.models.rules import validate

    entries = builtin_entries()
    by_name = {e.name: e for e in entries}
    assert by_name["提升因公外出工作效率"].targets == ()
    assert by_name["评审会召开数"].targets == ("≥400场",)
    rows = [to_indicator(e, "shanghai-2021") for e in entries if e.target]
    flagged = [
        f
        for f in validate(Project(year=None, name="", indicators=rows))
        if f.field.endswith(".target")
    ]
    assert flagged == []

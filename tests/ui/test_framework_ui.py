"""A 2025 project in the window: the level cells offer the 2025 tree, the rules use it."""

from __future__ import annotations

from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "shanghai-2025.json"


def _open(make_window, name: str):  # type: ignore[no-untyped-def]
    window, view = make_window()
    view.files = [str(FIXTURE)]
    window.import_button.click()
    window.search.setText(name)
    window.table.setCurrentIndex(window.filter.index(0, 0))
    assert window.editor is not None and window.editor.project.name == name
    return window.editor


def test_a_2025_project_offers_cost_as_a_level1_and_its_level2s(make_window) -> None:
    editor = _open(make_window, "机关食堂运营服务费(2025运维)")
    model = editor.row_editors["indicators"].model
    cost_row = next(i for i, r in enumerate(editor.project.indicators) if r.level1 == "成本指标")
    level1 = [c.attr for c in model.columns].index("level1")
    level2 = [c.attr for c in model.columns].index("level2")
    assert model.choices(model.index(cost_row, level1), editor.project.family) == [
        "产出指标",
        "成本指标",
        "效益指标",
        "满意度指标",
    ]
    assert model.choices(model.index(cost_row, level2), editor.project.family) == [
        "经济成本指标",
        "社会成本指标",
        "生态环境成本指标",
    ]
    assert not [f for f in editor.findings if f.code in ("I13", "I16", "I17", "I18")]


def test_a_2025_cost_row_under_output_is_flagged_in_the_window(make_window) -> None:
    editor = _open(make_window, "办公用房维修改造工程")
    codes = {(f.code, f.field) for f in editor.findings}
    assert ("I18", "indicators[3].level1") in codes
    assert ("I17", "indicators[3].target") in codes


def test_a_split_table_is_joined_on_opening_as_one_undoable_step(make_window, tmp_path) -> None:
    """An imported table with its 产出 rows split around a 效益 row shows each 一级 once."""
    import json

    data = json.loads(FIXTURE.read_text("utf-8"))
    canteen = data["projects"][0]
    rows = canteen["indicators"]
    rows.insert(1, rows.pop(7))  # a 效益 row between two 产出 rows
    data["projects"] = [canteen]
    split = tmp_path / "split.json"
    split.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    window, view = make_window()
    view.files = [str(split)]
    window.import_button.click()
    editor = window.editor
    assert editor is not None and editor.project.name == canteen["name"]
    firsts = [r.level1 for r in editor.project.indicators]
    blocks = [l1 for i, l1 in enumerate(firsts) if i == 0 or firsts[i - 1] != l1]
    assert blocks == ["产出指标", "成本指标", "效益指标", "满意度指标"]
    assert "归并" in editor.last_notice
    editor.undo_stack.undo()
    assert [r.name for r in editor.project.indicators] == [r["name"] for r in rows]

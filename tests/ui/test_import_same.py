"""导入 in the window: the same 数据包 twice is skipped, a changed one is asked about (issue 16, item 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from window_helpers import SHARED

CASE_2020 = SHARED / "cases" / "seed000-001-minhang-2020.json"  # 2 projects, no ids


def _changed(tmp_path: Path) -> Path:
    doc = json.loads(CASE_2020.read_text(encoding="utf-8"))
    doc["projects"][0]["overall_goal"] = "改过的项目总目标"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _answering(view, choice: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The view answers the three-way question with ``choice``; the texts asked are returned."""
    asked: list[str] = []

    def ask_same_projects(text: str) -> str:
        asked.append(text)
        return choice

    view.ask_same_projects = ask_same_projects
    return asked


def _imported_once(make_window):  # type: ignore[no-untyped-def]
    window, view = make_window()
    view.files = [str(CASE_2020)]
    window.import_packages()
    assert window.repo.count() == 2
    return window, view


def test_the_same_package_twice_is_skipped_and_said(make_window) -> None:  # type: ignore[no-untyped-def]
    window, view = _imported_once(make_window)
    asked = _answering(view, "cancel")
    ids = sorted(s.id for s in window.repo.summaries())
    window.import_packages()
    assert asked == []  # nothing to ask: identical
    assert sorted(s.id for s in window.repo.summaries()) == ids
    title, text, error = view.messages[-1]
    assert title == "导入完成" and not error
    assert "已导入 0 个项目" in text and "已跳过 2 个与程序中完全相同的项目" in text


@pytest.mark.parametrize(("choice", "count"), [("cancel", 2), ("replace", 2), ("new", 3)])
def test_changed_content_asks_replace_new_or_cancel(
    make_window, tmp_path: Path, choice: str, count: int
) -> None:  # type: ignore[no-untyped-def]
    window, view = _imported_once(make_window)
    stored = {s.name: s.id for s in window.repo.summaries()}
    # the project about to be replaced is open in the editor
    window.open_project(stored["政府雇员项目"])
    asked = _answering(view, choice)
    view.files = [str(_changed(tmp_path))]
    window.import_packages()
    assert len(asked) == 1 and "政府雇员项目" in asked[0] and "内容与文件中的不同" in asked[0]
    assert window.repo.count() == count
    goal = window.repo.load(stored["政府雇员项目"]).overall_goal
    if choice == "replace":
        assert goal == "改过的项目总目标"  # replaced in place, same id
        assert {s.name: s.id for s in window.repo.summaries()} == stored
        assert "替换 1 个" in view.messages[-1][1] and "已跳过 1 个" in view.messages[-1][1]
        # the editor shows the content now stored, not the replaced one
        assert window.editor is not None
        assert window.editor.project.overall_goal == "改过的项目总目标"
    else:
        assert goal != "改过的项目总目标"
    if choice == "new":
        names = [s.name for s in window.repo.summaries()]
        assert names.count("政府雇员项目") == 2
    if choice == "cancel":
        assert not [m for m in view.messages[1:] if m[0] == "导入完成"]

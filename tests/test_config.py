"""Where the database lives: --db, then JIXIAO_DB, then the user data folder; settings."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.config import DB_FILENAME, data_dir, database_path, is_network_path, load_rule_settings


def test_explicit_path_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JIXIAO_DB", str(tmp_path / "env.db"))
    assert database_path(tmp_path / "cli.db") == tmp_path / "cli.db"
    assert database_path(None) == tmp_path / "env.db"


def test_default_is_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIXIAO_DB", raising=False)
    assert database_path(None) == data_dir() / DB_FILENAME


def test_unit_settings_change_thresholds(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps({"rules": {"satisfaction_min": 85, "accepted_words": ["健全", "到位"]}}),
        encoding="utf-8",
    )
    s = load_rule_settings(tmp_path)
    assert s.satisfaction_min == Decimal(85)
    assert s.accepted_words == ("健全", "到位")


def test_broken_settings_fall_back_to_defaults(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    assert load_rule_settings(tmp_path).satisfaction_min == Decimal(80)
    (tmp_path / "settings.json").write_text(
        json.dumps({"rules": {"satisfaction_min": "很高"}}), encoding="utf-8"
    )
    assert load_rule_settings(tmp_path).satisfaction_min == Decimal(80)


def test_network_paths_are_recognised(tmp_path: Path) -> None:
    assert is_network_path(Path(r"\\server\share\jixiao.db"))
    assert not is_network_path(tmp_path / "local.db")

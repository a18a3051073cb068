"""Where the program keeps its files, and the unit's settings. No Qt here."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.models.rules import RuleSettings

APP_NAME = "jixiao-shenbao"
DB_ENV = "JIXIAO_DB"
DB_FILENAME = "jixiao.db"
SETTINGS_FILENAME = "settings.json"


def data_dir() -> Path:
    """The user's data folder, e.g. ``%LOCALAPPDATA%\\jixiao-shenbao`` on Windows."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--db PATH`` wins, then the ``JIXIAO_DB`` environment variable, then the data folder."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DB_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return data_dir() / DB_FILENAME


def load_rule_settings(folder: Path | None = None) -> RuleSettings:
    """The unit's thresholds from ``settings.json`` beside the database; defaults if absent or broken."""
    from desktop.models.rules import RuleSettings

    path = (folder or data_dir()) / SETTINGS_FILENAME
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return RuleSettings()
    rules = data.get("rules") if isinstance(data, dict) else None
    return RuleSettings.from_dict(rules) if isinstance(rules, dict) else RuleSettings()


_NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "afpfs", "9p", "ncpfs"}


def is_network_path(path: Path) -> bool:
    """True for a file on a network share, where SQLite's WAL mode is unsafe."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":
        return _windows_drive_is_remote(path)
    return _posix_mount_type(path) in _NETWORK_FS


def _windows_drive_is_remote(path: Path) -> bool:  # pragma: no cover - Windows only
    import ctypes

    drive = os.path.splitdrive(str(path.resolve()))[0]
    if not drive:
        return False
    DRIVE_REMOTE = 4
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE  # type: ignore[attr-defined]


def _posix_mount_type(path: Path) -> str | None:
    try:
        target = path.resolve()
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    best, fstype = "", None
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        if (
            str(target) == mount_point or str(target).startswith(mount_point.rstrip("/") + "/")
        ) and len(mount_point) > len(best):
            best, fstype = mount_point, parts[2]
    return fstype

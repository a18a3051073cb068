"""The windowed program's log file: what failed, when, with its traceback. No Qt here.

The window has no console, so a failure the clerk reports is found again in
``<user data folder>/logs/jixiao.log`` (``desktop.config.data_dir``). The file
rotates: at ``MAX_BYTES`` it becomes ``jixiao.log.1`` and so on, ``BACKUP_COUNT``
old files kept, so the log never grows past a few MB.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOGGER_NAME = "jixiao"
LOG_FOLDER = "logs"
LOG_FILENAME = "jixiao.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

log = logging.getLogger(LOGGER_NAME)


class _Handler(logging.handlers.RotatingFileHandler):
    """Ours, told apart from any other handler on the root logger."""


def default_folder() -> Path:
    from desktop.config import data_dir

    return data_dir() / LOG_FOLDER


def log_path() -> Path | None:
    """The file being written now, or None when logging to a file was not set up (or failed)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _Handler):
            return Path(handler.baseFilename)
    return None


def setup_logging(
    folder: Path | None = None,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> Path | None:
    """Log to ``folder/jixiao.log`` (the user data folder's ``logs`` by default), rotating.

    Idempotent: called again, the earlier file handler is replaced. Returns the
    log file, or None when the folder cannot be created or written (the program
    then runs without a log file: a log must never stop it from starting).
    """
    stop_logging()
    target = (folder or default_folder()) / LOG_FILENAME
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = _Handler(
            target, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=False
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.INFO)
    logging.getLogger().addHandler(handler)
    if log.level == logging.NOTSET or log.level > logging.INFO:
        log.setLevel(logging.INFO)
    return target


def stop_logging() -> None:
    """Close and remove the file handler set up by ``setup_logging`` (none: nothing happens)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _Handler):
            root.removeHandler(handler)
            handler.close()


def log_failure(action: str, exc: BaseException) -> None:
    """One failed action, with its traceback."""
    log.error("操作“%s”失败：%s", action, exc, exc_info=(type(exc), exc, exc.__traceback__))

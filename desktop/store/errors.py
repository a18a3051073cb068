"""The store's one exception, apart so that the window can name it before SQLAlchemy loads."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The database cannot be used; ``message`` says why in Chinese.

    ``kind`` lets the window choose what to offer: a damaged file
    (``not_sqlite``, ``truncated``, ``corrupt``, ``empty``) can be replaced by
    a backup, ``locked`` and ``in_use`` may be retried, ``no_lock`` (the lock
    file cannot be written) and the rest are reported.

    ``advice`` is what the command line adds (e.g. which backup to ``restore``);
    ``message`` includes it, ``reason`` is the message without it, for the
    window, which offers the backup with a button instead.
    """

    def __init__(self, message: str, kind: str = "other", advice: str = "") -> None:
        full = f"{message}{advice}"
        super().__init__(full)
        self.message = full
        self.reason = message
        self.kind = kind

    @property
    def damaged(self) -> bool:
        from desktop.store.health import DAMAGED

        return self.kind in DAMAGED

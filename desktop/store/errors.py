"""The store's one exception, apart so that the window can name it before SQLAlchemy loads."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The database cannot be used; ``message`` says why in Chinese.

    ``kind`` lets the window choose what to offer: a damaged file
    (``not_sqlite``, ``truncated``, ``corrupt``) can be replaced by a backup,
    ``locked`` and ``in_use`` may be retried, the rest are reported.
    """

    def __init__(self, message: str, kind: str = "other") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind

    @property
    def damaged(self) -> bool:
        from desktop.store.health import DAMAGED

        return self.kind in DAMAGED

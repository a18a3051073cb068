"""The domain: the project aggregate, money, the indicator taxonomy, targets and rules.

Pure Python: no Qt, no SQLAlchemy, no file or network I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.lazy import lazy_attributes

if TYPE_CHECKING:
    from desktop.models.project import (
        BreakdownRow,
        Funding,
        Guarantee,
        Indicator,
        Project,
        Signoff,
    )
    from desktop.models.rules import Finding, RuleSettings, validate

# Loaded on first use (PEP 562): the window paints its list with the project
# module alone and loads the rules right after.
_LAZY = {
    "BreakdownRow": "desktop.models.project",
    "Funding": "desktop.models.project",
    "Guarantee": "desktop.models.project",
    "Indicator": "desktop.models.project",
    "Project": "desktop.models.project",
    "Signoff": "desktop.models.project",
    "Finding": "desktop.models.rules",
    "RuleSettings": "desktop.models.rules",
    "validate": "desktop.models.rules",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


__all__ = [
    "BreakdownRow",
    "Finding",
    "Funding",
    "Guarantee",
    "Indicator",
    "Project",
    "RuleSettings",
    "Signoff",
    "validate",
]

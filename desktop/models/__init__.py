"""The domain: the project aggregate, money, the indicator taxonomy, targets and rules.

Pure Python: no Qt, no SQLAlchemy, no file or network I/O.
"""

from desktop.models.project import (
    BreakdownRow,
    Funding,
    Guarantee,
    Indicator,
    Project,
    Signoff,
)
from desktop.models.rules import Finding, RuleSettings, validate

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

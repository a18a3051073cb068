"""The validation rules of ``validation.md``: pure functions from a project to findings.

``validate`` runs on every keystroke, so it does no I/O and reads only the
project, the unit's settings and the keys of the other stored projects.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop.models.project import Project
from desktop.models.rules.base import (
    ERROR,
    SEVERITY_LABELS,
    WARNING,
    Collector,
    Context,
    Finding,
    ProjectKey,
    RuleSettings,
    Severity,
)
from desktop.models.rules.explanations import (
    attach_explanations,
    explained_count,
    finding_key,
)
from desktop.models.rules.funding_rules import check_funding
from desktop.models.rules.guarantee_rules import check_guarantees
from desktop.models.rules.indicator_rules import check_indicators
from desktop.models.rules.project_rules import check_project, is_measurable, is_phone, key_of
from desktop.models.rules.review_rules import check_review

Rule = Callable[[Project, Collector, RuleSettings, Context], None]

RULES: tuple[Rule, ...] = (
    check_project,
    check_funding,
    check_indicators,
    check_review,
    check_guarantees,
)

_DEFAULT_SETTINGS = RuleSettings()


def validate(
    project: Project, settings: RuleSettings | None = None, context: Context | None = None
) -> list[Finding]:
    """Every finding for one project, in form order (project, funding, indicators, 制度保障).

    Warnings the clerk has answered carry their 说明 (``Finding.explanation``).
    """
    out = Collector()
    for rule in RULES:
        rule(project, out, settings or _DEFAULT_SETTINGS, context or Context())
    return attach_explanations(project, out.findings)


def counts(findings: list[Finding]) -> tuple[int, int]:
    """(errors, warnings); answered warnings count as warnings (see ``explained_count``)."""
    errors = sum(1 for f in findings if f.severity == ERROR)
    return errors, len(findings) - errors


__all__ = [
    "ERROR",
    "RULES",
    "SEVERITY_LABELS",
    "WARNING",
    "Context",
    "Finding",
    "ProjectKey",
    "RuleSettings",
    "Severity",
    "counts",
    "explained_count",
    "finding_key",
    "is_measurable",
    "is_phone",
    "key_of",
    "validate",
]

"""A project as the 数据包 dict (``interchange.md``) and back, for data this program wrote.

``project_to_dict`` is the one writer of a project's 数据包 form: the 数据包 file,
the hidden sheet of an exported workbook and the 定稿记录 (snapshots) in the store
all use it. It lives in the domain layer so the store can keep snapshots in
the documented, versioned 数据包 form (stable across schema migrations) without
importing ``desktop.export``.

``project_from_dict`` reads back a dict that ``project_to_dict`` made (a stored
snapshot). It trusts its input: a file from outside goes through the checking
reader in ``desktop.export.package`` instead, which names every problem. Tests
keep the two readers agreeing on every reference case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from desktop.models.amounts import amount_from_text, amount_to_text
from desktop.models.project import (
    BREAKDOWN_AMOUNT_FIELDS,
    BREAKDOWN_FIELDS,
    EXPLANATION_FIELDS,
    FUNDING_KEYS,
    INDICATOR_FIELDS,
    PROJECT_TEXT_FIELDS,
    BreakdownRow,
    Funding,
    Guarantee,
    Indicator,
    Project,
    Signoff,
)
from desktop.models.rules.explanations import make_key, split_key

# The keys a project dict has besides the ones it keeps for the round trip (``extra``).
KNOWN_PROJECT_KEYS = frozenset(
    (
        "id",
        "year",
        "start_date",
        "end_date",
        "funding",
        "indicators",
        "breakdown",
        "guarantees",
        "signoff",
        "explanations",
    )
    + PROJECT_TEXT_FIELDS
)
GUARANTEE_KEYS = ("kind", "document", "measures", "stages")


def _date_out(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _date_in(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value.strip() else None


def project_to_dict(p: Project) -> dict[str, Any]:
    """One project as the 数据包 writes it (keys in the order of ``interchange.md``)."""
    out: dict[str, Any] = {"id": p.id, "year": p.year}
    for key in PROJECT_TEXT_FIELDS:
        # The 项目经费情况说明 keys came after version 1 was out: written only when set, so a
        # package without them stays as it was, and an older program (which keeps keys it does
        # not know, with a warning each) is not handed five nulls per project.
        if key in EXPLANATION_FIELDS and getattr(p, key) is None:
            continue
        out[key] = getattr(p, key)
        if key == "phone":
            out["start_date"] = _date_out(p.start_date)
            out["end_date"] = _date_out(p.end_date)
    out["funding"] = {
        k: amount_to_text(getattr(p.funding, k))
        for k in FUNDING_KEYS
        if getattr(p.funding, k) is not None
    }
    out["indicators"] = [
        {**{k: getattr(i, k) for k in INDICATOR_FIELDS}, **i.extra} for i in p.indicators
    ]
    out["breakdown"] = [
        {
            **{
                k: (
                    amount_to_text(getattr(r, k)) if k in BREAKDOWN_AMOUNT_FIELDS else getattr(r, k)
                )
                for k in BREAKDOWN_FIELDS
            },
            **r.extra,
        }
        for r in p.breakdown
    ]
    out["guarantees"] = [
        {
            "kind": g.kind,
            "document": g.document,
            "measures": g.measures,
            "stages": list(g.stages),
            **g.extra,
        }
        for g in p.guarantees
    ]
    if p.signoff is not None:
        out["signoff"] = {
            "unit_head": p.signoff.unit_head,
            "preparer": p.signoff.preparer,
            "date": _date_out(p.signoff.date),
        }
    if p.explanations:
        # 说明 on answered warnings (added after version 1 was out): written only when there
        # are some, so a package without them stays as it was.
        out["explanations"] = explanations_to_list(p.explanations)
    for key, value in p.extra.items():
        out.setdefault(key, value)
    return out


def project_from_dict(obj: dict[str, Any]) -> Project:
    """The project ``project_to_dict`` wrote (status is not part of the dict: it stays 草稿)."""
    p = Project(id=obj.get("id"), year=obj.get("year"), name=obj.get("name") or "")
    for key in PROJECT_TEXT_FIELDS:
        if key != "name":
            setattr(p, key, obj.get(key))
    p.start_date = _date_in(obj.get("start_date"))
    p.end_date = _date_in(obj.get("end_date"))
    funding = obj.get("funding") or {}
    p.funding = Funding(**{k: amount_from_text(funding.get(k)) for k in FUNDING_KEYS})
    for row in obj.get("indicators") or []:
        ind = Indicator(**{k: row.get(k) for k in INDICATOR_FIELDS})
        ind.name = ind.name or ""
        ind.extra = _rest(row, INDICATOR_FIELDS)
        p.indicators.append(ind)
    for row in obj.get("breakdown") or []:
        values = {
            k: (amount_from_text(row.get(k)) if k in BREAKDOWN_AMOUNT_FIELDS else row.get(k))
            for k in BREAKDOWN_FIELDS
        }
        p.breakdown.append(BreakdownRow(**values, extra=_rest(row, BREAKDOWN_FIELDS)))
    for row in obj.get("guarantees") or []:
        p.guarantees.append(
            Guarantee(
                row.get("kind"),
                row.get("document"),
                row.get("measures"),
                list(row.get("stages") or []),
                _rest(row, GUARANTEE_KEYS),
            )
        )
    signoff = obj.get("signoff")
    if isinstance(signoff, dict):
        p.signoff = Signoff(
            signoff.get("unit_head"), signoff.get("preparer"), _date_in(signoff.get("date"))
        )
    p.explanations = explanations_from_list(obj.get("explanations") or [])
    p.extra = {k: v for k, v in obj.items() if k not in KNOWN_PROJECT_KEYS}
    return p


def explanations_to_list(explanations: dict[str, str]) -> list[dict[str, str]]:
    """The 数据包 form of ``Project.explanations``: ``[{"code", "field", "text"}]``."""
    out = []
    for key, text in explanations.items():
        code, field = split_key(key)
        out.append({"code": code, "field": field, "text": text})
    return out


def explanations_from_list(items: list[dict[str, Any]]) -> dict[str, str]:
    """``Project.explanations`` from the list ``explanations_to_list`` wrote (trusted)."""
    return {make_key(i["code"], i["field"]): i["text"] for i in items}


def _rest(row: dict[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in known}

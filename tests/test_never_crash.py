"""Readers and rules never raise on arbitrary input: they answer or explain (hypothesis)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.export.package import PackageError, project_to_dict, read_package_bytes
from desktop.models.amounts import read_amount
from desktop.models.project import Indicator, Project
from desktop.models.rules import validate
from desktop.models.targets import read_target

TARGETISH = st.text(
    alphabet=st.sampled_from(
        list("=<>≥≤≧＞＜ 0123456789.%人次个（）()年月底前不低于多XX×*健全　１２")
    ),
    max_size=30,
)


@given(st.one_of(st.text(max_size=40), TARGETISH))
def test_target_reader_always_answers(text: str) -> None:
    t = read_target(text)
    assert t.kind in ("blank", "quantity", "word", "text")
    if t.kind == "quantity":
        assert t.number is not None and t.standard


@given(st.text(max_size=30))
def test_amount_reader_always_answers(text: str) -> None:
    r = read_amount(text)
    assert (r.value is None) or (r.error is None)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
PROJECT_KEYS = [
    "year",
    "name",
    "funding",
    "indicators",
    "breakdown",
    "guarantees",
    "signoff",
    "start_date",
    "category",
]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(st.sampled_from(PROJECT_KEYS), JSONISH, max_size=6), max_size=3))
def test_package_reader_refuses_or_reads(projects: list[dict]) -> None:
    data = json.dumps({"format": "jixiao-shenbao", "version": 1, "projects": projects}).encode()
    try:
        package = read_package_bytes(data)
    except PackageError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        return
    for p in package.projects:
        assert all(f.message for f in validate(p))


@given(st.binary(max_size=200))
def test_package_reader_on_garbage_bytes(data: bytes) -> None:
    try:
        read_package_bytes(data)
    except PackageError as exc:
        assert exc.problems


# JSON a hand edit or another tool may write: numbers JSON forbids or Python cannot hold,
# lone surrogates and NULs, deep nesting, repeated keys. Spliced in as raw JSON text.
HOSTILE_TOKENS = st.sampled_from(
    [
        "NaN",
        "-Infinity",
        "1e999999",
        "9" * 5000,
        "-" + "9" * 40,
        '"\\ud800"',
        '"a\\udfffb"',
        '"a\\u0000b"',
        '"\\u0001"',
        "[" * 60 + "]" * 60,
        '{"k":1,"k":2}',
        '[{"name":"x","target":NaN,"extra\\ud800":1}]',
        '[{"name":"x","amount":1e999}]',
        '{"total":"\\ud800"}',
        "2021.0",
        '"2021"',
    ]
)
RAW_VALUES = st.one_of(HOSTILE_TOKENS, st.builds(json.dumps, JSONISH))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from([*PROJECT_KEYS, "funding", "notes", "zz", "\\ud800"]),
        RAW_VALUES,
        max_size=6,
    )
)
def test_package_reader_on_hostile_json_text(fields: dict[str, str]) -> None:
    project = "{" + ",".join(f'"{k}":{v}' for k, v in fields.items()) + "}"
    data = ('{"format":"jixiao-shenbao","version":1,"projects":[' + project + "]}").encode()
    try:
        package = read_package_bytes(data)
    except PackageError as exc:
        assert exc.problems and all(p.encode("utf-8") for p in exc.problems)  # printable
        return
    assert all(w.encode("utf-8") for w in package.warnings)
    for p in package.projects:
        # What was read can be stored and written back as standard JSON.
        json.dumps(project_to_dict(p), ensure_ascii=False, allow_nan=False).encode("utf-8")


@given(
    st.lists(
        st.tuples(st.text(max_size=8), st.text(max_size=8), st.text(max_size=12), TARGETISH),
        max_size=8,
    )
)
def test_rules_never_raise_on_any_indicator_table(rows: list[tuple[str, str, str, str]]) -> None:
    p = Project(year=2021, name="x", indicators=[Indicator(a, b, c, d) for a, b, c, d in rows])
    findings = validate(p)
    assert all(f.code and f.field and f.message for f in findings)

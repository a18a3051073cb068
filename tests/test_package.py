"""The 数据包: exact round trips of the reference cases, and refusal of every broken file."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import CASE_FILES, write_package

from desktop.export.package import (
    MAX_FIELD_CHARS,
    PackageError,
    package_bytes,
    project_to_dict,
    read_package_bytes,
    read_package_file,
    write_package_file,
)


def without_nulls(value: Any) -> Any:
    """Absent and null are the same: drop null members, recursively."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def minimal(**fields: Any) -> dict[str, Any]:
    return {"year": 2021, "name": "车辆购置费", **fields}


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.name)
def test_case_reads_and_writes_back_field_for_field(case: Path) -> None:
    original = json.loads(case.read_text(encoding="utf-8"))
    package = read_package_file(case)
    written = [project_to_dict(p) for p in package.projects]
    assert len(written) == len(original["projects"])
    for before, after in zip(original["projects"], written, strict=True):
        after.pop("id")
        assert without_nulls(after) == without_nulls(before)


def test_values_are_kept_as_written(tmp_path: Path) -> None:
    path = write_package(
        tmp_path / "p.json",
        [
            minimal(
                funding={"total": "1159620.00", "annual": "360000"},
                indicators=[
                    {
                        "level1": "产出目标",
                        "level2": "数量",
                        "name": "评审会召开数",
                        "target": "> =400场",
                    }
                ],
                breakdown=[{"item": "文职雇员_1", "amount": "1159620.00", "quantity": "10.00"}],
            )
        ],
    )
    p = read_package_file(path).projects[0]
    assert p.funding.total == Decimal("1159620.00")
    assert str(p.funding.total) == "1159620.00"
    assert p.indicators[0].target == "> =400场"  # never rewritten on import
    assert p.indicators[0].level2 == "数量"
    out = project_to_dict(p)
    assert out["funding"] == {"total": "1159620.00", "annual": "360000"}
    assert out["breakdown"][0]["quantity"] == "10.00"


def test_written_file_reads_back_identically(tmp_path: Path) -> None:
    projects = [p for case in CASE_FILES for p in read_package_file(case).projects]
    target = write_package_file(projects, tmp_path / "out.json")
    raw = target.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    doc = json.loads(raw)
    assert doc["format"] == "jixiao-shenbao" and doc["version"] == 1 and "exported_at" in doc
    again = read_package_file(target).projects
    assert [project_to_dict(p) for p in again] == [project_to_dict(p) for p in projects]
    assert not list(tmp_path.glob("*.tmp")), "no temporary file is left behind"


def test_byte_order_mark_is_accepted() -> None:
    data = (
        b"\xef\xbb\xbf"
        + json.dumps(
            {"format": "jixiao-shenbao", "version": 1, "projects": [minimal()]}, ensure_ascii=False
        ).encode()
    )
    assert read_package_bytes(data).projects[0].name == "车辆购置费"


def test_unknown_keys_are_kept_and_written_back(tmp_path: Path) -> None:
    path = write_package(
        tmp_path / "p.json",
        [
            minimal(
                approval_no="松财预〔2020〕1号",
                indicators=[{"name": "x", "target": "=1个", "weight": 10}],
            )
        ],
        producer="其他软件",
    )
    package = read_package_file(path)
    p = package.projects[0]
    assert p.extra == {"approval_no": "松财预〔2020〕1号"}
    out = project_to_dict(p)
    assert out["approval_no"] == "松财预〔2020〕1号"
    assert out["indicators"][0]["weight"] == 10
    assert any("producer" in w for w in package.warnings)
    assert any("approval_no" in w for w in package.warnings)


def test_signoff_absent_stays_absent_and_present_stays_present(tmp_path: Path) -> None:
    path = write_package(
        tmp_path / "p.json",
        [
            minimal(),
            minimal(
                name="b", signoff={"unit_head": None, "preparer": "陈柳柳", "date": "2020-03-01"}
            ),
        ],
    )
    a, b = read_package_file(path).projects
    assert "signoff" not in project_to_dict(a)
    assert project_to_dict(b)["signoff"] == {
        "unit_head": None,
        "preparer": "陈柳柳",
        "date": "2020-03-01",
    }


def test_unreadable_amount_is_kept_for_the_rules(tmp_path: Path) -> None:
    path = write_package(
        tmp_path / "p.json", [minimal(funding={"total": "一百万", "annual": "12.345"})]
    )
    p = read_package_file(path).projects[0]
    assert p.funding.total == "一百万"
    assert p.funding.annual == Decimal("12.345")
    from desktop.models.rules import validate

    f01 = {f.field for f in validate(p) if f.code == "F01"}
    assert f01 == {"funding.total", "funding.annual"}


# ------------------------------------------------------------------ broken files


def problems_of(data: bytes | dict[str, Any]) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    with pytest.raises(PackageError) as info:
        read_package_bytes(raw, "test.json")
    return str(info.value)


def doc(*projects: dict[str, Any]) -> dict[str, Any]:
    return {"format": "jixiao-shenbao", "version": 1, "projects": list(projects)}


def test_truncated_json_is_refused_with_position() -> None:
    text = json.dumps(doc(minimal()), ensure_ascii=False).encode()
    message = problems_of(text[: len(text) // 2])
    assert "不是完整的 JSON" in message and "第 1 行" in message


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ({"format": "other", "version": 1, "projects": []}, "format"),
        ({"version": 1, "projects": []}, "format"),
        ({"format": "jixiao-shenbao", "version": 2, "projects": []}, "升级"),
        ({"format": "jixiao-shenbao", "version": "1", "projects": []}, "version"),
        ({"format": "jixiao-shenbao", "version": 1, "projects": {}}, "projects"),
        ([], "最外层"),
    ],
)
def test_wrong_envelope_is_refused(top: Any, expected: str) -> None:
    assert expected in problems_of(json.dumps(top).encode())


@pytest.mark.parametrize(
    ("project", "field_words"),
    [
        (minimal(year="2021"), "year"),
        (minimal(year=True), "year"),
        (minimal(year=20210), "year"),
        (minimal(name=12), "name"),
        (minimal(indicators="产出指标"), "indicators（绩效指标）"),
        (minimal(indicators=["x"]), "indicators[0]"),
        (minimal(indicators=[{"name": "a", "target": 100}]), "indicators[0].target（指标目标值）"),
        (minimal(funding={"total": 360000}), "funding.total（项目资金总额）"),
        (minimal(funding=[]), "funding"),
        (minimal(start_date="2021/01/01"), "start_date"),
        (minimal(end_date="2021-02-30"), "end_date"),
        (
            minimal(guarantees=[{"kind": "项目管理制度", "stages": "实施阶段"}]),
            "guarantees[0].stages",
        ),
        (
            minimal(guarantees=[{"kind": "项目管理制度", "stages": ["全程"]}]),
            "guarantees[0].stages",
        ),
        (minimal(template="pudong-2022"), "template"),
        (minimal(category="临时项目"), "category"),
        (minimal(signoff="张三"), "signoff"),
        (minimal(breakdown=[{"amount": 5}]), "breakdown[0].amount（明细金额）"),
    ],
)
def test_wrong_types_are_refused_naming_project_and_field(
    project: dict[str, Any], field_words: str
) -> None:
    message = problems_of(doc(minimal(name="第一个"), project))
    assert "第 2 个项目" in message
    assert field_words in message


def test_overlong_field_is_refused() -> None:
    message = problems_of(doc(minimal(overview="字" * 30_000)))
    assert (
        "overview（项目概况）" in message and "30000" in message and str(MAX_FIELD_CHARS) in message
    )
    assert "车辆购置费" in message


def test_overlong_name_is_refused() -> None:
    assert "name（项目名称）" in problems_of(doc(minimal(name="名" * 201)))


def test_too_many_projects_is_refused() -> None:
    message = problems_of(doc(*[minimal(name=f"项目{i}") for i in range(3000)]))
    assert "3000 个项目" in message and "2000" in message


def test_too_many_rows_is_refused() -> None:
    rows = [{"name": f"指标{i}", "target": "=1个"} for i in range(501)]
    assert "501 行" in problems_of(doc(minimal(indicators=rows)))


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(51 * 1024 * 1024)  # sparse: no time spent writing
    with pytest.raises(PackageError) as info:
        read_package_file(big)
    assert "50 MB" in str(info.value)


def test_not_utf8_is_refused() -> None:
    data = json.dumps(doc(minimal()), ensure_ascii=False).encode("gbk")
    assert "UTF-8" in problems_of(data)


def test_control_characters_and_broken_surrogates_are_refused() -> None:
    assert "name（项目名称）" in problems_of(doc(minimal(name="a\x00b")))
    raw = b'{"format":"jixiao-shenbao","version":1,"projects":[{"year":2021,"name":"\\ud800"}]}'
    assert "name" in problems_of(raw)


def test_deeply_nested_json_is_refused() -> None:
    raw = (
        b'{"format":"jixiao-shenbao","version":1,"projects":['
        + b"[" * 100_000
        + b"]" * 100_000
        + b"]}"
    )
    assert "无法导入" in problems_of(raw)


def test_duplicate_ids_in_one_file_are_refused() -> None:
    message = problems_of(doc(minimal(id="a"), minimal(id="a", name="另一个")))
    assert "id" in message and "另一个" in message


def test_all_problems_are_listed_not_only_the_first() -> None:
    message = problems_of(doc(minimal(year="x"), minimal(name=5), minimal(indicators=7)))
    assert "第 1 个项目" in message and "第 2 个项目" in message and "第 3 个项目" in message


def test_package_bytes_is_plain_utf8_json() -> None:
    p = read_package_bytes(json.dumps(doc(minimal())).encode()).projects[0]
    data = package_bytes([p])
    assert "车辆购置费" in data.decode("utf-8")

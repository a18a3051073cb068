"""The 申报数据包 (``interchange.md``): reading it without trusting it, writing it exactly.

Reading is all or nothing: any problem in any project refuses the whole file
with messages that name the project and the field. Values are kept as
written (targets, labels, amount precision); the rules judge them later.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.atomic import write_atomic
from desktop.export.reading import (
    MAX_AMOUNT_CHARS,
    MAX_FIELD_CHARS,
    MAX_FILE_BYTES,
    MAX_NAME_CHARS,
    MAX_PROBLEMS,
    MAX_ROWS,
    UnreadableFile,
    printable,
    read_bounded,
)
from desktop.models.amounts import LARGEST_AMOUNT_TEXT, amount_from_text, too_large
from desktop.models.interchange import KNOWN_PROJECT_KEYS, project_to_dict
from desktop.models.labels import label
from desktop.models.project import (
    BREAKDOWN_AMOUNT_FIELDS,
    BREAKDOWN_FIELDS,
    CATEGORIES,
    FAMILIES,
    FUNDING_KEYS,
    INDICATOR_FIELDS,
    PROJECT_TEXT_FIELDS,
    STAGES,
    Amount,
    BreakdownRow,
    Funding,
    Guarantee,
    Indicator,
    Project,
    Signoff,
)
from desktop.models.rules.explanations import (
    MAX_CODE_CHARS,
    MAX_EXPLANATION_CHARS,
    MAX_EXPLANATIONS,
    MAX_KEY_FIELD_CHARS,
    explanation_problem,
    make_key,
)

FORMAT = "jixiao-shenbao"
VERSION = 1
MAX_PROJECTS = 2000
MAX_ID_CHARS = 64
MAX_STAMP_CHARS = 64  # exported_at: "2021-09-01T10:00:00+08:00" has 25
# A field this program does not know is kept as written, within reason: no deeper than this
# (the store and the writer recurse over it), and only numbers JSON itself allows.
MAX_KEPT_DEPTH = 32
# No number of a 数据包 has more digits (years have 4, amounts are text); longer ones are read
# as out of range instead of reaching Python's int size limit (4300 digits, a ValueError).
MAX_INT_DIGITS = 30
MAX_DUPLICATES_SHOWN = 5

_KNOWN_PROJECT_KEYS = KNOWN_PROJECT_KEYS
_TABLES = {"indicators": "绩效指标", "breakdown": "项目构成分解", "guarantees": "制度保障"}


class PackageError(UnreadableFile):
    """The 数据包 cannot be used; ``problems`` name the project and the field."""

    noun = "数据包"


@dataclass
class Package:
    projects: list[Project]
    warnings: list[str] = field(default_factory=list)
    exported_at: str | None = None


# ---------------------------------------------------------------- reading


def read_package_file(path: str | os.PathLike[str]) -> Package:
    """Read a 数据包 from disk; the size is checked before anything is read."""
    data = read_bounded(
        path,
        PackageError,
        choose=".json 数据包文件",
        too_big=lambda size: (
            f"文件大小 {size / 1024 / 1024:.1f} MB，超过上限 50 MB：请分成几个数据包导出。"
        ),
        limit=MAX_FILE_BYTES,
    )
    return read_package_bytes(data, Path(path).name)


def read_package_bytes(data: bytes, source: str = "") -> Package:
    """Read a 数据包 from its bytes: a UTF-8 file (a BOM is allowed) of standard JSON."""
    if len(data) > MAX_FILE_BYTES:
        raise PackageError(["文件超过上限 50 MB：请分成几个数据包导出。"], source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackageError([_not_utf8(data, exc)], source) from exc
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        # json keeps the last of two equal keys silently; which one the clerk meant is unknown.
        obj = dict(items)
        if len(obj) != len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    duplicates.append(key)
                seen.add(key)
        return obj

    try:
        doc = json.loads(text, object_pairs_hook=pairs, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise PackageError(
            [
                f"文件内容不是完整的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{_json_reason(exc.msg)}）："
                "文件可能被截断或损坏，请重新导出或重新拷贝。"
            ],
            source,
        ) from exc
    except RecursionError as exc:
        raise PackageError(
            [
                "文件中的括号 [ ] 或 { } 嵌套过深（层数远超申报数据包所需）：这不是本程序导出的数据包，"
                "可能已损坏或被改动，请用本程序重新导出。"
            ],
            source,
        ) from exc
    except ValueError as exc:  # pragma: no cover - numbers are bounded by _int; kept as a net
        raise PackageError(
            [f"文件内容无法解析为 JSON（{type(exc).__name__}）：请重新导出。"], source
        ) from exc
    if duplicates:
        unique = list(dict.fromkeys(duplicates))
        names = "、".join(f"“{k[:40]}”" for k in unique[:MAX_DUPLICATES_SHOWN])
        if len(unique) > MAX_DUPLICATES_SHOWN:
            names += "等"
        raise PackageError(
            [
                f"字段{names}在同一个对象 {{…}} 中出现了不止一次，无法确定以哪一个为准："
                "文件可能被手工改动过，请删除重复的字段后再导入，或用本程序重新导出。"
            ],
            source,
        )
    return _Reader(source).package(doc)


def _int(text: str) -> int | float:
    """A JSON integer; one longer than any number of a 数据包 reads as out of range (±inf)."""
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        return -math.inf if text.startswith("-") else math.inf
    return int(text)


def _not_utf8(data: bytes, exc: UnicodeDecodeError) -> str:
    """Why the bytes are not UTF-8, guessing the encoding a clerk's editor used."""
    head = data[:4]
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        what = "看起来是 UTF-32 编码"
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:64]:
        what = "看起来是 UTF-16 编码，即记事本等编辑器中的“Unicode”"
    elif _decodes(data, "gb18030"):
        what = "看起来是 GBK/GB18030 编码，即中文 Windows 的默认编码“ANSI”"
    else:
        what = f"第 {exc.start + 1} 个字节处无法解码"
    return (
        f"文件不是 UTF-8 编码的文本（{what}）：请导入本程序导出的数据包；"
        "若在编辑器中改过，请用 UTF-8 编码保存后再导入。"
    )


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _json_reason(msg: str) -> str:
    reasons = {
        "Expecting value": "缺少值",
        "Unterminated string starting at": "字符串没有结束",
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting property name enclosed in double quotes": "缺少带引号的字段名",
        "Extra data": "末尾有多余内容",
        "Expecting ':' delimiter": "缺少冒号",
        "Invalid control character at": "含有非法控制字符",
    }
    return reasons.get(msg, msg)


def _type_name(value: object) -> str:
    if value is None:
        return "空值 null"
    if isinstance(value, bool):
        return "真假值"
    if isinstance(value, float) and not math.isfinite(value):
        return "非标准或超出范围的数字（如 NaN、Infinity、1e999）"
    if isinstance(value, int | float):
        return "数字"
    if isinstance(value, str):
        return "文本"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "对象"
    return type(value).__name__


class _Stop(Exception):
    """Too many problems to list; stop reading."""


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def fail(self, message: str) -> None:
        self.problems.append(message)
        if len(self.problems) >= MAX_PROBLEMS:
            raise _Stop

    def package(self, doc: Any) -> Package:
        if not isinstance(doc, dict):
            raise PackageError(
                [f"文件最外层应是对象 {{…}}，实际是{_type_name(doc)}：这不是申报数据包。"],
                self.source,
            )
        fmt = doc.get("format")
        if fmt != FORMAT:
            raise PackageError(
                [
                    f'format 应为 "{FORMAT}"，实际是 {json.dumps(fmt, ensure_ascii=False)[:60]}：这不是本程序的申报数据包。'
                ],
                self.source,
            )
        version = doc.get("version")
        if isinstance(version, bool) or not isinstance(version, int):
            raise PackageError(
                [f"version 应为整数 1，实际是{_type_name(version)}：文件已损坏或不是申报数据包。"],
                self.source,
            )
        if version > VERSION:
            raise PackageError(
                [f"数据包版本为 {version}，本程序只能读取版本 {VERSION}：请升级本程序后再导入。"],
                self.source,
            )
        if version < VERSION:
            raise PackageError([f"数据包版本 {version} 无效：请用本程序重新导出。"], self.source)
        exported_at = doc.get("exported_at")
        if exported_at is not None and not isinstance(exported_at, str):
            self.warnings.append("exported_at 不是文本，已忽略。")
            exported_at = None
        if exported_at is not None and (
            len(exported_at) > MAX_STAMP_CHARS or printable(exported_at) != exported_at
        ):
            self.warnings.append("exported_at 过长或含有无法显示的字符，已忽略。")
            exported_at = None
        projects = doc.get("projects")
        if not isinstance(projects, list):
            raise PackageError(
                [f"projects 应为项目列表，实际是{_type_name(projects)}。"], self.source
            )
        if len(projects) > MAX_PROJECTS:
            raise PackageError(
                [
                    f"数据包中有 {len(projects)} 个项目，超过上限 {MAX_PROJECTS} 个：请分成几个数据包导出。"
                ],
                self.source,
            )
        for key in doc:
            if key not in ("format", "version", "exported_at", "projects"):
                self.warnings.append(f"数据包中的字段 {key[:40]} 本程序不认识，已忽略。")
        result: list[Project] = []
        try:
            for i, obj in enumerate(projects):
                project = self.project(i, obj)
                if project is not None:
                    result.append(project)
            self._check_ids(result)
        except _Stop:
            self.problems.append("……问题过多，只列出前面这些。")
        if self.problems:
            raise PackageError(self.problems, self.source)
        # Warnings quote keys from the file: keep them showable.
        return Package(result, [printable(w) for w in self.warnings], exported_at)

    def _check_ids(self, projects: list[Project]) -> None:
        seen: dict[str, int] = {}
        for i, p in enumerate(projects):
            if p.id is None:
                continue
            if p.id in seen:
                self.fail(
                    f"第 {i + 1} 个项目“{p.name}”的 id 与第 {seen[p.id] + 1} 个项目相同：同一数据包中 id 不能重复。"
                )
            seen[p.id] = i

    # -- one project

    def project(self, i: int, obj: Any) -> Project | None:
        where = f"第 {i + 1} 个项目"
        if not isinstance(obj, dict):
            self.fail(f"{where}应为对象 {{…}}，实际是{_type_name(obj)}。")
            return None
        name = obj.get("name")
        if isinstance(name, str) and name.strip():
            where = f"第 {i + 1} 个项目“{name.strip()[:40]}”"
        template = obj.get("template")
        family = template if isinstance(template, str) and template in FAMILIES else "shanghai-2021"
        ctx = _Field(self, where, family)
        before = len(self.problems)
        p = Project()
        p.id = ctx.text("id", obj.get("id"), limit=MAX_ID_CHARS)
        if p.id is not None and not p.id.strip():
            p.id = None
        p.year = ctx.year(obj.get("year"))
        p.name = ctx.text("name", name, limit=MAX_NAME_CHARS) or ""
        for key in PROJECT_TEXT_FIELDS:
            if key != "name":
                setattr(p, key, ctx.text(key, obj.get(key)))
        if p.template is not None and p.template not in FAMILIES:
            ctx.bad(
                "template", f"应为 {'、'.join(FAMILIES)} 之一或 null，实际是“{p.template[:40]}”"
            )
        if p.category is not None and p.category.strip() and p.category.strip() not in CATEGORIES:
            ctx.bad("category", f"应为 {'、'.join(CATEGORIES)} 之一，实际是“{p.category[:40]}”")
        p.start_date = ctx.date("start_date", obj.get("start_date"))
        p.end_date = ctx.date("end_date", obj.get("end_date"))
        p.funding = self.funding(ctx, obj.get("funding"))
        p.indicators = self.rows(ctx, "indicators", obj.get("indicators"), self.indicator)
        p.breakdown = self.rows(ctx, "breakdown", obj.get("breakdown"), self.breakdown_row)
        p.guarantees = self.rows(ctx, "guarantees", obj.get("guarantees"), self.guarantee)
        p.signoff = self.signoff(ctx, obj)
        p.explanations = self.explanations(ctx, obj.get("explanations"))
        for key, value in obj.items():
            if key in _KNOWN_PROJECT_KEYS:
                continue
            why = _unkeepable(value)
            if _unsavable(key):
                why = "含有无法保存的控制字符或残缺字符"
            elif len(key) > 100:
                why = "名称过长"
            if why:
                self.warnings.append(f"{where}：字段 {key[:40]} 本程序不认识且{why}，已忽略。")
            else:
                p.extra[key] = value
                self.warnings.append(f"{where}：字段 {key} 本程序不认识，已原样保留。")
        return p if len(self.problems) == before else None

    def funding(self, ctx: _Field, value: Any) -> Funding:
        f = Funding()
        if value is None:
            return f
        if not isinstance(value, dict):
            ctx.bad("funding", f"应为对象 {{…}}，实际是{_type_name(value)}")
            return f
        for key, v in value.items():
            if key in FUNDING_KEYS:
                setattr(f, key, ctx.amount(f"funding.{key}", v))
            else:
                self.warnings.append(
                    f"{ctx.where}：项目资金中的字段 {key[:40]} 本程序不认识，已忽略。"
                )
        return f

    def rows(self, ctx: _Field, key: str, value: Any, make: Any) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            ctx.bad(key, f"应为列表 […]，实际是{_type_name(value)}")
            return []
        if len(value) > MAX_ROWS:
            ctx.bad(key, f"有 {len(value)} 行，超过上限 {MAX_ROWS} 行")
            return []
        out = []
        for j, row in enumerate(value):
            if not isinstance(row, dict):
                ctx.bad(f"{key}[{j}]", f"应为对象 {{…}}，实际是{_type_name(row)}", row_key=key)
                continue
            out.append(make(ctx, f"{key}[{j}]", row))
        return out

    def indicator(self, ctx: _Field, path: str, obj: dict[str, Any]) -> Indicator:
        ind = Indicator()
        for key in INDICATOR_FIELDS:
            setattr(
                ind, key, ctx.text(f"{path}.{key}", obj.get(key), label_key=f"indicators.{key}")
            )
        ind.name = ind.name or ""
        ind.extra = self._row_extra(ctx, path, obj, INDICATOR_FIELDS)
        return ind

    def breakdown_row(self, ctx: _Field, path: str, obj: dict[str, Any]) -> BreakdownRow:
        row = BreakdownRow()
        for key in BREAKDOWN_FIELDS:
            lk = f"breakdown.{key}"
            if key in BREAKDOWN_AMOUNT_FIELDS:
                setattr(row, key, ctx.amount(f"{path}.{key}", obj.get(key), label_key=lk))
            else:
                setattr(row, key, ctx.text(f"{path}.{key}", obj.get(key), label_key=lk))
        row.extra = self._row_extra(ctx, path, obj, BREAKDOWN_FIELDS)
        return row

    def guarantee(self, ctx: _Field, path: str, obj: dict[str, Any]) -> Guarantee:
        g = Guarantee()
        for key in ("kind", "document", "measures"):
            setattr(g, key, ctx.text(f"{path}.{key}", obj.get(key), label_key=f"guarantees.{key}"))
        stages = obj.get("stages")
        if stages is None:
            stages = []
        if not isinstance(stages, list):
            ctx.bad(
                f"{path}.stages",
                f"应为列表，实际是{_type_name(stages)}",
                row_key="guarantees.stages",
            )
            stages = []
        for s in stages:
            if not isinstance(s, str) or s not in STAGES:
                shown = s if isinstance(s, str) else _type_name(s)
                ctx.bad(
                    f"{path}.stages",
                    f"“{str(shown)[:30]}”不是保障阶段，应为 {'、'.join(STAGES)}",
                    row_key="guarantees.stages",
                )
            elif s not in g.stages:
                g.stages.append(s)
        g.extra = self._row_extra(ctx, path, obj, ("kind", "document", "measures", "stages"))
        return g

    def signoff(self, ctx: _Field, obj: dict[str, Any]) -> Signoff | None:
        if "signoff" not in obj or obj["signoff"] is None:
            return None
        value = obj["signoff"]
        if not isinstance(value, dict):
            ctx.bad("signoff", f"应为对象 {{…}}，实际是{_type_name(value)}")
            return None
        return Signoff(
            unit_head=ctx.text("signoff.unit_head", value.get("unit_head")),
            preparer=ctx.text("signoff.preparer", value.get("preparer")),
            date=ctx.date("signoff.date", value.get("date")),
        )

    def explanations(self, ctx: _Field, value: Any) -> dict[str, str]:
        """说明 on answered warnings: ``[{"code", "field", "text"}]`` (optional)."""
        if value is None:
            return {}
        if not isinstance(value, list):
            ctx.bad("explanations", f"应为列表 […]，实际是{_type_name(value)}")
            return {}
        if len(value) > MAX_EXPLANATIONS:
            ctx.bad("explanations", f"有 {len(value)} 条，超过上限 {MAX_EXPLANATIONS} 条")
            return {}
        out: dict[str, str] = {}
        first: dict[str, int] = {}
        for j, item in enumerate(value):
            path = f"explanations[{j}]"
            if not isinstance(item, dict):
                ctx.bad(path, f"应为对象 {{…}}，实际是{_type_name(item)}", row_key="explanations")
                continue
            code = ctx.text(
                f"{path}.code", item.get("code"), MAX_CODE_CHARS + 1, "explanations.code"
            )
            field = ctx.text(
                f"{path}.field", item.get("field"), MAX_KEY_FIELD_CHARS, "explanations.field"
            )
            text = ctx.text(f"{path}.text", item.get("text"), label_key="explanations.text")
            for key, got in (("code", code), ("field", field), ("text", text)):
                if got is None and item.get(key) is None:
                    ctx.bad(f"{path}.{key}", "缺少或为空值 null", f"explanations.{key}")
            if code is not None and not _CODE.fullmatch(code):
                ctx.bad(
                    f"{path}.code",
                    f"应为问题代码（如 I04、G02），实际是“{code[:20]}”",
                    "explanations.code",
                )
                code = None
            if field is not None and not field.strip():
                ctx.bad(f"{path}.field", "为空：应写明问题所在的栏目", "explanations.field")
                field = None
            if text is not None:
                problem = _explanation_problem(text)
                if problem:
                    ctx.bad(f"{path}.text", problem, "explanations.text")
                    text = None
            for key in item:
                if key not in ("code", "field", "text"):
                    self.warnings.append(
                        f"{ctx.where}：{path} 中的字段 {str(key)[:40]} 本程序不认识，已忽略。"
                    )
            if code is None or field is None or text is None:
                continue
            key = make_key(code, field)
            if key in first:
                ctx.bad(
                    path,
                    f"与第 {first[key] + 1} 条说明针对同一问题（{code} {field[:60]}）："
                    "同一问题只能有一条说明，请删除其中一条",
                    "explanations",
                )
                continue
            first[key] = j
            out[key] = text.strip()
        return out

    def _row_extra(
        self, ctx: _Field, path: str, obj: dict[str, Any], known: Iterable[str]
    ) -> dict[str, Any]:
        extra = {k: v for k, v in obj.items() if k not in known}
        why = _unkeepable(extra) if extra else None
        if why:
            self.warnings.append(f"{ctx.where}：{path} 中本程序不认识的字段{why}，已忽略。")
            return {}
        return extra


_CODE = re.compile(r"[A-Z]{1,3}[0-9]{1,3}")


def _explanation_problem(text: str) -> str | None:
    """Why a 说明 in a file cannot be kept, worded for a field of a file."""
    cleaned = text.strip()
    if not cleaned:
        return "为空：说明应有 1–200 个字"
    if len(cleaned) > MAX_EXPLANATION_CHARS:
        return f"有 {len(cleaned)} 个字，超过上限 {MAX_EXPLANATION_CHARS} 个：请在原程序中精简说明后再导出"
    if explanation_problem(cleaned):
        return "含有无法保存的控制字符：请在原文件中删除后再导入"
    return None


def _unkeepable(value: Any) -> str | None:
    """Why a value the program does not know cannot be kept as written; None when it can.

    Walked without recursion: the value may be nested as deep as the JSON parser allowed.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    nodes = 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if depth > MAX_KEPT_DEPTH:
            return f"嵌套超过 {MAX_KEPT_DEPTH} 层"
        if nodes > MAX_FIELD_CHARS:  # every value takes at least one character when written
            return "过大"
        if isinstance(item, float) and not math.isfinite(item):
            return "含有非标准或超出范围的数字（NaN、Infinity 等）"
        if isinstance(item, str) and _unsavable(item):
            return "含有无法保存的控制字符或残缺字符"
        if isinstance(item, dict):
            if any(_unsavable(k) for k in item):
                return "含有无法保存的控制字符或残缺字符"
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    if len(json.dumps(value, ensure_ascii=False)) > MAX_FIELD_CHARS:
        return "过大"
    return None


_UNSAVABLE = re.compile("[\x00\ud800-\udfff]")


def _unsavable(text: str) -> bool:
    """A NUL or a lone surrogate: SQLite and UTF-8 cannot hold them."""
    return _UNSAVABLE.search(text) is not None


class _Field:
    """Checks one value of one project and words the problem for the clerk."""

    def __init__(self, reader: _Reader, where: str, family: str) -> None:
        self.reader = reader
        self.where = where
        self.family = family

    def _name(self, path: str, label_key: str | None = None) -> str:
        key = label_key or path
        if "[" in path and label_key is None:
            key = path.split("[")[0]
        words = label(key, self.family)
        return f"字段 {path}（{words}）" if words != key else f"字段 {path}"

    def bad(self, path: str, what: str, row_key: str | None = None) -> None:
        self.reader.fail(f"{self.where}：{self._name(path, row_key)}{what}。")

    def text(
        self, path: str, value: Any, limit: int = MAX_FIELD_CHARS, label_key: str | None = None
    ) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.bad(path, f"应为文本，实际是{_type_name(value)}", label_key)
            return None
        if len(value) > limit:
            self.bad(
                path, f"有 {len(value)} 个字符，超过上限 {limit} 个：请删减后再导入", label_key
            )
            return None
        if _unsavable(value):
            self.bad(path, "含有无法保存的控制字符或残缺字符：请在原文件中删除后再导入", label_key)
            return None
        return value

    def year(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.bad("year", f"应为整数年份（如 2021），实际是{_type_name(value)}")
            return None
        if not 1000 <= value <= 9999:
            self.bad("year", f"应为四位年份，实际是 {value}")
            return None
        return value

    def date(self, path: str, value: Any) -> dt.date | None:
        text = self.text(path, value)
        if text is None or not text.strip():
            return None
        try:
            if len(text) != 10:
                raise ValueError(text)
            return dt.date.fromisoformat(text)
        except ValueError:
            self.bad(path, f"应为 YYYY-MM-DD 格式的有效日期（如 2021-12-31），实际是“{text}”")
            return None

    def amount(self, path: str, value: Any, label_key: str | None = None) -> Amount:
        if value is None:
            return None
        if not isinstance(value, str):
            self.bad(
                path, f'应为文本形式的金额（如 "1159620.00"），实际是{_type_name(value)}', label_key
            )
            return None
        text = self.text(path, value, limit=MAX_AMOUNT_CHARS, label_key=label_key)
        if text is None or not text.strip():
            return None
        amount = amount_from_text(text)
        if too_large(amount):
            # Refused, not kept: no amount beyond the bound is ever stored (limits.py).
            self.bad(
                path,
                f"是“{text.strip()}”，超过金额上限 {LARGEST_AMOUNT_TEXT} 元："
                "请在原文件中核对金额（以元为单位）后再导入",
                label_key,
            )
            return None
        # Not a number is kept as written: rule F01 names it and asks for a fix.
        return amount


# ---------------------------------------------------------------- writing


def package_bytes(projects: Iterable[Project], exported_at: dt.datetime | None = None) -> bytes:
    stamp = (exported_at or dt.datetime.now().astimezone()).isoformat(timespec="seconds")
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": stamp,
        "projects": [project_to_dict(p) for p in projects],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def write_package_file(
    projects: Iterable[Project],
    path: str | os.PathLike[str],
    exported_at: dt.datetime | None = None,
) -> Path:
    """Write a 数据包 atomically (temporary file in the target folder, then moved into place)."""
    return write_atomic(path, package_bytes(projects, exported_at))

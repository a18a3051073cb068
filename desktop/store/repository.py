"""Loading and saving whole projects, one transaction each; summaries for the list.

The repository is the only code that speaks SQL. It maps the domain aggregate
to the tables of ``schema.py`` and keeps each project's finding counts current
so listing never has to validate.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from desktop.models.amounts import amount_from_text, amount_to_text
from desktop.models.project import (
    BREAKDOWN_AMOUNT_FIELDS,
    BREAKDOWN_FIELDS,
    FUNDING_KEYS,
    INDICATOR_FIELDS,
    PROJECT_TEXT_FIELDS,
    STATUS_DRAFT,
    STATUS_LABELS,
    Amount,
    BreakdownRow,
    Funding,
    Guarantee,
    Indicator,
    Project,
    Signoff,
)
from desktop.models.rules import (
    Context,
    Finding,
    ProjectKey,
    RuleSettings,
    counts,
    key_of,
    validate,
)
from desktop.store import schema as t


class DuplicateIdError(ValueError):
    """Importing a project whose id is already stored, without asking to replace it."""

    def __init__(self, clashes: list[tuple[str, str]]) -> None:
        self.clashes = clashes
        names = "、".join(f"“{name}”" for _, name in clashes[:5])
        more = f" 等 {len(clashes)} 个项目" if len(clashes) > 5 else ""
        super().__init__(
            f"{names}{more}已在数据库中（项目编号相同），未导入任何项目：如要用文件中的内容替换已有项目，请选择替换。"
        )


@dataclass(frozen=True)
class ProjectSummary:
    """One line of the project list."""

    id: str
    year: int | None
    name: str
    unit: str | None
    template: str | None
    category: str | None
    total: Amount
    annual: Amount
    status: str
    errors: int
    warnings: int
    updated_at: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class SaveResult:
    added: int
    replaced: int


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _date_in(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _json_in(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def _json_out(value: dict[str, Any]) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value else None


class Repository:
    def __init__(self, engine: Engine, settings: RuleSettings | None = None) -> None:
        self.engine = engine
        self.settings = settings or RuleSettings()

    # ------------------------------------------------------------ reading

    def load(self, project_id: str) -> Project:
        with self.engine.connect() as conn:
            projects = self._load(conn, [project_id])
        if not projects:
            raise KeyError(project_id)
        return projects[0]

    def load_all(self, year: int | None = None, ids: Sequence[str] | None = None) -> list[Project]:
        """Projects in list order (year, name), optionally of one year or with given ids."""
        with self.engine.connect() as conn:
            query = select(t.projects.c.id).order_by(
                t.projects.c.year, t.projects.c.name, t.projects.c.created_at
            )
            if year is not None:
                query = query.where(t.projects.c.year == year)
            if ids is not None:
                query = query.where(t.projects.c.id.in_(list(ids)))
            wanted = list(conn.execute(query).scalars())
            return self._load(conn, wanted)

    def _load(self, conn: Connection, ids: list[str]) -> list[Project]:
        if not ids:
            return []
        loaded: dict[str, Project] = {}
        for chunk in _chunks(ids, 500):
            for row in conn.execute(
                select(t.projects).where(t.projects.c.id.in_(chunk))
            ).mappings():
                loaded[row["id"]] = self._project_from_row(row)
            for table, attach in (
                (t.indicators, self._indicator),
                (t.breakdown_rows, self._breakdown),
                (t.guarantees, self._guarantee),
            ):
                rows = conn.execute(
                    select(table)
                    .where(table.c.project_id.in_(chunk))
                    .order_by(table.c.project_id, table.c.position)
                ).mappings()
                for row in rows:
                    attach(loaded[row["project_id"]], row)
        return [loaded[i] for i in ids if i in loaded]

    @staticmethod
    def _project_from_row(row: Any) -> Project:
        p = Project(id=row["id"], year=row["year"], name=row["name"] or "")
        for key in PROJECT_TEXT_FIELDS:
            if key != "name":
                setattr(p, key, row[key])
        p.start_date = _date_in(row["start_date"])
        p.end_date = _date_in(row["end_date"])
        p.funding = Funding(**{k: amount_from_text(row[f"funding_{k}"]) for k in FUNDING_KEYS})
        if row["has_signoff"]:
            p.signoff = Signoff(
                row["signoff_unit_head"], row["signoff_preparer"], _date_in(row["signoff_date"])
            )
        p.extra = _json_in(row["extra"])
        p.status = row["status"]
        return p

    @staticmethod
    def _indicator(p: Project, row: Any) -> None:
        ind = Indicator(**{k: row[k] for k in INDICATOR_FIELDS})
        ind.extra = _json_in(row["extra"])
        p.indicators.append(ind)

    @staticmethod
    def _breakdown(p: Project, row: Any) -> None:
        values = {
            k: (amount_from_text(row[k]) if k in BREAKDOWN_AMOUNT_FIELDS else row[k])
            for k in BREAKDOWN_FIELDS
        }
        p.breakdown.append(BreakdownRow(**values, extra=_json_in(row["extra"])))

    @staticmethod
    def _guarantee(p: Project, row: Any) -> None:
        stages = json.loads(row["stages"] or "[]")
        p.guarantees.append(
            Guarantee(
                row["kind"], row["document"], row["measures"], list(stages), _json_in(row["extra"])
            )
        )

    def summaries(self, year: int | None = None) -> list[ProjectSummary]:
        c = t.projects.c
        query = select(
            c.id,
            c.year,
            c.name,
            c.unit,
            c.template,
            c.category,
            c.funding_total,
            c.funding_annual,
            c.status,
            c.error_count,
            c.warning_count,
            c.updated_at,
        ).order_by(c.year, c.name, c.created_at)
        if year is not None:
            query = query.where(c.year == year)
        with self.engine.connect() as conn:
            return [
                ProjectSummary(
                    r.id,
                    r.year,
                    r.name,
                    r.unit,
                    r.template,
                    r.category,
                    amount_from_text(r.funding_total),
                    amount_from_text(r.funding_annual),
                    r.status,
                    r.error_count,
                    r.warning_count,
                    r.updated_at,
                )
                for r in conn.execute(query)
            ]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(t.projects)).scalar_one()

    def keys(self, conn: Connection | None = None) -> list[ProjectKey]:
        """年度 + 名称 + 单位 of every stored project, for rule P10."""
        query = select(t.projects.c.id, t.projects.c.year, t.projects.c.name, t.projects.c.unit)
        if conn is not None:
            return [ProjectKey(*r) for r in conn.execute(query)]
        with self.engine.connect() as c:
            return [ProjectKey(*r) for r in c.execute(query)]

    def context(self) -> Context:
        return Context.of(self.keys())

    def findings(self, project: Project, context: Context | None = None) -> list[Finding]:
        return validate(project, self.settings, context or self.context())

    def resolve_ids(self, wanted: Iterable[str]) -> tuple[list[str], list[str]]:
        """Full ids for ids or unique id prefixes; (found, not found or ambiguous)."""
        with self.engine.connect() as conn:
            all_ids = list(conn.execute(select(t.projects.c.id)).scalars())
        found, missing = [], []
        for w in wanted:
            matches = [i for i in all_ids if i == w] or [i for i in all_ids if i.startswith(w)]
            if len(matches) == 1:
                found.append(matches[0])
            else:
                missing.append(w)
        return found, missing

    # ------------------------------------------------------------ writing

    def save(self, project: Project) -> Project:
        """Save one whole project in one transaction; assigns an id to a new project."""
        self.save_many([project], replace=True)
        return project

    def save_many(self, projects: Sequence[Project], replace: bool = False) -> SaveResult:
        """Store projects all or nothing. A stored id is refused unless ``replace``."""
        with self.engine.begin() as conn:
            stored_keys = self.keys(conn)
            stored = {k.id for k in stored_keys}
            clashes = [(pid, p.name) for p in projects if (pid := p.id) is not None and pid in stored]
            if clashes and not replace:
                raise DuplicateIdError(clashes)
            for p in projects:
                if p.id is None:
                    p.id = str(uuid.uuid4())
            saving = {p.id for p in projects}
            # The context P10 judges against: the store as it will be after this save.
            ctx = Context.of(k for k in stored_keys if k.id not in saving)
            for p in projects:
                ctx.add(key_of(p))
            # Declarations whose twins may change: the new ones and the ones being replaced.
            touched = {key_of(p).declaration for p in projects}
            touched |= {k.declaration for k in stored_keys if k.id in saving}
            now = _now()
            for p in projects:
                errors, warnings = counts(validate(p, self.settings, ctx))
                self._write(conn, p, p.id in stored, errors, warnings, now)
            self._recount(conn, stored_keys, touched, ctx, skip=saving)
        return SaveResult(added=len(projects) - len(clashes), replaced=len(clashes))

    def delete(self, project_id: str) -> None:
        with self.engine.begin() as conn:
            stored_keys = self.keys(conn)
            gone = [k for k in stored_keys if k.id == project_id]
            conn.execute(delete(t.projects).where(t.projects.c.id == project_id))
            if gone:
                rest = [k for k in stored_keys if k.id != project_id]
                self._recount(conn, rest, {gone[0].declaration}, Context.of(rest), skip=set())

    def _recount(
        self,
        conn: Connection,
        keys: list[ProjectKey],
        declarations: set[tuple[Any, ...]],
        ctx: Context,
        skip: set[str],
    ) -> None:
        """Recount the other projects whose P10 finding may have changed with this save."""
        affected = [k.id for k in keys if k.declaration in declarations and k.id not in skip]
        for p in self._load(conn, affected):
            self._store_counts(conn, p, ctx)

    def _store_counts(self, conn: Connection, p: Project, ctx: Context) -> None:
        errors, warnings = counts(validate(p, self.settings, ctx))
        conn.execute(
            update(t.projects)
            .where(t.projects.c.id == p.id)
            .values(error_count=errors, warning_count=warnings)
        )

    def _write(
        self, conn: Connection, p: Project, exists: bool, errors: int, warnings: int, now: str
    ) -> None:
        assert p.id is not None
        values: dict[str, Any] = {key: getattr(p, key) for key in PROJECT_TEXT_FIELDS}
        values.update(
            year=p.year,
            start_date=p.start_date.isoformat() if p.start_date else None,
            end_date=p.end_date.isoformat() if p.end_date else None,
            has_signoff=p.signoff is not None,
            signoff_unit_head=p.signoff.unit_head if p.signoff else None,
            signoff_preparer=p.signoff.preparer if p.signoff else None,
            signoff_date=p.signoff.date.isoformat() if p.signoff and p.signoff.date else None,
            extra=_json_out(p.extra),
            status=p.status or STATUS_DRAFT,
            error_count=errors,
            warning_count=warnings,
            updated_at=now,
            **{f"funding_{k}": amount_to_text(getattr(p.funding, k)) for k in FUNDING_KEYS},
        )
        if exists:
            conn.execute(update(t.projects).where(t.projects.c.id == p.id).values(**values))
            for table in t.ROW_TABLES:
                conn.execute(delete(table).where(table.c.project_id == p.id))
        else:
            conn.execute(insert(t.projects).values(id=p.id, created_at=now, **values))
        self._insert_rows(
            conn,
            t.indicators,
            p.id,
            [
                {
                    **{k: getattr(i, k) for k in INDICATOR_FIELDS},
                    "name": i.name or "",
                    "extra": _json_out(i.extra),
                }
                for i in p.indicators
            ],
        )
        self._insert_rows(
            conn,
            t.breakdown_rows,
            p.id,
            [
                {
                    **{
                        k: (
                            amount_to_text(getattr(r, k))
                            if k in BREAKDOWN_AMOUNT_FIELDS
                            else getattr(r, k)
                        )
                        for k in BREAKDOWN_FIELDS
                    },
                    "extra": _json_out(r.extra),
                }
                for r in p.breakdown
            ],
        )
        self._insert_rows(
            conn,
            t.guarantees,
            p.id,
            [
                {
                    "kind": g.kind,
                    "document": g.document,
                    "measures": g.measures,
                    "stages": json.dumps(list(g.stages), ensure_ascii=False),
                    "extra": _json_out(g.extra),
                }
                for g in p.guarantees
            ],
        )

    @staticmethod
    def _insert_rows(
        conn: Connection, table: Any, project_id: str, rows: list[dict[str, Any]]
    ) -> None:
        if rows:
            conn.execute(
                insert(table),
                [{"project_id": project_id, "position": n, **row} for n, row in enumerate(rows)],
            )


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update

from desktop.models.amounts import amount_from_text, amount_to_text
from desktop.models.interchange import (
    explanations_from_list,
    explanations_to_list,
    project_from_dict,
    project_to_dict,
)
from desktop.models.limits import MAX_NAME_CHARS
from desktop.models.project import (
    BREAKDOWN_AMOUNT_FIELDS,
    BREAKDOWN_FIELDS,
    FUNDING_KEYS,
    INDICATOR_FIELDS,
    PROJECT_TEXT_FIELDS,
    STATUS_DRAFT,
    STATUS_FINAL,
    STATUS_LABELS,
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
    explained_count,
    key_of,
    validate,
)
from desktop.models.rules.base import group_of, shared_enough
from desktop.store import schema as t
from desktop.store.catalog import LIVE_SQL, TRASH_SQL, ProjectSummary, summary_from_row

if TYPE_CHECKING:
    from desktop.models.summary import Summary
    from desktop.store.backup import Restored


def _names(clashes: Sequence[tuple[str, str]]) -> str:
    names = "、".join(f"“{name}”" for _, name in clashes[:5])
    more = f" 等 {len(clashes)} 个项目" if len(clashes) > 5 else ""
    return names + more


class DuplicateIdError(ValueError):
    """Importing a project whose id is already stored, without asking to replace it.

    ``clashes`` lists every (id, name) refused; ``trashed`` the ids among them
    that are in the 回收站 (the message then says so).
    """

    def __init__(self, clashes: list[tuple[str, str]], trashed: Iterable[str] = ()) -> None:
        self.clashes = clashes
        self.trashed = set(trashed)
        live = [c for c in clashes if c[0] not in self.trashed]
        binned = [c for c in clashes if c[0] in self.trashed]
        if not binned:
            message = (
                f"{_names(live)}已在数据库中（项目编号相同），未导入任何项目："
                "如要用文件中的内容替换已有项目，请选择替换。"
            )
        elif not live:
            message = (
                f"{_names(binned)}在回收站中（项目编号相同），未导入任何项目："
                "请先从回收站恢复或彻底删除，或选择替换。"
            )
        else:
            message = (
                f"{_names(live)}已在数据库中，{_names(binned)}在回收站中（项目编号相同），"
                "未导入任何项目：如要用文件中的内容替换，请选择替换；"
                "回收站中的项目也可先恢复或彻底删除。"
            )
        super().__init__(message)


class SameProjectError(ValueError):
    """Importing a project that is already stored (not in the 回收站) under the same
    年度 + 项目名称 + 实施单位 but with other content, without saying what to do.

    ``clashes`` lists every (stored id, name) concerned; nothing was written.
    """

    def __init__(self, clashes: list[tuple[str, str]]) -> None:
        self.clashes = clashes
        super().__init__(
            f"{_names(clashes)}已在程序中（年度、项目名称、实施单位相同），但内容与文件中的不同，"
            "未导入任何项目：请选择用文件中的内容替换已有项目，或另存为新项目。"
        )


class FinalizeError(ValueError):
    """Marking a project 定稿 while it still has errors; ``errors`` are those findings."""

    def __init__(self, name: str, errors: list[Finding]) -> None:
        self.errors = errors
        label = (name or "").strip() or "未命名项目"
        super().__init__(
            f"“{label}”还有 {len(errors)} 个错误，不能定稿：请先改正问题列表中的错误。"
        )


@dataclass(frozen=True)
class SaveResult:
    added: int
    replaced: int
    # names of the projects not written: already stored with exactly this content
    skipped: tuple[str, ...] = ()
    # where those are in the projects given to ``save_many``
    skipped_at: tuple[int, ...] = ()


# How ``save_many`` treats a project stored under the same 年度 + 项目名称 + 实施单位:
SAME_ASK, SAME_REPLACE, SAME_NEW = "ask", "replace", "new"
# Keys of the 数据包 dict that are not the project's content.
_NOT_CONTENT = ("id", "status", "created_at", "updated_at", "deleted_at", "exported_at")


def _identity(year: int | None, name: str | None, unit: str | None) -> tuple[Any, str, str]:
    """年度 + 项目名称 + 实施单位, trimmed: what makes two projects the same project."""
    return (year, (name or "").strip(), (unit or "").strip())


def _content(p: Project) -> dict[str, Any]:
    """The project as the 数据包 holds it, without its id, status and times."""
    doc = project_to_dict(p)
    for key in _NOT_CONTENT:
        doc.pop(key, None)
    return doc


# Labels of 定稿记录: why the snapshot was taken.
SNAPSHOT_FINAL = "定稿"
SNAPSHOT_BEFORE_RESTORE = "恢复前"
# The JSON of a snapshot: the 数据包 project dict, plus what the 数据包 does not carry.
SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class SnapshotInfo:
    """One line of a project's 定稿记录."""

    id: int
    project_id: str
    taken_at: str
    label: str
    status: str
    indicators: int

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _now_precise() -> str:
    # Microseconds so the 回收站 orders projects deleted within one second.
    return dt.datetime.now().astimezone().isoformat(timespec="microseconds")


_LIVE = t.projects.c.deleted_at.is_(None)
_TRASHED = t.projects.c.deleted_at.is_not(None)
# Joins a project's 三级指标 names in ``keys`` (a character no name holds).
_NAME_SEP = "\x1f"


def _key(row: Any, names: str | None) -> ProjectKey:
    """A project's key from its row and its 三级指标 names as SQL joined them."""
    return ProjectKey(
        row.id, row.year, row.name, row.unit, tuple(names.split(_NAME_SEP)) if names else ()
    )


def _only_id(project_id: str) -> ProjectKey:
    """A key that says only which project: ``keys(names_near=…)`` finds its 年度 + 单位."""
    return ProjectKey(project_id, None, "", None)


def _copy_flips(
    before: list[ProjectKey], changed: list[ProjectKey], after: Context, skip: set[str]
) -> set[str]:
    """Other projects whose P13 finding (indicators copied from another project of the same
    单位 and 年度) appears or goes with this change. ``before`` are the stored keys before
    it, ``changed`` the keys that come, go or change (old and new), ``after`` the context
    after it. Only a project whose names a changed set covers can be affected."""
    groups = {k.group for k in changed}
    sets = [k.indicator_set for k in changed]
    candidates = [
        k
        for k in before
        if k.id not in skip
        and k.group in groups
        and k.indicators
        and any(shared_enough(k.indicator_set, s) for s in sets)
    ]
    if not candidates:
        return set()
    ctx = Context.of(k for k in before if k.group in groups)
    return {
        k.id for k in candidates if (ctx.copied_set(k) is None) != (after.copied_set(k) is None)
    }


def _date_in(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _json_in(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def _json_out(value: dict[str, Any]) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value else None


def _review_in(text: str | None) -> list[str]:
    if not text:
        return []
    value = json.loads(text)
    return [str(v) for v in value] if isinstance(value, list) else []


def _explanations_in(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    value = json.loads(text)
    return explanations_from_list(value) if isinstance(value, list) else {}


def _counted(findings: list[Finding]) -> dict[str, int]:
    """The stored counts of a project's findings (the list shows them without validating)."""
    errors, warnings = counts(findings)
    return {
        "error_count": errors,
        "warning_count": warnings,
        "explained_count": explained_count(findings),
    }


def _snapshot_json(p: Project) -> str:
    return json.dumps(
        {
            "version": SNAPSHOT_VERSION,
            "project": project_to_dict(p),
            "review": list(p.review),
            "copied_from": p.copied_from,
        },
        ensure_ascii=False,
    )


def _snapshot_project(data: str, status: str) -> Project:
    doc = json.loads(data)
    p = project_from_dict(doc["project"])
    p.review = [str(r) for r in doc.get("review") or []]
    p.copied_from = doc.get("copied_from")
    p.status = status
    return p


class Repository:
    def __init__(self, engine: Engine, settings: RuleSettings | None = None) -> None:
        self.engine = engine
        self.settings = settings or RuleSettings()

    @property
    def path(self) -> Path | None:
        """The SQLite file (None for a database that is not a file)."""
        name = self.engine.url.database
        return Path(name) if name and name != ":memory:" else None

    def restore_from(self, backup: Path) -> Restored:
        """Replace every project with the backup's (the current ones are backed up first)."""
        from desktop.store.backup import BackupError, restore_backup
        from desktop.store.database import upgrade

        if self.path is None:
            raise BackupError("这个数据库不是文件，不能从备份恢复。")
        done = restore_backup(backup, self.path)
        upgrade(self.engine)  # an older backup's schema
        self.recount_all()  # its finding counts were made with the settings of then
        return done

    # ------------------------------------------------------------ reading

    def load(self, project_id: str) -> Project:
        """One project, also when it is in the 回收站 (KeyError when not stored)."""
        with self.engine.connect() as conn:
            projects = self._load(conn, [project_id])
        if not projects:
            raise KeyError(project_id)
        return projects[0]

    def load_all(self, year: int | None = None, ids: Sequence[str] | None = None) -> list[Project]:
        """Projects not in the 回收站, in list order (year, name), optionally filtered."""
        with self.engine.connect() as conn:
            query = (
                select(t.projects.c.id)
                .where(_LIVE)
                .order_by(t.projects.c.year, t.projects.c.name, t.projects.c.created_at)
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
        p.review = _review_in(row["review"])
        p.copied_from = row["copied_from"]
        p.explanations = _explanations_in(row["explanations"])
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
        """The project list: projects not in the 回收站, by year and name."""
        return self._summaries(LIVE_SQL, {"year": year})

    def trash_summaries(self) -> list[ProjectSummary]:
        """The 回收站: projects moved there, the most recently deleted first."""
        return self._summaries(TRASH_SQL, {})

    def _summaries(self, sql: str, params: dict[str, Any]) -> list[ProjectSummary]:
        # the same SQL the window's first paint runs without SQLAlchemy (catalog.py)
        with self.engine.connect() as conn:
            return [summary_from_row(r) for r in conn.exec_driver_sql(sql, params)]

    def year_summary(self, year: int, unit: str | None = None) -> Summary:
        """The 汇总表 of a year: its projects not in the 回收站, with their findings."""
        from desktop.models.summary import build_summary

        projects = self.load_all(year)
        context = self.context(near=projects)
        return build_summary(
            year, projects, [self.findings(p, context) for p in projects], unit=unit
        )

    def count(self) -> int:
        """How many projects are not in the 回收站."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.count()).select_from(t.projects).where(_LIVE)
            ).scalar_one()

    def keys(
        self, conn: Connection | None = None, *, names_near: Iterable[ProjectKey] | None = None
    ) -> list[ProjectKey]:
        """年度 + 名称 + 单位 of every project not in the 回收站 (rule P10), with its
        三级指标 names (rule P13): of every project when ``names_near`` is None, else only of
        the projects in the 年度 + 单位 of those keys or of the stored projects with their ids
        (a save needs no more, and a large store reads far fewer rows)."""
        if conn is None:
            with self.engine.connect() as c:
                return self.keys(c, names_near=names_near)
        pc = t.projects.c
        rows = conn.execute(select(pc.id, pc.year, pc.name, pc.unit).where(_LIVE)).all()
        ind = t.indicators.c
        joined = func.aggregate_strings(ind.name, _NAME_SEP)
        names: dict[str, str] = {}
        if names_near is None:
            every = select(ind.project_id, joined).group_by(ind.project_id)
            names.update((pid, text) for pid, text in conn.execute(every))
        else:
            near = list(names_near)
            ids = {k.id for k in near}
            groups = {k.group for k in near}
            groups |= {group_of(r.year, r.unit) for r in rows if r.id in ids}
            wanted = [r.id for r in rows if (g := group_of(r.year, r.unit)) in groups and g[1]]
            for chunk in _chunks(wanted, 500):
                some = (
                    select(ind.project_id, joined)
                    .where(ind.project_id.in_(chunk))
                    .group_by(ind.project_id)
                )
                names.update((pid, text) for pid, text in conn.execute(some))
        return [_key(r, names.get(r.id)) for r in rows]

    def context(self, near: Iterable[Project] | None = None) -> Context:
        """The other projects as the rules know them; with ``near``, the 三级指标 names (P13)
        only of the projects in the same 年度 + 单位 as those (all the rules need to judge
        them, and far fewer rows read in a large store)."""
        names_near = None if near is None else [key_of(p) for p in near]
        return Context.of(self.keys(names_near=names_near))

    def findings(self, project: Project, context: Context | None = None) -> list[Finding]:
        return validate(project, self.settings, context or self.context(near=[project]))

    def resolve_ids(self, wanted: Iterable[str]) -> tuple[list[str], list[str]]:
        """Full ids for ids or unique id prefixes; (found, not found or ambiguous).

        Only projects not in the 回收站 are found.
        """
        with self.engine.connect() as conn:
            all_ids = list(conn.execute(select(t.projects.c.id).where(_LIVE)).scalars())
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
        """Save one whole project in one transaction; assigns an id to a new project.

        A project in the 回收站 stays there (an open editor's autosave must not
        bring it back); only ``save_many(..., replace=True)`` and ``restore`` do.
        """
        self._save_many([project], replace=True, untrash=False)
        return project

    def save_many(
        self, projects: Sequence[Project], replace: bool = False, same: str | None = None
    ) -> SaveResult:
        """Store projects all or nothing. A stored id is refused unless ``replace``.

        An id in the 回收站 is refused too (the message says so); replacing it
        brings the project back out of the 回收站.

        ``same`` (importing): a project whose id is not stored but whose 年度 + 项目名称 +
        实施单位 (trimmed) are those of a stored project not in the 回收站 is skipped when
        its content is identical (``SaveResult.skipped``; it takes the stored id). With other
        content, ``"ask"`` refuses the whole save (SameProjectError), ``"replace"`` replaces
        the stored project keeping its id, ``"new"`` adds it as a new project. None (the
        window's own saves): no matching.
        """
        return self._save_many(projects, replace, untrash=True, same=same)

    def _save_many(
        self,
        projects: Sequence[Project],
        replace: bool,
        untrash: bool,
        same: str | None = None,
    ) -> SaveResult:
        with self.engine.begin() as conn:
            return self._save_in(conn, projects, replace, untrash, same)

    def _same_projects(
        self,
        conn: Connection,
        projects: Sequence[Project],
        stored_keys: list[ProjectKey],
        same: str,
        taken: set[str],
    ) -> tuple[list[tuple[Project, str]], list[tuple[Project, str]]]:
        """(identical, different): each project with the stored project (id) it matches.

        A stored project is matched by one project of the save at most, and not when
        ``taken`` (replaced by its id in this save); identical ones are matched first.
        """
        if same not in (SAME_ASK, SAME_REPLACE, SAME_NEW):
            raise ValueError(f"unknown same={same!r}")
        stored: dict[tuple[Any, str, str], list[str]] = {}
        for k in sorted(stored_keys, key=lambda k: k.id):
            stored.setdefault(_identity(k.year, k.name, k.unit), []).append(k.id)
        matched = [
            (p, ids) for p in projects if (ids := stored.get(_identity(p.year, p.name, p.unit)))
        ]
        wanted = sorted({i for _, ids in matched for i in ids})
        contents = {s.id: _content(s) for s in self._load(conn, wanted)}  # one read for all
        identical: list[tuple[Project, str]] = []
        different: list[tuple[Project, str]] = []
        claimed = set(taken)
        rest: list[tuple[Project, list[str]]] = []
        for p, ids in matched:
            mine = _content(p)
            twin = next((i for i in ids if i not in claimed and contents.get(i) == mine), None)
            if twin is None:
                rest.append((p, ids))
            else:
                claimed.add(twin)
                identical.append((p, twin))
        for p, ids in rest:
            # two projects of one file never replace the same stored one
            if (free := [i for i in ids if i not in claimed]) and same != SAME_NEW:
                claimed.add(free[0])
                different.append((p, free[0]))
        return identical, different

    def _save_in(
        self,
        conn: Connection,
        projects: Sequence[Project],
        replace: bool,
        untrash: bool,
        same: str | None = None,
    ) -> SaveResult:
        """``_save_many`` inside a transaction the caller holds (restoring a snapshot)."""
        stored_keys = self.keys(conn, names_near=[key_of(p) for p in projects])
        live = {k.id for k in stored_keys}
        trashed = self._trashed_ids(conn, [p.id for p in projects if p.id is not None])
        clashes = [
            (pid, p.name)
            for p in projects
            if (pid := p.id) is not None and (pid in live or pid in trashed)
        ]
        if clashes and not replace:
            raise DuplicateIdError(clashes, trashed)
        skipped: list[str] = []
        skipped_at: list[int] = []
        if same is not None:
            unmatched = [p for p in projects if p.id is None or (p.id not in live | trashed)]
            taken = {pid for pid, _ in clashes}
            identical, different = self._same_projects(conn, unmatched, stored_keys, same, taken)
            if different and same == SAME_ASK:
                raise SameProjectError([(sid, p.name) for p, sid in different])
            for p, sid in identical:
                p.id = sid  # the caller finds it by the id it is stored under
            gone = {id(p) for p, _ in identical}
            skipped_at = [n for n, p in enumerate(projects) if id(p) in gone]
            skipped = [projects[n].name for n in skipped_at]
            projects = [p for p in projects if id(p) not in gone]
            for p, sid in different:  # SAME_REPLACE: the stored project keeps its id
                p.id = sid
                clashes.append((sid, p.name))
        for p in projects:
            if p.id is None:
                p.id = str(uuid.uuid4())
        saving = {p.id for p in projects}
        # Saved projects that stay in the 回收站 take no part in rule P10.
        binned = set() if untrash else saving & trashed
        # The context P10 judges against: the store as it will be after this save.
        ctx = Context.of(k for k in stored_keys if k.id not in saving)
        for p in projects:
            if p.id not in binned:
                ctx.add(key_of(p))
        # Declarations whose twins may change: the new ones and the ones being replaced.
        touched = {key_of(p).declaration for p in projects if p.id not in binned}
        touched |= {k.declaration for k in stored_keys if k.id in saving}
        now = _now()
        for p in projects:
            # A project in the 回收站 is counted as if it were restored.
            counted = _counted(validate(p, self.settings, ctx))
            exists = p.id in live or p.id in trashed
            self._write(conn, p, exists, counted, now)
            if untrash and p.id in trashed:
                conn.execute(
                    update(t.projects).where(t.projects.c.id == p.id).values(deleted_at=None)
                )
        changed = [key_of(p) for p in projects if p.id not in binned]
        changed += [k for k in stored_keys if k.id in saving]
        flips = _copy_flips(stored_keys, changed, ctx, skip=saving)
        self._recount(conn, stored_keys, touched, ctx, skip=saving, copies=flips)
        return SaveResult(
            added=len(projects) - len(clashes),
            replaced=len(clashes),
            skipped=tuple(skipped),
            skipped_at=tuple(skipped_at),
        )

    @staticmethod
    def _trashed_ids(conn: Connection, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(ids, 500):
            found.update(
                conn.execute(
                    select(t.projects.c.id).where(t.projects.c.id.in_(chunk), _TRASHED)
                ).scalars()
            )
        return found

    def delete(self, project_id: str) -> None:
        """Move a project to the 回收站 (nothing happens when it is not stored or already there).

        It leaves the list, the counts and rule P10; its twins are recounted.
        """
        with self.engine.begin() as conn:
            stored_keys = self.keys(conn, names_near=[_only_id(project_id)])
            gone = [k for k in stored_keys if k.id == project_id]
            if not gone:
                return
            conn.execute(
                update(t.projects)
                .where(t.projects.c.id == project_id)
                .values(deleted_at=_now_precise())
            )
            rest = [k for k in stored_keys if k.id != project_id]
            ctx = Context.of(rest)
            flips = _copy_flips(stored_keys, gone, ctx, skip={project_id})
            self._recount(conn, rest, {gone[0].declaration}, ctx, skip=set(), copies=flips)

    def restore(self, project_id: str) -> None:
        """Bring a project back from the 回收站; it and its P10 twins are recounted.

        KeyError when the project is not stored; nothing happens when it is not in the 回收站.
        """
        with self.engine.begin() as conn:
            row = conn.execute(
                select(t.projects.c.deleted_at).where(t.projects.c.id == project_id)
            ).first()
            if row is None:
                raise KeyError(project_id)
            if row.deleted_at is None:
                return
            conn.execute(
                update(t.projects).where(t.projects.c.id == project_id).values(deleted_at=None)
            )
            keys = self.keys(conn, names_near=[_only_id(project_id)])
            back = next(k for k in keys if k.id == project_id)
            ctx = Context.of(keys)
            before = [k for k in keys if k.id != project_id]
            flips = _copy_flips(before, [back], ctx, skip={project_id})
            self._recount(conn, keys, {back.declaration}, ctx, skip=set(), copies=flips)

    def purge(self, project_id: str) -> int:
        """Delete a project for good, rows and all; returns how many were removed (0 or 1).

        Meant for the 回收站; a project not in it is removed too and its twins recounted.
        """
        with self.engine.begin() as conn:
            stored_keys = self.keys(conn, names_near=[_only_id(project_id)])
            gone = [k for k in stored_keys if k.id == project_id]
            removed = conn.execute(delete(t.projects).where(t.projects.c.id == project_id)).rowcount
            if gone:
                rest = [k for k in stored_keys if k.id != project_id]
                ctx = Context.of(rest)
                flips = _copy_flips(stored_keys, gone, ctx, skip={project_id})
                self._recount(conn, rest, {gone[0].declaration}, ctx, skip=set(), copies=flips)
        return removed

    def empty_trash(self) -> int:
        """Delete every project in the 回收站 for good; returns how many were removed."""
        with self.engine.begin() as conn:
            return conn.execute(delete(t.projects).where(_TRASHED)).rowcount

    def copy(self, project_id: str, name: str | None = None) -> Project:
        """Save a copy of a project as a new 草稿 (name default “…（副本）”) and return it."""
        p = self.load(project_id)
        p.id = None
        # The copy's name stays within what the readers accept (its 数据包 must import).
        suffix = "（副本）"
        p.name = name if name is not None else f"{p.name[: MAX_NAME_CHARS - len(suffix)]}{suffix}"
        p.status = STATUS_DRAFT
        self.save_many([p])
        return p

    def set_status(self, project_id: str, status: str) -> None:
        """Mark a project 草稿 or 定稿; 定稿 is refused (FinalizeError) while it has errors.

        The project is validated with the current settings and the other projects
        (rule P10); its stored counts are brought up to date as well. Each 定稿 of a
        project not yet 定稿 keeps a snapshot of it (定稿记录), in the same transaction.
        """
        if status not in (STATUS_DRAFT, STATUS_FINAL):
            raise ValueError(f"未知的项目状态“{status}”：只能是草稿（draft）或定稿（final）。")
        with self.engine.begin() as conn:
            loaded = self._load(conn, [project_id])
            if not loaded:
                raise KeyError(project_id)
            p = loaded[0]
            ctx = Context.of(self.keys(conn, names_near=[key_of(p)]))
            findings = validate(p, self.settings, ctx)
            errors = [f for f in findings if f.is_error]
            if status == STATUS_FINAL and errors:
                raise FinalizeError(p.name, errors)
            if status == STATUS_FINAL and p.status != STATUS_FINAL:
                p.status = STATUS_FINAL
                self._snapshot(conn, p, SNAPSHOT_FINAL)
            conn.execute(
                update(t.projects)
                .where(t.projects.c.id == project_id)
                .values(status=status, updated_at=_now(), **_counted(findings))
            )

    # ------------------------------------------------------------ 定稿记录 (snapshots)

    @staticmethod
    def _snapshot(conn: Connection, p: Project, label: str) -> int:
        result = conn.execute(
            insert(t.snapshots).values(
                project_id=p.id,
                taken_at=_now_precise(),  # microseconds: two in one second still order
                label=label,
                status=p.status or STATUS_DRAFT,
                indicator_count=len(p.indicators),
                data=_snapshot_json(p),
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def list_snapshots(self, project_id: str) -> list[SnapshotInfo]:
        """A project's 定稿记录, the newest first (also for a project in the 回收站)."""
        c = t.snapshots.c
        query = (
            select(c.id, c.project_id, c.taken_at, c.label, c.status, c.indicator_count)
            .where(c.project_id == project_id)
            .order_by(c.taken_at.desc(), c.id.desc())
        )
        with self.engine.connect() as conn:
            return [
                SnapshotInfo(
                    r.id, r.project_id, r.taken_at, r.label or "", r.status, r.indicator_count
                )
                for r in conn.execute(query)
            ]

    def load_snapshot(self, snapshot_id: int) -> Project:
        """The project as it was when the snapshot was taken (KeyError when there is none)."""
        with self.engine.connect() as conn:
            return self._snapshot_in(conn, snapshot_id)[1]

    @staticmethod
    def _snapshot_in(conn: Connection, snapshot_id: int) -> tuple[str, Project]:
        c = t.snapshots.c
        row = conn.execute(
            select(c.project_id, c.status, c.data).where(c.id == snapshot_id)
        ).first()
        if row is None:
            raise KeyError(snapshot_id)
        return row.project_id, _snapshot_project(row.data, row.status)

    def restore_snapshot(self, project_id: str, snapshot_id: int) -> Project:
        """Replace the project's content with the snapshot's, as a 草稿, in one transaction.

        The current content is kept first as a snapshot labelled 恢复前, so nothing
        is lost. KeyError when the project or the snapshot (of this project) is not stored.
        Returns the project as now stored.
        """
        with self.engine.begin() as conn:
            loaded = self._load(conn, [project_id])
            if not loaded:
                raise KeyError(project_id)
            owner, restored = self._snapshot_in(conn, snapshot_id)
            if owner != project_id:
                raise KeyError(snapshot_id)
            self._snapshot(conn, loaded[0], SNAPSHOT_BEFORE_RESTORE)
            restored.id = project_id
            restored.status = STATUS_DRAFT
            # A project in the 回收站 stays there, as with any save.
            self._save_in(conn, [restored], replace=True, untrash=False)
        return restored

    def recount_all(self) -> int:
        """Revalidate every project not in the 回收站 with the current settings, in one
        transaction; returns how many stored counts changed."""
        c = t.projects.c
        with self.engine.begin() as conn:
            stored = {
                r.id: {
                    "error_count": r.error_count,
                    "warning_count": r.warning_count,
                    "explained_count": r.explained_count,
                }
                for r in conn.execute(
                    select(c.id, c.error_count, c.warning_count, c.explained_count).where(_LIVE)
                )
            }
            ctx = Context.of(self.keys(conn))
            changed: list[dict[str, Any]] = []
            for chunk in _chunks(list(stored), 500):
                for p in self._load(conn, chunk):
                    now = _counted(validate(p, self.settings, ctx))
                    if now != stored[p.id or ""]:
                        changed.append({"pid": p.id, **{f"n_{k}": v for k, v in now.items()}})
            if changed:
                conn.execute(
                    update(t.projects)
                    .where(c.id == bindparam("pid"))
                    .values(
                        error_count=bindparam("n_error_count"),
                        warning_count=bindparam("n_warning_count"),
                        explained_count=bindparam("n_explained_count"),
                    ),
                    changed,
                )
        return len(changed)

    def _recount(
        self,
        conn: Connection,
        keys: list[ProjectKey],
        declarations: set[tuple[Any, ...]],
        ctx: Context,
        skip: set[str],
        copies: set[str] | None = None,
    ) -> None:
        """Recount the other projects whose P10 finding may have changed with this save,
        and those whose P13 finding did (``copies``, from ``_copy_flips``)."""
        affected = [
            k.id
            for k in keys
            if (k.declaration in declarations or k.id in (copies or ())) and k.id not in skip
        ]
        for p in self._load(conn, affected):
            self._store_counts(conn, p, ctx)

    def _store_counts(self, conn: Connection, p: Project, ctx: Context) -> None:
        conn.execute(
            update(t.projects)
            .where(t.projects.c.id == p.id)
            .values(**_counted(validate(p, self.settings, ctx)))
        )

    def _write(
        self, conn: Connection, p: Project, exists: bool, counted: dict[str, int], now: str
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
            review=json.dumps(p.review, ensure_ascii=False) if p.review else None,
            copied_from=p.copied_from,
            explanations=(
                json.dumps(explanations_to_list(p.explanations), ensure_ascii=False)
                if p.explanations
                else None
            ),
            status=p.status or STATUS_DRAFT,
            updated_at=now,
            **counted,
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

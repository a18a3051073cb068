"""The 指标库: common indicators to pick instead of retyping them.

Two sources, merged by name: the built-in library (``library_data.py``, the
real declarations in ``../shared/``) and the unit's own history (every
indicator of its live projects, read by ``desktop.store.history``). History
ranks first: what this unit wrote before is what it most likely writes again.

Pure Python: the window's completer and the 从指标库添加 dialog, and the store's
history reader, all speak ``LibraryEntry``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from desktop.models import taxonomy as tx
from desktop.models.library_data import BUILTIN
from desktop.models.project import DEFAULT_FAMILY, FAMILIES, Indicator, is_blank
from desktop.models.targets import read_target

SOURCE_LIBRARY = "库"
# forms.md: the minhang-2020 form has no 投入和管理 rows.
_FAMILIES_WITHOUT_MANAGEMENT = frozenset({"minhang-2020"})
# After the last 二级 of a 一级: where a row placed only by its 一级 goes.
_LEVEL1_ONLY = 9


@dataclass(frozen=True)
class LibraryEntry:
    """One indicator offered: canonical levels, its targets (most usual first), where it comes from.

    ``source`` is ``"库"`` for the built-in library, else how the unit used it
    (``"本单位 2021 年等 3 个项目"``); ``uses`` counts declarations (built-in) or
    projects (history) that used the name.
    """

    level1: str
    level2: str | None
    name: str
    targets: tuple[str, ...] = ()
    unit: str | None = None
    source: str = SOURCE_LIBRARY
    uses: int = 1
    last_year: int | None = None

    @property
    def target(self) -> str | None:
        """The usual target, or None when no source gave one."""
        return self.targets[0] if self.targets else None

    @property
    def from_history(self) -> bool:
        return self.source != SOURCE_LIBRARY

    @property
    def placement(self) -> tx.Placement:
        return tx.Placement(self.level1, self.level2)

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass(frozen=True)
class Usage:
    """Indicators written with one name, levels and target, as counted by the store.

    ``count`` is how many projects (or declarations) wrote exactly this;
    ``last_year`` the latest of their years.
    """

    name: str
    level1: str | None
    level2: str | None
    target: str | None
    count: int = 1
    last_year: int | None = None


def name_key(name: str) -> str:
    """Names compare without spaces and width differences (``工作人员 满意度`` = ``工作人员满意度``)."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def clean_target(name: str, target: str | None) -> str | None:
    """A target worth offering, in its standard form; None for a blank or the name repeated (I03)."""
    if is_blank(target):
        return None
    text = (target or "").strip()
    if name_key(text) == name_key(name):
        return None
    reading = read_target(text)
    return reading.standard if reading.kind in ("quantity", "word") else text


def unit_of(targets: Iterable[str]) -> str | None:
    """The unit of the first quantitative target (``=100%`` → ``%``), None when there is none."""
    for target in targets:
        reading = read_target(target)
        if reading.is_quantity:
            return reading.unit
    return None


def rank(
    level1: str | None, level2: str | None, framework: tx.Framework = tx.DEFAULT_FRAMEWORK
) -> int:
    """The framework's order of a placement: 产出 数量 … 满意度 … 投入和管理; unplaced last."""
    if level1 not in framework.level2:
        return 10_000
    l1 = framework.level1.index(level1)
    children = framework.level2[level1]
    l2 = children.index(level2) if level2 in children else _LEVEL1_ONLY
    return l1 * 10 + l2


# ---------------------------------------------------------------- building entries


@dataclass
class _Tally:
    """What the uses of one name add up to while folding."""

    name: str
    order: int
    uses: int = 0
    last_year: int | None = None
    placements: dict[tuple[str, str | None], int] = field(default_factory=dict)
    targets: dict[str, tuple[int, int]] = field(default_factory=dict)  # text → (count, last year)


def fold(
    usages: Iterable[Usage], totals: dict[str, tuple[int, int | None]] | None = None
) -> list[LibraryEntry]:
    """One entry per name from its uses: most used placement and targets first.

    ``totals`` (by ``name_key``) gives how many projects used a name and when
    last, when one project may be counted in several usages (the store's
    history); otherwise the counts are added up. A name no usage places in the
    taxonomy is left out: it could not fill a row's 一级/二级.
    """
    tallies: dict[str, _Tally] = {}
    for usage in usages:
        key = name_key(usage.name)
        if not key:
            continue
        tally = tallies.setdefault(key, _Tally(usage.name.strip(), len(tallies)))
        tally.uses += usage.count
        tally.last_year = _later(tally.last_year, usage.last_year)
        placement = tx.place(usage.level1, usage.level2)
        if placement.level1 is not None:
            where = (placement.level1, placement.level2)
            tally.placements[where] = tally.placements.get(where, 0) + usage.count
        target = clean_target(usage.name, usage.target)
        if target is not None:
            count, year = tally.targets.get(target, (0, None))
            tally.targets[target] = (count + usage.count, _later(year, usage.last_year))
    entries = []
    for key, tally in tallies.items():
        if not tally.placements:
            continue
        # the most used placement; dicts keep first-seen order, so ties go to the first
        level1, level2 = max(tally.placements, key=lambda p: tally.placements[p])
        order = list(tally.targets)
        targets = tuple(
            sorted(
                order,
                key=lambda t: (-tally.targets[t][0], -(tally.targets[t][1] or 0), order.index(t)),
            )
        )
        uses, last = (totals or {}).get(key, (tally.uses, tally.last_year))
        entries.append(
            LibraryEntry(
                level1=level1,
                level2=level2,
                name=tally.name,
                targets=targets,
                unit=unit_of(targets),
                uses=uses,
                last_year=last,
            )
        )
    return entries


def _later(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def history_source(n: int, year: int | None) -> str:
    """How the unit used a name: ``本单位 2021 年等 3 个项目``."""
    if year is None:
        return f"本单位 {n} 个项目"
    return f"本单位 {year} 年等 {n} 个项目" if n > 1 else f"本单位 {year} 年 1 个项目"


@lru_cache(maxsize=1)
def builtin_entries() -> tuple[LibraryEntry, ...]:
    """The built-in library: one entry per name of ``library_data.BUILTIN``."""
    rows = (Usage(name, l1, l2, target) for l1, l2, name, target in BUILTIN)
    return tuple(_checked_target(e) for e in fold(rows))


def _checked_target(entry: LibraryEntry) -> LibraryEntry:
    """The entry with only targets the checker accepts: the standard form where the rules
    offer one (``>=95%`` → ``≥95%``), none where they flag it (``提升…`` → ``提升``). The real
    declarations the library comes from carry their defects; a picked row should not."""
    kept: list[str] = []
    for target in entry.targets:
        fixed = _accepted(entry, target)
        if fixed is not None and fixed not in kept:
            kept.append(fixed)
    if tuple(kept) == entry.targets:
        return entry
    return replace(entry, targets=tuple(kept))


def _accepted(entry: LibraryEntry, target: str) -> str | None:
    from desktop.models.project import Project
    from desktop.models.rules import validate

    row = to_indicator(replace(entry, targets=(target,)), DEFAULT_FAMILY)
    found = [
        f
        for f in validate(Project(year=None, name="", indicators=[row]))
        if f.field == "indicators[0].target"
    ]
    if not found:
        return target
    if len(found) == 1 and found[0].suggestion:
        return found[0].suggestion
    return None


def history_entries(
    usages: Iterable[Usage], totals: dict[str, tuple[int, int | None]]
) -> list[LibraryEntry]:
    """The unit's own indicators (from the store), each with ``本单位 … 个项目`` as its source."""
    return [replace(e, source=history_source(e.uses, e.last_year)) for e in fold(usages, totals)]


# ---------------------------------------------------------------- the library


class Library:
    """Built-in and history entries merged by name; history first, then by use."""

    def __init__(
        self,
        history: Iterable[LibraryEntry] = (),
        builtin: Iterable[LibraryEntry] | None = None,
    ) -> None:
        merged: dict[str, LibraryEntry] = {}
        for entry in history:
            merged.setdefault(entry.key, entry)
        for entry in builtin_entries() if builtin is None else builtin:
            own = merged.get(entry.key)
            if own is None:
                merged[entry.key] = entry
            elif own.from_history:
                # the unit's targets first, the library's as further choices
                extra = tuple(t for t in entry.targets if t not in own.targets)
                if extra:
                    targets = own.targets + extra
                    merged[entry.key] = replace(own, targets=targets, unit=unit_of(targets))
        order = {key: n for n, key in enumerate(merged)}
        self.entries: tuple[LibraryEntry, ...] = tuple(
            sorted(merged.values(), key=lambda e: _usual(e, order[e.key]))
        )
        self._order = {e.key: n for n, e in enumerate(self.entries)}

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, name: str) -> LibraryEntry | None:
        """The entry of exactly this name (spaces and widths aside)."""
        n = self._order.get(name_key(name))
        return None if n is None else self.entries[n]

    def offered(
        self, family: str | None = None, framework: tx.Framework = tx.DEFAULT_FRAMEWORK
    ) -> list[LibraryEntry]:
        """Every entry the family's form can hold, history first, then the most used.

        Entries are placed in the project's framework (a 成本 entry is a 成本指标 一级 row
        from 2025 on); an entry the framework has no place for is not offered.
        """
        out = []
        for entry in self.entries:
            fitted = _fitted(entry, family, framework)
            if fitted is not None:
                out.append(fitted)
        return out

    def search(
        self,
        query: str,
        family: str | None = None,
        limit: int | None = None,
        framework: tx.Framework = tx.DEFAULT_FRAMEWORK,
    ) -> list[LibraryEntry]:
        """Entries whose name holds every word of ``query`` (or whose 一级/二级 does).

        Ranked: names starting with the query first, then names holding it,
        then entries found by their level words; within each, the unit's
        history before the library, then the most used. A blank query lists
        everything offered.
        """
        terms = [name_key(t) for t in query.split() if name_key(t)]
        if not terms:
            found = self.offered(family, framework)
            return found[:limit] if limit is not None else found
        scored = []
        for n, stored in enumerate(self.entries):
            entry = _fitted(stored, family, framework)
            if entry is None:
                continue
            name = name_key(entry.name)
            words = _level_words(entry.level1, entry.level2)
            if not all(t in name or any(t in w for w in words) for t in terms):
                continue
            prefix = name.startswith(terms[0])
            in_name = all(t in name for t in terms)
            scored.append(((not prefix, not in_name, n), entry))
        scored.sort(key=lambda pair: pair[0])
        found = [entry for _, entry in scored]
        return found[:limit] if limit is not None else found


def _usual(entry: LibraryEntry, first_seen: int) -> tuple[bool, int, int, int]:
    return (not entry.from_history, -entry.uses, -(entry.last_year or 0), first_seen)


def _fitted(
    entry: LibraryEntry, family: str | None, framework: tx.Framework
) -> LibraryEntry | None:
    """The entry as the family's form in this framework holds it, or None."""
    if family in _FAMILIES_WITHOUT_MANAGEMENT and entry.level1 == tx.MANAGEMENT:
        return None
    home = tx.into(entry.placement, framework)
    if home is None:
        return None
    if home == entry.placement:
        return entry
    return replace(entry, level1=home.level1 or entry.level1, level2=home.level2)


@lru_cache(maxsize=64)
def _level_words(level1: str, level2: str | None) -> tuple[str, ...]:
    """The words a level is known by: canonical and as every family prints it."""
    placement = tx.Placement(level1, level2)
    words = {level1, level2 or ""}
    for family in FAMILIES:
        words.add(tx.printed_level1(family, placement) or "")
        words.add(tx.printed_level2(family, placement) or "")
    return tuple(sorted(w for w in words if w))


def grouped(
    entries: Iterable[LibraryEntry], framework: tx.Framework = tx.DEFAULT_FRAMEWORK
) -> list[tuple[str, str | None, list[LibraryEntry]]]:
    """Entries by 一级 → 二级 in the framework's order; each group keeps the order given."""
    groups: dict[tuple[str, str | None], list[LibraryEntry]] = {}
    for entry in entries:
        groups.setdefault((entry.level1, entry.level2), []).append(entry)
    keys = sorted(groups, key=lambda k: rank(k[0], k[1], framework))
    return [(l1, l2, groups[(l1, l2)]) for l1, l2 in keys]


# ---------------------------------------------------------------- into a project


def to_indicator(entry: LibraryEntry, family: str) -> Indicator:
    """A table row for the entry, its 一级/二级 in the form family's own words."""
    placement = entry.placement
    return Indicator(
        level1=tx.printed_level1(family, placement),
        level2=tx.printed_level2(family, placement),
        name=entry.name,
        target=entry.target,
    )


def insertion_plan(
    rows: Sequence[Indicator],
    entries: Sequence[LibraryEntry],
    family: str,
    framework: tx.Framework = tx.DEFAULT_FRAMEWORK,
) -> list[tuple[int, Indicator]]:
    """Where each chosen entry goes, in taxonomy order: (position, row) to insert one after another.

    A row goes after the last row of its 二级, taking that row's written
    一级/二级 so the merged cells grow; without one, after the last row earlier
    in taxonomy order (or before the first later one); in an empty or
    unplaced table, at the end. Each position counts the rows inserted before it.
    """
    table = list(rows)
    plan: list[tuple[int, Indicator]] = []
    def order(level1: str | None, level2: str | None) -> int:
        return rank(level1, level2, framework)

    for entry in sorted(entries, key=lambda e: order(e.level1, e.level2)):
        row = to_indicator(entry, family)
        where = _placements(table, framework)
        same = [i for i, p in enumerate(where) if entry.level2 and p.level2 == entry.level2]
        if same:
            pos = same[-1] + 1
            row.level1, row.level2 = table[same[-1]].level1, table[same[-1]].level2
        else:
            mine = order(entry.level1, entry.level2)
            before = [
                i for i, p in enumerate(where) if p.placed and order(p.level1, p.level2) <= mine
            ]
            after = [
                i for i, p in enumerate(where) if p.placed and order(p.level1, p.level2) > mine
            ]
            pos = before[-1] + 1 if before else after[0] if after else len(table)
            # beside a row of the same 一级: write it as that row does, so the cell merges
            for neighbour in (pos - 1, pos):
                if 0 <= neighbour < len(table) and where[neighbour].level1 == entry.level1:
                    row.level1 = table[neighbour].level1
                    break
        table.insert(pos, row)
        plan.append((pos, row))
    return plan


def _placements(rows: Sequence[Indicator], framework: tx.Framework) -> list[tx.Placement]:
    return [tx.place(r.level1, r.level2, framework) for r in rows]


def fill_cells(
    row: Indicator,
    entry: LibraryEntry,
    family: str,
    framework: tx.Framework = tx.DEFAULT_FRAMEWORK,
) -> list[tuple[str, str]]:
    """What picking ``entry`` for ``row`` changes: the name, and the 一级/二级/target left blank.

    A level already written stays; a blank one is filled only where it agrees
    with what is written (a 二级 under the row's own 一级), so a row never ends
    up with levels that contradict each other.
    """
    made = to_indicator(entry, family)
    cells: list[tuple[str, str]] = [("name", entry.name)]
    written = tx.place(row.level1, row.level2, framework)
    l1_blank, l2_blank = is_blank(row.level1), is_blank(row.level2)
    if l1_blank and l2_blank:
        cells += [(a, v) for a, v in (("level1", made.level1), ("level2", made.level2)) if v]
    elif l2_blank and written.level1 == entry.level1 and made.level2:
        cells.append(("level2", made.level2))
    elif l1_blank and written.level1 == entry.level1 and made.level1:
        cells.append(("level1", made.level1))
    if is_blank(row.target) and made.target:
        cells.append(("target", made.target))
    return cells

"""The unit's own indicators: every 三级指标 of its live projects, for the 指标库.

One query counts, for each name as written with its 一级/二级 and target, how
many projects used it and the latest year, together with the name's totals;
``desktop.models.library`` folds that into one entry per name (its most used
placement and targets first). Projects in the 回收站 take no part.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

from desktop.models.library import LibraryEntry, Usage, history_entries, name_key

# ``used``: each (project, name, levels, target) once; ``per_name``: how many
# projects wrote a name and when last. Names compare trimmed; the model folds
# the rest (full-width forms, inner spaces).
HISTORY_SQL = """
WITH used AS (
    SELECT DISTINCT p.id AS project, p.year AS year, TRIM(i.name) AS name,
           i.level1 AS level1, i.level2 AS level2, i.target AS target
    FROM indicators AS i JOIN projects AS p ON p.id = i.project_id
    WHERE p.deleted_at IS NULL
      AND TRIM(COALESCE(i.name, '')) <> ''
      AND (:exclude IS NULL OR p.id <> :exclude)
),
per_name AS (
    SELECT name, COUNT(DISTINCT project) AS projects, MAX(year) AS last_year
    FROM used GROUP BY name
)
SELECT u.name, u.level1, u.level2, u.target,
       COUNT(DISTINCT u.project) AS uses, MAX(u.year) AS used_last,
       n.projects, n.last_year
FROM used AS u JOIN per_name AS n ON n.name = u.name
GROUP BY u.name, u.level1, u.level2, u.target, n.projects, n.last_year
ORDER BY n.projects DESC, n.last_year DESC, u.name, uses DESC, used_last DESC, u.target
"""


def read_history(engine: Engine, exclude: str | None = None) -> list[LibraryEntry]:
    """The unit's indicators, most used first; ``exclude`` leaves out one project (the open one)."""
    usages: list[Usage] = []
    named: dict[str, tuple[int, int | None]] = {}  # a name as SQL grouped it → its totals
    with engine.connect() as conn:
        for row in conn.execute(text(HISTORY_SQL), {"exclude": exclude}):
            name, level1, level2, target, uses, used_last, projects, last_year = row
            usages.append(Usage(name, level1, level2, target, uses, used_last))
            named[name] = (projects, last_year)
    # names SQL kept apart ("工作人员 满意度" / "工作人员满意度") are one name here
    totals: dict[str, tuple[int, int | None]] = {}
    for name, (projects, last_year) in named.items():
        before, year = totals.get(name_key(name), (0, None))
        totals[name_key(name)] = (before + projects, _later(year, last_year))
    return history_entries(usages, totals)


def _later(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)

"""The sizes a declaration may have: one definition for every reader and for the editor.

A project the window lets the clerk type must read back from its own 数据包 and workbook,
so the editor, the 数据包 reader and the Excel reader all take their limits from here.
"""

from __future__ import annotations

from decimal import Decimal

MAX_ROWS = 500  # indicator, 项目构成分解 or 制度保障 rows in one project
MAX_FIELD_CHARS = 20_000  # any free text (项目概况, a goal, a target …)
MAX_NAME_CHARS = 200  # 项目名称 and the other one-line names
MAX_AMOUNT_CHARS = 64  # an amount as written in a file, before it is read
# Amounts are below 10^15 元 (a thousand trillion), with at most 2 decimals: far above any
# budget, and small enough that every sum of 500 rows is exact in 28 significant digits.
MAX_AMOUNT = Decimal(10) ** 15

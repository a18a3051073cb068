"""The 【请填写…】 marks a template leaves for the clerk, and how the rules find them.

A template pre-fills a declaration with an outline; every place only the clerk
can fill holds such a mark. A mark left in is an error (rules P11 and I08), so a
template can never be 定稿'd unfilled.
"""

from __future__ import annotations

import re
import unicodedata

FILL_IN_MARK = "【请填写"
# The mark, also when half of it was deleted (``请填写系统名称】``).
_FILL_IN = re.compile(r"【\s*请填写|请填写[^】\n]{0,40}】")


def fill_in(what: str) -> str:
    """The mark asking for ``what``: ``fill_in("系统名称")`` → ``【请填写系统名称】``."""
    return f"{FILL_IN_MARK}{what}】"


def has_fill_in(text: str | None) -> bool:
    """True while text still holds a 【请填写…】 mark of a template."""
    if not text:
        return False
    return bool(_FILL_IN.search(unicodedata.normalize("NFKC", text)))

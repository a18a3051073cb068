"""Chinese line breaking (禁则) for the printed tables, pure Python.

A line may break between any two CJK characters, but never so that a line
starts with a closing mark (，。、；：？！）」』”》% …) nor ends with an opening one
(（「『“《 …); a run of Latin letters and digits (2017, 22,553,852.00, ISO dates)
stays whole when it fits on a line. Where a break would break a rule, the
previous character goes to the next line with it; nothing hangs past the
width, so nothing prints over a cell's border. The text's own characters are
kept, spaces included: the lines joined give the text back exactly.
"""

from __future__ import annotations

from collections.abc import Callable

# No line starts with these (closing marks, pauses, percent).
NO_START = frozenset("，。、；：？！）」』”’》〉】〕］｝〗％%,.;:?!)]}…·～")
# No line ends with these (opening marks).
NO_END = frozenset("（「『“‘《〈【〔［｛〖([{")
# Characters of a word that stays whole (numbers, Latin words, 2020-01-01, 1,234.00).
_WORD_EXTRA = frozenset(".,-_/:%'+@#&")
_SPACES = frozenset(" \u3000")


class Line(str):
    """A printed line; ``soft`` when the breaker ended it and its paragraph goes on."""

    soft: bool = False


def _soft(text: str) -> Line:
    line = Line(text)
    line.soft = True
    return line


def _wordish(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in _WORD_EXTRA)


def _breakable(text: str, i: int) -> bool:
    """Whether a line may end before ``text[i]`` (1 <= i < len(text))."""
    after = text[i]
    if after in _SPACES:
        return False  # a space stays on the line it follows
    j = i - 1
    while j > 0 and text[j] in _SPACES:
        j -= 1  # what a line ending in spaces shows last
    before = text[j]
    if after in NO_START or before in NO_END:
        return False
    # not inside a Latin word or number
    return not (j == i - 1 and _wordish(before) and _wordish(after))


def break_paragraph(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """One paragraph (no line feeds) cut into lines no wider than ``width``.

    ``measure(ch)`` is a character's advance. Lines never start with ``NO_START``
    nor end with ``NO_END``, unless a line of nothing but such marks leaves no
    choice; a word wider than the line is cut where it must. Trailing spaces
    may pass the width (they print nothing). The lines are ``Line`` strings:
    all but the last are ``soft`` (a writer may justify them).
    """
    if not text:
        return [Line("")]
    lines: list[str] = []
    start = 0
    n = len(text)
    while start < n:
        used = 0.0
        i = start
        while i < n:
            w = measure(text[i])
            if used + w > width + 1e-6 and i > start and text[i] not in _SPACES:
                break
            used += w
            i += 1
        if i >= n:
            lines.append(Line(text[start:]))
            break
        # text[start:i] fits; find the last allowed break at or before i
        cut = i
        while cut > start + 1 and not _breakable(text, cut):
            cut -= 1
        if not _breakable(text, cut):
            # no allowed break on this line: prefer breaking the rules for
            # marks only, then cut the word where the width ends
            cut = i
            while cut > start + 1 and (text[cut] in NO_START or text[cut - 1] in NO_END):
                cut -= 1
        lines.append(_soft(text[start:cut]))
        start = cut
    return lines


def break_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """A text cut into lines: its own line feeds kept, each paragraph broken by ``break_paragraph``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    for para in text.split("\n"):
        out += break_paragraph(para, width, measure)
    return out


def bad_starts(lines: list[str]) -> list[int]:
    """Indices of lines that start with a mark no line may start with (a check for tests)."""
    return [k for k, ln in enumerate(lines) if k and ln[:1] in NO_START]

"""Chinese line breaking (禁则): which characters may start or end a line, and nothing lost."""

from __future__ import annotations

import random

import pytest

from desktop.export.linebreak import NO_END, NO_START, bad_starts, break_lines, break_paragraph


def em(ch: str) -> float:
    """A font where every CJK character is 1 wide and every ASCII one 0.5."""
    return 0.5 if ch.isascii() else 1.0


def test_the_issues_marks_never_start_or_end_a_line() -> None:
    assert set("，。、；：？！）」』”》%,.;:?!)") <= NO_START
    assert set("（「『“《(") <= NO_END


def test_a_comma_that_would_start_a_line_takes_the_character_before_it_along() -> None:
    # 10 characters to a line: the 11th is ，
    lines = break_paragraph("一二三四五六七八九十，力保一线。", 10, em)
    assert lines == ["一二三四五六七八九", "十，力保一线。"]


def test_an_opening_bracket_never_ends_a_line() -> None:
    lines = break_paragraph("一二三四五六七八九《机关事务管理条例》", 10, em)
    assert lines[0] == "一二三四五六七八九"
    assert lines[1].startswith("《")


def test_closing_marks_in_a_row_stay_together() -> None:
    lines = break_paragraph("一二三四五六七八九十》。”后面", 10, em)
    assert lines == ["一二三四五六七八九", "十》。”后面"]
    assert all(len(ln) <= 10 for ln in lines)


def test_a_number_is_not_cut_when_it_fits_on_the_next_line() -> None:
    lines = break_paragraph("一二三四五六七八九2017年", 10, em)
    assert lines == ["一二三四五六七八九", "2017年"]


def test_a_word_wider_than_the_line_is_cut_at_the_width() -> None:
    lines = break_paragraph("x" * 30, 10, em)
    assert [len(ln) for ln in lines] == [20, 10]


def test_a_space_stays_at_the_end_of_its_line_and_no_space_is_added() -> None:
    text = "职业前景 and 良好的政府雇员体制机制"
    lines = break_paragraph(text, 6, em)
    assert "".join(lines) == text
    assert not any(ln.startswith(" ") for ln in lines)


def test_a_line_of_nothing_but_marks_still_ends() -> None:
    lines = break_paragraph("，。、；：？！" * 5, 3, em)
    assert "".join(lines) == "，。、；：？！" * 5
    assert all(em_width(ln) <= 3 for ln in lines)


def em_width(line: str) -> float:
    return sum(em(c) for c in line)


def test_every_line_but_a_paragraphs_last_is_soft() -> None:
    lines = break_lines("一二三四五六七八九十一二三\n甲乙", 5, em)
    assert lines == ["一二三四五", "六七八九十", "一二三", "甲乙"]
    assert [getattr(ln, "soft", False) for ln in lines] == [True, True, False, False]


def test_typed_line_feeds_are_kept_and_blank_lines_too() -> None:
    assert break_lines("甲\r\n\n乙", 10, em) == ["甲", "", "乙"]


@pytest.mark.parametrize("seed", range(20))
def test_random_text_loses_nothing_and_keeps_every_rule(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "区机管局统一操作人员也由管理" * 3 + "，。、；：？！）」』”》%（「『“《2017 ab"
    text = "".join(rng.choice(alphabet) for _ in range(3000))
    width = rng.choice([5, 8, 13, 30.5])
    lines = break_paragraph(text, width, em)
    assert "".join(lines) == text
    assert all(em_width(ln.rstrip()) <= width for ln in lines)
    # a rule may give way only where a whole line is marks (no other break was possible)
    for k in bad_starts(lines):
        prev = lines[k - 1]
        assert all(c in NO_START or c in NO_END or c == " " for c in prev[1:]), (k, prev)
    for k, ln in enumerate(lines[:-1]):
        if ln.rstrip()[-1:] in NO_END:
            assert all(c in NO_START or c in NO_END or c == " " for c in ln[1:]), (k, ln)

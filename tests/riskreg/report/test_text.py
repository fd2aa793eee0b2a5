"""The report's words: numbers as words, figures filled into the team's prose, numbering."""

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from riskreg.report import text as report_text
from riskreg.report.text import (
    Numberer,
    capfirst,
    computed,
    count_noun,
    fill,
    join_words,
    number_words,
    plain,
    unknown_tokens,
    without_sentences_holding,
)
from risks.text import Block, blocks


@pytest.mark.parametrize(
    ("n", "words"),
    [(0, "zero"), (1, "one"), (2, "two"), (8, "eight"), (11, "eleven"), (16, "sixteen"),
     (20, "twenty"), (21, "twenty-one"), (99, "ninety-nine"), (100, "one hundred"),
     (105, "one hundred and five"), (342, "three hundred and forty-two"), (1200, "1,200")],
)
def test_numbers_are_written_as_the_report_writes_them(n, words):
    assert number_words(n) == words


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        number_words(-1)


def test_small_helpers():
    assert count_noun(1, "risk") == "one risk"
    assert count_noun(2, "risk") == "two risks"
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert capfirst("eight risks") == "Eight risks"


def test_figures_are_filled_in_and_unknown_names_reported():
    values = {"appendix_b_count": "four"}
    assert fill("information on {appendix_b_count} of the risks", values) == (
        "information on four of the risks"
    )
    assert fill("{Appendix_b_count} risks", values) == "Four risks"
    assert fill("{nothing} stays", values) == "{nothing} stays"
    assert unknown_tokens("{appendix_b_count} {green} {x}", {"appendix_b_count"}) == ["green", "x"]


def test_numbering_runs_on_across_parts_and_lists_join_their_paragraph():
    numberer = Numberer(1)
    first = numberer.paragraphs("One.\n\nTwo:\n- a\n- b")
    assert [n.number for n in first] == ["1.1", "1.2"]
    assert first[1].blocks[1] == Block("ul", items=("a", "b"))
    assert numberer.next() == "1.3"


def test_a_name_that_opens_a_sentence_takes_a_capital():
    values = {"green_count": "eight"}
    assert fill("{green_count} risks are green.", values) == "Eight risks are green."
    assert fill("Done. {green_count} are green.", values) == "Done. Eight are green."
    assert fill("First.\n\n{green_count} are green.", values) == "First.\n\nEight are green."
    assert fill("- {green_count} are green", values) == "- Eight are green"
    # A line wrapped by hand is not a new sentence.
    assert fill("of which\n{green_count} are green", values) == "of which\neight are green"


def test_an_empty_name_takes_its_sentence_out():
    values = {"score_changes": "", "green_count": "eight"}
    tail = " following the refresh rather than as a result of controls being implemented."
    assert fill("{score_changes}" + tail, values) == ""
    assert fill("Before. {score_changes}" + tail + " After.", values) == "Before. After."
    assert fill("First.\n\n{score_changes}" + tail + "\n\nLast.", values) == "First.\n\n\n\nLast."
    assert fill("- a\n- {score_changes} here\n- {green_count}", values) == "- a\n- Eight"
    assert blocks(fill("Kept. {score_changes}.", values)) == [Block("p", "Kept.")]


# Filling in linear time -------------------------------------------------------------------
#
# fill() takes out the sentences of empty names in one pass. Before, it took them out one at
# a time, rescanning the whole text for each: quadratic in the number of names. What it must
# still give is what that did, written out here as the specification.

_BREAK = r"[.!?]\s+|\n[ \t]*\n\s*|^[ \t]*[-•*–][ \t]+"
_SENTENCE_START = re.compile(rf"(?:\A\s*|{_BREAK})\Z", re.MULTILINE)
_SENTENCE_BREAK = re.compile(_BREAK, re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?](?=\s|\Z)|(?=\n[ \t]*\n)|(?=\n[ \t]*[-•*–][ \t])|\Z")
_EMPTY_BULLET = re.compile(r"^[ \t]*[-•*–][ \t]*(?:\n|\Z)", re.MULTILINE)
_TOKEN = re.compile(r"\{(\w+)\}")


def one_sentence_at_a_time(text: str, values: dict[str, str]) -> str:
    while True:
        empty = next((m for m in _TOKEN.finditer(text) if values.get(m[1].lower()) == ""), None)
        if empty is None:
            break
        head, tail = text[: empty.start()], text[empty.end():]
        cut = 0
        for brk in _SENTENCE_BREAK.finditer(head):
            cut = brk.end()
        tail = tail[_SENTENCE_END.search(tail).end():]
        kept = head[:cut]
        if not kept or kept[-1].isspace():
            tail = tail.lstrip(" \t")
        text = _EMPTY_BULLET.sub("", kept + tail)

    def replace(match: re.Match) -> str:
        value = values.get(match[1].lower())
        if value is None:
            return match[0]
        starts = match[1][:1].isupper() or _SENTENCE_START.search(text, 0, match.start())
        return value[:1].upper() + value[1:] if starts else value

    return _TOKEN.sub(replace, text)


VALUES = {"score_changes": "", "benchmark": "", "green_count": "eight", "red_count": "one risk"}
# Everything the rules look at: names empty, filled, capitalised and unknown; full stops,
# line breaks, blank lines, bullets of each kind, indents, other whitespace, stray braces.
PIECES = [
    "{score_changes}", "{benchmark}", "{green_count}", "{red_count}", "{Green_count}",
    "{Score_changes}", "{unknown}", "word", "a", " ", "  ", "\t", "\n", "\n\n", "\n \n", "\r\n",
    ".", "!", "?", ",", ":", "-", "- ", "• ", "* ", "–", "\n- ", "\n  - ", "\n•\t", ". ", ".\n",
    "\x0b", "\u2028", "{", "}",
]
UNIT = "{score_changes} rose. {green_count} are green.\n- {score_changes} here\n- {green_count}\n\n"


@pytest.mark.parametrize(
    "text",
    [
        "Intro. " + UNIT * 3,
        "{score_changes}. {score_changes}. Kept. {score_changes}, gone. {green_count} stay.",
        "- {score_changes}\n- {score_changes}\n- kept\n- {score_changes}",
        "A.\n  - {score_changes} x\n  - {green_count}",
        "First:\n{score_changes} one.\n\n- {benchmark}\n\n{green_count} are green",
        "- \n{score_changes} typed an empty bullet above.\n- \nKept.",
        "A.   \n\n   {score_changes}.\n- {score_changes}\n{green_count}",
    ],
)
def test_taking_out_sentences_gives_what_taking_them_out_one_at_a_time_gave(text):
    assert fill(text, VALUES) == one_sentence_at_a_time(text, VALUES)


# New examples every run, CI included (tests/conftest.py picks and prints the run's seed); the
# boundaries every run: nothing, every piece once, and a long text of paragraphs and bullets.
@settings(max_examples=200, deadline=None, derandomize=False, print_blob=True)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
@example("")
@example("".join(PIECES))
@example(UNIT * 40)
def test_any_text_fills_as_it_did_one_sentence_at_a_time(text):
    assert fill(text, VALUES) == one_sentence_at_a_time(text, VALUES)


class CountingPattern:
    """A compiled pattern that adds up how many characters each call scans, at least."""

    def __init__(self, pattern: re.Pattern, scanned: list[int]):
        self.pattern, self.scanned = pattern, scanned

    def _end(self, string: str, endpos: int | None) -> int:
        return len(string) if endpos is None else min(endpos, len(string))

    def search(self, string, pos=0, endpos=None):
        found = self.pattern.search(string, pos, self._end(string, endpos))
        self.scanned[0] += (found.end() if found else self._end(string, endpos)) - pos
        return found

    def match(self, string, pos=0, endpos=None):
        found = self.pattern.match(string, pos, self._end(string, endpos))
        self.scanned[0] += found.end() - pos if found else 1
        return found

    def finditer(self, string, pos=0, endpos=None):
        end, last = self._end(string, endpos), pos
        for found in self.pattern.finditer(string, pos, end):
            self.scanned[0] += found.end() - last
            last = found.end()
            yield found
        self.scanned[0] += end - last

    def sub(self, repl, string, count=0):
        self.scanned[0] += len(string)
        return self.pattern.sub(repl, string, count)


def scanned_to_fill(monkeypatch, text: str) -> int:
    scanned = [0]
    with monkeypatch.context() as patch:
        for name, value in vars(report_text).items():
            if isinstance(value, re.Pattern):
                patch.setattr(report_text, name, CountingPattern(value, scanned))
        report_text.fill(text, VALUES)
    return scanned[0]


def test_filling_10000_names_scans_each_character_a_few_times(monkeypatch):
    """Work counted, not timed: the characters the regular expressions are given to scan
    (the function's own loops walk only inside those). One at a time, the 1,000 names took
    over 700 scans of each character; 10,000 would take ten times as many again."""
    small, large = "Intro. " + UNIT * 250, "Intro. " + UNIT * 2_500
    assert len(report_text.TOKEN.findall(large)) == 10_000
    per_char_small = scanned_to_fill(monkeypatch, small) / len(small)
    per_char_large = scanned_to_fill(monkeypatch, large) / len(large)
    assert per_char_large < 5
    assert per_char_large < per_char_small * 1.1
    assert fill(large, VALUES) == "Intro. " + "Eight are green.\n- Eight\n\n" * 2_500


def test_computed_words_are_marked_and_typed_text_cannot_pass_for_them():
    marked = computed("eight")
    assert marked != "eight" and plain(marked) == "eight"
    assert computed("") == ""  # an empty value still takes its sentence out
    assert plain(capfirst(marked)) == "Eight"
    filled = fill("{green_count} are green. Some {green_count}.", {"green_count": marked})
    assert plain(filled) == "Eight are green. Some eight."
    assert plain(f"typed {marked[0]}x{marked[-1]}") == "typed x"


def test_a_copy_leaves_out_the_sentences_that_continued_a_name():
    text = (
        "Eight are green. {score_changes} following the refresh rather than as a result of "
        "controls.\n\n- {score_changes} here too\n- Kept."
    )
    left = without_sentences_holding(text, {"score_changes"})
    assert blocks(left) == [Block("p", "Eight are green."), Block("ul", items=("Kept.",))]
    assert without_sentences_holding("No names.", {"score_changes"}) == "No names."

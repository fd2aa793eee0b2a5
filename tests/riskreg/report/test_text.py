"""The report's words: numbers as words, figures filled into the team's prose, numbering."""

import pytest

from riskreg.report.text import (
    Numberer,
    capfirst,
    count_noun,
    fill,
    join_words,
    number_words,
    unknown_tokens,
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

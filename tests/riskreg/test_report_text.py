"""The report's words: numbers as words, the computed sentences, and the team's prose."""

import pytest

from riskreg.numbers import capfirst, count_noun, join_words, number_words
from riskreg.prose import Block, Numberer, blocks, fill, unknown_tokens
from riskreg.report_data import Figures, register_words, risk_name


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


def figures(green=0, amber=0, red=0, **kw):
    total = green + amber + red
    return Figures(total=total, approved=total, green=green, amber=amber, red=red,
                   appendix_b=kw.get("appendix_b", 0))


def test_the_october_2021_summary_sentence_comes_from_the_counts():
    assert figures(green=8, amber=2).summary_sentence == (
        "In terms of progress against our corporate risks, eight are assessed by the respective "
        "risk owners and working leads to be 'green' and two risks are assessed to be 'amber'."
    )


def test_the_october_2021_position_sentence_starts_with_a_capital():
    assert figures(green=8, amber=2).position_sentence == (
        "Eight risks are reporting a 'green' status and on track this quarter and two risks "
        "are reporting an 'amber' status."
    )


def test_sentences_agree_in_number_and_name_red_risks():
    f = figures(green=1, amber=1, red=3)
    assert f.summary_sentence == (
        "In terms of progress against our corporate risks, one is assessed by the respective "
        "risk owners and working leads to be 'green', one risk is assessed to be 'amber' and "
        "three risks are assessed to be 'red'."
    )
    assert f.position_sentence == (
        "One risk is reporting a 'green' status and on track this quarter, one risk is "
        "reporting an 'amber' status and three risks are reporting a 'red' status."
    )


def test_a_colour_nobody_reports_is_left_out():
    assert figures(amber=2).position_sentence == "Two risks are reporting an 'amber' status."
    assert "green" not in figures(amber=2).summary_sentence


def test_no_assessed_risk_says_so():
    assert figures().summary_sentence.endswith("none has yet been assessed.")
    assert figures().position_sentence == "No risk has reported its progress this quarter yet."


def test_risk_names_read_as_section_1_writes_them():
    assert risk_name("VIOLENT CRIME") == "Violent Crime"
    assert risk_name("PUBLIC & LOCAL ENGAGEMENT") == "Public and Local Engagement"
    assert risk_name("LEGITIMACY") == "Legitimacy"
    assert register_words("Corporate risk register") == "corporate"
    assert register_words("Frontline Policing register") == "frontline policing"


def test_prose_paragraphs_and_lists():
    text = "First para\nwraps here.\n\nThe Panel is asked to:\n- Note one.\n- Note two.\n\nLast."
    assert blocks(text) == [
        Block("p", "First para wraps here."),
        Block("p", "The Panel is asked to:"),
        Block("ul", items=("Note one.", "Note two.")),
        Block("p", "Last."),
    ]
    assert blocks("\r\n  \r\n") == []


def test_prose_keeps_markup_as_text():
    # Structure only: the templates escape every line, so markup stays visible as typed.
    assert blocks('<img src="file:///etc/passwd">') == [Block("p", '<img src="file:///etc/passwd">')]


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

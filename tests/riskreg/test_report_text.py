"""The report's words: numbers as words, the computed sentences, and the team's prose."""

import pytest

from riskreg.numbers import capfirst, count_noun, join_words, number_words
from riskreg.prose import Block, Numberer, blocks, fill, unknown_tokens
from riskreg.report_data import (
    Figures,
    ScoreChange,
    progress_options_words,
    register_words,
    risk_name,
    score_changes_words,
)


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


def test_progress_options_are_counted_and_listed_from_the_choices():
    assert progress_options_words() == (
        "four possible options: On track; Limited; Slipped and No progress"
    )
    assert join_words(["a", "b", "c"], separator="; ") == "a; b and c"


def changes(*rows):
    return [ScoreChange(i, horizon, before, after, source)
            for i, (horizon, before, after, source) in enumerate(rows, 1)]


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([], ""),
        ([("long", 9, 6, "reassessment")],
         "one long-term risk has seen a decrease in score, but this is due to a reassessment of "
         "score"),
        ([("short", 9, 6, "controls"), ("short", 8, 4, "controls")],
         "two short-term risks have seen a decrease in score as a result of controls being "
         "implemented"),
        ([("short", 9, 6, "controls"), ("long", 8, 4, "reassessment"), ("long", 8, 4, "")],
         "three risks (one short-term and two long-term) have seen a decrease in score: one as a "
         "result of controls being implemented, one due to a reassessment of score and one with "
         "no reason recorded"),
        ([("long", 6, 9, "reassessment")],
         "one long-term risk has seen an increase in score due to a reassessment of score"),
        ([("long", 6, 9, ""), ("short", 6, 3, "controls"), ("long", 4, 6, "")],
         "one short-term risk has seen a decrease in score as a result of controls being "
         "implemented. Two long-term risks have seen an increase in score"),
    ],
)
def test_score_changes_in_words(rows, words):
    assert score_changes_words(changes(*rows)) == words

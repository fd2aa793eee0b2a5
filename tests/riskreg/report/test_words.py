"""The report's computed words (riskreg/report/words.py): figures, score changes, risks named
as section 1 names them, and the words that stand in for what was not written this quarter."""

import datetime

import pytest

from riskreg.report.text import join_words
from riskreg.report.words import (
    Figures,
    ScoreChange,
    breach_sentence,
    no_update_words,
    progress_options_words,
    reasons_already_said,
    reasons_lead,
    register_words,
    risk_name,
    score_change_sentences,
    score_changes_words,
)
from risks.models import Assessment, ReportingPeriod


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


def named(*rows):
    return [ScoreChange(ref, horizon, before, after, source, title=title)
            for ref, title, horizon, before, after, source in rows]


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([], ""),
        ([(4, "PEOPLE", "long", 6, 4, "controls")],
         "Risk 4 (People) has seen a decrease in score as a result of controls being "
         "implemented."),
        ([(1, "VIOLENT CRIME", "short", 6, 4, "reassessment"),
          (9, "PUBLIC & LOCAL ENGAGEMENT", "long", 6, 3, "reassessment"),
          (2, "CYBER", "short", 4, 6, "")],
         "Risk 1 (Violent Crime) and risk 9 (Public and Local Engagement) have seen a decrease "
         "in score due to a reassessment of score. Risk 2 (Cyber) has seen an increase in score "
         "with no reason recorded."),
        ([(3, "STANDARDS", "short", 9, 6, "controls"), (5, "DATA", "long", 9, 6, "reassessment"),
          (7, "TECHNOLOGY", "long", 4, 6, "controls")],
         "Risk 3 (Standards) has seen a decrease in score as a result of controls being "
         "implemented. Risk 5 (Data) has seen a decrease in score due to a reassessment of score. "
         "Risk 7 (Technology) has seen an increase in score as a result of changes to controls."),
    ],
)
def test_score_change_sentences_name_each_risk_and_why(rows, words):
    # Decreases first, then increases; within each, controls before a re-assessment.
    assert score_change_sentences(named(*rows)) == words


def test_a_title_does_not_make_two_score_changes_differ():
    assert ScoreChange(4, "long", 9, 6, "controls", title="PEOPLE") == ScoreChange(
        4, "long", 9, 6, "controls"
    )


def test_carried_commentary_and_reasons_in_words():
    q2 = ReportingPeriod(name="2021/22 Q2", start=datetime.date(2021, 7, 1))
    q2.pk = 1
    a = Assessment(progress="limited", commentary_carried_from=q2,
                   reasons="Funding is not  secured.")
    assert no_update_words(a) == "No update since 2021/22 Q2."
    assert reasons_lead(a) == "Why progress is Limited:"
    assert reasons_already_said(a, "First. Funding is not\nsecured. Then.")
    assert not reasons_already_said(a, "Funding is secured.")
    assert not reasons_already_said(Assessment(progress="limited", reasons=""), "anything")


def _scored(ref, title, likelihood, impact, tolerance):
    return Assessment(ref=ref, title=title, likelihood=likelihood, impact=impact,
                      tolerance=tolerance)


def test_the_breach_sentence_names_only_risks_above_their_tolerance():
    within = _scored(2, "PEOPLE", 2, 3, 6)
    untolerated = _scored(5, "FINANCE", 4, 4, None)
    above = _scored(1, "VIOLENT CRIME", 3, 3, 6)
    assert breach_sentence([within, untolerated]) == ""
    assert breach_sentence([]) == ""
    assert breach_sentence([within, above]) == (
        "Risk 1 (Violent Crime) is above its tolerance, the highest current score that is "
        "acceptable for it (risk 1: score 9 against 6)."
    )
    also = _scored(7, "PUBLIC & LOCAL ENGAGEMENT", 4, 3, 9)
    assert breach_sentence([above, also, untolerated]) == (
        "Risk 1 (Violent Crime) and risk 7 (Public and Local Engagement) are above their "
        "tolerance, the highest current score that is acceptable for each (risk 1: score 9 "
        "against 6; risk 7: score 12 against 9)."
    )


def test_an_unscored_risk_is_never_in_breach():
    assert not _scored(10, "LEGITIMACY", None, None, 4).in_breach

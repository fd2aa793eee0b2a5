"""What the report says, built from the data: the computed sentences, the October 2021 seed,
and a fixed query count."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maturity.models import ActionPlan, PlanAction, PlanItem, Theme
from riskreg.report.data import build
from riskreg.report.document import render_body
from riskreg.report.models import Report
from riskreg.report.words import ScoreChange
from risks.models import Assessment, Indicator, IndicatorValue, ReportingPeriod, Risk
from risks.text import Block
from tests.factories import (
    make_assessment,
    make_control,
    make_control_update,
    make_period,
    make_register,
    make_risk,
)


@pytest.fixture
def october(seed):
    call_command("loaddata", "report_2021_10", verbosity=0)
    return Report.objects.select_related("period", "register").get(pk=1)


def numbered(doc):
    return {p.item.number: p.item for p in doc.section1 if p.kind == "numbered"}


def position_update(doc):
    """The numbered paragraph under "Risk position update" (1.3 in October 2021)."""
    at = next(i for i, p in enumerate(doc.section1) if p.text == "Risk position update")
    return doc.section1[at + 1].item


def test_the_figures_are_counted_from_the_approved_assessments(october):
    doc = build(october)
    f = doc.figures
    assert (f.total, f.green, f.amber, f.red, f.appendix_b) == (11, 8, 2, 0, 4)
    assert doc.summary_figures[0].text.startswith(
        "In terms of progress against our corporate risks, eight are assessed by the respective "
        "risk owners and working leads to be 'green' and two risks are assessed to be 'amber'. "
        "Following discussion at Risk and Assurance Board"
    )


def test_section_1_numbers_the_paragraphs_as_the_seed(october):
    items = numbered(build(october))
    assert list(items) == [f"1.{n}" for n in range(1, 14)]
    assert items["1.2"].blocks[0].text.startswith(
        "We have provided information on four of the risks at Appendix B"
    )
    assert items["1.3"].blocks[0].text.startswith(
        "Eight risks are reporting a 'green' status and on track this quarter and two risks are "
        "reporting an 'amber' status. One long-term risk has seen a decrease in score"
    )
    leads = [items[f"1.{n}"].lead for n in range(4, 11)]
    assert leads == [
        "Violent Crime (risk 1 – short-term):",
        "Standards (risk 3 – short-term):",
        "Public and Local Engagement (risk 9 – long-term):",
        "Estates (risk 11 – long-term):",
        "People (risk 4 – long-term):",
        "Technology (risk 7 – long-term):",
        "Legitimacy (risk 10 – long-term)",
    ]
    assert items["1.10"].lead_alone
    assert items["1.11"].blocks[0].text.startswith("We have analysed the findings")
    assert items["1.13"].blocks[0].text.startswith("We will provide regular updates")


SEED_1_2 = (
    "We have provided information on four of the risks at Appendix B including risk appetite and "
    "the key controls in progress to improve the position of the risk. It sets out the status of "
    "those controls and provides an overall assessment on the progress being made towards "
    "achieving the 'target score' with four possible options: On track; Limited; Slipped and No "
    "progress. Detailed templates for all risks can be provided if required."
)
SEED_1_3 = (
    "Eight risks are reporting a 'green' status and on track this quarter and two risks are "
    "reporting an 'amber' status. One long-term risk has seen a decrease in score, but this is "
    "due to a reassessment of score following the refresh rather than as a result of controls "
    "being implemented."
)


def test_paragraphs_1_2_and_1_3_read_as_the_seed_with_no_figure_typed_in(october):
    items = numbered(build(october))
    assert items["1.2"].blocks[0].text == SEED_1_2
    assert items["1.3"].blocks == [Block("p", SEED_1_3)]
    typed = f"{october.introduction} {october.position_notes}"
    for figure in ("four", "One long-term", "decrease", "On track", "Slipped"):
        assert figure not in typed


def test_the_score_change_is_risk_4s_reassessment_since_q1(october):
    doc = build(october)
    assert doc.score_changes == [ScoreChange(4, "long", before=9, after=6, source="reassessment")]


def test_a_score_cut_by_controls_and_a_rise_are_said_too(october):
    q3 = make_period("2021-22-q3", start=datetime.date(2021, 10, 1), state="open")
    for ref in range(1, 12):
        risk = Risk.objects.get(register=october.register, ref=ref)
        before = Assessment.objects.get(risk=risk, period=october.period)
        fields = {"likelihood": before.likelihood, "impact": before.impact}
        if ref in (1, 2):  # 6 → 3: controls
            fields.update(likelihood=1, score_change_source="controls")
        if ref == 5:  # 8 → 12: re-assessed
            fields.update(likelihood=3, score_change_source="reassessment")
        make_assessment(risk, q3, state="approved", reasons="Why", **fields)
    report = Report.objects.create(register=october.register, period=q3,
                                   meeting_date=datetime.date(2022, 1, 10),
                                   position_notes="{score_changes}.")
    doc = build(report)
    assert [(c.ref, c.direction) for c in doc.score_changes] == [
        (1, "decrease"), (2, "decrease"), (5, "increase")
    ]
    assert position_update(doc).blocks[0].text.endswith(
        "this quarter. Two short-term risks have seen a decrease in score as a result of controls "
        "being implemented. One long-term risk has seen an increase in score due to a "
        "reassessment of score."
    )


def test_no_score_change_leaves_the_sentence_out(october):
    q3 = make_period("2021-22-q3", start=datetime.date(2021, 10, 1), state="open")
    for a in Assessment.objects.filter(period=october.period):
        make_assessment(a.risk, q3, likelihood=a.likelihood, impact=a.impact, trend=a.trend,
                        progress=a.progress, reasons=a.reasons, state="approved")
    # The October text carried forward: its sentence about the score change goes with it.
    report = Report.objects.create(register=october.register, period=q3,
                                   meeting_date=datetime.date(2022, 1, 10),
                                   position_notes=october.position_notes)
    doc = build(report)
    assert doc.score_changes == []
    assert position_update(doc).blocks == [Block("p", (
        "Eight risks are reporting a 'green' status and on track this quarter and two risks are "
        "reporting an 'amber' status."
    ))]


def test_commentary_comes_from_the_assessments_paragraph_by_paragraph(october):
    items = numbered(build(october))
    people = items["1.8"]
    assert len(people.blocks) == 4
    assert "2,438 officers were recruited" in people.blocks[1].text
    technology = items["1.9"]
    assert technology.blocks[-1].text.startswith("Risk and Assurance Board commissioned a paper")


def test_subheadings_group_the_risks_to_note(october):
    doc = build(october)
    headings = [p.text for p in doc.section1 if p.kind in ("heading", "subheading")]
    assert headings == [
        "Corporate risk update", "Risk position update", "'On track' risks to note are:",
        "'Limited' risks to note are:", "Risk maturity action plan",
    ]


def test_only_chosen_on_track_risks_are_noted_but_every_other_risk_is(october):
    october.noted_risks.set(october.noted_risks.filter(ref__in=[1]))
    leads = [i.lead for i in numbered(build(october)).values() if i.lead]
    assert leads[0].startswith("Violent Crime") and not any("Standards" in x for x in leads)
    assert any(x.startswith("People") for x in leads)
    assert any(x.startswith("Legitimacy") for x in leads)


def test_appendix_b_holds_the_chosen_risks_with_their_key_controls(october):
    doc = build(october)
    assert [r.risk.ref for r in doc.road_to_target] == [1, 3, 9, 11]
    first = doc.road_to_target[0]
    assert [row.control.title for row in first.controls] == [
        "Op Orochi – disrupting and closing County Lines", "Violence against women and girls",
    ]
    assert [row.status_label for row in first.controls] == ["In progress", "In progress"]
    assert ("On track", True) in first.progress_options
    assert doc.appendices[1].sensitive


def test_appendix_a_and_c_use_the_registers_and_the_plans_builders(october):
    doc = build(october)
    assert [(h, [a.risk.ref for a in rows]) for h, _, rows in doc.by_horizon] == [
        ("short", [1, 2, 3]), ("long", [4, 5, 6, 7, 8, 9, 10, 11]),
    ]
    assert [m.horizon for m in doc.heat_maps] == ["short", "long"]
    assert doc.alignment.unscored_note == "Risk 10 is still to be finalised"
    assert [t.theme.title for t in doc.plan_rows] == [
        "Achieving an embedded risk culture", "Improving governance",
        "Improving organisational learning",
    ]
    assert doc.appendices[2].title == "Risk maturity action plan Sept 2021"


def test_metadata_dates_are_the_reports_never_now(october):
    doc = build(october)
    assert (doc.created, doc.modified) == ("2021-09-30T17:00:00Z", "2021-10-01T12:00:00Z")


def _register_of(n: int, year: int, *, indicators: bool = False):
    register = make_register(name="Corporate risk register")
    period = make_period(start=datetime.date(year, 1, 1), state="open")
    risks = []
    for ref in range(1, n + 1):
        risk = make_risk(register, ref=ref, horizon="short" if ref % 3 else "long")
        progress = "on_track" if ref % 4 else "limited"
        make_assessment(risk, period, progress=progress, reasons="Why" if progress != "on_track" else "",
                        commentary=f"Commentary {ref}.\n\nMore.", state="approved")
        control = make_control(risk, is_key=True)
        make_control_update(control, period)
        if indicators:  # two a risk, one red, one green
            for k, value in enumerate((30, 5)):
                indicator = Indicator.objects.create(
                    risk=risk, name=f"Indicator {k}", direction="higher_worse", green_limit=10,
                    amber_limit=20, order=k)
                v = IndicatorValue(indicator=indicator, period=period, value=value)
                v.record(indicator)
                v.save()
        risks.append(risk)
    plan = ActionPlan.objects.create(title="Plan", as_of="Jan 2030", date=datetime.date(2030, 1, 1))
    theme = Theme.objects.create(plan=plan, title="Theme")
    for ref in range(1, 6):
        item = PlanItem.objects.create(theme=theme, ref=ref, issue="Issue", owners="Owner")
        PlanAction.objects.create(item=item, text="Act", milestone="Ongoing")
    report = Report.objects.create(register=register, period=period,
                                   meeting_date=datetime.date(2030, 4, 1))
    report.noted_risks.set(risks)
    report.appendix_b_risks.set(risks)
    ReportingPeriod.objects.filter(pk=period.pk).update(state="closed", closed_at=timezone.now())
    return Report.objects.select_related("period", "register").get(pk=report.pk)


@pytest.mark.django_db
def test_the_report_data_costs_the_same_queries_for_10_and_100_risks(django_assert_num_queries):
    # Both reports follow a quarter before theirs (the report then reads which risks came and
    # went since it): the register of 2029 gives the first one its predecessor.
    _register_of(1, 2029)
    small = _register_of(10, 2030)
    # The whole document, data and templates, as the preview and the PDF render it.
    with CaptureQueriesContext(connection) as ten:
        render_body(build(small))
    big = _register_of(100, 2031)
    with django_assert_num_queries(len(ten.captured_queries)):
        doc = build(big)
        html = render_body(doc)
    assert len(doc.road_to_target) == 100
    assert "RISK 100" in html
    assert len(ten.captured_queries) <= 16



def test_the_benchmark_is_filled_in_where_the_text_asks_for_it(october, planner):
    from maturity.models import BusinessGroup, Dimension, Unit
    from maturity.services import record_self_assessment
    from tests.factories import make_post

    october.maturity = "We analysed the self-assessments. {benchmark}"
    assert "No risk maturity self-assessment results" in numbered(build(october))["1.11"].blocks[0].text
    group = BusinessGroup.objects.create(name="Frontline Policing", abbreviation="FLP", order=1)
    unit = Unit.objects.create(name="North BCU", business_group=group, commander=make_post("Cdr N"))
    record_self_assessment(unit=unit, year=2021, by=planner,
                           levels={d.pk: 4 for d in Dimension.objects.all()})
    text = numbered(build(october))["1.11"].blocks[0].text
    assert text.startswith("We analysed the self-assessments. In 2021/22, 1 of 1 OCU / BCU")


def test_appendix_c_is_titled_with_its_plans_own_date_or_its_latest_update():
    """Issue 14: not a fixed "Sept 2021" in every later report."""
    from types import SimpleNamespace as NS

    from riskreg.report.data import plan_as_of

    plan = NS(date=datetime.date(2021, 9, 1))
    assert plan_as_of(plan, [], datetime.date(2021, 10, 4)) == "Sept 2021"
    logged = [NS(items=[NS(log=[NS(date=datetime.date(2021, 12, 2)),
                                NS(date=datetime.date(2022, 3, 1))])])]
    assert plan_as_of(plan, logged, datetime.date(2022, 1, 24)) == "Dec 2021"
    assert plan_as_of(NS(date=datetime.date(2022, 6, 30)), [], datetime.date(2022, 7, 1)) == (
        "June 2022"
    )


def test_appendix_c_lines_give_each_action_a_row_and_shared_milestones_once():
    from types import SimpleNamespace as NS

    from riskreg.templatetags.report_tags import action_lines

    def row(*milestones):
        return NS(actions=[NS(action=NS(text=f"Action {i}", milestone_label=m))
                           for i, m in enumerate(milestones, 1)])

    assert [(x["milestone"], x["span"]) for x in action_lines(row("Dec-21", "Dec-21"))] == [
        ("Dec-21", 2), ("Dec-21", 0)
    ]
    assert [x["span"] for x in action_lines(row("Nov-21", "Dec-21", "Ongoing", "Oct-21"))] == [
        1, 1, 1, 1
    ]
    assert [x["span"] for x in action_lines(row("Nov-21", "Feb-22", "Feb-22", "Nov-21"))] == [
        1, 2, 0, 1
    ]
    assert action_lines(row()) == [{"text": "", "milestone": "", "span": 1}]


@pytest.mark.django_db
def test_appendix_b_reads_indicators_out_of_threshold_in_one_query_whatever_the_size(
    django_assert_num_queries
):
    _register_of(1, 2029)
    small = _register_of(10, 2030, indicators=True)
    with CaptureQueriesContext(connection) as ten:
        render_body(build(small))
    big = _register_of(100, 2031, indicators=True)
    with django_assert_num_queries(len(ten.captured_queries)):
        doc = build(big)
        html = render_body(doc)
    assert [len(r.indicators) for r in doc.road_to_target] == [1] * 100
    assert html.count("Key risk indicators out of threshold</th>") == 100
    assert "Indicator 0: 30, red" in html and "Indicator 1: 5" not in html
    # One query more than a paper without indicators: only where some are out of threshold.
    assert len(ten.captured_queries) <= 17

"""The paper for the quarter after the seed (issue 14), composed from October 2021's as the
Planning & Risk Team would: every copied section is to check and publishing waits for it;
computed sentences name the risks and hold no typed sentence of the earlier report; last
quarter's words are not printed as news; reasons reach the Panel; the data suggests what to
discuss.

2021/22 Q3 is built once for the module through the services (each test runs in a savepoint
on top of it): risk 4 scored down by controls from High to Medium and back on track (amber to
green); risk 7 still Limited with new reasons; risk 1 writes one control note and keeps the
other; a new risk 12; every other risk confirms its commentary unchanged.
"""

import datetime
import io
import re
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from controls.models import Control
from controls.services import carry_forward_controls, save_control_update
from riskreg.quarterly.services import close_quarter, submit_update
from riskreg.report.data import build
from riskreg.report.document import pdf_bytes, render_body
from riskreg.report.models import PROSE_FIELDS, Report
from riskreg.report.services import create_report, update_report
from riskreg.report.suggestions import suggestions
from risks.models import Assessment, ReportingPeriod, Risk
from risks.services import (
    approve_assessment,
    confirm_unchanged,
    open_period,
    save_assessment,
)
from tests.factories import Q3, make_planner, make_risk

OCTOBER = "Met Risk Management Report – 4 October 2021"
COPIED = f"Copied from {OCTOBER}: check it"
NEW_REASONS = "Funding for the legacy infrastructure is not yet secured."
NEW_NOTE = "Forty County Lines closed this quarter."


@dataclass
class World:
    composer: object
    october: Report
    q3: ReportingPeriod


def _confirm_rest(period, by, done: set[int]):
    for a in Assessment.objects.filter(period=period).exclude(risk_id__in=done):
        a = confirm_unchanged(assessment=a, version=a.version, by=by, section="score")
        if a.commentary.strip():
            a = confirm_unchanged(assessment=a, version=a.version, by=by, section="progress")
        else:  # no commentary in October 2021 (risks not discussed then): one written now
            a = save_assessment(assessment=a, version=a.version, by=by,
                                changes={"commentary": "Reviewed this quarter."})
        carry_forward_controls(risk=a.risk, period=period, by=by)
        a.refresh_from_db()
        submit_update(assessment=a, version=a.version, by=by)


def _save(risk, period, by, **changes):
    a = Assessment.objects.get(risk=risk, period=period)
    a = save_assessment(assessment=a, version=a.version, by=by, changes=changes,
                        sections=list(Assessment.SECTIONS))
    carry_forward_controls(risk=risk, period=period, by=by)
    a.refresh_from_db()
    return submit_update(assessment=a, version=a.version, by=by)


def _second_quarter() -> World:
    call_command("loaddata", "corporate_2021_10", "report_2021_10", verbosity=0)
    composer, checker = make_planner("composer"), make_planner("checker")
    corporate = Risk.objects.get(ref=1).register
    make_risk(corporate, ref=12, title="FRAUD", horizon="short", target_likelihood=1,
              target_impact=2)
    q3 = open_period(**Q3, by=composer)
    risks = {r.ref: r for r in Risk.objects.filter(register=corporate)}
    op_orochi = Control.objects.filter(risk=risks[1]).order_by("order", "pk").first()
    save_control_update(control=op_orochi, period=q3, by=composer, status="complete",
                        note=NEW_NOTE, version=0)
    a1 = Assessment.objects.get(risk=risks[1], period=q3)
    a1 = confirm_unchanged(assessment=a1, version=a1.version, by=composer, section="score")
    a1 = confirm_unchanged(assessment=a1, version=a1.version, by=composer, section="progress")
    carry_forward_controls(risk=risks[1], period=q3, by=composer)
    a1.refresh_from_db()
    submit_update(assessment=a1, version=a1.version, by=composer)
    _save(risks[4], q3, composer, likelihood=2, impact=2, score_change_source="controls",
          progress="on_track", reasons="", commentary="Q3: the pipeline is more diverse.")
    _save(risks[7], q3, composer, commentary="Q3: a funding bid went to the board.",
          reasons=NEW_REASONS)
    _save(risks[12], q3, composer, likelihood=2, impact=2, trend="stable",
          progress="on_track", commentary="A new risk this quarter.")
    _confirm_rest(q3, composer, done={risks[n].pk for n in (1, 4, 7, 12)})
    for a in Assessment.objects.filter(period=q3, state="submitted"):
        approve_assessment(assessment=a, version=a.version, by=checker)
    close_quarter(period=q3, by=composer)
    return World(composer, Report.objects.get(pk=1), ReportingPeriod.objects.get(pk=q3.pk))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _second_quarter()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


@pytest.fixture
def january(world) -> Report:
    """The Q3 paper, started from October 2021's through the page."""
    return create_report(register=world.october.register, period=world.q3,
                         meeting_date=datetime.date(2022, 1, 24), by=world.composer)


def form_data(report: Report, **changes) -> dict:
    from riskreg.report.forms import FRONT_MATTER, PROSE

    data = {name: getattr(report, name) for name in [*FRONT_MATTER, *PROSE]}
    data |= {
        "meeting_day": report.meeting_date.day, "meeting_month": report.meeting_date.month,
        "meeting_year": report.meeting_date.year, "version": report.version,
        "noted_risks": [r.pk for r in report.noted_risks.all()],
        "appendix_b_risks": [r.pk for r in report.appendix_b_risks.all()],
    }
    return data | changes


def pdf_text(report: Report) -> str:
    data = pdf_bytes(report, use_cache=False)
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def sentences(text: str) -> list[str]:
    """The typed sentences of a text, without its {names}, long enough to mean something."""
    found = []
    for piece in re.split(r"(?<=[.!?])\s+|\n+", text):
        piece = re.sub(r"\{\w+\}", "", piece).strip(" -•")
        if len(piece) > 25:
            found.append(piece)
    return found


def numbered(doc) -> dict[str, object]:
    return {p.item.lead.split(" (")[0]: p.item for p in doc.section1
            if p.kind == "numbered" and p.item.lead}


# Copied means "to check" ---------------------------------------------------------------------


def test_a_report_started_from_the_last_flags_every_copied_section(client, world):
    client.force_login(world.composer)
    response = client.post(reverse("reports:new"), {
        "register": world.october.register_id, "period": world.q3.pk,
        "meeting_day": "24", "meeting_month": "1", "meeting_year": "2022",
    }, follow=True)
    report = Report.objects.get(period=world.q3)
    copied = [n for n in PROSE_FIELDS if getattr(report, n).strip()]
    assert report.copied_from == world.october
    assert report.unchecked_sections() == copied
    # All but the empty further notes and the two that continued October's figures.
    assert len(copied) == 10
    assert not report.summary_notes and not report.position_notes
    assert f"{len(copied)} sections copied from it are marked to check" in response.text
    html = client.get(reverse("reports:edit", args=[report.pk])).text
    assert html.count(COPIED) == len(copied)
    for name in copied:
        assert f'id="copied-{name}"' in html and f'id="confirm-{name}"' in html


def test_publishing_is_refused_until_each_copied_section_is_edited_or_confirmed(client, world, january):
    client.force_login(world.composer)
    publish = reverse("reports:publish", args=[january.pk])
    # The confirmation page says so before the tick, and refuses with it.
    assert "10 sections copied from" in client.get(publish).text
    refused = client.post(publish, {"version": january.version, "confirm": "on"}, follow=True)
    assert "10 sections copied from" in refused.text and "still to check" in refused.text
    january.refresh_from_db()
    assert not january.is_published

    # One section edited, two confirmed: the other seven still wait, and are named.
    waiting = january.unchecked_sections()
    response = client.post(reverse("reports:edit", args=[january.pk]), form_data(
        january, key_considerations="Risk and Assurance Board met on 7 December.",
        confirmed=waiting[-2:],
    ))
    assert response.status_code == 302
    january.refresh_from_db()
    assert january.unchecked_sections() == [
        n for n in waiting[:-2] if n != "key_considerations"
    ]
    refused = client.post(publish, {"version": january.version, "confirm": "on"}, follow=True)
    assert "7 sections copied from" in refused.text and "Equality and diversity impact" in refused.text
    assert not Report.objects.get(pk=january.pk).is_published

    # The rest confirmed as they stand: now it can be published.
    client.post(reverse("reports:edit", args=[january.pk]),
                form_data(january, confirmed=january.unchecked_sections()))
    january.refresh_from_db()
    assert january.unchecked_sections() == []
    assert client.post(publish, {"version": january.version, "confirm": "on"}).status_code == 302
    january.refresh_from_db()
    assert january.is_published


# Computed sentences ---------------------------------------------------------------------------


def test_the_score_change_names_the_risk_and_holds_no_typed_words_of_october(client, world, january):
    client.force_login(world.composer)
    html = client.get(reverse("reports:detail", args=[january.pk])).text
    computed = re.findall(r'<span class="rr-computed">(.*?)</span>', html, re.DOTALL)
    assert (
        "Risk 4 (People) has seen a decrease in score as a result of controls being "
        "implemented." in computed
    )
    october_typed = [s for name in PROSE_FIELDS for s in sentences(getattr(world.october, name))]
    assert october_typed
    for words in computed:
        for typed in october_typed:
            assert typed not in words, (typed, words)
    # The earlier report's explanation is not copied after the new figure either.
    assert "following the refresh rather than" not in html
    assert "following the refresh rather than" not in january.position_notes


def test_the_preview_marks_computed_words_and_has_one_h1_while_the_pdf_does_not(client, world, january):
    client.force_login(world.composer)
    for report in (january, world.october):
        html = client.get(reverse("reports:detail", args=[report.pk])).text
        assert html.count("<h1") == 1
    html = client.get(reverse("reports:detail", args=[january.pk])).text
    position = build(january).figures.position_sentence.replace("'", "&#x27;")
    assert f'<span class="rr-computed">{position}</span>' in html
    assert 'id="computed-key"' in html
    assert "\ue000" not in html and "\ue001" not in html
    # The PDF's HTML has neither marks nor the preview's elements.
    assert "rr-computed" not in pdf_text(january)
    assert all("\ue000" not in b.text for b in build(january).summary_figures)


# Last quarter's words -------------------------------------------------------------------------


def test_carried_commentary_is_no_update_since_unless_the_team_reprints_it(world, january):
    items = numbered(build(january))
    standards = items["Standards"]
    assert [b.text for b in standards.blocks] == ["No update since 2021/22 Q2."]
    engagement = items["Public and Local Engagement"]
    assert engagement.blocks[0].text == "No update since 2021/22 Q2."
    # Risk 1's commentary too; its new control note is Appendix B's business.
    assert items["Violent Crime"].blocks[0].text == "No update since 2021/22 Q2."

    risk9 = Risk.objects.get(ref=9)
    update_report(report=january, version=january.version, fields={}, reprinted_risks=[risk9],
                  by=world.composer)
    january.refresh_from_db()
    items = numbered(build(january))
    assert items["Public and Local Engagement"].blocks[0].text.startswith(
        "Controls for this risk are categorised"
    )
    assert items["Standards"].blocks[0].text == "No update since 2021/22 Q2."


def test_the_pdf_prints_reasons_and_only_this_quarters_notes(world, january):
    risk1, risk7 = Risk.objects.get(ref=1), Risk.objects.get(ref=7)
    january.appendix_b_risks.set([risk1, risk7])
    text = pdf_text(january)
    section1 = text.split("Risk maturity action plan", 1)[0]
    assert f"Why progress is Limited: {NEW_REASONS}" in section1
    appendix_b = text.split("Appendix B –")[-1]
    assert f"Why progress is Limited: {NEW_REASONS}" in appendix_b
    # Op Orochi's note is Q3's; the VAWG control's note was kept from Q2: not this quarter's.
    assert NEW_NOTE in appendix_b
    vawg = Control.objects.filter(risk=risk1).order_by("order", "pk")[1]
    q2_note = vawg.updates.get(period__slug="2021-22-q2").note
    assert q2_note[:40] not in appendix_b
    assert "Q3: a funding bid went to the board." in section1


def test_reasons_the_commentary_already_gives_are_not_printed_twice(world):
    """October 2021: risks 4 and 7 give their reasons in their commentary."""
    text = " ".join(
        b.text for p in build(world.october).section1 if p.kind == "numbered"
        for b in p.item.blocks
    )
    assert "Why progress is" not in text


# Choosing what to discuss ---------------------------------------------------------------------


def test_the_compose_page_suggests_risks_from_the_data_and_shows_carried_choices(client, world, january):
    found = {s.assessment.ref: s.reasons for s in suggestions(january)}
    assert found[4] == ["Band changed from High to Medium", "RAG changed from amber to green"]
    assert found[7] == ["Not on track: Limited"]
    assert found[12] == ["New this quarter"]
    assert found[10] == ["Not rated"]
    assert found[2] == []
    client.force_login(world.composer)
    html = client.get(reverse("reports:edit", args=[january.pk])).text
    row = html.split('id="suggest-4"', 1)[1].split("</tr>", 1)[0]
    assert "Band changed from High to Medium; RAG changed from amber to green" in row
    assert 'id="suggest-2"' not in html
    carried = html.split('id="carried-choices"', 1)[1].split("</p>", 1)[0]
    for ref in (1, 3, 9, 11):
        assert f"risk {ref} (section 1 and Appendix B)" in carried
    assert "Risk 3: STANDARDS (carried over: chosen in the last report)" in html


def test_appendix_b_and_the_editor_do_not_promise_an_appetite_that_is_not_recorded(client, world, january):
    client.force_login(world.composer)
    html = client.get(reverse("reports:edit", args=[january.pk])).text
    assert 'id="appetite-warning"' in html
    warning = html.split('id="appetite-warning"', 1)[1].split("</div>", 1)[0]
    assert "Introduction (1.1, 1.2 …)" in warning and "risk 1, risk 3, risk 9, risk 11" in warning
    text = pdf_text(january).split("Appendix B –")[-1]
    assert "Risk appetite is not yet recorded for these risks." in text
    assert "Not recorded" not in text


# The editor -----------------------------------------------------------------------------------


def test_the_editor_lists_the_names_once_and_shows_what_each_section_gives_now(client, world, january):
    client.force_login(world.composer)
    html = client.get(reverse("reports:edit", args=[january.pk])).text
    assert html.count("Figures the report fills in") == 1
    assert "Figures: write" not in html
    assert html.count("<code>{green_count}</code>") == 1
    reads = html.split('id="reads-introduction"', 1)[1].split("</div>", 1)[0]
    assert "{appendix_b_count}</code>: “four”" in reads
    assert "four possible options" in reads
    # The help text's example is not October's sentence.
    assert "following the refresh" not in html
    assert "{green_count} of our risks are on track." in html
    assert "“Ten of our risks are on track.”" in html


def test_the_paper_and_the_suggestions_cost_a_fixed_number_of_queries(world, january, django_assert_num_queries):
    """One query more than October 2021's 15: the risks whose carried commentary is reprinted."""
    january = Report.objects.select_related("period", "register").get(pk=january.pk)
    with django_assert_num_queries(17):  # and the quarter's escalations (issue 17)
        render_body(build(january))
    with django_assert_num_queries(6):
        suggestions(january)

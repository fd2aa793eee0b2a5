"""Board summary pages: who sees what (drafts never reach readers), the PDF, the freeze of a
closed quarter and of a published summary, bad input, and constant query counts."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from riskreg.boards import document
from riskreg.boards.models import BoardSummary, BoardSummaryChoice
from riskreg.boards.services import create_summary, publish_summary
from riskreg.quarterly.services import close_quarter
from risks.models import Assessment, Board, ReportingPeriod, Risk
from risks.services import record_definitions
from tests.factories import (
    make_assessment,
    make_period,
    make_planner,
    make_register,
    make_risk,
)
from tests.queries import SIGNED_IN


def url(summary, suffix=""):
    return f"/boards/{summary.board.slug}/{summary.pk}/{suffix}"


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


# Who sees what -------------------------------------------------------------------------------


def test_draft_is_for_the_team_and_the_secretariat_only(q2_summary, client, planner, secretary,
                                                          panel, owner):
    for user, status in ((planner, 200), (secretary, 200), (panel, 404), (owner, 404)):
        client.force_login(user)
        assert client.get(url(q2_summary)).status_code == status, user
        assert client.get(url(q2_summary, "pdf")).status_code == status, user
    client.force_login(panel)
    assert "15 November 2021" not in client.get("/boards/rab/").content.decode()


def test_owners_see_no_board(board, client, owner):
    client.force_login(owner)
    assert client.get("/boards/rab/").status_code == 404
    assert "Risk and Assurance Board" not in client.get("/boards/").content.decode()


def test_published_summary_is_read_by_the_panel(q2_summary, client, planner, panel):
    publish_summary(summary=q2_summary, version=q2_summary.version, by=planner)
    client.force_login(panel)
    page = client.get(url(q2_summary)).content.decode()
    assert "STANDARDS" in page and "DRAFT" not in page
    response = client.get(url(q2_summary, "pdf"))
    assert response["Content-Disposition"] == (
        'attachment; filename="rab-summary-2021-11-15-OFFICIAL-SENSITIVE.pdf"'
    )
    assert response.content == bytes(BoardSummary.objects.get(pk=q2_summary.pk).pdf)
    # The Panel reads; it never edits or publishes
    assert client.get(url(q2_summary, "edit/")).status_code == 403


def test_secretariat_composes_its_own_board_only(q2_summary, client, secretary, seed):
    other = Board.objects.create(name="Data Board", slug="data-board")
    client.force_login(secretary)
    assert client.get("/boards/data-board/").status_code == 404
    assert client.get(url(q2_summary, "edit/")).status_code == 200
    response = client.post("/boards/rab/new/", {
        "period": ReportingPeriod.objects.get(slug="2021-22-q2").pk, "meeting_day": "13",
        "meeting_month": "12", "meeting_year": "2021", "protective_marking": "OFFICIAL",
    })
    assert response.status_code == 302
    assert BoardSummary.objects.filter(board__slug="rab").count() == 2
    assert not other.summaries.exists()


# The PDF -------------------------------------------------------------------------------------


def test_draft_pdf_says_draft_on_its_page_and_in_its_name(q2_summary, client, planner):
    client.force_login(planner)
    response = client.get(url(q2_summary, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="DRAFT-rab-summary-2021-11-15-OFFICIAL-SENSITIVE.pdf"'
    )
    pages, text = pdf_text(response.content)
    assert pages == 1
    for words in ("DRAFT", "OFFICIAL-SENSITIVE", "Risk and Assurance Board", "15 November 2021",
                  "Significant risks: 2021/22 Q2", "STANDARDS", "MONEY", "CAPABILITY",
                  "Page 1 of 1"):
        assert words in text, words
    assert "VIOLENT CRIME" not in text  # score 6: below the board's 8


def test_published_pdf_has_no_draft(q2_summary, planner):
    summary = publish_summary(summary=q2_summary, version=q2_summary.version, by=planner)
    _, text = pdf_text(document.pdf_bytes(summary))
    assert "DRAFT" not in text and "OFFICIAL-SENSITIVE" in text


# Frozen --------------------------------------------------------------------------------------


def test_closed_quarter_summary_unchanged_after_a_second_quarter(q2_summary, q3, planner):
    """Q3 opened; risk 3 renamed and risk 7 scored up and approved in Q3; Q3 closed. The Q2
    summary says what Q2 said; a Q3 summary says what Q3 says."""
    before = str(document.render(q2_summary).body)
    Risk.objects.filter(ref=3).update(title="STANDARDS AND CONDUCT")
    record_definitions(period=q3)
    Assessment.objects.filter(period=q3, risk__ref=7).update(
        likelihood=4, impact=4, state="approved", reviewed_at=timezone.now(), reviewed_by=planner
    )
    close_quarter(period=q3, by=planner, incomplete=True)
    q2_summary = BoardSummary.objects.get(pk=q2_summary.pk)
    assert str(document.render(q2_summary).body) == before
    assert "STANDARDS AND CONDUCT" not in before and "TECHNOLOGY" not in before
    q3_summary = create_summary(board=q2_summary.board, period=q3,
                                meeting_date=datetime.date(2022, 2, 1),
                                protective_marking="OFFICIAL", by=planner)
    q3_body = str(document.render(q3_summary).body)
    assert "TECHNOLOGY" in q3_body  # 16, approved in Q3
    # Every other Q3 update closed "Not approved": never shown, counted as such
    assert "10 risks have no approved update for 2021/22 Q3" in q3_body


def test_published_summary_ignores_later_rule_changes(q2_summary, planner):
    summary = publish_summary(summary=q2_summary, version=q2_summary.version, by=planner)
    body = str(document.render(summary).body)
    Board.objects.filter(pk=summary.board_id).update(min_score=1)
    assert str(document.render(BoardSummary.objects.get(pk=summary.pk)).body) == body


# Bad input -----------------------------------------------------------------------------------


def _edit(client, summary, **data):
    return client.post(url(summary, "edit/"), data)


@pytest.mark.parametrize("data, message", [
    ({"form": "choice", "risk": "", "action": "add", "reason": "x"}, "Choose the risk to add or remove"),
    ({"form": "choice", "risk": "99999999999999999999999", "action": "add", "reason": "x"},
     "Choose a risk from the list"),
    ({"form": "choice", "risk": "RISK1", "action": "bogus", "reason": "x"},
     "Choose whether to add or remove the risk"),
    ({"form": "choice", "risk": "RISK1", "action": "add", "reason": "   "},
     "Enter the reason for adding or removing the risk"),
    ({"form": "choice", "risk": "RISK1", "action": "add", "reason": "x" * 2001},
     "The reason must be 2,000 characters or fewer"),
    ({"form": "details", "version": "V", "meeting_day": "31", "meeting_month": "2",
      "meeting_year": "2022", "protective_marking": "OFFICIAL"}, "real date"),
    ({"form": "details", "version": "V", "meeting_day": "1", "meeting_month": "2",
      "meeting_year": "2022", "protective_marking": "SECRET"}, "Choose a protective marking"),
    ({"form": "details", "version": "V", "meeting_day": "1", "meeting_month": "2",
      "meeting_year": "2022", "protective_marking": "OFFICIAL", "notes": "a\x00b"}, "Null"),
    ({"form": "undo", "choice": "1e9"}, "Choose a recorded choice to undo"),
    ({"form": "undo", "choice": "424242"}, "no longer recorded"),
    ({"form": "other"}, "Use the buttons on this page"),
])
def test_bad_input_is_refused_in_words_and_writes_nothing(q2_summary, client, planner, data,
                                                            message):
    client.force_login(planner)
    data = {k: (str(q2_summary.version) if v == "V" else
                str(Risk.objects.get(ref=1).pk) if v == "RISK1" else v) for k, v in data.items()}
    before = BoardSummary.objects.values().get(pk=q2_summary.pk)
    response = _edit(client, q2_summary, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert BoardSummary.objects.values().get(pk=q2_summary.pk) == before
    assert not BoardSummaryChoice.objects.exists()


def test_stale_version_is_a_conflict(q2_summary, client, planner):
    client.force_login(planner)
    response = _edit(client, q2_summary, form="details", version=q2_summary.version + 5,
                     meeting_day="1", meeting_month="2", meeting_year="2022",
                     protective_marking="OFFICIAL")
    assert response.status_code == 409
    assert "changed this summary since you opened it" in response.content.decode()
    assert BoardSummary.objects.get(pk=q2_summary.pk).protective_marking == "OFFICIAL-SENSITIVE"


def test_publishing_needs_the_tick(q2_summary, client, planner):
    client.force_login(planner)
    response = client.post(url(q2_summary, "publish/"), {"version": q2_summary.version})
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert not BoardSummary.objects.get(pk=q2_summary.pk).is_published
    response = client.post(url(q2_summary, "publish/"),
                           {"version": q2_summary.version, "confirm": "on"})
    assert response.status_code == 302
    assert BoardSummary.objects.get(pk=q2_summary.pk).is_published


def test_new_summary_bad_input(board, client, planner):
    client.force_login(planner)
    response = client.post("/boards/rab/new/", {"period": "x", "meeting_day": "1",
                                                "meeting_month": "13", "meeting_year": "2021",
                                                "protective_marking": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a reporting period from the list" in page
    assert "Choose the protective marking" in page
    assert not BoardSummary.objects.exists()


def test_edit_then_add_through_the_page(q2_summary, client, secretary):
    client.force_login(secretary)
    risk7 = Risk.objects.get(ref=7)
    response = _edit(client, q2_summary, form="choice", risk=risk7.pk, action="add",
                     reason="Technology refresh is behind.")
    assert response.status_code == 302
    page = client.get(url(q2_summary)).content.decode()
    assert "Added by the secretariat: Technology refresh is behind." in page
    choice = BoardSummaryChoice.objects.get()
    assert choice.created_by == secretary


# Queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 60])
def test_pages_cost_the_same_queries_whatever_the_number_of_risks(db, client, n):
    planner = make_planner()
    period = make_period("q", start=datetime.date(2030, 1, 1))
    register = make_register("big")
    for ref in range(1, n + 1):
        make_assessment(make_risk(register, ref=ref, tolerance=4), period, likelihood=3,
                        impact=3, state="approved")
    board = Board.objects.create(name="COG", slug="cog", min_score=6, bands=["high"])
    board.registers.add(register)
    summary = create_summary(board=board, period=period, meeting_date=datetime.date(2030, 4, 1),
                             protective_marking="OFFICIAL", by=planner)
    client.force_login(planner)
    counts = {}
    for name, address in (("board", "/boards/cog/"), ("summary", url(summary)),
                          ("edit", url(summary, "edit/"))):
        client.get(address)  # warm: the session, the user's groups
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        counts[name] = len(queries)
        if name == "summary":
            page = response.content.decode()
    assert f"{n} significant risks, {n} in breach of tolerance" in page
    assert counts == EXPECTED_QUERIES


# Signed in as the team (SIGNED_IN); the board or summary; its registers, choices, significant
# updates and the count of those not approved; the form's choices and periods.
EXPECTED_QUERIES = {"board": SIGNED_IN + 7, "summary": SIGNED_IN + 6, "edit": SIGNED_IN + 8}

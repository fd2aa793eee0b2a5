"""Publishing, withdrawing and correcting a report (issue 14), in a quarter after the seed.

A second quarter (2021/22 Q3, from the `q3_with_changes` fixture) is closed, its report
composed from October's and published; then a corrected version supersedes it. What each
version's PDF says is read from the PDF's own text.
"""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader

from riskreg.report.document import pdf_bytes
from riskreg.report.models import Report, ReportFile
from riskreg.report.services import (
    ReportNotCurrent,
    create_report,
    publish_report,
    start_correction,
    update_report,
    withdraw_report,
)
from risks.models import Assessment
from risks.services import close_period
from tests.factories import make_panel


def pages(data: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def q3_report(q3_with_changes, planner):
    """The Q3 report, started from October's, with every Q3 update approved and Q3 closed
    but for risk 7's update, left submitted."""
    call_command("loaddata", "report_2021_10", verbosity=0)
    period = q3_with_changes
    now = timezone.now()
    Assessment.objects.filter(period=period).update(
        state=Assessment.State.APPROVED, submitted_at=now, reviewed_at=now
    )
    Assessment.objects.filter(period=period, risk__ref=7).update(
        state=Assessment.State.SUBMITTED, reviewed_at=None
    )
    close_period(period=period, by=planner, incomplete=True)
    october = Report.objects.get(pk=1)
    report = create_report(register=october.register, period=period,
                           meeting_date=datetime.date(2022, 1, 24), by=planner)
    # The team has checked the sections copied from October (test_second_quarter.py's part).
    return update_report(report=report, version=report.version, fields={},
                         confirmed=report.unchecked_sections(), by=planner)


@pytest.fixture
def fake_pdfs(monkeypatch):
    """Rendering stood in for by bytes that name the file: these tests are about the record."""
    def render(report, *, public, fetcher=None, use_cache=True):
        return f"%PDF-fake {report.pk} {report.filename(public=public)}".encode()

    monkeypatch.setattr("riskreg.report.document._render_pdf", render)


def test_a_second_quarters_report_is_a_draft_on_every_page_then_published_then_superseded(
    q3_report, planner
):
    panel = make_panel("panel-q3")
    draft = pages(pdf_bytes(q3_report, use_cache=False))
    assert all("DRAFT" in page and page.count("OFFICIAL-SENSITIVE") >= 2 for page in draft)
    assert q3_report.filename() == (
        "DRAFT-met-risk-management-report-2022-01-full-OFFICIAL-SENSITIVE.pdf"
    )

    published = publish_report(report=q3_report, version=q3_report.version, by=planner)
    full, public = pdf_bytes(published), pdf_bytes(published, public=True)
    assert ReportFile.objects.filter(report=published).count() == 2
    full_pages = pages(full)
    assert all("DRAFT" not in p and p.count("OFFICIAL-SENSITIVE") >= 2 for p in full_pages)
    assert "Risk maturity action plan Sept 2021" in " ".join(full_pages)
    public_pages = pages(public)
    assert "Non restricted paper" in public_pages[0]
    assert all("OFFICIAL" in p and "OFFICIAL-SENSITIVE" not in p for p in public_pages)
    assert list(Report.objects.visible_to(panel)) == [published, Report.objects.get(pk=1)]

    correction = start_correction(report=published, reason="Risk 7's update was approved late.",
                                  by=planner)
    assert not correction.is_published and correction.supersedes == published
    assert set(correction.appendix_b_risks.all()) == set(published.appendix_b_risks.all())
    # Until the corrected version is published, the panel keeps reading the published one.
    assert published in Report.objects.visible_to(panel)
    corrected = pages(pdf_bytes(correction, use_cache=False))
    assert "Corrected version: Risk 7's update was approved late." in corrected[0]
    assert all("DRAFT" in page for page in corrected)

    publish_report(report=correction, version=correction.version, by=planner)
    published.refresh_from_db()
    assert published.is_superseded and not published.is_current
    assert published.status_note.startswith("Superseded on ")
    assert published.status_note.endswith(": Risk 7's update was approved late.")
    assert list(Report.objects.visible_to(panel).filter(period=published.period)) == [correction]
    assert set(Report.objects.visible_to(planner)) >= {published, correction}
    # The superseded paper is still exactly what was published.
    assert pdf_bytes(published) == full and pdf_bytes(published, public=True) == public


def test_withdrawing_needs_a_reason_and_leaves_the_team_the_report(q3_report, planner, fake_pdfs):
    report = publish_report(report=q3_report, by=planner)
    kept = pdf_bytes(report)
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="Enter the reason"):
            withdraw_report(report=report, reason=reason, by=planner)
    with pytest.raises(ValidationError, match="characters or fewer"):
        withdraw_report(report=report, reason="x" * 2001, by=planner)
    report.refresh_from_db()
    assert report.is_current

    withdraw_report(report=report, reason="  Figures for risk 4 were wrong. ", by=planner)
    report.refresh_from_db()
    assert report.is_withdrawn and report.withdrawn_by == planner
    assert report.status_label == "Withdrawn"
    assert report.status_note.endswith(": Figures for risk 4 were wrong.")
    assert report not in Report.objects.visible_to(make_panel("panel-w"))
    assert report in Report.objects.visible_to(planner)
    assert pdf_bytes(report) == kept
    # Withdrawn is final: it can be neither withdrawn again nor corrected.
    with pytest.raises(ReportNotCurrent):
        withdraw_report(report=report, reason="Again.", by=planner)
    with pytest.raises(ReportNotCurrent):
        start_correction(report=report, reason="Fix.", by=planner)


def test_a_withdrawn_report_leaves_room_for_a_new_one(q3_report, planner, fake_pdfs):
    report = publish_report(report=q3_report, by=planner)
    with pytest.raises(ValidationError, match="already a report"):
        create_report(register=report.register, period=report.period,
                      meeting_date=report.meeting_date, by=planner)
    withdraw_report(report=report, reason="Sent to the wrong meeting.", by=planner)
    again = create_report(register=report.register, period=report.period,
                          meeting_date=datetime.date(2022, 2, 7), by=planner)
    assert not again.is_published and again.supersedes is None


def test_only_a_current_published_report_is_corrected_once_with_a_reason(
    q3_report, planner, fake_pdfs
):
    with pytest.raises(ReportNotCurrent):
        start_correction(report=q3_report, reason="Too early.", by=planner)
    report = publish_report(report=q3_report, by=planner)
    with pytest.raises(ValidationError, match="Enter the reason"):
        start_correction(report=report, reason="", by=planner)
    start_correction(report=report, reason="Typo in 1.3.", by=planner)
    with pytest.raises(ValidationError, match="already being drafted"):
        start_correction(report=report, reason="Another.", by=planner)
    assert Report.objects.filter(supersedes=report).count() == 1


def test_the_database_refuses_a_marking_off_the_list_and_withdrawal_without_a_reason(
    q3_report,
):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=q3_report.pk).update(
            withdrawn_at=timezone.now(), withdrawn_reason="Draft."
        )
    Report.objects.filter(pk=q3_report.pk).update(published_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=q3_report.pk).update(withdrawn_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=q3_report.pk).update(protective_marking="SECRET")


def test_a_kept_file_is_never_rewritten(q3_report, planner, fake_pdfs):
    report = publish_report(report=q3_report, by=planner)
    kept = ReportFile.objects.get(report=report, variant="full")
    kept.data = b"changed"
    with pytest.raises(ValueError, match="never rewritten"):
        kept.save()

"""riskreg/report/background.py: a report's PDF prepared by a task while its page shows
progress (htmx polling, and a plain refresh link), once per version, retried, then failed."""

from unittest import mock

from django.urls import reverse

from riskreg.report.models import PdfRender, Report
from riskreg.report.services import publish_report

HX = {"HX-Request": "true"}


def test_the_team_prepares_a_drafts_pdf_in_the_background(
    client, planner, q3_report, fake_pdfs, django_capture_on_commit_callbacks
):
    url = reverse("reports:pdf-prepare", args=[q3_report.pk])
    client.force_login(planner)
    detail = client.get(q3_report.get_absolute_url()).text
    assert f'href="{url}"' in detail
    page = client.get(url).text
    assert "Prepare the PDF" in page and "hx-trigger" not in page
    # Asked for, not yet run: the page polls, and offers a refresh link without JavaScript.
    assert client.post(url).status_code == 302
    job = PdfRender.objects.get()
    assert job.state == "queued"
    waiting = client.get(url, headers=HX).text
    assert waiting.strip().startswith('<div id="pdf-status"')
    assert 'hx-trigger="every 2s"' in waiting and "Refresh to see whether it is ready" in waiting
    # The worker runs it.
    from riskreg.report.background import render_report_pdf

    render_report_pdf.call(job.pk)
    done = client.get(url, headers=HX).text
    assert "hx-trigger" not in done and "Ready" in done
    download = reverse("reports:pdf-prepared", args=[q3_report.pk, job.pk])
    assert f'href="{download}"' in done
    response = client.get(download)
    assert response["Content-Type"] == "application/pdf"
    assert bytes(response.content).startswith(b"%PDF-fake")
    assert "DRAFT-" in response["Content-Disposition"]
    # Asking again for the same version renders nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert PdfRender.objects.count() == 1


def test_a_duplicate_task_renders_once(
    planner, q3_report, fake_pdfs, monkeypatch, django_capture_on_commit_callbacks
):
    from riskreg.report import background, document

    calls, fake = [], document._render_pdf
    monkeypatch.setattr(document, "_render_pdf", lambda *a, **k: calls.append(1) or fake(*a, **k))
    with django_capture_on_commit_callbacks(execute=True):
        job = background.request_render(report=q3_report, public=False, by=planner)
    background.render_report_pdf.call(job.pk)
    job.refresh_from_db()
    assert job.state == "done" and len(calls) == 1


def test_a_failing_render_is_retried_then_reported_and_can_be_tried_again(
    client, planner, q3_report, settings, django_capture_on_commit_callbacks
):
    settings.TASK_MAX_ATTEMPTS = 3
    url = reverse("reports:pdf-prepare", args=[q3_report.pk])
    client.force_login(planner)
    with mock.patch("riskreg.report.document._render_pdf", side_effect=OSError("no fonts")) as r, \
            django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert r.call_count == 3
    job = PdfRender.objects.get()
    assert job.state == "failed" and "OSError" in job.error
    page = client.get(url).text
    assert "Could not be prepared" in page and "Try again" in page
    with mock.patch("riskreg.report.document._render_pdf", return_value=b"%PDF-ok"), \
            django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job.refresh_from_db()
    assert job.state == "done" and bytes(job.data) == b"%PDF-ok"


def test_a_published_reports_kept_pdf_needs_no_preparing(
    client, planner, q3_report, fake_pdfs
):
    published = publish_report(report=q3_report, by=planner)
    client.force_login(planner)
    response = client.get(reverse("reports:pdf-prepare", args=[published.pk]))
    assert response.status_code == 302 and response["Location"] == published.get_pdf_url()
    assert not PdfRender.objects.exists()


def test_a_public_only_reader_never_gets_the_full_version(client, owner, q3_report, planner, fake_pdfs):
    """An owner reads published papers of their registers only, and their public version."""
    published = publish_report(report=q3_report, by=planner)
    job = PdfRender.objects.create(report=published, public=False, report_version=published.version,
                                   state="done", data=b"%PDF-full")
    client.force_login(owner)
    assert client.get(reverse("reports:pdf-prepared", args=[published.pk, job.pk])).status_code == 404
    assert Report.objects.filter(pk=published.pk).exists()

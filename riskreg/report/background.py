"""A report's PDF rendered by a task (django.tasks) while its page shows progress.

`request_render` (a service) records the request once per report, variant and version and
enqueues the task after the commit; `render_report_pdf` (the task) claims the row with a
conditional UPDATE, so a duplicate or retried task renders nothing twice, and is enqueued
again on failure (riskreg.notify.tasks.retry_later) until it gives up and says so."""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from riskreg.notify.tasks import retry_later

from . import document
from .models import PdfRender, Report

log = logging.getLogger("riskreg.report")

# A render still "running" this long after it started died with its worker: it may start again.
STALE = datetime.timedelta(minutes=10)


def current_render(report: Report, *, public: bool) -> PdfRender | None:
    return (
        PdfRender.objects.filter(report=report, public=public, report_version=report.version)
        .defer("data").first()
    )


@transaction.atomic
def request_render(*, report: Report, public: bool, by) -> PdfRender:
    """The render of this version of the report, asked for once; a failed one is tried again."""
    try:
        with transaction.atomic():
            render, created = PdfRender.objects.get_or_create(
                report=report, public=public, report_version=report.version,
                defaults={"requested_by": by},
            )
    except IntegrityError:  # asked for at the same moment by someone else: theirs it is
        render, created = current_render(report, public=public), False
    if not created and render.state == PdfRender.State.FAILED:
        PdfRender.objects.filter(pk=render.pk).update(
            state=PdfRender.State.QUEUED, error="", attempts=0, requested_by=by
        )
        render.refresh_from_db(fields=["state", "error", "attempts"])
        created = True
    if created:
        pk = render.pk
        transaction.on_commit(lambda: _enqueue(pk))
    return render


def _enqueue(render_id: int) -> None:
    try:
        render_report_pdf.enqueue(render_id)
    except Exception:
        log.exception("could not enqueue the PDF render %s", render_id)
        PdfRender.objects.filter(pk=render_id).update(
            state=PdfRender.State.FAILED, error="The task queue could not be reached."
        )


@task()
def render_report_pdf(render_id: int, attempt: int = 1) -> str:
    now = timezone.now()
    claimed = PdfRender.objects.filter(
        Q(state=PdfRender.State.QUEUED)
        | Q(state=PdfRender.State.RUNNING, started_at__lt=now - STALE),
        pk=render_id,
    ).update(state=PdfRender.State.RUNNING, started_at=now, attempts=attempt)
    if not claimed:
        return "nothing to do"
    render = PdfRender.objects.select_related("report").defer("data").get(pk=render_id)
    report = render.report
    if report.version != render.report_version:
        PdfRender.objects.filter(pk=render_id).update(
            state=PdfRender.State.FAILED, finished_at=timezone.now(),
            error="The report changed after the PDF was asked for: prepare it again.",
        )
        return "stale"
    try:
        data = document.pdf_bytes(report, public=render.public)
    except Exception as error:
        log.exception("rendering %s failed (attempt %s)", render, attempt)
        # Queued again before the retry is enqueued: a backend that runs it at once (or a
        # quick worker) must find it claimable.
        PdfRender.objects.filter(pk=render_id).update(state=PdfRender.State.QUEUED)
        if not retry_later(render_report_pdf, attempt, render_id):
            PdfRender.objects.filter(pk=render_id).update(
                state=PdfRender.State.FAILED, finished_at=timezone.now(),
                error=f"The PDF could not be prepared ({type(error).__name__}).",
            )
        raise
    PdfRender.objects.filter(pk=render_id).update(
        state=PdfRender.State.DONE, data=data, finished_at=timezone.now()
    )
    log.info("rendered %s: %s bytes in %s", render, len(data), timezone.now() - now)
    return "done"




"""The Audit Panel report: list, compose, preview, publish, withdraw or correct, and download
as PDF."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from risks.models import is_planner

from . import background, document
from .access import get_report_for_user, reads_public_only
from .compose import compose_context
from .forms import NewReportForm, PublishForm, ReasonForm, ReportForm
from .models import PdfRender, Report
from .services import (
    ReportConflict,
    ReportPublished,
    create_report,
    publish_report,
    start_correction,
    unchecked_message,
    update_report,
    withdraw_report,
)


def _wants_public(request: HttpRequest) -> bool:
    """?public=1, or a reader who may read only the public version (owners and leads)."""
    return request.GET.get("public") == "1" or reads_public_only(request.user)


def report_list(request: HttpRequest) -> HttpResponse:
    """Every signed-in person's list of the reports they may read (ReportQuerySet.visible_to)."""
    planner = is_planner(request.user)
    return render(
        request,
        "riskreg/report/report_list.html",
        {
            "reports": Report.objects.visible_to(request.user).select_related(
                "period", "register", "supersedes"
            ),
            "can_compose": planner,
            "public_only": reads_public_only(request.user),
            "form": NewReportForm() if planner else None,
        },
    )


def report_new(request: HttpRequest) -> HttpResponse:
    if not is_planner(request.user):
        raise PermissionDenied("Only the Planning & Risk Team can start a report.")
    form = NewReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = create_report(
                register=form.cleaned_data["register"],
                period=form.cleaned_data["period"],
                meeting_date=form.cleaned_data["meeting_date"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            waiting = len(report.unchecked_sections())
            messages.success(
                request,
                f"Report started from {report.copied_from}: {waiting} section"
                f"{'s' if waiting != 1 else ''} copied from it {'is' if waiting == 1 else 'are'}"
                " marked to check. Edit or confirm each one before publishing."
                if report.copied_from_id else "Report started.",
            )
            return redirect("reports:edit", report.pk)
    return render(request, "riskreg/report/report_new.html", {"form": form})


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    public = _wants_public(request)
    rendered, doc = document.render(report, public=public, preview=True)
    can_edit = is_planner(request.user) and not report.is_published
    return render(
        request,
        "riskreg/report/report_detail.html",
        {
            "report": report,
            "rendered": rendered,
            "doc": doc,
            "public": public,
            "public_only": reads_public_only(request.user),
            "can_edit": can_edit,
            "unchecked": unchecked_message(report) if can_edit else "",
            "appetite_sections": [report.section_label(n) for n in doc.appetite_unpromised]
            if doc and can_edit else [],
            "can_withdraw": is_planner(request.user) and report.is_current,
            "correction": (
                Report.objects.filter(supersedes=report).first() if is_planner(request.user)
                else None
            ),
        },
    )


def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, edit=True)
    if report.is_published:
        messages.info(request, "This report is published: it can no longer change.")
        return redirect(report)
    form = ReportForm(request.POST or None, instance=report)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            update_report(
                report=report,
                version=form.cleaned_data["version"],
                fields=form.changed_fields(),
                noted_risks=form.cleaned_data["noted_risks"],
                appendix_b_risks=form.cleaned_data["appendix_b_risks"],
                reprinted_risks=form.cleaned_data["reprinted_risks"],
                confirmed=form.confirmed_sections(),
                by=request.user,
            )
        except ReportConflict as exc:
            # Keep what this person typed; the next save (with the new version) overwrites.
            conflict = exc.current
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = ReportForm(data, instance=report)
            form.is_valid()
        except ReportPublished:
            messages.info(request, "This report was published meanwhile: it can no longer change.")
            return redirect(report)
        else:
            messages.success(request, "Report saved.")
            return redirect(report)
    return render(
        request,
        "riskreg/report/report_form.html",
        {"report": report, "form": form, "conflict": conflict, **compose_context(report, form)},
        status=409 if conflict else 200,
    )


@require_http_methods(["GET", "POST"])
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page: what is about to go to the panel, and an explicit tick."""
    report = get_report_for_user(request, pk, edit=True)
    if report.is_published:
        messages.info(request, "This report is already published: it can no longer change.")
        return redirect(report)
    form = PublishForm(request.POST or None, initial={"version": report.version})
    if request.method == "POST" and form.is_valid():
        try:
            publish_report(report=report, version=form.cleaned_data["version"], by=request.user)
        except ReportConflict:
            messages.error(
                request, "The report changed since you opened it. Check it, then publish."
            )
            return redirect("reports:publish", report.pk)
        except ReportPublished:
            messages.info(request, "This report was published meanwhile.")
            return redirect(report)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(
                request, "Report published: the Audit Panel can now read and download it."
            )
            return redirect(report)
    _, doc = document.render(report)
    return render(
        request,
        "riskreg/report/report_publish.html",
        {
            "report": report, "form": form, "doc": doc, "unrated": _unrated(doc),
            "unchecked": unchecked_message(report),
            "public_marking": report.marking(public=True),
            "public_handling": report.handling(public=True),
        },
    )


def _unrated(doc) -> list:
    """Approved updates that give no progress towards the target (risk 10 in October 2021)."""
    return [
        a for _, _, rows in doc.by_horizon for a in rows
        if a.state == "approved" and not a.progress
    ]


def _reason_page(request: HttpRequest, pk: int, *, action: str) -> HttpResponse:
    report = get_report_for_user(request, pk, edit=True)
    withdraw = action == "withdraw"
    form = ReasonForm(
        request.POST or None,
        label="Why is the report withdrawn?" if withdraw else "What does the corrected version correct?",
        hint=(
            "The team sees this beside the report: “Withdrawn on <date>: <your reason>”."
            if withdraw else
            "The corrected version says so on its front page, and once it is published the "
            "report it replaces reads “Superseded on <date>: <your reason>”."
        ),
        required_message=(
            "Enter the reason for withdrawing the report" if withdraw
            else "Enter the reason for correcting the report"
        ),
    )
    if not report.is_current:
        messages.error(
            request, f"This report is {report.status_label.lower()}: only the current published "
            "report can be withdrawn or corrected."
        )
        return redirect(report)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if withdraw:
                withdraw_report(report=report, reason=reason, by=request.user)
            else:
                correction = start_correction(report=report, reason=reason, by=request.user)
        except ValidationError as exc:
            form.add_error("reason", " ".join(exc.messages))
        else:
            if withdraw:
                messages.success(
                    request, "Report withdrawn: the Audit Panel can no longer read or download it."
                )
                return redirect(report)
            messages.success(
                request, "Corrected version started from the published report. Correct it, "
                "then publish it: it will then replace the published report."
            )
            return redirect("reports:edit", correction.pk)
    return render(
        request,
        "riskreg/report/report_reason.html",
        {"report": report, "form": form, "withdraw": withdraw},
    )


@require_http_methods(["GET", "POST"])
def report_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_page(request, pk, action="withdraw")


@require_http_methods(["GET", "POST"])
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_page(request, pk, action="correct")


def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    public = _wants_public(request)
    data = document.pdf_bytes(report, public=public)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename(public=public)}"'
    return response


@require_http_methods(["GET", "POST"])
def report_pdf_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's PDF prepared in the background: POST asks for it, GET shows how it is
    going (htmx polls the status; without JavaScript, the page's refresh link)."""
    report = get_report_for_user(request, pk)
    public = _wants_public(request)
    if report.is_published and document.kept_file(report, public=public) is not None:
        # Kept when it was published: ready at once.
        return redirect(report.get_pdf_url() + ("?public=1" if public else ""))
    if request.method == "POST":
        background.request_render(report=report, public=public, by=request.user)
        return redirect(reverse("reports:pdf-prepare", args=[pk]) + ("?public=1" if public else ""))
    render_ = background.current_render(report, public=public)
    context = {"report": report, "public": public, "job": render_}
    if request.htmx:
        return render(request, "riskreg/report/pdf_prepare.html#status", context)
    return render(request, "riskreg/report/pdf_prepare.html", context)


def report_pdf_prepared(request: HttpRequest, pk: int, render_pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    job = get_object_or_404(
        PdfRender, pk=render_pk, report=report, state=PdfRender.State.DONE,
        # Someone who reads the public version only never gets the full one.
        **({"public": True} if reads_public_only(request.user) else {}),
    )
    response = HttpResponse(bytes(job.data), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{report.filename(public=job.public)}"'
    )
    return response

"""The Audit Panel report: list, compose, preview, publish and download as PDF."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from risks.models import is_planner

from . import document
from .access import can_read_reports, get_report_for_user
from .compose import compose_context
from .forms import NewReportForm, ReportForm
from .models import Report
from .services import (
    ReportConflict,
    ReportPublished,
    create_report,
    publish_report,
    unchecked_message,
    update_report,
)


def _wants_public(request: HttpRequest) -> bool:
    return request.GET.get("public") == "1"


def report_list(request: HttpRequest) -> HttpResponse:
    if not can_read_reports(request.user):
        raise PermissionDenied("Only the Planning & Risk Team and the Audit Panel read reports.")
    planner = is_planner(request.user)
    return render(
        request,
        "riskreg/report/report_list.html",
        {
            "reports": Report.objects.visible_to(request.user).select_related("period", "register"),
            "can_compose": planner,
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
            "can_edit": can_edit,
            "unchecked": unchecked_message(report) if can_edit else "",
            "appetite_sections": [report.section_label(n) for n in doc.appetite_unpromised]
            if doc and can_edit else [],
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


@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, edit=True)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        publish_report(report=report, version=version, by=request.user)
    except ReportConflict:
        messages.error(request, "The report changed since you opened it. Check it, then publish.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Report published: the Audit Panel can now read and download it.")
    return redirect(report)


def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    public = _wants_public(request)
    data = document.pdf_bytes(report, public=public)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename(public=public)}"'
    return response

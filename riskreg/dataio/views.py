"""The import pages: upload (and the template to start from), preview, confirm.

Between the preview and the confirmation the file's rows wait in the person's session: the
parsed text only (never the file), signed, compressed and size-bounded, tied to the person
and the register, and gone once confirmed or after an hour. The preview's form carries a
fingerprint of them, so a preview left open in another tab cannot confirm a different file.
"""

import hashlib

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from risks.access import get_register_for_user, require_planner
from risks.models import PeriodClosed, Register, ReportingPeriod
from risks.services import NotEditable, StaleVersion

from . import columns as cols
from .imports import ImportRefused, apply_import, plan_import, records_from
from .reading import MAX_ROWS, MAX_UPLOAD_BYTES, BadFile, read_upload
from .tables import Table, chosen_format, download

SESSION_KEY = "riskreg.dataio.import"
# The signed rows in the session: about a thousand long risks, compressed. Larger files are
# imported in parts (the session is read on every request).
MAX_SESSION_CHARS = 1_500_000
MAX_AGE_SECONDS = 60 * 60


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet to import",
        help_text=f"An Excel workbook (.xlsx) or a CSV file (.csv), up to "
        f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB and {MAX_ROWS:,} risks.",
        error_messages={"required": "Choose a file to import",
                        "empty": "The file is empty: choose another",
                        "invalid": "Choose a file to import"},
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload",
                                               "accept": ".xlsx,.csv"}),
    )


def _salt(request: HttpRequest, register: Register) -> str:
    return f"riskreg.dataio.import:{request.user.pk}:{register.pk}"


def _fingerprint(blob: str) -> str:
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def _context(register, period, **more) -> dict:
    return {"register": register, "period": period, "max_rows": MAX_ROWS, **more}


@require_http_methods(["GET", "POST"])
def import_register(request: HttpRequest, slug: str) -> HttpResponse:
    require_planner(request)
    register = get_register_for_user(request, slug)
    period = ReportingPeriod.objects.open().first()
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        return render(request, "riskreg/dataio/import_form.html",
                      _context(register, period, form=form))
    if period is None:
        form.add_error(None, "No reporting period is open: open one, then import into it.")
    elif form.is_valid():
        try:
            mapping, records = records_from(read_upload(form.cleaned_data["file"]))
            blob = signing.dumps(
                {"records": records, "name": form.cleaned_data["file"].name[:200],
                 "period": period.pk},
                salt=_salt(request, register), compress=True,
            )
            if len(blob) > MAX_SESSION_CHARS:
                raise BadFile("The file holds too much text to import at once: split it into "
                              "smaller files (a few hundred risks each).")
        except BadFile as exc:
            form.add_error("file", str(exc))
        else:
            request.session[SESSION_KEY] = {"register": register.pk, "blob": blob}
            plan = plan_import(register, period, records)
            return render(request, "riskreg/dataio/import_preview.html", _context(
                register, period, plan=plan, mapping=mapping, token=_fingerprint(blob),
                name=form.cleaned_data["file"].name,
                mapped=[(cols.BY_KEY[k].heading) for k in mapping.keys],
            ))
    return render(request, "riskreg/dataio/import_form.html",
                  _context(register, period, form=form), status=400)


def _pending(request: HttpRequest, register: Register) -> tuple[str, list[dict], int] | None:
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("register") != register.pk:
        return None
    blob = pending.get("blob", "")
    if request.POST.get("token") != _fingerprint(blob):
        return None
    try:
        data = signing.loads(blob, salt=_salt(request, register), max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    return data.get("name", ""), data["records"], data.get("period")


def _refuse(request, register, period, status: int, problem: str) -> HttpResponse:
    return render(request, "riskreg/dataio/import_form.html",
                  _context(register, period, form=UploadForm(), problem=problem), status=status)


@require_POST
def import_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    require_planner(request)
    register = get_register_for_user(request, slug)
    period = ReportingPeriod.objects.open().first()
    pending = _pending(request, register)
    if pending is None:
        return _refuse(request, register, period, 400,
                       "There is no previewed file to import (it was imported already, replaced "
                       "by another, or waited more than an hour): upload it again.")
    name, records, previewed_in = pending
    if period is not None and period.pk != previewed_in:
        request.session.pop(SESSION_KEY, None)
        return _refuse(request, register, period, 409,
                       f"The preview was of another quarter; {period} is open now. Nothing was "
                       "imported: upload the file again to see what it would change in "
                       f"{period}.")
    try:
        plan = apply_import(register, records, by=request.user)
    except ImportRefused as refused:
        if refused.plan.period is None:
            return _refuse(request, register, None, 409,
                           "No reporting period is open: nothing was imported.")
        return render(request, "riskreg/dataio/import_preview.html", _context(
            register, refused.plan.period, plan=refused.plan, name=name, changed=True,
        ), status=409)
    except (PeriodClosed, StaleVersion, NotEditable) as exc:
        return _refuse(request, register, period, 409,
                       f"Nothing was imported: {exc} Upload the file again.")
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        f"Imported {name or 'the file'} into {plan.period}: {plan.count('created')} risks "
        f"added, {plan.count('updated')} updated, {plan.count('unchanged')} unchanged.",
    )
    return redirect(f"{register.get_absolute_url()}?{urlencode({'period': plan.period.slug})}")


def import_template(request: HttpRequest, slug: str) -> HttpResponse:
    """The headings the import reads, and a second sheet saying what each column holds."""
    require_planner(request)
    register = get_register_for_user(request, slug)
    fmt = chosen_format(request)
    headings = Table("Risks", [c.heading for c in cols.TEMPLATE_COLUMNS])
    tables = [headings]
    if fmt == "xlsx":
        guide = Table("Guidance", ["Column", "Also read under", "What it holds"])
        for c in cols.COLUMNS:
            guide.rows.append([c.heading, ", ".join(c.aliases), c.guidance])
        for heading in cols.DERIVED:
            guide.rows.append([heading, "", "Written by exports; passed over by the import."])
        tables.append(guide)
    return download(tables, fmt, f"{register.slug}-import-template")

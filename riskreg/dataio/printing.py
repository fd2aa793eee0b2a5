"""The register as a PDF of its own: the page's rows (its filters, what the person may see),
its heat maps, through the Audit Panel report's PDF machinery (riskreg.report.pdf: WeasyPrint
with the fetcher that serves only the project's static files).

The PDF carries the protective marking of what it shows, in every page's header and in its
file name. A register's rows, heat maps, owners, appetite and commentary are OFFICIAL (every
signed-in reader of the register sees them on its pages); OFFICIAL-SENSITIVE is the marking of
Appendix B's control notes, which this PDF prints only when asked for key controls
(?controls=key) by someone who reads everything: `marking()` answers from what the document
holds.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from controls.models import ControlUpdate
from riskreg.report.pdf import render_pdf
from risks.access import get_register_for_user
from risks.filters import RegisterFilterForm, group_by_horizon, owner_choices, register_rows
from risks.heatmaps import heat_maps
from risks.models import Assessment, Pillar, ReportingPeriod, reads_everything
from risks.pages import choose_period

OFFICIAL = "OFFICIAL"
OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"


def marking(*, control_notes: bool) -> str:
    """The marking of a document by what it holds: control notes are OFFICIAL-SENSITIVE."""
    return OFFICIAL_SENSITIVE if control_notes else OFFICIAL


def key_controls(rows: list[Assessment], notes: bool) -> list[dict]:
    """The key controls of the rows' risks as each row's quarter records them (a row may be
    an earlier quarter's last approved update): ref, control, status and, with `notes`, the
    note. One query. A closed quarter's records say which controls were key then; in the open
    quarter the controls themselves do."""
    wanted = {(a.risk_id, a.period_id): a.ref for a in rows}
    if not wanted:
        return []
    found = []
    for update in (
        ControlUpdate.objects.filter(risk_id__in={r for r, _ in wanted},
                                     period_id__in={p for _, p in wanted})
        .select_related("control", "period").order_by("order", "pk")
    ):
        ref = wanted.get((update.risk_id, update.period_id))
        key = update.is_key if not update.period.is_open else update.control.is_key
        if ref is None or not key:
            continue
        title = update.title if not update.period.is_open else update.control.title
        found.append({"ref": ref, "title": title, "status": update.get_status_display(),
                      "note": update.note if notes else ""})
    return sorted(found, key=lambda c: c["ref"])


def register_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    register = get_register_for_user(request, slug)
    periods = list(ReportingPeriod.objects.all())
    period = choose_period(periods, request.GET.get("period"), request.user)
    if period is None:
        rows, groups, maps = [], [], []
        filters = {}
    else:
        shown = Assessment.objects.of_register(register).shown(period, request.user)
        form = RegisterFilterForm(
            request.GET, owners=owner_choices(shown), pillars=list(Pillar.objects.all())
        )
        filters = form.filters()
        rows = list(register_rows(shown, filters, form.sort_key))
        groups = group_by_horizon(rows, period, periods)
        maps = heat_maps(register, period, rows=shown)
    # ?controls=key adds each risk's key controls; their notes are OFFICIAL-SENSITIVE
    # (Appendix B prints them so), for those who read everything, as the changes page.
    controls = key_controls(rows, reads_everything(request.user)) if (
        request.GET.get("controls") == "key") else []
    mark = marking(control_notes=any(c["note"].strip() for c in controls))
    title = f"{register.name} {period.name}" if period else register.name
    body = render_to_string("riskreg/dataio/register_print.html", {
        "register": register, "period": period, "groups": groups, "heatmaps": maps,
        "count": len(rows), "filtered": bool(filters), "marking": mark,
        "controls": controls, "with_controls": request.GET.get("controls") == "key",
        "organisation": settings.ORGANISATION_NAME,
        "printed": timezone.localdate(),
    })
    stamp = timezone.localdate().isoformat()
    data = render_pdf(body=mark_safe(body), title=title,  # noqa: S308 (rendered, escaped template)
                      author=settings.ORGANISATION_NAME, created=stamp, modified=stamp)
    name = f"{register.slug}-{period.slug if period else 'register'}-{mark.lower()}.pdf"
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

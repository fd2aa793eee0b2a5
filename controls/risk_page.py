"""The risk page's controls: those of the quarter the page shows, as that quarter records them
(risks.risk_page calls in; risks never imports us). One query: the risk page is counted."""

from dataclasses import dataclass

from django.db.models import F, FilteredRelation, Q
from django.http import HttpRequest
from django.template.loader import render_to_string

from risks import risk_page
from risks.models import Assessment, ReportingPeriod, Risk

from .models import STATUS_TAG_COLOURS, Control, ControlStatus, ControlUpdate


@dataclass(frozen=True)
class ControlLine:
    title: str
    category: str
    is_key: bool
    milestone: str
    owner_name: str
    status: str  # "" when nobody gave one this quarter
    note: str

    @property
    def status_label(self) -> str:
        return ControlStatus(self.status).label if self.status else "No update this quarter"

    @property
    def status_tag_colour(self) -> str:
        return STATUS_TAG_COLOURS.get(self.status, "grey")


def control_lines(risk: Risk, period: ReportingPeriod) -> list[ControlLine]:
    """What quarter.control_rows shows of each control, without the previous quarter: an open
    period's active controls as they stand, with this quarter's status; a closed period's
    records of them."""
    if not period.is_open:
        return [
            ControlLine(r.title, r.category, r.is_key, r.milestone, r.owner_name, r.status, r.note)
            for r in ControlUpdate.objects.filter(period=period, risk=risk, retired=False)
            .order_by("order", "control_id")
        ]
    return [
        ControlLine(c.title, c.category, c.is_key, c.milestone, c.owner.name if c.owner else "",
                    c.this_status or "", c.this_note or "")
        for c in Control.objects.filter(risk=risk, is_active=True)
        .annotate(this=FilteredRelation("updates", condition=Q(updates__period=period)))
        .annotate(this_status=F("this__status"), this_note=F("this__note"))
        .select_related("owner")
        .order_by("order", "pk")
    ]


@risk_page.register
def controls_section(request: HttpRequest, risk: Risk, shown: Assessment) -> str:
    return render_to_string(
        "controls/risk_controls.html",
        {"rows": control_lines(risk, shown.period), "risk": risk, "period": shown.period},
        request=request,
    )

"""The risk page's controls: those of the quarter the page shows, as that quarter records them
(risks.risk_page calls in; risks never imports us)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from risks import risk_page
from risks.models import Assessment, Risk

from .quarter import control_rows


@risk_page.register
def controls_section(request: HttpRequest, risk: Risk, shown: Assessment) -> str:
    rows = control_rows(risk, shown.period)
    return render_to_string("controls/risk_controls.html",
                            {"rows": rows, "risk": risk, "period": shown.period}, request=request)

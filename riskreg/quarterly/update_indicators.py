"""The key risk indicators section of the quarterly update: each active indicator's value this
quarter (and a note), on one page, saved at once under the update's optimistic lock."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from risks.indicator_forms import IndicatorValuesForm
from risks.indicators import entries, save_indicator_values
from risks.locking import StaleVersion
from risks.models import PeriodClosed
from risks.models.indicators import number
from risks.services import NotEditable

from .update import changed_by, editable_update

WHAT = "its indicators' values"
TEMPLATE = "riskreg/quarterly/indicatorvalue_form.html"


@require_http_methods(["GET", "POST"])
def update_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    update = editable_update(request, pk, WHAT)
    if isinstance(update, HttpResponse):
        return update
    kri = entries(update.risk, update.period)
    if not kri:
        messages.error(request, "This risk has no active key risk indicator to enter.")
        return redirect("quarterly:update", pk=pk)
    status, stale = 200, None
    if request.method == "POST":
        form = IndicatorValuesForm(request.POST, entries=kri)
        if form.is_valid():
            try:
                save_indicator_values(
                    assessment=update.assessment, version=form.cleaned_data["version"],
                    by=request.user, values=form.values(),
                )
            except StaleVersion as conflict:
                stale = conflict.current
                form.add_error(None, (
                    f"{changed_by(stale, request.user)} after you opened this page, so nothing "
                    "was saved. Your values are below, beside what is stored now: check them, "
                    "then save again."))
                # The next save is checked against what the person has now seen.
                data = request.POST.copy()
                data["version"] = stale.version
                form.data = data
                status = 409
            except (NotEditable, PeriodClosed) as refused:
                messages.error(request, refused.messages[0])
                return redirect("quarterly:update", pk=pk)
            except ValidationError as refused:
                form.add_error(None, refused)
                status = 400
            else:
                messages.success(
                    request, f"The key risk indicators' values were saved as a draft for "
                    f"{update.period}.")
                return redirect("quarterly:update", pk=pk)
        else:
            status = 400
    else:
        initial = {"version": update.assessment.version}
        for e in kri:
            if e.this is not None:
                initial[f"value_{e.indicator.pk}"] = number(e.this.value)
                initial[f"note_{e.indicator.pk}"] = e.this.note
        form = IndicatorValuesForm(initial=initial, entries=kri)
    return render(
        request, TEMPLATE,
        {"risk": update.risk, "period": update.period, "assessment": update.assessment,
         "form": form, "stale": stale},
        status=status,
    )

"""Escalations: proposing that a risk moves up (or back down) the hierarchy, the receiving
register's decision, and the list of a quarter's escalations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from .. import escalations as rules
from ..access import get_risk_for_user
from ..escalation_forms import DecideForm, ProposeForm
from ..models import Escalation, Register, ReportingPeriod
from ..pages import choose_period


def _refusal(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@require_http_methods(["GET", "POST"])
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    """/risks/<pk>/escalate/: the risk's owner, leads, register heads or the team propose."""
    risk = get_risk_for_user(request, pk)
    if not rules.can_propose(request.user, risk):
        raise PermissionDenied("Only the risk's owner, its leads, its register's heads or the "
                               "Planning & Risk Team can propose an escalation.")
    period = ReportingPeriod.objects.open().first()
    targets = rules.targets(risk)
    form = ProposeForm(request.POST or None, targets=targets)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            direction, register = form.chosen()
            try:
                escalation = rules.propose_escalation(
                    risk=risk, to_register=register, direction=direction,
                    reason=form.cleaned_data["reason"], by=request.user,
                )
            except ValidationError as error:
                _refusal(form, error)
            else:
                messages.success(request, f"Proposed: {escalation}. {register} decides.")
                return redirect(escalation)
        status = 400
    return render(request, "risks/escalation_form.html", {
        "risk": risk, "form": form, "period": period,
        "has_targets": bool(targets["up"] or targets["down"]),
        "history": Escalation.objects.filter(risk=risk).for_page(),
    }, status=status)


@require_http_methods(["GET", "POST"])
def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/escalations/<pk>/: the proposal, and its decision (the receiving register's lead or
    the team decide, in the proposal's own quarter while it is open)."""
    escalation = get_object_or_404(Escalation.objects.visible_to(request.user).for_page(), pk=pk)
    decider = rules.can_decide(request.user, escalation)
    form = DecideForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not decider:
            raise PermissionDenied(f"Only the lead of {escalation.to_register} or the Planning "
                                   "& Risk Team can decide this.")
        if form.is_valid():
            try:
                decided = rules.decide_escalation(
                    escalation=escalation, accept=form.cleaned_data["decision"] == "accept",
                    reason=form.cleaned_data["reason"], by=request.user,
                )
            except ValidationError as error:
                _refusal(form, error)
            else:
                messages.success(request, f"{decided}: {decided.get_state_display().lower()}.")
                return redirect(decided)
        status = 400
    return render(request, "risks/escalation_detail.html", {
        "escalation": escalation, "form": form, "status": status,
        "can_decide": decider and escalation.is_pending and escalation.period.is_open,
        "history": escalation.history.select_related("history_user").order_by("history_date"),
    }, status=status)


def escalation_list(request: HttpRequest) -> HttpResponse:
    """/escalations/: those waiting for the person's decision, and a quarter's escalations
    and de-escalations (of one register and those beneath it, with ?register=)."""
    periods = list(ReportingPeriod.objects.all())
    period = choose_period(periods, request.GET.get("period"), request.user)
    registers = list(Register.objects.visible_to(request.user).order_by("name"))
    register = None
    if request.GET.get("register"):
        register = next((r for r in registers if r.slug == request.GET["register"]), None)
        if register is None:
            raise Http404("There is no register with that name that you can see.")
    rows = Escalation.objects.visible_to(request.user).for_page()
    if register is not None:
        rows = rows.touching(Register.objects.branch_of(register).values("pk"))
    waiting = rows.pending()
    if not rules.is_planner(request.user):
        waiting = waiting.decided_by_registers_of(request.user)
    return render(request, "risks/escalation_list.html", {
        "periods": periods, "period": period, "registers": registers, "register": register,
        "waiting": list(waiting),
        "rows": list(rows.filter(period=period)) if period else [],
    })

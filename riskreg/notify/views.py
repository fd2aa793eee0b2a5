"""/notifications/ (the list, marking read, each person's choices), and the team's bulk and
hand-over actions on the review queue: approve the selected updates, chase everyone who has
not submitted, extend one risk's deadline; and an owner's hand-over of an update."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from risks.access import get_risk_for_user, require_planner
from risks.models import Assessment, Delegation, PeriodClosed, ReportingPeriod, Risk
from risks.pages import pagination
from risks.pagination import get_page

from . import services
from .forms import DelegateForm, ExtendDeadlineForm, MarkReadForm, PreferencesForm
from .models import DeadlineExtension, Notification, Preference, TeamAction

PAGE_SIZE = 25


def notification_list(request: HttpRequest) -> HttpResponse:
    page = get_page(
        Notification.objects.for_user(request.user).only(
            "pk", "kind", "subject", "body", "url", "created_at", "read_at"
        ),
        request.GET.get("page"), PAGE_SIZE,
    )
    return render(
        request, "notify/notification_list.html",
        {"page": page, "notifications": list(page), "pages": pagination(request, page)},
    )


@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (`notification`), or all of them."""
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That is not one of your notifications: nothing was marked read.")
        return redirect("notify:list")
    one = form.cleaned_data["notification"]
    n = services.mark_read(user=request.user, ids=[one] if one else None)
    if one and not n:
        messages.info(request, "That notification was already read.")
    else:
        messages.success(request, "Marked as read." if one else "All notifications marked as read.")
    return redirect("notify:list")


@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    current = dict(
        Preference.objects.filter(user=request.user).values_list("kind", "delivery")
    )
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(user=request.user, choices=form.cleaned_data)
        messages.success(request, "Your choices are saved.")
        return redirect("notify:settings")
    return render(request, "notify/preference_form.html", {"form": form})


# The team's actions ----------------------------------------------------------------------


def _open_period() -> ReportingPeriod:
    period = ReportingPeriod.objects.open().first()
    if period is None:
        raise Http404("No reporting period is open.")
    return period


def _selected(values: list[str]) -> list[tuple[int, int]] | None:
    """"pk:version" pairs, as the queue's check boxes send them; None if any is not one."""
    pairs = []
    for value in values:
        pk, _, version = value.partition(":")
        if not (pk.isascii() and pk.isdigit() and version.isascii() and version.isdigit()):
            return None
        if len(pk) > 18 or len(version) > 18:
            return None
        pairs.append((int(pk), int(version)))
    return pairs


@require_POST
def approve_selected(request: HttpRequest) -> HttpResponse:
    """Approve every selected update, each checked as if approved alone; say which were
    approved and, for each refused, why."""
    require_planner(request)
    pairs = _selected(request.POST.getlist("selected"))
    if not pairs:
        messages.error(
            request,
            "Select the updates to approve: nothing was approved." if pairs == []
            else "That selection is not one the queue offers: nothing was approved.",
        )
        return redirect("quarterly:review")
    found = Assessment.objects.select_related("risk", "period").in_bulk([pk for pk, _ in pairs])
    chosen = [(found[pk], version) for pk, version in pairs if pk in found]
    approved, refused = services.approve_many(assessments=chosen, by=request.user)
    missing = len(pairs) - len(chosen)
    if approved:
        messages.success(
            request,
            f"{len(approved)} update{'s' if len(approved) != 1 else ''} approved: "
            + ", ".join(f"risk {a.risk.ref} {a.risk.title}" for a in approved) + ".",
        )
    if refused or missing:
        lines = [f"Risk {a.risk.ref} {a.risk.title}: {why}" for a, why in refused]
        if missing:
            lines.append(f"{missing} selected update{'s' if missing != 1 else ''} no longer exist")
        messages.error(
            request, f"Not approved ({len(refused) + missing}): " + "; ".join(lines) + ".",
        )
    return redirect("quarterly:review")


@require_POST
def chase(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    try:
        n = services.chase(period=_open_period(), by=request.user)
    except PeriodClosed as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(
            request,
            f"Reminder sent to {n} {'people' if n != 1 else 'person'} with updates not submitted."
            if n else "Everyone has submitted: nobody to remind.",
        )
    return redirect("quarterly:review")


@require_http_methods(["GET", "POST"])
def extend_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    period = _open_period()
    risk = get_object_or_404(Risk.objects.active().select_related("register"), pk=pk)
    current = DeadlineExtension.objects.filter(period=period, risk=risk).first()
    form = ExtendDeadlineForm(
        request.POST or None,
        initial={"deadline": current.deadline if current else None,
                 "reason": current.reason if current else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.extend_deadline(period=period, risk=risk, by=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused.messages[0])
        else:
            messages.success(
                request,
                f"Risk {risk.ref} {risk.title}: its {period} update is now due by "
                f"{form.cleaned_data['deadline']:%-d %B %Y}.",
            )
            return redirect("quarterly:review")
    return render(
        request, "notify/deadline_form.html",
        {"form": form, "risk": risk, "period": period, "current": current},
    )


@require_http_methods(["GET", "POST"])
def delegate(request: HttpRequest, pk: int) -> HttpResponse:
    """An owner, lead or the team hands the open quarter's update of a risk to another post
    holder, who may then write and submit it."""
    risk = get_risk_for_user(request, pk, edit=True)
    period = _open_period()
    current = Delegation.objects.filter(period=period, risk=risk).select_related("delegate").first()
    if current is not None and current.delegate_id == request.user.pk:
        raise PermissionDenied("This update was handed to you: only its owner may hand it on.")
    people = services.post_holders_for_delegation(risk).exclude(pk=request.user.pk)
    form = DelegateForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.delegate_update(
                period=period, risk=risk, delegate=form.cleaned_data["delegate"], by=request.user
            )
        except ValidationError as refused:
            form.add_error(None, refused.messages[0])
        else:
            who = form.cleaned_data["delegate"]
            messages.success(
                request,
                f"The {period} update of risk {risk.ref} {risk.title} is handed to "
                f"{who.get_full_name() or who.get_username()}.",
            )
            return redirect(reverse("quarterly:update", args=[risk.pk]))
    return render(
        request, "notify/delegation_form.html",
        {"form": form, "risk": risk, "period": period, "current": current},
    )


def team_actions(request: HttpRequest) -> HttpResponse:
    """The record of the team's bulk and hand-over actions, newest first."""
    require_planner(request)
    page = get_page(
        TeamAction.objects.select_related("by", "period", "risk"), request.GET.get("page"), 50
    )
    return render(
        request, "notify/teamaction_list.html",
        {"actions": list(page), "pages": pagination(request, page)},
    )

"""The Planning & Risk Team's view of sign-in lockouts and throttles, and the way to lift them."""

import datetime

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from risks.access import require_planner

from .models import SignInCount
from .signin import unlock, window_end


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=150, required=False)
    address = forms.GenericIPAddressField(
        required=False, error_messages={"invalid": "Enter an IP address"}
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("username") or data.get("address")):
            raise forms.ValidationError("Say which username or address to unlock")
        return data


def _cool_off() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)


def _lockouts() -> list[dict]:
    """Usernames locked out at an address (django-axes), newest first."""
    now = timezone.now()
    rows = {}
    for attempt in AccessAttempt.objects.filter(attempt_time__gte=now - _cool_off()).order_by(
        "-attempt_time"
    ):
        row = rows.setdefault((attempt.username, attempt.ip_address), {
            "username": attempt.username or "", "address": attempt.ip_address or "",
            "failures": 0, "last": attempt.attempt_time,
        })
        row["failures"] += attempt.failures_since_start
    locked = [r for r in rows.values() if r["failures"] >= settings.AXES_FAILURE_LIMIT]
    for row in locked:
        row["until"] = row["last"] + _cool_off()
    return locked


def _throttles() -> list[dict]:
    """Addresses and usernames at their sign-in limit in the current window: paused."""
    limits = {SignInCount.Kind.ADDRESS: settings.SIGNIN_ATTEMPTS_PER_ADDRESS,
              SignInCount.Kind.USERNAME: settings.SIGNIN_ATTEMPTS_PER_USERNAME}
    since = timezone.now() - datetime.timedelta(seconds=settings.SIGNIN_THROTTLE_WINDOW_SECONDS)
    return [
        {"kind": row.get_kind_display(), "value": row.value, "attempts": row.attempts,
         "until": window_end(row.window_start),
         "username": row.value if row.kind == SignInCount.Kind.USERNAME else "",
         "address": row.value if row.kind == SignInCount.Kind.ADDRESS else ""}
        for row in SignInCount.objects.filter(window_start__gt=since).order_by("kind", "value")
        if row.attempts >= limits[row.kind]
    ]


@require_http_methods(["GET", "POST"])
def lockouts(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username, address = form.cleaned_data["username"], form.cleaned_data["address"] or ""
        removed = unlock(username=username, address=address, by=request.user)
        who = " at ".join(x for x in (username, address) if x)
        if removed:
            messages.success(request, f"Unlocked {who}: they can try to sign in again.")
        else:
            messages.info(request, f"Nothing was locked for {who}.")
        return redirect("lockouts")
    return render(request, "riskreg/lockout_list.html", {
        "form": form, "lockouts": _lockouts(), "throttles": _throttles(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    })

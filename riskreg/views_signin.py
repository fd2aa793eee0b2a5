"""Signing in and out in GOV.UK's words (the form, help for problems signing in, the page after
signing out), and the Planning & Risk Team's view of sign-in lockouts and throttles, and the way
to lift them."""

import datetime

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from risks.access import require_planner

from .models import SignInCount
from .signin import unlock, window_end


class SignInForm(AuthenticationForm):
    """Django's sign-in form with GOV.UK's words. A wrong username or password is one message
    for both (it must not say which), shown at the username and marking both fields."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The username or password is not correct",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"

    @property
    def login_failed(self) -> bool:
        return any(e.code == "invalid_login" for e in self.non_field_errors().as_data())


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    next_page = "signed-out"


@login_not_required
@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    """The confirmation after signing out (someone still signed in goes home instead)."""
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "registration/signed_out.html")


@login_not_required
@require_GET
def signin_help(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signin_help.html")


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

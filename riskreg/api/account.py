"""/account/: the signed-in person's account page, where they make, see and revoke their API
tokens. A new token is shown once, on the page that made it, and never stored."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from .models import ApiToken, Scope

MAX_LIVE_TOKENS = 20


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?", max_length=100,
        help_text='For example "Power BI refresh" or "Quarterly update script".',
        error_messages={"required": "Enter what the token is for",
                        "max_length": "What the token is for must be 100 characters or fewer"},
    )
    scope = forms.ChoiceField(
        label="What may it do?", choices=Scope.choices, initial=Scope.READ,
        widget=forms.RadioSelect, help_text="Read and update lets it change and submit your "
        "quarterly updates, as you can on the pages.",
        error_messages={"required": "Choose what the token may do",
                        "invalid_choice": "Choose read, or read and update"},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter what the token is for")
        return name

    def clean(self):
        data = super().clean()
        if ApiToken.objects.live().filter(user=self.user).count() >= MAX_LIVE_TOKENS:
            raise forms.ValidationError(
                f"You have {MAX_LIVE_TOKENS} tokens: revoke one you no longer use first"
            )
        return data


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, user=request.user)
    new_token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token, new_token = ApiToken.issue(
                user=request.user, name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
            form = TokenForm(user=request.user)
        else:
            status = 400
    return render(request, "api/account.html", {
        "form": form,
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(user=request.user),
    }, status=status)


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    else:
        messages.info(request, f"The token “{token.name}” was already revoked.")
    return redirect("api-account:account")


app_name = "api-account"
urlpatterns = [
    path("", account, name="account"),
    path("tokens/<int:pk>/revoke/", revoke, name="token-revoke"),
]

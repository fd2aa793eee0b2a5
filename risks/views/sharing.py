"""Sharing a risk with other registers (its owner, leads or the team), and a sharing
register's commentary for the quarter."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from .. import sharing
from ..access import can_edit_risk, get_risk_for_user
from ..formfields import ChoiceField
from ..models import Register, ReportingPeriod, RiskShare, SharedCommentary

TEXT = {"max_length": "Keep it to 2000 characters or fewer"}


class ShareForm(forms.Form):
    register = ChoiceField(
        queryset=Register.objects.none(), required=False, label="Share with",
        empty_label="No other register (only save the partners)",
        error_messages={"invalid_choice": "Choose a register from the list"},
    )
    partners = forms.CharField(label="Partner organisations", required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}), error_messages=TEXT)
    contracts = forms.CharField(label="Contracts", required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 2}), error_messages=TEXT)
    dependencies = forms.CharField(label="Dependencies", required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 2}), error_messages=TEXT)

    def __init__(self, *args, risk, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = Register.objects.exclude(pk=risk.register_id).exclude(
            pk__in=risk.shares.values("register"))


class CommentaryForm(forms.Form):
    text = forms.CharField(label="Commentary this quarter", max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "Enter the commentary",
                                           "max_length": "Keep it to 5000 characters or fewer"})


@require_http_methods(["GET", "POST"])
def risk_share(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_user(request, pk)
    if not can_edit_risk(request.user, risk):
        raise PermissionDenied("Only the risk's owner, its leads or the team can share it.")
    initial = {name: getattr(risk, name) for name in ("partners", "contracts", "dependencies")}
    form = ShareForm(request.POST or None, risk=risk, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sharing.share_risk(risk=risk, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"Risk {risk.ref} {risk.title}: sharing saved.")
                return redirect(risk)
        status = 400
    return render(request, "risks/risk_share_form.html", {
        "risk": risk, "form": form, "shares": risk.shares.select_related("register"),
    }, status=status)


@require_http_methods(["GET", "POST"])
def shared_commentary(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    risk = get_risk_for_user(request, pk)
    share = get_object_or_404(RiskShare.objects.select_related("register"), risk=risk,
                              register__slug=slug)
    if not sharing.can_comment(request.user, share):
        raise PermissionDenied(f"Only the heads of {share.register} or the team can write its "
                               "commentary.")
    period = ReportingPeriod.objects.open().first()
    current = SharedCommentary.objects.filter(share=share, period=period).first() if period else None
    form = CommentaryForm(request.POST or None, initial={"text": current.text if current else ""})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sharing.write_shared_commentary(share=share, text=form.cleaned_data["text"],
                                                by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"{share.register}'s commentary saved for {period}.")
                return redirect(risk)
        status = 400
    return render(request, "risks/shared_commentary_form.html", {
        "risk": risk, "share": share, "form": form, "period": period,
    }, status=status)

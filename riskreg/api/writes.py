"""The API's writes: an owner's quarterly update of a risk (score; trend, progress, reasons and
commentary; controls; confirm a section unchanged; submit), through the pages' own forms
(their rules and messages), services (the workflow) and optimistic locking: each write names
the version it read, and a stale one is refused with 409 and nothing written."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from controls.models import ControlStatus, ControlUpdate
from controls.services import carry_forward_controls, save_control_update
from riskreg import visible
from riskreg.quarterly.forms import ControlUpdateForm, ProgressForm, ScoreForm
from riskreg.quarterly.services import submit_update
from risks.access import can_edit_risk
from risks.locking import StaleVersion
from risks.models import (
    Assessment,
    PeriodClosed,
    Progress,
    ReportingPeriod,
    ScoreChangeSource,
    Trend,
)
from risks.scoring import Scale
from risks.services import (
    IncompleteUpdate,
    InvalidTransition,
    NotEditable,
    check_version,
    confirm_unchanged,
    last_approved,
    lock_open_period,
    save_assessment,
)

from .serializers import AssessmentSerializer, ControlUpdateSerializer

VERSION_HELP = "The version you read (an update's `version`): a stale one is refused with 409."


def _choice(choices, **kwargs):
    return serializers.ChoiceField(choices=choices, **kwargs)


class ScoreIn(serializers.Serializer):
    likelihood = _choice(Scale.choices, allow_null=True, required=False)
    impact = _choice(Scale.choices, allow_null=True, required=False)
    score_change_source = _choice(ScoreChangeSource.choices, allow_blank=True, required=False,
                                  help_text="Required when the score changed since last quarter.")
    not_rated = serializers.BooleanField(required=False, default=False)
    not_rated_reason = serializers.CharField(max_length=500, allow_blank=True, required=False)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text=VERSION_HELP)


class ProgressIn(serializers.Serializer):
    trend = _choice(Trend.choices, required=False, help_text="Not for a risk not rated.")
    progress = _choice(Progress.choices, required=False, help_text="Not for a risk not rated.")
    reasons = serializers.CharField(max_length=5000, allow_blank=True, required=False,
                                    help_text="Required unless progress is on track.")
    commentary = serializers.CharField(max_length=10000)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text=VERSION_HELP)


class ConfirmIn(serializers.Serializer):
    section = _choice([("score", "The current score"),
                       ("progress", "The trend, progress and commentary"),
                       ("controls", "Every control not yet updated this quarter")])
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text=VERSION_HELP)


class SubmitIn(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text=VERSION_HELP)


class ControlStatusIn(serializers.Serializer):
    status = _choice(ControlStatus.choices)
    note = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")
    version = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1,
        help_text="The control record's version you read, or 0 if the quarter had none yet.",
    )


def _refused(code: str, message: str, http=status.HTTP_409_CONFLICT, **extra) -> Response:
    return Response({"detail": message, "code": code, **extra}, status=http)


def _stale(current) -> Response:
    if current is None:  # a version for a control record this quarter does not have yet
        return _refused(
            "stale_version", "This control has no record this quarter yet: nothing was "
            "written. Send version 0 to give its first status this quarter.", current_version=0,
        )
    who = current.updated_by.get_username() if getattr(current, "updated_by", None) else \
        "Someone else"
    return _refused(
        "stale_version",
        f"{who} changed this after you read it (version {current.version} now): nothing was "
        "written. Read it again, then send your change with the new version.",
        current_version=current.version,
    )


def _form_errors(form) -> Response:
    errors = {k: list(v) for k, v in form.errors.items()}
    first = next(iter(errors.values()))[0]
    return _refused("invalid", first if len(errors) == 1 else
                    "The update is not valid: see errors.", status.HTTP_400_BAD_REQUEST,
                    errors=errors)


class UpdateView(APIView):
    """An update of the open quarter that the caller may edit (404 outside their scope,
    403 when they may read it only, 409 when it can no longer change)."""

    def editable(self, pk: int) -> Assessment:
        a = get_object_or_404(
            visible.any_assessments(self.request.user).select_related("risk", "period"), pk=pk
        )
        if not can_edit_risk(self.request.user, a.risk):
            raise PermissionDenied("You can read this risk's update but not change it.")
        return a

    def done(self, a: Assessment) -> Response:
        fresh = Assessment.objects.select_related("period", "risk__register").get(pk=a.pk)
        return Response(AssessmentSerializer(fresh, context={"editable_risk_ids": None}).data)

    def write(self, a: Assessment, action) -> Response:
        if not a.period.is_open:
            return _refused("period_closed", str(PeriodClosed(a.period).messages[0]))
        try:
            action()
        except StaleVersion as stale:
            return _stale(stale.current)
        except IncompleteUpdate as incomplete:
            return _refused("incomplete", "The update is not complete: see missing.",
                            status.HTTP_400_BAD_REQUEST, missing=incomplete.missing)
        except (NotEditable, InvalidTransition, PeriodClosed) as refused:
            return _refused("not_editable", refused.messages[0])
        return self.done(a)


def _body(serializer_class, request):
    incoming = serializer_class(data=request.data)
    incoming.is_valid(raise_exception=True)
    return incoming.validated_data


@extend_schema(tags=["quarterly update"], request=ScoreIn,
               responses={200: AssessmentSerializer})
class ScoreWrite(UpdateView):
    """Save the current score (or that the risk is not rated this quarter): the score page."""

    def post(self, request, pk: int):
        a = self.editable(pk)
        data = _body(ScoreIn, request)
        form = ScoreForm(
            {**data, "likelihood": data.get("likelihood") or "",
             "impact": data.get("impact") or ""},
            assessment=a, previous=last_approved(a.risk, a.period),
        )
        if not form.is_valid():
            return _form_errors(form)
        return self.write(a, lambda: save_assessment(
            assessment=a, version=form.cleaned_data["version"], by=request.user,
            changes=form.changes(), sections=["score"],
        ))


@extend_schema(tags=["quarterly update"], request=ProgressIn,
               responses={200: AssessmentSerializer})
class ProgressWrite(UpdateView):
    """Save the trend, progress, reasons and commentary (the commentary alone for a risk not
    rated): the progress page."""

    def post(self, request, pk: int):
        a = self.editable(pk)
        form = ProgressForm(_body(ProgressIn, request), not_rated=a.not_rated)
        if not form.is_valid():
            return _form_errors(form)
        return self.write(a, lambda: save_assessment(
            assessment=a, version=form.cleaned_data["version"], by=request.user,
            changes=form.changes(), sections=["progress"],
        ))


@extend_schema(tags=["quarterly update"], request=ConfirmIn,
               responses={200: AssessmentSerializer})
class ConfirmWrite(UpdateView):
    """"No change this quarter" for a section carried forward: the score, the trend, progress
    and commentary, or every control not yet updated this quarter."""

    def post(self, request, pk: int):
        a = self.editable(pk)
        data = _body(ConfirmIn, request)
        if data["section"] == "controls":
            return self.write(a, lambda: _confirm_controls(a, data["version"], request.user))
        return self.write(a, lambda: confirm_unchanged(
            assessment=a, version=data["version"], by=request.user, section=data["section"],
        ))


@transaction.atomic
def _confirm_controls(a: Assessment, version: int, by) -> None:
    lock_open_period(a.period_id)
    current = Assessment.objects.select_related("updated_by").get(pk=a.pk)
    check_version(current, version)
    carry_forward_controls(risk=a.risk, period=a.period, by=by)


@extend_schema(tags=["quarterly update"], request=SubmitIn,
               responses={200: AssessmentSerializer})
class SubmitWrite(UpdateView):
    """Submit the update for review, as the check page does: refused (400, with `missing`)
    until every section is saved or confirmed this quarter and complete."""

    def post(self, request, pk: int):
        a = self.editable(pk)
        data = _body(SubmitIn, request)
        return self.write(a, lambda: submit_update(
            assessment=a, version=data["version"], by=request.user,
        ))


@extend_schema(tags=["quarterly update"], request=ControlStatusIn,
               responses={200: ControlUpdateSerializer})
class ControlStatusWrite(UpdateView):
    """A control's status and note for the open quarter: the control's page of the update."""

    def post(self, request, pk: int):
        control = get_object_or_404(
            visible.controls(request.user).select_related("risk"), pk=pk
        )
        if not can_edit_risk(request.user, control.risk):
            raise PermissionDenied("You can read this control but not update it.")
        period = ReportingPeriod.objects.open().first()
        if period is None:
            return _refused("period_closed", "No reporting period is open: nothing to update.")
        form = ControlUpdateForm(_body(ControlStatusIn, request))
        if not form.is_valid():
            return _form_errors(form)
        try:
            saved = save_control_update(
                control=control, period=period, by=request.user,
                status=form.cleaned_data["status"], note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except StaleVersion as stale:
            return _stale(stale.current)
        except (NotEditable, PeriodClosed) as refused:
            return _refused("not_editable", refused.messages[0])
        saved = ControlUpdate.objects.select_related("period").get(pk=saved.pk)
        return Response(ControlUpdateSerializer(saved, context={"note_risk_ids": None}).data)

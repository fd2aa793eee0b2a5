"""The API's reads: registers, quarters, risks, their updates, controls and their records, and
the action plan, as the pages show them to the caller (riskreg.visible): outside their scope
is 404, a draft is never shown to a reader, and a list costs the same queries at any size."""

import hashlib

from django.core.validators import slug_re
from django.db.models import OuterRef, Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from maturity.models import ActionPlan, PlanAction, PlanItem
from riskreg import visible
from risks.models import (
    Register,
    ReportingPeriod,
    Risk,
    is_planner,
    lead_names_subquery,
)
from risks.pagecache import cached_response, named_quarter, no_quarter, periods_for
from risks.pages import choose_period

from . import serializers as s

PERIOD = OpenApiParameter(
    "period", OpenApiTypes.STR, description="A quarter's slug, e.g. 2021-22-q2. By default the "
    "open quarter (for the Audit Panel the latest closed one), else the latest.",
)
REGISTER = OpenApiParameter("register", OpenApiTypes.STR, description="A register's slug.")
BIGGEST = 2**63 - 1
RISK = OpenApiParameter("risk", {"type": "integer", "minimum": 1, "maximum": BIGGEST},
                        description="A risk's id.")


class Cached:
    """A list served from the page cache, as the pages are (risks.pagecache.cached_response):
    after DRF has authenticated the caller and checked the token's scope, under the caller
    (the team share one entry), the address, the data's versions and the quarters the list
    shows (`quarters_of`), kept rendered. Also under the scheme and host (the next and previous
    links hold them) and the media type (JSON's indent). By default a list reads no quarter's
    records, so the open quarter's writes leave it kept (test_cache.py checks its SQL): a list
    that reads them names its quarters."""

    quarters_of = staticmethod(no_quarter)

    def list(self, request, *args, **kwargs):
        def respond():
            response = super(Cached, self).list(request, *args, **kwargs)
            return self.finalize_response(request, response, *args, **kwargs).render()

        variant = hashlib.sha256(
            f"{request.build_absolute_uri('/')} {request.accepted_media_type}".encode()
        ).hexdigest()[:16]
        view = f"{type(self).__module__}.{type(self).__qualname__}.{variant}"
        return cached_response(request._request, view, self.quarters_of, respond, personal=False)


class Filters:
    """?period=, ?register= and ?risk=, each checked against what the caller may read."""

    def register(self) -> Register | None:
        slug = self.request.query_params.get("register")
        if not slug:
            return None
        # Not a slug (a NUL byte, which PostgreSQL refuses in a text parameter): no register.
        found = slug_re.fullmatch(slug) and (
            Register.objects.visible_to(self.request.user).filter(slug=slug).first()
        )
        if not found:
            raise Http404("There is no register with that slug that you may read.")
        return found

    def period(self, *, default: bool) -> ReportingPeriod | None:
        slug = self.request.query_params.get("period")
        if not slug and not default:
            return None
        # The list the page cache read (Cached), or a query of them.
        chosen = choose_period(periods_for(self.request._request), slug or None, self.request.user)
        if chosen is None:
            raise Http404("There is no reporting period yet.")
        return chosen

    def risk_id(self) -> int | None:
        raw = self.request.query_params.get("risk")
        if raw is None or raw == "":
            return None
        if not (raw.isascii() and raw.isdigit() and len(raw) < 20 and 1 <= int(raw) <= BIGGEST):
            raise serializers.ValidationError({"risk": ["Give a risk's id: a whole number."]})
        return int(raw)


# Registers and quarters ---------------------------------------------------------------------

@extend_schema(tags=["registers"])
class RegisterList(Cached, generics.ListAPIView):
    serializer_class = s.RegisterSerializer

    def get_queryset(self):
        return Register.objects.visible_to(self.request.user).select_related("parent")


@extend_schema(tags=["registers"])
class RegisterDetail(generics.RetrieveAPIView):
    serializer_class = s.RegisterSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Register.objects.visible_to(self.request.user).select_related("parent")


@extend_schema(tags=["quarters"])
class PeriodList(Cached, generics.ListAPIView):
    serializer_class = s.PeriodSerializer
    queryset = ReportingPeriod.objects.all()


@extend_schema(tags=["quarters"])
class PeriodDetail(generics.RetrieveAPIView):
    serializer_class = s.PeriodSerializer
    queryset = ReportingPeriod.objects.all()
    lookup_field = "slug"


# Risks ----------------------------------------------------------------------------------------

def _risks(user, register=None):
    return (
        visible.risks(user, register)
        .select_related("register", "owner")
        .annotate(leads_packed=lead_names_subquery(OuterRef("pk")))
        .prefetch_related("pillars")
        .order_by("register__name", "ref")
    )


@extend_schema(tags=["risks"], parameters=[REGISTER])
class RiskList(Cached, Filters, generics.ListAPIView):
    serializer_class = s.RiskSerializer

    def get_queryset(self):
        return _risks(self.request.user, self.register())


@extend_schema(tags=["risks"])
class RiskDetail(generics.RetrieveAPIView):
    serializer_class = s.RiskSerializer

    def get_queryset(self):
        return _risks(self.request.user)


# Quarterly updates ----------------------------------------------------------------------------

class EditableRisks:
    """The serializers blank the team's return comments for those who cannot edit the risk."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        context["editable_risk_ids"] = None if is_planner(user) else set(
            Risk.objects.owned_or_led_by(user).values_list("pk", flat=True)
        )
        return context


def _assessments(rows):
    return rows.select_related("period", "risk__register").order_by(
        "risk__register__name", "ref", "risk_id"
    )


@extend_schema(tags=["assessments"], parameters=[PERIOD, REGISTER])
class AssessmentList(Cached, Filters, EditableRisks, generics.ListAPIView):
    """A quarter's updates as its pages show them to you: readers see approved positions only
    (in the open quarter, a risk's last approved update stands in for a draft)."""

    serializer_class = s.AssessmentSerializer
    quarters_of = staticmethod(named_quarter)

    def get_queryset(self):
        return _assessments(
            visible.assessments(self.request.user, self.period(default=True), self.register())
        )


@extend_schema(tags=["assessments"])
class AssessmentDetail(EditableRisks, generics.RetrieveAPIView):
    serializer_class = s.AssessmentSerializer

    def get_queryset(self):
        return _assessments(visible.any_assessments(self.request.user))


# Controls -------------------------------------------------------------------------------------

def _controls(user, register=None):
    return visible.controls(user, register).select_related("owner", "added_in").order_by(
        "risk_id", "order", "pk"
    )


@extend_schema(tags=["controls"], parameters=[REGISTER, RISK])
class ControlList(Cached, Filters, generics.ListAPIView):
    serializer_class = s.ControlSerializer

    def get_queryset(self):
        rows = _controls(self.request.user, self.register())
        risk = self.risk_id()
        return rows if risk is None else rows.filter(risk_id=risk)


@extend_schema(tags=["controls"])
class ControlDetail(generics.RetrieveAPIView):
    serializer_class = s.ControlSerializer

    def get_queryset(self):
        return _controls(self.request.user)


class Notes:
    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["note_risk_ids"] = visible.note_risk_ids(self.request.user)
        return context


@extend_schema(tags=["controls"], parameters=[PERIOD, REGISTER, RISK])
class ControlUpdateList(Cached, Filters, Notes, generics.ListAPIView):
    """Controls' records of a quarter (by default the open one). A note is null unless you may
    read it: the team and the Audit Panel, and the owner and leads of its risk."""

    serializer_class = s.ControlUpdateSerializer
    quarters_of = staticmethod(named_quarter)

    def get_queryset(self):
        rows = visible.control_updates(
            self.request.user, self.period(default=True), self.register()
        ).select_related("period").order_by("risk_id", "order", "control_id")
        risk = self.risk_id()
        return rows if risk is None else rows.filter(risk_id=risk)


@extend_schema(tags=["controls"])
class ControlUpdateDetail(Notes, generics.RetrieveAPIView):
    serializer_class = s.ControlUpdateSerializer

    def get_queryset(self):
        return visible.control_updates(self.request.user).select_related("period")


# The action plan --------------------------------------------------------------------------------

@extend_schema(tags=["action plan"])
class PlanItemList(Cached, generics.ListAPIView):
    """The current risk maturity action plan's items (Appendix C), each with its actions.
    Everyone signed in reads the plan."""

    serializer_class = s.PlanItemSerializer

    def get_queryset(self):
        plan = ActionPlan.objects.current()
        if plan is None:
            return PlanItem.objects.none()
        return (
            PlanItem.objects.filter(theme__plan=plan)
            .select_related("theme")
            .prefetch_related(
                "sources", Prefetch("actions", queryset=PlanAction.objects.order_by("order", "pk"))
            )
            .order_by("theme__order", "ref", "pk")
        )

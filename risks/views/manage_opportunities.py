"""/manage/opportunities/...: the Planning & Risk Team adds and changes opportunities and
their actions (risks.opportunity_services). The same pages' ways as the risks': a change
applies to the open quarter onward, a stale page is refused with what is stored now."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from ..access import require_planner
from ..models import Opportunity, OpportunityLead
from ..opportunity_forms import OpportunityActionForm, OpportunityForm
from ..opportunity_services import add_action, opportunity_digest, save_opportunity
from ..pages import pagination
from .manage import PAGE_SIZE, _edit


@require_http_methods(["GET"])
def opportunity_list(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    rows = Opportunity.objects.select_related("register", "owner").order_by("register__name", "ref")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "risks/manage/opportunity_list.html",
                  {"page": page, "pagination": pagination(request, page)})


def _opportunity_form(request: HttpRequest, opportunity: Opportunity | None) -> HttpResponse:
    def save(form, obj, was):
        return save_opportunity(
            opportunity=obj, register=form.cleaned_data.get("register"),
            fields=form.fields_to_save(), leads=form.leads(), was=was, by=request.user,
        )

    initial = {}
    if opportunity is not None:
        leads = list(OpportunityLead.objects.filter(opportunity=opportunity)
                     .order_by("order", "pk").values_list("post_id", flat=True))
        initial = {
            "ref": opportunity.ref, "title": opportunity.title,
            "description": opportunity.description, "owner": opportunity.owner_id,
            "target_likelihood": opportunity.target_likelihood,
            "target_benefit": opportunity.target_benefit,
            "is_active": "yes" if opportunity.is_active else "no",
            **{f"lead_{i}": post for i, post in enumerate(leads[:2])},
        }
    actions = list(opportunity.actions.select_related("owner")) if opportunity else []
    return _edit(
        request, form_class=OpportunityForm, obj=opportunity, digest_of=opportunity_digest,
        save=save, what="opportunity", template="risks/manage/opportunity_form.html",
        done=lambda o: f"Opportunity {o.ref} {o.title} saved.", back="manage:opportunities",
        context={"initial": initial, "actions": actions},
    )


@require_http_methods(["GET", "POST"])
def opportunity_create(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    return _opportunity_form(request, None)


@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    return _opportunity_form(request, get_object_or_404(Opportunity, pk=pk))


@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    opportunity = get_object_or_404(Opportunity, pk=pk)
    status = 200
    if request.method == "POST":
        form = OpportunityActionForm(request.POST)
        if form.is_valid():
            try:
                action = add_action(opportunity=opportunity, by=request.user, **form.cleaned_data)
            except ValidationError as refused:
                form.add_error(None, refused)
                status = 400
            else:
                messages.success(request, f"Action “{action.title}” added.")
                return redirect("manage:opportunity-edit", pk=opportunity.pk)
        else:
            status = 400
    else:
        form = OpportunityActionForm()
    return render(request, "risks/manage/opportunity_action_form.html",
                  {"form": form, "opportunity": opportunity}, status=status)


urlpatterns = [
    path("opportunities/", opportunity_list, name="opportunities"),
    path("opportunities/new/", opportunity_create, name="opportunity-new"),
    path("opportunities/<int:pk>/", opportunity_edit, name="opportunity-edit"),
    path("opportunities/<int:pk>/actions/new/", action_create, name="opportunity-action-new"),
]


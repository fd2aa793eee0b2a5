"""/manage/...: the Planning & Risk Team keeps the register in the service: risks (added,
changed, retired, reinstated), posts and who holds them, pillars and registers. Only the team
and administrators may; everyone else gets 403. The writes are risks.manage's.

A save that meets a change made since the page was opened is refused with 409: what was typed
stays on the form and the row as it is now is shown beside it."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from ..access import require_planner
from ..history import recent_changes
from ..locking import StaleVersion
from ..manage import (
    delete_post,
    pillar_digest,
    post_digest,
    post_uses,
    register_digest,
    risk_digest,
    save_pillar,
    save_post,
    save_register,
    save_risk,
)
from ..manage_forms import ConfirmForm, PillarForm, PostForm, RegisterForm, RiskForm, lead_slots
from ..models import Pillar, Post, Register, ReportingPeriod, Risk, RiskLead
from ..pages import pagination
from ..services import reinstate_risk, retire_risk

PAGE_SIZE = 50
STALE = (
    "Someone changed this {what} after you opened this page, so your changes were not saved. "
    "What it says now is shown below: check, then save again"
)


def _open_period() -> ReportingPeriod | None:
    return ReportingPeriod.objects.open().first()


def _stale_form(form_class, request, current, digest_of, what: str, **kwargs):
    """The form as it was sent, now against the row as it is (its new digest), with the reason."""
    data = request.POST.copy()
    data["was"] = digest_of(current)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, STALE.format(what=what))
    return form


# Risks -------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def risk_list(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    registers = list(Register.objects.order_by("name"))
    chosen = request.GET.get("register") or (registers[0].slug if registers else "")
    register = next((r for r in registers if r.slug == chosen), None)
    if registers and register is None:
        raise Http404("There is no register with that name.")
    rows = (
        Risk.objects.filter(register=register).select_related("owner").order_by("ref")
        if register else Risk.objects.none()
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "risks/manage/risk_list.html", {
        "registers": registers, "register": register, "page": page,
        "pagination": pagination(request, page), "period": _open_period(),
    })


def _risk_page(request, form, risk, status=200, conflict=False):
    return render(request, "risks/manage/risk_form.html", {
        "form": form, "risk": risk, "period": _open_period(), "conflict": conflict,
    }, status=status)


@require_http_methods(["GET", "POST"])
def risk_create(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    if request.method == "GET":
        initial = {"description_agreed": "yes"}
        chosen = Register.objects.filter(slug=request.GET.get("register", "")).first()
        if chosen:
            initial["register"] = chosen.pk
        return _risk_page(request, RiskForm(initial=initial), None)
    form = RiskForm(request.POST, slots=lead_slots(request.POST))
    if form.is_valid():
        try:
            risk = save_risk(risk=None, register=form.cleaned_data["register"],
                             fields=form.risk_fields(), leads=form.leads(),
                             pillars=list(form.cleaned_data["pillars"]), by=request.user)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            period = _open_period()
            messages.success(request, f"Risk {risk.ref} {risk.title} added to {risk.register}"
                             + (f": it is on {period}'s register, with a draft update for its owner." if period else "."))
            return redirect(risk)
    return _risk_page(request, form, None, status=400)


@require_http_methods(["GET", "POST"])
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    risk = get_object_or_404(Risk.objects.select_related("register", "owner"), pk=pk)
    if request.method == "GET":
        leads = RiskLead.objects.filter(risk=risk).count()
        form = RiskForm(initial={**RiskForm.initial_for(risk), "was": risk_digest(risk)},
                        risk=risk, slots=lead_slots(leads=leads))
        return _risk_page(request, form, risk)
    form = RiskForm(request.POST, risk=risk, slots=lead_slots(request.POST))
    if form.is_valid():
        try:
            save_risk(risk=risk, fields=form.risk_fields(), leads=form.leads(),
                      pillars=list(form.cleaned_data["pillars"]),
                      was=form.cleaned_data["was"] or None, by=request.user)
        except StaleVersion as stale:
            form = _stale_form(RiskForm, request, stale.current, risk_digest, "risk",
                               risk=stale.current, slots=lead_slots(request.POST))
            return _risk_page(request, form, stale.current, status=409, conflict=True)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            period = _open_period()
            messages.success(request, f"Risk {risk.ref} saved"
                             + (f" for {period} onward." if period else "."))
            return redirect(risk)
    return _risk_page(request, form, risk, status=400)


def _risk_status(request: HttpRequest, pk: int, *, retire: bool) -> HttpResponse:
    require_planner(request)
    risk = get_object_or_404(Risk.objects.select_related("register", "owner"), pk=pk)
    period = _open_period()
    verb = "retire" if retire else "reinstate"
    status, form = 200, ConfirmForm(initial={"was": risk_digest(risk)})
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            status = 400
        elif form.cleaned_data["was"] and form.cleaned_data["was"] != risk_digest(risk):
            form.add_error(None, STALE.format(what="risk").replace("save again", f"{verb} it"))
            status = 409
        else:
            try:
                (retire_risk if retire else reinstate_risk)(risk=risk, by=request.user)
            except ValidationError as refused:
                form.add_error(None, refused)
                status = 400
            else:
                messages.success(request, f"Risk {risk.ref} {risk.title} "
                                 f"{'retired' if retire else 'reinstated'} from {period} onward.")
                return redirect(risk)
    return render(request, "risks/manage/risk_confirm.html", {
        "risk": risk, "period": period, "form": form, "retire": retire, "verb": verb,
        "was": risk_digest(risk),
    }, status=status)


@require_http_methods(["GET", "POST"])
def risk_retire(request: HttpRequest, pk: int) -> HttpResponse:
    return _risk_status(request, pk, retire=True)


@require_http_methods(["GET", "POST"])
def risk_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    return _risk_status(request, pk, retire=False)


# Posts, pillars and registers: one way to add and change each -------------------------------------


def _edit(
    request: HttpRequest, *, form_class, obj, digest_of: Callable, save: Callable, what: str,
    template: str, done: Callable[[object], str], back: str, context: dict | None = None,
) -> HttpResponse:
    """GET the form; POST saves through `save(form, obj, was)`, then a success banner on `back`."""
    kwargs = {what: obj}
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                saved = save(form, obj, form.cleaned_data["was"] or None)
            except StaleVersion as stale:
                obj = stale.current
                form = _stale_form(form_class, request, obj, digest_of, what, **{what: obj})
                status = 409
            except ValidationError as refused:
                form.add_error(None, refused)
                status = 400
            else:
                messages.success(request, done(saved))
                return redirect(back)
        else:
            status = 400
    else:
        initial = {"was": digest_of(obj)} if obj is not None else {}
        form = form_class(initial={**initial, **(context or {}).pop("initial", {})}, **kwargs)
    return render(request, template, {"form": form, what: obj, "conflict": status == 409,
                                      "history": recent_changes(obj), **(context or {})},
                  status=status)



@require_http_methods(["GET"])
def post_list(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    posts = (
        Post.objects.annotate(
            owns=Count("owned_risks", filter=Q(owned_risks__is_active=True), distinct=True),
            leads_count=Count("led_risks", filter=Q(led_risks__is_active=True), distinct=True),
        )
        .prefetch_related(Prefetch("holders", to_attr="holder_list"))
        .order_by("name")
    )
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "risks/manage/post_list.html",
                  {"page": page, "pagination": pagination(request, page)})


def _post_form(request: HttpRequest, post: Post | None) -> HttpResponse:
    def save(form, obj, was):
        return save_post(post=obj, name=form.cleaned_data["name"],
                         holders=list(form.cleaned_data["holders"]), was=was, by=request.user)

    initial = {"holders": list(post.holders.values_list("pk", flat=True))} if post else {}
    if post is not None:
        initial["name"] = post.name
    return _edit(request, form_class=PostForm, obj=post, digest_of=post_digest, save=save,
                 what="post", template="risks/manage/post_form.html",
                 done=lambda p: f"{p.name} saved.", back="manage:posts",
                 context={"initial": initial})


@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    return _post_form(request, None)


@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    return _post_form(request, get_object_or_404(Post, pk=pk))


@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    post = get_object_or_404(Post, pk=pk)
    uses, status = post_uses(post), 200
    if request.method == "POST":
        try:
            delete_post(post=post, by=request.user)
        except ValidationError as refused:
            uses, status = [refused.messages[0]], 400
        else:
            messages.success(request, f"{post.name} deleted.")
            return redirect("manage:posts")
    return render(request, "risks/manage/post_confirm_delete.html",
                  {"post": post, "uses": uses, "refused": status == 400}, status=status)


@require_http_methods(["GET"])
def pillar_list(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    pillars = Pillar.objects.annotate(
        active=Count("risks", filter=Q(risks__is_active=True))
    ).order_by("order", "name")
    return render(request, "risks/manage/pillar_list.html", {"pillars": pillars})


def _pillar_form(request: HttpRequest, pillar: Pillar | None) -> HttpResponse:
    def save(form, obj, was):
        return save_pillar(pillar=obj, name=form.cleaned_data["name"],
                           order=form.cleaned_data["order"], was=was, by=request.user)

    initial = {"name": pillar.name, "order": pillar.order} if pillar else {}
    return _edit(request, form_class=PillarForm, obj=pillar, digest_of=pillar_digest, save=save,
                 what="pillar", template="risks/manage/pillar_form.html",
                 done=lambda p: f"Pillar “{p.name}” saved.", back="manage:pillars",
                 context={"initial": initial})


@require_http_methods(["GET", "POST"])
def pillar_create(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    return _pillar_form(request, None)


@require_http_methods(["GET", "POST"])
def pillar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    return _pillar_form(request, get_object_or_404(Pillar, pk=pk))


@require_http_methods(["GET"])
def register_list(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    registers = Register.objects.select_related("parent").annotate(
        active=Count("risks", filter=Q(risks__is_active=True))
    ).order_by("name")
    return render(request, "risks/manage/register_list.html", {"registers": registers})


def _register_form(request: HttpRequest, register: Register | None) -> HttpResponse:
    def save(form, obj, was):
        return save_register(
            register=obj, name=form.cleaned_data["name"], slug=form.cleaned_data.get("slug", ""),
            parent=form.cleaned_data["parent"], description=form.cleaned_data["description"],
            was=was, by=request.user,
            **{name: form.cleaned_data[name] for name in (
                "kind", "owner_post", "lead_post", "escalate_at_score", "escalate_on_breach")},
        )

    initial = ({"name": register.name, "parent": register.parent_id,
                "description": register.description, "kind": register.kind,
                "owner_post": register.owner_post_id, "lead_post": register.lead_post_id,
                "escalate_at_score": register.escalate_at_score,
                "escalate_on_breach": register.escalate_on_breach} if register else {})
    return _edit(request, form_class=RegisterForm, obj=register, digest_of=register_digest,
                 save=save, what="register", template="risks/manage/register_form.html",
                 done=lambda r: f"{r.name} saved.", back="manage:registers",
                 context={"initial": initial})


@require_http_methods(["GET", "POST"])
def register_create(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    return _register_form(request, None)


@require_http_methods(["GET", "POST"])
def register_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    return _register_form(request, get_object_or_404(Register, pk=pk))


urlpatterns = [
    path("risks/", risk_list, name="risks"),
    path("risks/new/", risk_create, name="risk-new"),
    path("risks/<int:pk>/", risk_edit, name="risk-edit"),
    path("risks/<int:pk>/retire/", risk_retire, name="risk-retire"),
    path("risks/<int:pk>/reinstate/", risk_reinstate, name="risk-reinstate"),
    path("posts/", post_list, name="posts"),
    path("posts/new/", post_create, name="post-new"),
    path("posts/<int:pk>/", post_edit, name="post-edit"),
    path("posts/<int:pk>/delete/", post_delete, name="post-delete"),
    path("pillars/", pillar_list, name="pillars"),
    path("pillars/new/", pillar_create, name="pillar-new"),
    path("pillars/<int:pk>/", pillar_edit, name="pillar-edit"),
    path("registers/", register_list, name="registers"),
    path("registers/new/", register_create, name="register-new"),
    path("registers/<int:pk>/", register_edit, name="register-edit"),
]

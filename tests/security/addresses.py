"""Every URL pattern of the project, and the concrete address each security test opens for it.

`patterns()` walks the resolver; `path_for(key, world)` turns a pattern into an address on
the security world (tests/security/conftest.py). A pattern without an address here fails the
tests that use it, so a new view cannot be forgotten.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from simple_history.admin import SimpleHistoryAdmin

from risks.scoring import band_css_version


def _walk(resolver, prefix="", namespace=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield name or route, route


def patterns() -> dict[str, str]:
    """Every URL pattern: its namespaced name (or, when it has none, its route) → route."""
    found = {}
    for key, route in _walk(get_resolver()):
        assert key not in found, f"two URL patterns share {key}"
        found[key] = route
    return found


# Admin pages of one model: suffix of the URL name → how to build the address.
ADMIN_PAGES = ("changelist", "add", "change", "history", "delete", "object", "simple_history")


def admin_model_keys(label: str) -> dict[str, str]:
    """The table keys of one registered model's admin pages, by page."""
    app_label, model_name = label.split(".")
    model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label_lower == label)
    keys = {page: f"admin:{app_label}_{model_name}_{page}" for page in ADMIN_PAGES}
    keys["object"] = f"admin/{app_label}/{model_name}/<path:object_id>/"
    if not isinstance(model_admin, SimpleHistoryAdmin):
        del keys["simple_history"]
    return keys


def _admin_path(key: str, world) -> str | None:
    for label, obj in world.admin_objects.items():
        app_label, model_name = label.split(".")
        prefix = f"admin:{app_label}_{model_name}_"
        if key == f"admin/{app_label}/{model_name}/<path:object_id>/":
            return f"/admin/{app_label}/{model_name}/{obj.pk}/"
        if not key.startswith(prefix):
            continue
        page = key.removeprefix(prefix)
        if page in ("changelist", "add"):
            return reverse(key)
        if page in ("change", "history", "delete"):
            return reverse(key, args=[obj.pk])
        if page == "simple_history":
            version = type(obj).history.filter(id=obj.pk).order_by("-history_id").first()
            return reverse(key, args=[obj.pk, version.history_id])
        if page == "password_change" and label == "auth.user":
            return reverse(key, args=[obj.pk])
    return None


def _manage_args(key: str, w) -> list | None:
    """The team's pages that keep the register (/manage/): risk 1, the owner's post (which
    owns risk 1, so that deleting it is refused), the first pillar, the second register, the
    unit, the appetite level Cautious and theme Operational, risk 1's indicator."""
    from risks.models import AppetiteLevel, AppetiteTheme, Indicator, Pillar, Post, Register

    if not key.startswith("manage:"):
        return None
    page = key.removeprefix("manage:")
    if page in ("opportunity-edit", "opportunity-action-new"):
        return [w.opportunity1]
    if page.startswith("risk-") and page != "risk-new":
        return [w.risk1]
    if page in ("post-edit", "post-delete"):
        return [Post.objects.get(name="AC Frontline Policing").pk]
    if page == "pillar-edit":
        return [Pillar.objects.order_by("pk").first().pk]
    if page in ("register-edit", "register-appetite"):
        return [Register.objects.get(slug=w.other_register).pk]
    if page == "unit-edit":
        return [w.unit]
    if page == "appetite-level-edit":
        return [AppetiteLevel.objects.get(name="Cautious").pk]
    if page == "appetite-theme-edit":
        return [AppetiteTheme.objects.get(name="Operational").pk]
    if page in ("indicators", "indicator-new"):
        return [w.risk1]
    if page == "indicator-edit":
        return [Indicator.objects.get(risk=w.risk1).pk]
    return []


def _api_path(key: str, w) -> str | None:
    """The API (riskreg/api/), the account page with its tokens, and the search."""
    from controls.models import ControlUpdate

    by_key = {
        "api:schema": [], "api:docs": [], "api:registers": [], "api:register": ["corporate"],
        "api:periods": [], "api:period": [w.q3], "api:risks": [], "api:risk": [w.risk1],
        "api:assessment": [w.assessment1], "api:assessment-score": [w.assessment1],
        "api:assessment-progress": [w.assessment1], "api:assessment-confirm": [w.assessment1],
        "api:assessment-submit": [w.assessment1], "api:controls": [], "api:control": [w.control1],
        "api:control-status": [w.control1], "api:plan-items": [],
        "api:control-update": [
            ControlUpdate.objects.get(control_id=w.control1, period__slug=w.q2).pk
        ],
        "api-account:account": [],
        # Nobody's token: each person may revoke only their own.
        "api-account:token-revoke": [999999],
    }
    if key in by_key:
        return reverse(key, args=by_key[key])
    # The open quarter's lists, where drafts are.
    if key in ("api:assessments", "api:control-updates"):
        return reverse(key) + f"?period={w.q3}"
    if key == "api:not-found":
        return "/api/v2/registers/"
    if key == "search:search":
        return reverse(key) + "?q=marker"
    return None


def path_for(key: str, world) -> str:
    """The address the tests open for the URL pattern `key`."""
    w = world
    risk_pages = ("risks:risk", "risks:risk-appetite", "quarterly:update", "quarterly:update-score", "quarterly:update-progress",
                  "quarterly:update-controls", "quarterly:update-indicators", "quarterly:control-add", "quarterly:update-check",
                  "quarterly:controls-unchanged", "quarterly:update-recall")
    if key == "risks:escalate":
        return reverse(key, args=[w.risk1])
    if key == "risks:risk-share":
        return reverse(key, args=[w.risk1])
    if key == "risks:shared-commentary":
        return reverse(key, args=[w.risk1, w.other_register])
    if key == "risks:escalation":
        return reverse(key, args=[w.escalation])
    if key in risk_pages:
        return reverse(key, args=[w.risk1])
    manage = _manage_args(key, w)
    if manage is not None:
        return reverse(key, args=manage)
    if key == "bands-css":
        return reverse(key, args=[band_css_version()])
    simple = {
        "home": [], "healthz": [], "login": [], "logout": [], "lockouts": [],
        "signed-out": [], "signin-help": [], "risks:levels": [],
        "risks:register": ["corporate"],
        "risks:register-compare": ["corporate"],
        "quarterly:register-changes": ["corporate"],
        "risks:heatmaps": [], "risks:dashboard": [], "risks:my-risks": [],
        # Opportunities (issue 18): the first, its update; the second's, for review
        "risks:opportunity": [w.opportunity1], "risks:opportunity-update": [w.opportunity1],
        "risks:my-opportunities": [],
        "quarterly:review-opportunity": [w.opp_assessment2],
        "quarterly:review-opportunity-approve": [w.opp_assessment2],
        "quarterly:review-opportunity-return": [w.opp_assessment2],
        "risks:escalations": [],
        "quarterly:review": [],
        "quarterly:review-approve": [w.assessment2],
        "quarterly:review-return": [w.assessment2],
        "quarterly:review-detail": [w.assessment2],
        "quarterly:review-key-control": [w.assessment1, w.control1],
        "quarterly:periods": [], "quarterly:period-open": [],
        "quarterly:period-close": [w.q3],
        "quarterly:control-update": [w.risk1, w.control1],
        "maturity:plan": [], "maturity:appendix-c": [], "maturity:changes": [],
        "maturity:theme-create": [], "maturity:item-create": [],
        "maturity:item": [w.item9], "maturity:item-edit": [w.item9],
        "maturity:item-log-add": [w.item9], "maturity:action-create": [w.item9],
        "maturity:action-edit": [w.action9], "maturity:action-status": [w.action9],
        "maturity:results": [],
        "maturity:unit": [w.unit],
        "maturity:assess": [w.unit, w.year],
        "reports:list": [], "reports:new": [],
        "reports:detail": [w.published_report],
        "reports:edit": [w.draft_report],
        "reports:publish": [w.draft_report],
        "reports:withdraw": [w.published_report],
        "reports:correct": [w.published_report],
        "reports:pdf": [w.published_report],
        # Board summaries (issue 17): the Risk and Assurance Board's
        "boards:list": [], "boards:board": ["rab"], "boards:summary-new": ["rab"],
        "boards:summary": ["rab", w.published_summary],
        "boards:summary-pdf": ["rab", w.published_summary],
        "boards:summary-edit": ["rab", w.draft_summary],
        "boards:summary-publish": ["rab", w.draft_summary],
        "reports:pdf-prepare": [w.published_report],
        "reports:pdf-prepared": [w.published_report, 999999],
        # Data in and out (issue 19): downloads of each table page, the register's PDF, import
        "dataio:register": ["corporate"], "dataio:register-pdf": ["corporate"],
        "dataio:compare": ["corporate"], "dataio:changes": ["corporate"],
        "dataio:import": ["corporate"], "dataio:import-confirm": ["corporate"],
        "dataio:import-template": ["corporate"], "dataio:review": [], "dataio:dashboard": [],
        "dataio:plan": [], "dataio:results": [], "dataio:risk-history": [w.risk1],
        # The admin site's own pages
        "admin:index": [], "admin:login": [], "admin:logout": [],
        "admin:password_change": [], "admin:password_change_done": [],
        "admin:jsi18n": [],
        # Notifications and the team's bulk and hand-over actions (issue 20)
        "notify:list": [], "notify:read": [], "notify:settings": [],
        "notify:approve-selected": [], "notify:chase": [], "notify:team-actions": [],
        "notify:extend-deadline": [w.risk1], "notify:delegate": [w.risk1],
    }
    api = _api_path(key, w)
    if api is not None:
        return api
    if key in simple:
        return reverse(key, args=simple[key])
    if key == "admin:autocomplete":
        return reverse(key) + "?app_label=risks&model_name=risk&field_name=owner&term=AC"
    if key == "admin:view_on_site":
        ct = ContentType.objects.get_for_model(w.admin_objects["risks.risk"])
        return reverse(key, args=[ct.pk, w.risk1])
    if key == "admin:app_list":
        return reverse(key, kwargs={"app_label": "risks"})
    if key == "admin/(?P<url>.*)$":
        return "/admin/no-such-page/"
    path = _admin_path(key, world)
    if path is None:
        raise KeyError(f"No address for the URL pattern {key!r}: add it to tests/security/urls.py")
    return path

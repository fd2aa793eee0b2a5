"""Pieces every page of the service shares: choosing a period, paging a list, htmx partials,
and links reversed once for a page of rows."""

from dataclasses import dataclass

from django.core.paginator import Page
from django.http import Http404, HttpRequest
from django.urls import reverse

from .access import branch_scope
from .models import Register, ReportingPeriod, is_panel, is_planner


def choose_period(
    periods: list[ReportingPeriod], slug: str | None, user=None
) -> ReportingPeriod | None:
    """The period named in the query string, else the open one, else the latest; for the
    Audit Panel, who read what was approved, the latest closed one first.

    Picks from an already-fetched list (newest first) so the page's period menu and its
    choice cost one query together.
    """
    if slug:
        for period in periods:
            if period.slug == slug:
                return period
        raise Http404("There is no reporting period with that name.")
    if user is not None and is_panel(user) and not is_planner(user):
        closed = next((p for p in periods if not p.is_open), None)
        if closed is not None:
            return closed
    return next((p for p in periods if p.is_open), periods[0] if periods else None)


def previous_period(
    periods: list[ReportingPeriod], period: ReportingPeriod
) -> ReportingPeriod | None:
    """The period before `period` in an already-fetched list (ReportingPeriod.previous)."""
    older = [p for p in periods if p.start < period.start]
    return max(older, key=lambda p: p.start) if older else None


def is_partial(request: HttpRequest) -> bool:
    """An htmx swap wants the fragment; a history restore (cache off) wants the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@dataclass(frozen=True)
class PageLink:
    number: int | str  # or the paginator's ellipsis
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    """What includes/pagination.html draws: previous, numbered and next links, each the
    current address with only the page parameter changed."""

    page: Page
    links: list[PageLink]
    previous_url: str = ""
    next_url: str = ""

    @property
    def shown(self) -> bool:
        return self.page.has_other_pages()


def pagination(request: HttpRequest, page: Page, param: str = "page") -> Pagination:
    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}"

    links = [
        PageLink(n) if n == page.paginator.ELLIPSIS else PageLink(n, url(n), n == page.number)
        for n in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return Pagination(
        page=page,
        links=links,
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
    )


def url_maker(viewname: str):
    """A function of an object's id to the URL of `viewname` (whose one argument is that id):
    reverse() once for a page of rows, not once a row (~25 µs each)."""
    head, tail = reverse(viewname, args=[987654321]).split("987654321")
    return lambda pk: f"{head}{int(pk)}{tail}"


def scoped_registers(request: HttpRequest) -> tuple[list[Register], Register | None, bool]:
    """The registers a person may choose from (one query), the one ?register= chose (404 if
    none they can see), and whether ?scope=branch adds the registers beneath it."""
    registers = list(Register.objects.visible_to(request.user).order_by("name"))
    slug = request.GET.get("register")
    chosen = next((r for r in registers if r.slug == slug), None) if slug else None
    if slug and chosen is None:
        raise Http404("There is no register with that name that you can see.")
    return registers, chosen, chosen is not None and branch_scope(request)


def in_scope(rows, register: Register | None, branch: bool, field: str = "register"):
    """`rows` of the chosen register, or of its branch; all of them without a choice."""
    if register is None:
        return rows
    if branch:
        return rows.filter(**{f"{field}__in": Register.objects.branch_of(register).values("pk")})
    return rows.filter(**{field: register})

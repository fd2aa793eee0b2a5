"""Pages of a queryset that cost one query: the page's rows carry the total.

Django's Paginator asks the database twice, COUNT(*) and then the page. Here the page's own
query also returns the count, as an uncorrelated scalar subquery that the database evaluates
once (a COUNT(*) OVER () window would make it compute every row's columns before the LIMIT).
A page of any list so costs one query; only a page number past the end (a stale link) costs
two more, to count and to fetch the last page instead.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, QuerySet, Subquery, Window

TOTAL = "page_total"


class CountOf(Subquery):
    """(SELECT COUNT(*) FROM (the queryset)): uncorrelated, so evaluated once per query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by(), **extra)  # an order would only cost a sort


def _total_of(row) -> int:
    return row[TOTAL] if isinstance(row, dict) else getattr(row, TOTAL)


# Past any list's end, yet small enough that OFFSET (page × per page) fits a signed 64-bit
# integer, which SQLite and PostgreSQL both need; a bigger number is simply past the end too.
LAST_PAGE_NUMBER = 2**31


def _page_number(number) -> int:
    """Any value to a page number: junk is 1, huge is clamped (the last page is found later).

    int() reads Unicode digits such as '٣' and refuses '²', '1e400' and numbers over 4,300
    digits (a ValueError); none of them reaches the database as an offset.
    """
    try:
        number = int(number)
    except (TypeError, ValueError, OverflowError):
        return 1
    return min(max(number, 1), LAST_PAGE_NUMBER)


def get_page(queryset: QuerySet | list, number, per_page: int, *, window: bool = False) -> Page:
    """Like Paginator(queryset, per_page).get_page(number), in one query instead of two.

    Every list of the service pages through here. A list already in memory pages without a
    query.

    Rows of a values() queryset are dicts with a "page_total" key; model rows have a
    page_total attribute. Any value is a page number: one that is not a positive whole number
    gives the first page, and one past the end (however far) the last.

    With `window`, the count is COUNT(*) OVER () instead: cheaper when every row must be
    joined and compared to be found at all (so the subquery would repeat that work) and the
    columns are few.
    """
    number = _page_number(number)
    if isinstance(queryset, list):
        paginator = Paginator(queryset, per_page)
        return paginator.page(min(number, paginator.num_pages))
    count = Window(Count("*")) if window else CountOf(queryset.values("pk"))
    counted = queryset.annotate(**{TOTAL: count})
    start = (number - 1) * per_page
    rows = list(counted[start:start + per_page])
    paginator = Paginator(queryset, per_page)
    if rows:
        paginator.count = _total_of(rows[0])
        return Page(rows, number, paginator)
    if number == 1:
        paginator.count = 0
        return Page([], 1, paginator)
    last = paginator.num_pages  # counts
    start = (last - 1) * per_page
    return Page(list(counted[start:start + per_page]), last, paginator)

"""The action plan as pages and the Audit Panel report read it: a fixed number of queries.

`appendix_c(plan)` builds the rows of Appendix C (themes, their items, each item's actions
and update log) in five queries whatever the size of the plan. The page at /maturity/, the
Appendix C page and the report's PDF all render from it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from risks.text import Block, blocks

from .models import ActionPlan, PlanAction, PlanItem, PlanItemUpdate, Source, Theme


@dataclass(frozen=True)
class ActionRow:
    action: PlanAction
    overdue: bool


@dataclass
class ItemRow:
    item: PlanItem
    sources: list[Source]
    actions: list[ActionRow]
    log: list[PlanItemUpdate]  # newest first
    update_blocks: list[Block]
    can_update: bool = False

    @property
    def overdue_count(self) -> int:
        return sum(1 for row in self.actions if row.overdue)

    @property
    def latest_log_entry(self) -> PlanItemUpdate | None:
        return self.log[0] if self.log else None


@dataclass
class ThemeRows:
    theme: Theme
    items: list[ItemRow] = field(default_factory=list)


@dataclass(frozen=True)
class ActionCounts:
    """How far the plan's actions have got, for the summary at the top of the page."""

    total: int
    not_started: int
    in_progress: int
    complete: int
    overdue: int


def overdue_day() -> datetime.date:
    """The day that decides "Overdue" on every page of the service (one query): today, but no
    later than the last day of the open reporting period. The open quarter is the service's
    present, as it is for the self-assessment year: the demo, whose open quarter is 2021/22 Q3,
    judges its 2021 milestones in that quarter rather than five years on. (A report judges at
    its meeting date instead, so that a published paper never changes.)"""
    from risks.models import ReportingPeriod

    today = timezone.localdate()
    end = ReportingPeriod.objects.open().values_list("end", flat=True).first()
    return min(today, end) if end else today


def appendix_c(plan: ActionPlan, *, today: datetime.date | None = None) -> list[ThemeRows]:
    """The plan by theme, as Appendix C shows it. Five queries, whatever the size of the plan
    (six without `today`).

    `today` decides which milestones are overdue (a dated milestone before it on an action
    not complete); it defaults to overdue_day().
    """
    today = today or overdue_day()
    themes = list(Theme.objects.filter(plan=plan).order_by("order", "pk"))
    items = list(
        PlanItem.objects.filter(theme__plan=plan)
        .order_by("ref", "pk")
        .prefetch_related(Prefetch("sources", queryset=Source.objects.order_by("order", "name")))
    )
    actions: dict[int, list[ActionRow]] = defaultdict(list)
    for action in PlanAction.objects.filter(item__theme__plan=plan).order_by("item", "order", "pk"):
        actions[action.item_id].append(ActionRow(action, action.is_overdue(today)))
    log: dict[int, list[PlanItemUpdate]] = defaultdict(list)
    for entry in PlanItemUpdate.objects.filter(item__theme__plan=plan).select_related("author"):
        log[entry.item_id].append(entry)

    by_theme = {theme.pk: ThemeRows(theme) for theme in themes}
    for item in items:
        by_theme[item.theme_id].items.append(
            ItemRow(
                item=item,
                sources=list(item.sources.all()),
                actions=actions[item.pk],
                log=log[item.pk],
                update_blocks=blocks(item.update),
            )
        )
    return list(by_theme.values())


def action_counts(rows: list[ThemeRows]) -> ActionCounts:
    counts: dict[str, int] = defaultdict(int)
    overdue = 0
    for theme in rows:
        for item in theme.items:
            for row in item.actions:
                counts[row.action.status] += 1
                overdue += row.overdue
    return ActionCounts(
        total=sum(counts.values()),
        not_started=counts[PlanAction.Status.NOT_STARTED],
        in_progress=counts[PlanAction.Status.IN_PROGRESS],
        complete=counts[PlanAction.Status.COMPLETE],
        overdue=overdue,
    )


FILTERS = {
    "all": "All actions",
    "open": "Not complete",
    "overdue": "Overdue",
}


def filtered(rows: list[ThemeRows], show: str) -> list[ThemeRows]:
    """Keep the actions `show` asks for, and the items that still have any."""
    if show == "all":
        return rows

    def keep(row: ActionRow) -> bool:
        return row.overdue if show == "overdue" else not row.action.is_complete

    out = []
    for theme in rows:
        items = []
        for item in theme.items:
            kept = [row for row in item.actions if keep(row)]
            if kept:
                items.append(
                    ItemRow(item.item, item.sources, kept, item.log, item.update_blocks,
                            item.can_update)
                )
        out.append(ThemeRows(theme.theme, items))
    return out

"""The search's results, kind by kind, each a page of the rows the person may see."""

from dataclasses import dataclass

from django.core.paginator import Page

from maturity.models import PlanAction
from riskreg import visible
from risks.pages import url_maker
from risks.pagination import get_page

from .fulltext import matching

PER_KIND = 20
EXCERPT = 240


@dataclass
class Hit:
    title: str
    where: str  # what it belongs to, in words
    text: str  # an excerpt around the first word found
    url: str


@dataclass
class Group:
    kind: str
    label: str
    page: Page
    hits: list[Hit]

    @property
    def count(self) -> int:
        return self.page.paginator.count


def excerpt(text: str, query: str, length: int = EXCERPT) -> str:
    """About `length` characters of `text` around the first word of `query` it holds."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    lower = text.lower()
    found = [i for i in (lower.find(w.lower()) for w in query.split()) if i >= 0]
    start = max(0, min(found) - length // 3) if found else 0
    end = start + length
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def _risk_hits(user, query, page):
    rows = visible.risks(user).select_related("register")
    found = get_page(matching(rows, "risk", query), page, PER_KIND)
    risk_url = url_maker("risks:risk")
    return found, [
        Hit(f"Risk {r.ref} {r.title}", r.register.name, excerpt(r.description, query),
            risk_url(r.pk))
        for r in found.object_list
    ]


def _control_hits(user, query, page):
    rows = visible.controls(user).select_related("risk__register")
    found = get_page(matching(rows, "control", query), page, PER_KIND)
    risk_url = url_maker("risks:risk")
    return found, [
        Hit(c.title, f"Control of risk {c.risk.ref} {c.risk.title} · {c.risk.register.name}",
            excerpt(c.description, query), risk_url(c.risk_id))
        for c in found.object_list
    ]


def _assessment_hits(user, query, page):
    rows = visible.any_assessments(user).select_related("period", "risk__register")
    found = get_page(matching(rows, "assessment", query), page, PER_KIND)
    risk_url = url_maker("risks:risk")
    hits = []
    for a in found.object_list:
        text = a.commentary if _holds(a.commentary, query) or not a.reasons else a.reasons
        label = "Commentary" if text is a.commentary else "Reasons progress is not on track"
        state = "" if a.state == a.State.APPROVED else f" ({a.get_state_display().lower()})"
        hits.append(Hit(
            f"Risk {a.ref} {a.title}: {label.lower()}",
            f"{a.period.name}{state} · {a.risk.register.name}",
            excerpt(text, query), risk_url(a.risk_id),
        ))
    return found, hits


def _note_hits(user, query, page):
    rows = (
        visible.control_updates(user).filter(visible.notes_filter(user)).exclude(note="")
        .select_related("period", "control__risk__register")
    )
    found = get_page(matching(rows, "note", query), page, PER_KIND)
    risk_url = url_maker("risks:risk")
    return found, [
        Hit(
            f"{u.title or u.control.title}: note",
            f"{u.period.name} · risk {u.control.risk.ref} {u.control.risk.title} · "
            f"{u.control.risk.register.name} · OFFICIAL-SENSITIVE",
            excerpt(u.note, query), risk_url(u.control.risk_id),
        )
        for u in found.object_list
    ]


def _action_hits(user, query, page):
    rows = PlanAction.objects.select_related("item__theme")
    found = get_page(matching(rows, "action", query), page, PER_KIND)
    item_url = url_maker("maturity:item")
    return found, [
        Hit(f"Action of item {a.item.ref}", f"Risk maturity action plan · {a.item.theme.title}",
            excerpt(a.text, query), item_url(a.item_id))
        for a in found.object_list
    ]


def _holds(text: str, query: str) -> bool:
    lower = text.lower()
    return any(word.lower() in lower for word in query.split())


KINDS = [
    ("risk", "Risks", _risk_hits),
    ("control", "Controls", _control_hits),
    ("assessment", "Commentary and reasons", _assessment_hits),
    ("note", "Control notes", _note_hits),
    ("action", "Action plan", _action_hits),
]


def search(user, query: str, pages: dict | None = None) -> list[Group]:
    """Every kind's first page of results (or the page asked for in `pages`, by kind)."""
    pages = pages or {}
    groups = []
    for kind, label, find in KINDS:
        page, hits = find(user, query, pages.get(kind))
        groups.append(Group(kind, label, page, hits))
    return groups

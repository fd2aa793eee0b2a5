"""Who changed what, and when, read from django-simple-history's records.

Each record is compared with the record before it of the same row (simple_history's
`diff_against`, on raw values: a foreign key is compared by id and never fetched). The risk
page's timeline (risks.timeline, which controls adds to) and the maturity plan's change pages
are both built here, and read alike.

Two ways to find each record's predecessor, one diff:
- `timeline_entries`: a row's whole history, read in one query and paired in memory; for a
  page that shows all of a few rows' history.
- `latest_entries`: the newest records only, each with its predecessor found by a subquery;
  two queries however long the history.
Each many-to-many field tracked costs one query more (its snapshots, for every record at once).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from simple_history.utils import get_m2m_reverse_field_name

BLANK = "—"
TEXT_LIMIT = 140
# The change reason of a record written only to be the "before" of a loaded row's first
# change (it has no creation record: loaddata saves raw, and raw saves record no history).
AS_LOADED = "As loaded"


def record_baseline(obj: Model) -> None:
    """A history record of a row as stored, with no user: the "before" of its first change."""
    model = type(obj)
    historical = model.history.model
    record = historical.objects.create(
        history_date=timezone.now(),
        history_type="~",
        history_change_reason=AS_LOADED,  # the history pages skip it: it is only a "before"
        **{f.attname: getattr(obj, f.attname) for f in historical.tracked_fields},
    )
    for m2m in getattr(historical, "_history_m2m_fields", []):
        through = m2m.remote_field.through
        snapshot = historical._meta.apps.get_model(
            model._meta.app_label, f"Historical{model.__name__}_{m2m.name}"
        )
        snapshot.objects.bulk_create(
            snapshot(history=record, **{f.attname: getattr(row, f.attname) for f in through._meta.fields})
            for row in through.objects.filter(**{m2m.m2m_field_name(): obj})
        )



def keep_baseline(obj: Model) -> None:
    """Before the first change of a row that has no history (loaddata's raw saves record none),
    record it as stored, so that the change can be shown as a difference."""
    model = type(obj)
    if obj.pk is not None and not model.history.filter(id=obj.pk).exists():
        stored = model._base_manager.filter(pk=obj.pk).first()
        if stored is not None:
            record_baseline(stored)


@dataclass(frozen=True)
class Tracked:
    """A field whose changes a reader is shown. Concrete fields must be editable (simple_history
    diffs only those); a many-to-many field must be one the history tracks (`m2m_fields`)."""

    name: str
    label: str
    long: bool = False  # free text: shown in full beneath, not inline


def tracked_fields(model: type[Model], *, skip: Iterable[str] = ()) -> list[Tracked]:
    """Every editable field of `model` and its tracked many-to-many fields but `skip`, labelled
    by their verbose names, in the model's order."""
    m2m = {f.name for f in model.history.model._history_m2m_fields}
    shown = [
        *(f for f in model._meta.concrete_fields if f.editable),
        *(f for f in model._meta.many_to_many if f.name in m2m),
    ]
    return [Tracked(f.name, str(f.verbose_name).capitalize()) for f in shown if f.name not in skip]


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after; `old` is empty where there was no before."""

    label: str
    old: str
    new: str
    long: bool = False

    def __str__(self) -> str:
        if self.old:
            return f"{self.label}: {self.old} → {self.new}"
        return f"{self.label}: {self.new}"


@dataclass
class HistoryEntry:
    """One historical record: who did what to which row, and what they changed."""

    when: datetime.datetime
    who: str
    title: str  # the row: "2021/22 Q3 update", "Item 9"
    reason: str  # the record's change reason, else Added / Changed / Deleted
    changes: list[FieldChange] = field(default_factory=list)
    in_open_period: bool = False  # work in progress: shown to those who may edit the risk
    url: str = ""  # where the row is read, where the page links to it


def who(record) -> str:
    user = record.history_user
    if user is None:
        return "the system"
    return user.get_full_name() or user.get_username()


def _removed(model_field) -> str:
    return f"(a {model_field.related_model._meta.verbose_name} since removed)"


def _raw(record, name: str):
    # A foreign key's id: reading a value never fetches the related row.
    return getattr(record, record.instance_type._meta.get_field(name).attname)


def display(record, tracked: Tracked, names: dict[str, dict] | None = None) -> str:
    """A field's value as a reader reads it. A foreign key is named from `names` (field name
    to {id: name}) or else from the related row, which the query must have selected."""
    model_field = record.instance_type._meta.get_field(tracked.name)
    value = _raw(record, tracked.name)
    if value is None or value == "":
        return BLANK
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        if names and tracked.name in names:
            return str(names[tracked.name].get(value, _removed(model_field)))
        try:
            return str(getattr(record, tracked.name))
        except ObjectDoesNotExist:
            return _removed(model_field)
    if isinstance(value, datetime.date):
        return date_format(value)
    if isinstance(value, int | float):
        return str(value)
    if tracked.long:
        return str(value)
    return f"“{Truncator(str(value)).chars(TEXT_LIMIT)}”"


M2MSnapshots = dict[int, dict[str, set[str]]]


def _m2m_through(historical: type[Model], m2m) -> tuple[type[Model], str, str]:
    """The snapshots' table of a tracked m2m field, the field naming the related row in it, and
    the related row's field that names it: its name, a person (a post's holders) their
    username."""
    through = getattr(historical, m2m.name).model
    target = get_m2m_reverse_field_name(m2m)
    related = m2m.related_model
    label = "name" if any(f.name == "name" for f in related._meta.fields) else getattr(
        related, "USERNAME_FIELD", "pk")
    return through, target, label


def m2m_snapshot_rows(historical: type[Model], names: list[str], **history) -> dict[str, QuerySet]:
    """For each of `names` that the history tracks, its snapshots of the records `history`
    filters (history__id=...), with the related rows: to read with other rows
    (risks.together) and give to entries() as `snapshot_rows`."""
    querysets = {}
    for m2m in historical._history_m2m_fields:
        if m2m.name in names:
            through, target, _ = _m2m_through(historical, m2m)
            querysets[m2m.name] = through.objects.filter(
                **{f"history__{k}": v for k, v in history.items()}).select_related(target)
    return querysets


def _m2m_snapshots(
    historical: type[Model], names: list[str], history_ids, rows: dict[str, list] | None = None
) -> M2MSnapshots:
    """For each historical record, the names of the related rows each m2m field held: read,
    or from `rows` (m2m_snapshot_rows' rows, already read)."""
    snapshots: M2MSnapshots = defaultdict(dict)
    for m2m in historical._history_m2m_fields:
        if m2m.name not in names:
            continue
        for hid in history_ids:
            snapshots[hid][m2m.name] = set()
        through, target, label = _m2m_through(historical, m2m)
        if rows is None:
            pairs = through.objects.filter(history_id__in=history_ids).values_list(
                "history_id", f"{target}__{label}"
            )
        else:
            pairs = [
                (row.history_id, None if (related := getattr(row, target)) is None
                 else getattr(related, label))
                for row in rows[m2m.name] if row.history_id in history_ids
            ]
        for hid, name in pairs:
            snapshots[hid][m2m.name].add(name)
    return snapshots


def diff(
    before, record, fields: list[Tracked], *, names=None, snapshots: M2MSnapshots | None = None
) -> list[FieldChange]:
    """What changed from `before` to `record` (two records of one row), in `fields`' order."""
    m2m = {f.name for f in before._history_m2m_fields}
    delta = record.diff_against(before, included_fields=[f.name for f in fields if f.name not in m2m])
    changed = set(delta.changed_fields)
    changes = []
    for f in fields:
        if f.name in changed:
            changes.append(
                FieldChange(f.label, display(before, f, names), display(record, f, names), f.long)
            )
        elif f.name in m2m and snapshots is not None:
            old = snapshots.get(before.history_id, {}).get(f.name, set())
            new = snapshots.get(record.history_id, {}).get(f.name, set())
            if added := sorted(new - old):
                changes.append(FieldChange(f"{f.label} added", "", ", ".join(added)))
            if removed := sorted(old - new):
                changes.append(FieldChange(f"{f.label} removed", "", ", ".join(removed)))
    return changes


def _is_noise(record, before, changes: list[FieldChange]) -> bool:
    """A record that tells a reader nothing: not shown."""
    if record.history_type != "~":
        return False
    reason = record.history_change_reason
    if before is None:
        # Nothing to compare with: the baseline of a loaded row, or a loaded row's first record
        # made by nobody and for no reason. A person's change is still shown, by whom and when.
        return reason == AS_LOADED or (record.history_user_id is None and not reason)
    if record.history_user_id is None and before.history_user_id is None and not reason:
        # A data load by nobody: loaddata set many-to-many fields after saving, one record each.
        return True
    return not changes and not reason  # a save that changed nothing anyone reads (a version bump)


def entries(
    pairs: list[tuple],
    *,
    fields: list[Tracked],
    title: Callable[[object], str],
    show_created_values: bool = False,
    in_open_period: Callable[[object], bool] | None = None,
    url: Callable[[object], str] | None = None,
    names: dict[str, dict] | None = None,
    snapshot_rows: dict[str, list] | None = None,
) -> list[HistoryEntry]:
    """An entry for each (record, the record before it or None) worth showing.

    Reads nothing from the database but the snapshots of tracked many-to-many fields, unless
    given as `snapshot_rows` (m2m_snapshot_rows' rows).
    """
    snapshots, m2m = None, set()
    if pairs:
        historical = type(pairs[0][0])
        m2m = {f.name for f in historical._history_m2m_fields}
        if wanted := [f.name for f in fields if f.name in m2m]:
            ids = {r.history_id for pair in pairs for r in pair if r is not None}
            snapshots = _m2m_snapshots(historical, wanted, ids, snapshot_rows)
    result = []
    for record, before in pairs:
        if record.history_type == "+" and show_created_values:
            changes = [
                FieldChange(f.label, "", display(record, f, names), f.long)
                for f in fields
                if f.name not in m2m and _raw(record, f.name) not in (None, "")
            ]
        elif record.history_type == "~" and before is not None:
            changes = diff(before, record, fields, names=names, snapshots=snapshots)
        else:
            changes = []
        if _is_noise(record, before, changes):
            continue
        if record.history_type == "-":
            reason = "Deleted"
        elif record.history_type == "+":
            reason = record.history_change_reason or "Added"
        else:
            reason = record.history_change_reason or "Changed"
        result.append(
            HistoryEntry(
                when=record.history_date,
                who=who(record),
                title=title(record),
                reason=reason,
                changes=changes,
                in_open_period=in_open_period(record) if in_open_period else False,
                url=url(record) if url else "",
            )
        )
    return result


def timeline_entries(records: Iterable, **options) -> list[HistoryEntry]:
    """Entries for records ordered oldest first, each compared with the row's record before it."""
    previous: dict = {}
    pairs = []
    for record in records:
        pairs.append((record, previous.get(record.id)))
        previous[record.id] = record
    return entries(pairs, **options)


def latest_entries(
    history: QuerySet, *, limit: int | None = None, related: Iterable[str] = (), **options
) -> list[HistoryEntry]:
    """Entries for the newest `limit` records of `history`, newest first, in two queries.

    `related`: the foreign keys to select with each record and its predecessor (those that
    `display` names from the related row).
    """
    previous = (
        history.model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    records = history.select_related("history_user", *related).annotate(
        previous_id=Subquery(previous)
    )
    records = list(records.order_by("-history_date", "-history_id")[:limit])
    wanted = {r.previous_id for r in records if r.previous_id}
    prior = {
        r.history_id: r
        for r in history.model.objects.filter(history_id__in=wanted).select_related(
            "history_user", *related
        )
    }
    return entries([(r, prior.get(r.previous_id)) for r in records], **options)


def recent_changes(obj: Model | None, limit: int = 20) -> list[HistoryEntry]:
    """The newest changes of one row, for its page: two queries, and one per tracked m2m."""
    if obj is None:
        return []
    model = type(obj)
    related = [f.name for f in model._meta.concrete_fields if f.is_relation and f.editable]
    return latest_entries(model.history.filter(id=obj.pk), limit=limit, related=related,
                          fields=tracked_fields(model), title=str)

"""The one history engine: what changed between two records of a row, and which records show."""

import datetime

import pytest

from risks.history import (
    AS_LOADED,
    FieldChange,
    Tracked,
    latest_entries,
    timeline_entries,
    tracked_fields,
)
from risks.models import Pillar, ReportingPeriod, Risk
from tests.factories import make_period, make_post, make_register, make_risk, make_user

FIELDS = [
    Tracked("title", "Title"),
    Tracked("description", "Description", long=True),
    Tracked("description_agreed", "Description agreed"),
    Tracked("horizon", "Horizon"),
    Tracked("owner", "Risk owner"),
    Tracked("target_likelihood", "Target likelihood"),
    Tracked("pillars", "Pillars"),
]


def save(obj, *, by=None, reason=None):
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    obj.save()
    return obj


def records(risk):
    return (
        Risk.history.filter(id=risk.pk)
        .select_related("history_user", "owner")
        .order_by("history_date", "history_id")
    )


def timeline(risk, **options):
    options.setdefault("fields", FIELDS)
    return timeline_entries(records(risk), title=lambda r: "Risk", **options)


@pytest.fixture
def editor(db):
    return make_user("editor", first_name="Ada", last_name="Lovelace")


def test_a_change_reads_each_field_as_a_reader_reads_it(editor):
    risk = make_risk(make_register(), owner=make_post("Director of HR"), title="VIOLENT CRIME",
                     description="Old words.", target_likelihood=1)
    risk.title, risk.description, risk.description_agreed = "SERIOUS VIOLENCE", "New words.", False
    risk.horizon, risk.owner = "long", make_post("AC Met Ops")
    risk.target_likelihood = risk.target_impact = None
    save(risk, by=editor)
    entry = timeline(risk)[-1]
    assert (entry.who, entry.title, entry.reason) == ("Ada Lovelace", "Risk", "Changed")
    assert entry.changes == [
        FieldChange("Title", "“VIOLENT CRIME”", "“SERIOUS VIOLENCE”"),
        FieldChange("Description", "Old words.", "New words.", long=True),
        FieldChange("Description agreed", "Yes", "No"),
        FieldChange("Horizon", "Short-term", "Long-term"),
        FieldChange("Risk owner", "Director of HR", "AC Met Ops"),
        FieldChange("Target likelihood", "Low", "—"),
    ]
    assert str(entry.changes[0]) == "Title: “VIOLENT CRIME” → “SERIOUS VIOLENCE”"


def test_dates_numbers_and_long_short_text_read_plainly(editor):
    period = make_period(start=datetime.date(2021, 10, 1))
    period.deadline = datetime.date(2021, 12, 3)
    save(period, by=editor)
    fields = tracked_fields(ReportingPeriod, skip={"id", "name", "slug", "closed_by"})
    assert [f.label for f in fields] == [
        "Start", "End", "Deadline", "State", "Closed at", "Closed incomplete"
    ]
    history = ReportingPeriod.history.filter(id=period.pk).order_by("history_date", "history_id")
    [change] = timeline_entries(history, fields=fields, title=str)[-1].changes
    assert change.new == "3 December 2021"
    risk = make_risk(ref=1)
    risk.ref, risk.title = 2, "x" * 200
    save(risk, by=editor)
    changes = timeline(risk, fields=[Tracked("ref", "Ref"), Tracked("title", "Title")])
    assert [str(c) for c in changes[-1].changes] == [
        "Ref: 1 → 2", "Title: “RISK 1” → “" + "x" * 139 + "…”"  # a line, not the whole text
    ]


def test_a_change_of_a_tracked_many_to_many_field_says_what_was_added_and_removed(editor):
    risk = make_risk()
    a, b, c = (Pillar.objects.create(name=n, order=i) for i, n in enumerate("ABC"))
    risk.pillars.set([a, b])
    save(risk, by=editor)  # the record before the change, by someone
    risk._history_user = editor
    risk.pillars.set([b, c])  # two records: a removed, then c added
    changes = [str(c) for e in timeline(risk) for c in e.changes]
    assert changes == ["Pillars removed: A", "Pillars added: C"]


def test_reading_the_timeline_fetches_no_related_row(editor, django_assert_num_queries):
    risk = make_risk(owner=make_post("Before"))
    risk.owner = make_post("After")
    save(risk, by=editor)
    rows = list(records(risk))
    plain = [f for f in FIELDS if f.name != "pillars"]
    with django_assert_num_queries(0):
        entries = timeline_entries(rows, fields=plain, title=lambda r: "Risk")
    assert [str(c) for c in entries[-1].changes] == ["Risk owner: Before → After"]


def test_latest_entries_costs_two_queries_and_one_per_many_to_many_field(
    editor, django_assert_num_queries
):
    risk = make_risk()
    for n in range(5):
        risk.title, risk.owner = f"RISK {n}", make_post(f"Owner {n}")
        save(risk, by=editor)
    plain = [f for f in FIELDS if f.name != "pillars"]
    with django_assert_num_queries(2):
        entries = latest_entries(Risk.history.filter(id=risk.pk), limit=3, related=["owner"],
                                 fields=plain, title=lambda r: "Risk")
    assert [[str(c) for c in e.changes] for e in entries] == [
        ["Title: “RISK 3” → “RISK 4”", "Risk owner: Owner 3 → Owner 4"],
        ["Title: “RISK 2” → “RISK 3”", "Risk owner: Owner 2 → Owner 3"],
        ["Title: “RISK 1” → “RISK 2”", "Risk owner: Owner 1 → Owner 2"],
    ]
    with django_assert_num_queries(3):
        latest_entries(Risk.history.filter(id=risk.pk), limit=3, related=["owner"],
                       fields=FIELDS, title=lambda r: "Risk")


def test_what_is_added_deleted_or_given_a_reason_says_so(editor):
    risk = make_risk()
    risk.title = "ESCALATED"
    save(risk, by=editor, reason="Escalated")
    pk = risk.pk
    risk.delete()
    history = Risk.history.filter(id=pk).order_by("history_date", "history_id")
    entries = timeline_entries(history, fields=FIELDS, title=lambda r: "Risk")
    assert [e.reason for e in entries] == ["Added", "Escalated", "Deleted"]


def test_a_created_record_can_show_its_values(editor):
    risk = make_risk(title="NEW", description="")
    entry = timeline(risk, show_created_values=True)[0]
    assert ("Title", "", "“NEW”") in [(c.label, c.old, c.new) for c in entry.changes]
    assert "Description" not in [c.label for c in entry.changes]  # blank: nothing to show


def test_the_open_period_flag_and_the_link_come_from_the_record(editor):
    risk = make_risk()
    entry = timeline(risk, in_open_period=lambda r: True, url=lambda r: f"/risks/{r.id}/")[0]
    assert entry.in_open_period and entry.url == f"/risks/{risk.pk}/"


# Which records are noise -----------------------------------------------------------------------


def loaded_risk():
    """A row as loaddata leaves it: stored, with no history (bulk_create records none)."""
    [risk] = Risk.objects.bulk_create(
        [Risk(register=make_register(), owner=make_post(), ref=1, title="LOADED", horizon="short")]
    )
    assert not Risk.history.filter(id=risk.pk).exists()
    return risk


def test_a_loaded_rows_first_record_shows_only_if_someone_made_it_or_it_says_why(editor):
    by_nobody = loaded_risk()
    save(by_nobody)
    assert timeline(by_nobody) == []
    with_reason = loaded_risk()
    save(with_reason, reason="Re-scored")
    assert [e.reason for e in timeline(with_reason)] == ["Re-scored"]
    by_someone = loaded_risk()
    save(by_someone, by=editor)
    [entry] = timeline(by_someone)
    assert (entry.who, entry.reason, entry.changes) == ("Ada Lovelace", "Changed", [])


def test_the_baseline_of_a_loaded_row_is_only_the_before_of_its_first_change(editor):
    risk = loaded_risk()
    save(risk, reason=AS_LOADED)
    risk.title = "RENAMED"
    save(risk, by=editor)
    [entry] = timeline(risk)
    assert [str(c) for c in entry.changes] == ["Title: “LOADED” → “RENAMED”"]


def test_a_save_that_changes_nothing_a_reader_reads_is_not_shown(editor):
    risk = make_risk()
    risk.ref += 1  # not tracked
    save(risk, by=editor)
    assert [e.reason for e in timeline(risk)] == ["Added"]


def test_changes_made_by_nobody_after_a_change_by_nobody_are_a_data_load(editor):
    risk = loaded_risk()
    save(risk)  # loaddata's many-to-many record: nobody's
    risk.title = "BY A SCRIPT"
    save(risk)
    assert timeline(risk) == []
    risk.title = "BY A PERSON"
    save(risk, by=editor)
    assert [str(c) for e in timeline(risk) for c in e.changes] == [
        "Title: “BY A SCRIPT” → “BY A PERSON”"
    ]

"""A risk's control titles are unique ignoring case, in the database; a clash is a form error.

Two people adding the same control at the same moment once gave a server error (the first
insert won, the second hit the case-sensitive constraint), and "Patrols" beside "patrols" was
saved. Now both pass the form's check, the database refuses the second, and its author sees
"This risk already has a control with that name" on the form.
"""

import importlib

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from controls import services
from controls.models import Control
from risks.models import Assessment

CLASH = "This risk already has a control with that name"
NEW = {"title": "Late-night patrols", "description": "", "milestone": "", "status": "in_progress",
       "note": ""}


def test_titles_differing_only_in_case_are_refused_by_the_database(q3, risk1):
    Control.objects.create(risk=risk1, title="Late-night patrols")
    with pytest.raises(IntegrityError), transaction.atomic():
        Control.objects.create(risk=risk1, title="LATE-NIGHT Patrols")
    # Another risk may have a control of the same name.
    other = Assessment.objects.filter(period=q3).exclude(risk=risk1).first().risk
    Control.objects.create(risk=other, title="late-night patrols")


def test_a_clash_only_the_database_sees_is_a_form_error(
    q3, risk1, owner, monkeypatch
):
    """The race, replayed in one connection: the form's check passes, then someone else's
    control of the same name is stored before this one is inserted."""
    lock = services.lock_open_period

    def someone_else_adds_it_first(period_id):
        lock(period_id)
        Control.objects.create(risk=risk1, title="LATE-NIGHT PATROLS", order=99)

    monkeypatch.setattr(services, "lock_open_period", someone_else_adds_it_first)
    before = Control.objects.filter(risk=risk1).count()
    client = Client()
    client.force_login(owner)
    response = client.post(reverse("quarterly:control-add", args=[risk1.pk]), NEW)
    assert response.status_code == 200
    assert CLASH in response.context["form"].errors["title"]
    assert CLASH in response.text
    # The refused write is rolled back whole (here the "other" insert with it).
    assert Control.objects.filter(risk=risk1).count() == before


def test_another_integrity_error_is_not_reported_as_a_clash(q3, risk1, owner):
    with pytest.raises(IntegrityError):
        services.add_control(risk=risk1, period=q3, by=owner, **{**NEW, "title": ""})


def test_the_migration_numbers_titles_that_differ_only_in_case():
    migration = importlib.import_module("controls.migrations.0007_control_titles_unique_ignoring_case")
    rows = [(1, 7, "Patrols"), (2, 7, "patrols"), (3, 8, "PATROLS"), (4, 7, "PATROLS"),
            (5, 7, "Patrols (2)"), (6, 7, "Stop and search")]
    # "Patrols (2)" is taken already, so the second of the pair becomes "(3)".
    assert migration.renamed(rows) == {2: "patrols (3)", 4: "PATROLS (4)"}

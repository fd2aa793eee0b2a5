"""Reporting periods make one timeline (issue 13): no overlap, no back-dating before a closed
period, about a quarter long; the database refuses overlaps whatever writes them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from risks.models import ReportingPeriod
from risks.services import open_period
from tests.factories import period_form

D = datetime.date


def _open(**dates):
    fields = {"name": "New", "slug": "new", "start": D(2021, 10, 1), "end": D(2021, 12, 31),
              "deadline": D(2021, 12, 3)} | dates
    return open_period(**fields)


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"start": D(2021, 5, 1), "end": D(2021, 7, 31), "deadline": D(2021, 7, 1)},
         "overlap 2021/22 Q1"),
        ({"start": D(2021, 3, 1), "end": D(2021, 3, 31), "deadline": D(2021, 3, 20)},
         "2021/22 Q2 is closed: a new period must start after 30 September 2021"),
        ({"end": D(9999, 12, 31)}, "The last day must be in a year from 2000 to 2100"),
        ({"end": D(2022, 9, 30)}, "within 200 days of the first day"),
        ({"deadline": D(2021, 9, 1)}, "The deadline must be on or after the first day"),
        ({"deadline": D(2022, 6, 1)}, "within three months of the last day"),
    ],
)
def test_opening_a_period_that_breaks_the_timeline_is_refused(seed, dates, message):
    with pytest.raises(ValidationError) as refused:
        _open(**dates)
    assert any(message in m for m in refused.value.messages), refused.value.messages
    assert not ReportingPeriod.objects.filter(slug="new").exists()


def test_the_next_quarter_opens(seed):
    assert _open().is_open


@pytest.mark.django_db
def test_the_database_refuses_an_overlap_whatever_writes_it(seed):
    with pytest.raises(IntegrityError, match="one timeline"), transaction.atomic():
        ReportingPeriod.objects.create(
            name="Overlap", slug="overlap", start=D(2021, 9, 1), end=D(2021, 11, 30),
            deadline=D(2021, 11, 1),
        )
    with pytest.raises(IntegrityError, match="deadline"), transaction.atomic():
        ReportingPeriod.objects.create(
            name="Late", slug="late", start=D(2022, 1, 1), end=D(2022, 3, 31),
            deadline=D(2021, 12, 1),
        )
    assert ReportingPeriod.objects.count() == 2


def test_the_open_page_says_why_and_opens_nothing(client, seed, planner):
    client.force_login(planner)
    response = client.post("/periods/open/", period_form({
        "name": "2021/22 Q3", "start": "2021-09-01", "end": "2021-11-30", "deadline": "2021-11-15",
    }))
    assert response.status_code == 200
    assert "These dates overlap 2021/22 Q2" in response.text
    assert not ReportingPeriod.objects.filter(slug="2021-22-q3").exists()

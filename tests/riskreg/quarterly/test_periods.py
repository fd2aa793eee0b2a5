"""riskreg/quarterly/periods.py: the periods page, opening the next quarter and closing the
open one."""

import pytest
from django.urls import reverse
from django.utils import timezone

from risks.models import Assessment, ReportingPeriod
from risks.services import close_period
from tests.factories import period_form


def test_closing_when_everything_is_approved_is_not_recorded_as_incomplete(client, q3, planner):
    Assessment.objects.filter(period=q3).update(state="approved", reviewed_at=timezone.now())
    client.force_login(planner)
    response = client.post(reverse("quarterly:period-close", args=[q3.slug]), {})
    assert response.status_code == 302
    q3.refresh_from_db()
    assert q3.state == "closed" and not q3.closed_incomplete


def test_opening_a_period_while_one_is_open_is_refused(client, q3, planner):
    client.force_login(planner)
    response = client.post(
        reverse("quarterly:period-open"),
        period_form({"name": "2021/22 Q4", "start": "2022-01-01", "end": "2022-03-31",
                     "deadline": "2022-03-01"}),
    )
    assert response.status_code == 200
    assert "2021/22 Q3 is still open" in response.text
    assert not ReportingPeriod.objects.filter(slug="2021-22-q4").exists()


def test_periods_page_records_who_closed_and_whether_incomplete(client, q3, planner):
    close_period(period=q3, by=planner, incomplete=True)
    client.force_login(planner)
    page = client.get(reverse("quarterly:periods")).text
    assert "with updates not approved" in page
    assert "Open the next period" in page
    form = client.get(reverse("quarterly:period-open")).text
    # The next quarter, in day, month and year boxes.
    assert 'name="start_day" value="1"' in form and 'name="end_day" value="31"' in form


def test_the_list_is_newest_first_across_quarters(client, q3, planner):
    close_period(period=q3, by=planner, incomplete=True)
    client.force_login(planner)
    response = client.post(reverse("quarterly:period-open"), period_form(
        {"name": "2021/22 Q4", "start": "2022-01-01", "end": "2022-03-31", "deadline": "2022-02-28"}
    ))
    assert response.status_code == 302
    page = client.get(reverse("quarterly:periods")).text
    shown = [page.index(name) for name in ("2021/22 Q4", "2021/22 Q3", "2021/22 Q2", "2021/22 Q1")]
    assert shown == sorted(shown)


def _open_form(client) -> str:
    response = client.get(reverse("quarterly:period-open"))
    assert response.status_code == 200
    return response.text


def test_the_open_form_suggests_the_next_quarter_by_name_dates_and_deadline(client, seed, planner):
    client.force_login(planner)
    form = _open_form(client)
    # After 2021/22 Q2 (deadline 31 August, the end of its second month): 2021/22 Q3.
    assert 'value="2021/22 Q3"' in form
    for field, (day, month, year) in {
        "start": ("1", "10", "2021"), "end": ("31", "12", "2021"), "deadline": ("30", "11", "2021"),
    }.items():
        assert f'name="{field}_day" value="{day}"' in form
        assert f'name="{field}_month" value="{month}"' in form
        assert f'name="{field}_year" value="{year}"' in form


def test_the_open_form_asks_no_short_name_and_has_no_browser_date_picker(client, seed, planner):
    client.force_login(planner)
    form = _open_form(client)
    assert 'name="slug"' not in form and "Short name" not in form
    assert 'type="date"' not in form and "2021-10-01" not in form
    assert 'class="govuk-date-input"' in form


def test_the_short_name_comes_from_the_name(client, seed, planner):
    client.force_login(planner)
    response = client.post(reverse("quarterly:period-open"), period_form(
        {"name": "2021/22 Q3", "start": "2021-10-01", "end": "2021-12-31", "deadline": "2021-11-30"}
    ))
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(name="2021/22 Q3")
    assert period.slug == "2021-22-q3" and period.deadline.isoformat() == "2021-11-30"


@pytest.mark.parametrize(
    ("name", "message"),
    [("2021/22 Q2", "There is already a period with this name"),
     ("2021-22 q2", "There is already a period with this name"),
     ("//", "Enter a name with letters or numbers"),
     ("", "Enter a name, for example 2021/22 Q3")],
)
def test_a_name_that_is_taken_or_has_no_letters_is_refused(client, seed, planner, name, message):
    client.force_login(planner)
    response = client.post(reverse("quarterly:period-open"), period_form(
        {"name": name, "start": "2021-10-01", "end": "2021-12-31", "deadline": "2021-11-30"}
    ))
    assert response.status_code == 200
    assert message in response.text
    assert ReportingPeriod.objects.count() == 2


def test_the_open_form_is_not_offered_while_a_period_is_open(client, q3, planner):
    client.force_login(planner)
    page = client.get(reverse("quarterly:periods")).text
    assert "Open the next period" not in page
    response = client.get(reverse("quarterly:period-open"))
    assert response.status_code == 200
    assert "<form" not in response.text.split('id="main-content"')[1].split("</main>")[0]
    assert "2021/22 Q3 is open" in response.text
    assert reverse("quarterly:period-close", args=[q3.slug]) in response.text

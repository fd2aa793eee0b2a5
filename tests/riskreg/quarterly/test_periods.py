"""riskreg/quarterly/periods.py: the periods page, opening the next quarter and closing the
open one."""

from django.urls import reverse
from django.utils import timezone

from risks.models import Assessment, ReportingPeriod
from risks.services import close_period


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
        {"name": "2021/22 Q4", "slug": "2021-22-q4", "start": "2022-01-01", "end": "2022-03-31",
         "deadline": "2022-03-01"},
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
    assert 'value="2022-01-01"' in form and 'value="2022-03-31"' in form  # the next quarter

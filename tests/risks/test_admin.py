import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from risks.models import Assessment, ReportingPeriod
from tests.factories import PASSWORD, make_assessment, make_period


@pytest.fixture
def admin_client_(client, db):
    user = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(user)
    return client, user


def test_the_admin_shows_an_open_assessment_but_never_writes_it(admin_client_):
    """Every change of an update goes through the owner's pages and the team's review, whose
    rules (segregation of duties, comments on return) the admin would go around."""
    client, _ = admin_client_
    a = make_assessment(period=make_period(), commentary="Before", state="submitted")
    url = f"/admin/risks/assessment/{a.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "Before" in page.text
    assert 'name="state"' not in page.text and 'name="commentary"' not in page.text
    response = client.post(url, {"state": "approved", "commentary": "Edited in the admin"})
    assert response.status_code == 403
    a.refresh_from_db()
    assert (a.commentary, a.state, a.version) == ("Before", "submitted", 1)
    assert client.get("/admin/risks/assessment/add/").status_code == 403


def test_admin_cannot_change_a_closed_periods_assessment(admin_client_):
    client, _ = admin_client_
    period = make_period()
    a = make_assessment(period=period)
    ReportingPeriod.objects.filter(pk=period.pk).update(state="closed", closed_at=timezone.now())
    response = client.post(f"/admin/risks/assessment/{a.pk}/change/", {"commentary": "x"})
    assert response.status_code == 403
    assert Assessment.objects.get(pk=a.pk).commentary == ""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from risks.models import Assessment, ReportingPeriod
from tests.factories import make_assessment, make_period


@pytest.fixture
def admin_client_(client, db):
    user = get_user_model().objects.create_superuser("root", password="a-long-test-password-1")
    client.force_login(user)
    return client, user


def test_admin_edit_of_an_open_assessment_bumps_its_version(admin_client_):
    client, user = admin_client_
    a = make_assessment(period=make_period(), commentary="Before")
    url = f"/admin/risks/assessment/{a.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(risk=a.risk_id, period=a.period_id, commentary="Edited in the admin")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    a.refresh_from_db()
    assert a.commentary == "Edited in the admin"
    assert a.version == 2
    assert a.updated_by == user


def test_admin_cannot_change_a_closed_periods_assessment(admin_client_):
    client, _ = admin_client_
    period = make_period()
    a = make_assessment(period=period)
    ReportingPeriod.objects.filter(pk=period.pk).update(state="closed", closed_at=timezone.now())
    response = client.post(f"/admin/risks/assessment/{a.pk}/change/", {"commentary": "x"})
    assert response.status_code == 403
    assert Assessment.objects.get(pk=a.pk).commentary == ""

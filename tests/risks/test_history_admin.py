"""Every history admin of the project is read-only: it inherits ReadOnlyHistoryAdmin."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from risks.history_admin import ReadOnlyHistoryAdmin
from risks.models import Risk
from tests.factories import PASSWORD, make_register, make_risk


def test_every_registered_history_admin_is_read_only():
    history_admins = [
        type(model_admin)
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert history_admins  # else the check below checks nothing
    writable = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in history_admins
        if not issubclass(cls, ReadOnlyHistoryAdmin)
    ]
    assert writable == []


@pytest.fixture
def superuser_client(client, db):
    user = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(user)
    return client


def test_a_version_page_is_shown_without_a_revert_button_and_its_form_is_refused(superuser_client):
    risk = make_risk(make_register("corporate"), title="VIOLENT CRIME")
    risk.title = "SERIOUS VIOLENCE"
    risk.save()
    first = Risk.history.filter(id=risk.pk).order_by("history_date").first()
    url = reverse("admin:risks_risk_simple_history", args=[risk.pk, first.history_id])
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert superuser_client.post(url, {"title": "VIOLENT CRIME"}).status_code == 403
    risk.refresh_from_db()
    assert risk.title == "SERIOUS VIOLENCE"

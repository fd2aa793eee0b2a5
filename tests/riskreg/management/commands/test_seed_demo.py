"""python manage.py seed_demo: the October 2021 register with a demo account per role, for
local use only."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from risks.models import Register

DEMO_USERS = ["owner", "lead", "planner", "panel", "admin"]


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("username", DEMO_USERS)
def test_each_demo_account_sees_the_corporate_register_on_home(client, demo, username):
    assert client.post(
        "/accounts/login/", {"username": username, "password": "quarterly-review-2021"}
    ).status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    assert "Corporate risk register" in response.text
    assert "2021/22 Q3" in response.text


@pytest.mark.parametrize("username", DEMO_USERS)
def test_each_demo_account_reads_the_october_2021_register(client, demo, username):
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get("/registers/corporate/?period=2021-22-q2")
    assert response.status_code == 200
    assert "VIOLENT CRIME" in response.text
    assert "M v H" in response.text


def test_seed_demo_is_idempotent(demo):
    call_command("seed_demo", verbosity=0)
    assert Register.objects.filter(slug="corporate").count() == 1


def test_seed_demo_refuses_without_debug(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="local use only"):
        call_command("seed_demo", verbosity=0)

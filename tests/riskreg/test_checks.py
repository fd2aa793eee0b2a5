"""riskreg.checks: production refuses accounts that sign in with the published demo password."""

import pytest
from django.core.checks import run_checks
from django.core.management.base import SystemCheckError

from riskreg import checks
from riskreg.demo import DEMO_PASSWORD
from tests.factories import make_user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def with_demo_password(username, **fields):
    user = make_user(username, **fields)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def test_an_active_account_with_the_demo_password_fails_the_deploy_checks(db):
    with_demo_password("admin", is_superuser=True, is_staff=True)
    errors = [e for e in run_checks(include_deployment_checks=True) if e.id == "riskreg.E001"]
    assert len(errors) == 1 and "admin" in errors[0].msg
    assert not [e for e in run_checks() if e.id == "riskreg.E001"]  # a deploy check only


def test_inactive_unusable_and_changed_passwords_pass(db):
    with_demo_password("owner", is_active=False)
    unusable = make_user("panel")
    unusable.set_unusable_password()
    unusable.save()
    make_user("planner")  # another password
    assert checks.check_demo_passwords() == []


def test_start_up_stops_while_it_fails(db):
    with_demo_password("planner")
    with pytest.raises(SystemCheckError, match="riskreg.E001.*planner"):
        checks.refuse_demo_passwords()


def test_a_large_database_checks_demo_names_superusers_and_staff_first_and_a_bounded_number(
    db, monkeypatch
):
    tried = []
    real = checks.check_password
    monkeypatch.setattr(checks, "check_password",
                        lambda password, encoded: tried.append(encoded) or real(password, encoded))
    for n in range(6):
        with_demo_password(f"user{n}")  # ordinary accounts, beyond the bound: not checked
    with_demo_password("root", is_superuser=True)
    with_demo_password("team", is_staff=True)
    with_demo_password("lead")
    assert checks.accounts_with_demo_password(at_most=4) == ["lead", "root", "team"]
    assert len(tried) == 3
    tried.clear()
    # A small database: every active account.
    assert len(checks.accounts_with_demo_password(at_most=20)) == 9
    assert len(tried) == 9

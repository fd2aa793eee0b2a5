import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-that-is-long-enough-and-random-9f8e7d6c5b4a3f2e1d",
    "ALLOWED_HOSTS": "risk.example.org",
    # Production sends email (issue 20): without it `check --deploy` refuses the console
    # backend (Django's mail.E001).
    "EMAIL_HOST": "smtp.example.org",
}


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE",
                         "DATABASE_URL", "EMAIL_HOST"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture(scope="module")
def database(sqlite_copy):
    """A migrated SQLite database of its own (never the checkout's var/, which `make run`
    seeds with the demo accounts)."""
    return {**PRODUCTION, "SQLITE_PATH": str(sqlite_copy)}


def test_check_deploy_passes_with_production_settings(database):
    result = manage("check", "--deploy", "--fail-level", "WARNING", **database)
    assert result.returncode == 0, result.stdout + result.stderr


def set_password(database, username, password):
    """With the real hasher: what the checks compare is a production hash."""
    code = (
        "from django.contrib.auth import get_user_model; U = get_user_model(); "
        f"u = U.objects.filter(username={username!r}).first() or "
        f"U(username={username!r}, is_staff=True, is_superuser=True); "
        f"u.set_password({password!r}); u.save()"
    )
    result = manage("shell", "-c", code, **{**database, "DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def start_up(database):
    """What gunicorn does first: import the WSGI application."""
    base = {k: v for k, v in os.environ.items()
            if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "TESTING", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", "import riskreg.wsgi"], cwd=ROOT, env={**base, **database},
        capture_output=True, text=True, timeout=120,
    )


def test_production_refuses_the_demo_password_in_check_deploy_and_at_start_up(database):
    from riskreg.demo import DEMO_PASSWORD

    set_password(database, "admin", DEMO_PASSWORD)
    try:
        check = manage("check", "--deploy", **database)
        assert check.returncode != 0
        assert "riskreg.E001" in check.stderr and "admin" in check.stderr
        started = start_up(database)
        assert started.returncode != 0
        assert "riskreg.E001" in started.stderr
        # Other commands still run, so that the password can be changed.
        assert manage("check", **database).returncode == 0
    finally:
        set_password(database, "admin", "a-new-password-only-the-admin-knows")
    assert start_up(database).returncode == 0
    assert manage("check", "--deploy", "--fail-level", "WARNING", **database).returncode == 0


def test_oidc_when_enabled_needs_its_settings():
    result = manage("check", **PRODUCTION, OIDC_ENABLED="true")
    assert result.returncode != 0
    assert "OIDC_RP_CLIENT_ID is not set" in result.stderr


def test_oidc_enabled_with_settings_offers_single_sign_on():
    oidc = {
        "OIDC_ENABLED": "true",
        "OIDC_RP_CLIENT_ID": "riskreg",
        "OIDC_RP_CLIENT_SECRET": "secret",
        **{f"OIDC_OP_{n}_ENDPOINT": f"https://idp.example.org/{n.lower()}"
           for n in ("AUTHORIZATION", "TOKEN", "USER", "JWKS")},
    }
    result = manage("shell", "-c",
                    "from django.urls import reverse; print(reverse('oidc_authentication_init'))",
                    DEBUG="true", **oidc)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "/oidc/authenticate/"


def test_check_deploy_refuses_production_without_email(database):
    result = manage("check", "--deploy", **{k: v for k, v in database.items() if k != "EMAIL_HOST"})
    assert result.returncode != 0 and "mail.E001" in result.stderr

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-that-is-long-enough-and-random-9f8e7d6c5b4a3f2e1d",
    "ALLOWED_HOSTS": "risk.example.org",
}


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


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

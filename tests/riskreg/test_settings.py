import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    base = {k: v for k, v in os.environ.items() if k not in {
        "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "TESTING", "DATABASE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_start_up_stops_without_required_setting(missing):
    env = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "risk.example.org"}
    del env[missing]
    result = run_check(**env)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_debug_must_be_a_clear_boolean():
    result = run_check(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_development_starts_with_defaults():
    result = run_check(DEBUG="true")
    assert result.returncode == 0, result.stderr

"""python manage.py signin_load: end to end at a tiny scale, asserting only its output's shape.

It starts gunicorn on a free loopback port over a throw-away database of its own (in a
subprocess, as `make` would run it); the suite's test database is never touched. The figures
are a benchmark, recorded in README, never asserted here.
"""

import json
import os
import subprocess
import sys

from django.conf import settings


def signin_load(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "signin_load", *args],
        cwd=settings.BASE_DIR, env={**os.environ, "DEBUG": "true"}, capture_output=True,
        text=True, timeout=300, check=False,
    )


def test_it_times_a_signed_in_page_idle_and_under_sign_in_loops(migrated_sqlite):
    done = signin_load("--loops", "2", "--seconds", "4", "--cycles", "2", "--attempts", "4",
                       "--database-from", str(migrated_sqlite), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["page"] == "/registers/corporate/"
    assert result["server"].startswith("gunicorn riskreg.wsgi --worker-class gthread")
    assert result["loops"] == 2 and result["spread"] is False
    assert result["idle_median_ms"] > 0 and result["loaded_median_ms"] > 0
    # The medians are printed to 0.1 ms and the ratio to 0.01: allow for both roundings (a
    # page served from the cache takes about a millisecond, where 0.05 ms is 5%).
    idle, loaded = result["idle_median_ms"], result["loaded_median_ms"]
    rounding = loaded / idle * (0.05 / idle + 0.05 / loaded) + 0.005
    assert abs(result["ratio"] - loaded / idle) <= rounding
    assert result["cycles"] == 2 and result["idle_samples"] >= 2 and result["loaded_samples"] >= 1
    assert 1 <= result["attempts"] <= 8
    assert set(result["statuses"]) <= {"200", "429"}
    assert result["seconds"] > 0


def test_it_refuses_unbounded_runs():
    done = signin_load("--loops", "0")
    assert done.returncode != 0 and "--loops must be 1 to 100" in done.stderr


def test_it_refuses_a_database_to_start_from_that_is_not_there(tmp_path):
    done = signin_load("--database-from", str(tmp_path / "nothing.sqlite3"))
    assert done.returncode != 0 and "--database-from: there is no file" in done.stderr

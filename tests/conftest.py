"""Fixtures every test package shares: the seed, the people, the October 2021 seed's next
quarter (2021/22 Q3) opened by the team or with changes since Q2, and a big register. A
package's own fixtures are in its conftest.py.

Tests that need a real transaction (browser tests, concurrency) empty the database when they
end, what the migrations wrote included (the self-assessment dimensions), and pytest-xdist may
run other tests after them on the same worker: `pytest_runtest_teardown` writes it
again after each such test. No module mixes the two kinds (pytest_collection_modifyitems
refuses one): a module runs whole on one worker, and its own fixtures would not expect it."""

import datetime
import fcntl
import importlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from pytest_django.plugin import blocking_manager_key

from controls.models import Control
from risks.models import Assessment, Post, Risk
from risks.services import open_period

from .factories import (
    Q3,
    make_big_register,
    make_control,
    make_control_update,
    make_panel,
    make_period,
    make_planner,
    make_user,
)

SEED_FIXTURE = "corporate_2021_10"


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """make_user hashes a password; the default hasher costs most of a test's setup time.

    For the whole session, so that module-scoped worlds (tests/security/conftest.py) and the
    browser tests' live server hash with it too. No test measures the real hasher's cost:
    one that needs the real hashers sets settings.PASSWORD_HASHERS back itself.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


_migrated_copy: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, and this process's listener for session changes closed before it is
    dropped (risks/sessionwatch.py: a connection of its own to that database).

    On PostgreSQL also a copy of it as migrated, before any test has written to it (a flush
    empties the migrations' own rows): `migrated_postgres` names it, for a subprocess that
    wants a database of its own without a minute of migrating. A copy costs about a second
    (CREATE DATABASE ... TEMPLATE); if it cannot be made, those subprocesses migrate."""
    from django.db import connection

    from risks import sessionwatch

    if connection.vendor == "postgresql":
        copy = connection.settings_dict["NAME"] + "_migrated"
        with django_db_blocker.unblock():
            connection.close()  # a template may have no other connections
            try:
                with connection.creation._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')
                    cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{connection.settings_dict["NAME"]}"')
            except Exception:  # noqa: BLE001, S110 - the copy only saves time
                pass
            else:
                _migrated_copy["name"] = copy
    yield
    sessionwatch.close()
    if (copy := _migrated_copy.pop("name", None)) is not None:
        with django_db_blocker.unblock(), connection.creation._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')


@pytest.fixture(scope="session")
def migrated_postgres(django_db_setup) -> str | None:
    """The name of the PostgreSQL database copied from the test database as migrated (above),
    or None: on SQLite, or where it could not be made."""
    return _migrated_copy.get("name")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite database file migrated once for the whole run, for the tests that run the
    service in subprocesses on a database of their own: they copy it (`sqlite_copy`) rather
    than each spend a minute of a 2-core machine migrating one. pytest-xdist's workers share
    it: the first to need it migrates while the others wait on the lock."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's directory, above each worker's own
    path = root / "migrated.sqlite3"
    with (root / "migrated.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            partial = root / "migrating.sqlite3"
            partial.unlink(missing_ok=True)
            env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TESTING")}
            done = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--no-input"],
                cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True,
                env={**env, "DEBUG": "true", "SQLITE_PATH": str(partial)}, timeout=600,
            )
            assert done.returncode == 0, done.stderr[-3000:]
            # Out of WAL mode: everything in the one file, which is then safe to copy.
            with closing(sqlite3.connect(partial)) as db:
                db.execute("PRAGMA journal_mode=DELETE")
            partial.rename(path)
    return path


@pytest.fixture(scope="module")
def sqlite_copy(migrated_sqlite, tmp_path_factory) -> Path:
    """A migrated SQLite database file of the module's own (a copy of migrated_sqlite)."""
    path = tmp_path_factory.mktemp("migrated") / "riskreg.sqlite3"
    shutil.copyfile(migrated_sqlite, path)
    return path


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: a test's overridden settings (an organisation's
    name, the bands) change pages without any write that the page cache's key would see."""
    from django.core.cache import cache

    from risks.pagecache import forget_local
    from risks.sessionwatch import forget_all

    cache.clear()
    forget_local()
    forget_all()


@pytest.fixture
def seed(db):
    """The October 2021 register as the fixture holds it (2021/22 Q2 closed)."""
    call_command("loaddata", SEED_FIXTURE, verbosity=0)


@pytest.fixture(scope="module")
def seed_once(django_db_setup, django_db_blocker):
    """The seed loaded once for a whole module and rolled back after it, so other modules never
    see it: for modules whose tests each run in a savepoint on top of it (`db`). Never with
    `seed`, which would load the fixture a second time."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", SEED_FIXTURE, verbosity=0)
        yield
        transaction.set_rollback(True)


# People -------------------------------------------------------------------------------------------


@pytest.fixture
def owner(seed):
    """Holds the AC Frontline Policing post: owns risk 1."""
    return make_user("owner", posts=[Post.objects.get(name="AC Frontline Policing")])


@pytest.fixture
def lead(seed):
    """Holds Head of Profession – CP, Inclusion & Engagement: leads risks 1, 8 and 9."""
    return make_user(
        "lead", posts=[Post.objects.get(name="Head of Profession – CP, Inclusion & Engagement")]
    )


@pytest.fixture
def other_owner(seed):
    """Owns risk 2 (NEW SYSTEMS): can read the register, but not update risk 1."""
    return make_user("other_owner", posts=[Post.objects.get(name="Deputy Commissioner")])


@pytest.fixture
def planner(db):
    return make_planner()


@pytest.fixture
def panel(db):
    return make_panel()


@pytest.fixture
def outsider(db):
    """Signed in, but holds no post and no role."""
    return make_user("outsider")


# The quarterly cycle ------------------------------------------------------------------------------


@pytest.fixture
def q3(seed, planner):
    """The October 2021 seed with 2021/22 Q3 opened by the team: drafts carried forward."""
    return open_period(**Q3, by=planner)


@pytest.fixture
def risk1(seed):
    """VIOLENT CRIME: owned by AC Frontline Policing, led by the `lead` fixture's post."""
    return Risk.objects.get(register__slug="corporate", ref=1)


@pytest.fixture
def draft(q3, risk1):
    """Risk 1's Q3 update, as carried forward: a draft at version 1."""
    return Assessment.objects.get(risk=risk1, period=q3)


@pytest.fixture
def control(risk1):
    """Risk 1's first control (Op Orochi)."""
    return Control.objects.filter(risk=risk1).order_by("order", "pk").first()


# Reading registers --------------------------------------------------------------------------------


@pytest.fixture
def q3_with_changes(seed):
    """2021/22 Q3 carried forward from Q2, then: risk 1 scored down, risk 2 worsening,
    risk 3 slipped, risk 4 new commentary; one control completed, one new control."""
    period = make_period("2021-22-q3", name="2021/22 Q3", start=datetime.date(2021, 10, 1))
    for a in Assessment.objects.filter(period__slug="2021-22-q2").select_related("risk"):
        Assessment.objects.create(
            risk=a.risk, period=period, likelihood=a.likelihood, impact=a.impact,
            trend=a.trend, progress=a.progress, commentary=a.commentary, reasons=a.reasons,
        )
    Assessment.objects.filter(period=period, risk__ref=1).update(
        likelihood=1, impact=3, score_change_source="controls"
    )
    Assessment.objects.filter(period=period, risk__ref=2).update(trend="worsening")
    Assessment.objects.filter(period=period, risk__ref=3).update(
        progress="slipped", reasons="The campaign slipped to January."
    )
    Assessment.objects.filter(period=period, risk__ref=4).update(commentary="Recruitment rose.")
    op_orochi = Control.objects.get(title__startswith="Op Orochi")
    make_control_update(op_orochi, period, status="complete", note="County Lines closed.")
    vawg = Control.objects.get(title__startswith="Violence against women")
    make_control_update(vawg, period, status="in_progress")  # unchanged
    new = make_control(Risk.objects.get(ref=9), title="Community panels", added_in=period)
    make_control_update(new, period, status="not_started")
    return period


SIZES = [10, 500]


@pytest.fixture(params=SIZES, ids=[f"{n}-risks" for n in SIZES])
def big_register(request, db, client):
    """The register "big" of 10, then of 500 risks (make_big_register: Q1 closed, Q2 open) and
    a client signed in as the team: (client, number of risks). For the tests that a page costs
    the same number of queries whatever the register's size."""
    make_big_register(request.param)
    client.force_login(make_planner())
    return client, request.param


# Hypothesis: new examples every run, CI included, and the seed to replay them -----------------

_HYPOTHESIS_SEED = "HYPOTHESIS_SEED"


def pytest_configure(config):
    """One seed for the run: HYPOTHESIS_SEED (or --hypothesis-seed) to replay, else a new one.

    Set in the environment too, so that pytest-xdist's workers, started later, use the same.
    """
    from hypothesis import core

    seed = config.getoption("hypothesis_seed", None) or os.environ.get(_HYPOTHESIS_SEED)
    seed = int(seed) if seed else random.SystemRandom().randrange(2**32)
    os.environ[_HYPOTHESIS_SEED] = str(seed)
    core.global_force_seed = seed
    # Hypothesis loads its "ci" profile when CI is set, and that profile derandomises: every
    # property test without settings of its own would replay the same examples in CI. The
    # default here draws from the run's seed wherever it runs.
    from hypothesis import settings

    settings.register_profile(
        "riskreg", parent=settings.get_profile(settings.get_current_profile_name()),
        derandomize=False, print_blob=True,
    )
    settings.load_profile("riskreg")


def _seed_line() -> str:
    seed = os.environ[_HYPOTHESIS_SEED]
    return f"hypothesis seed {seed}: replay with HYPOTHESIS_SEED={seed} (e.g. HYPOTHESIS_SEED={seed} make test)"


def pytest_report_header(config):
    return _seed_line()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not hasattr(config, "workerinput"):
        terminalreporter.write_line(_seed_line())


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


# The longest modules (property tests of every form, the task worker's processes, the access
# matrix) first: pytest-xdist hands out whole modules in this order, and one started last keeps
# a single worker busy while the other waits.
_LONG_MODULES = (
    "tests/security/test_bad_input", "tests/riskreg/notify/test_worker.py",
    "tests/security/test_access_matrix.py", "tests/security/test_csrf_and_safe_methods.py",
)


def _long_first(item) -> int:
    return 0 if item.nodeid.startswith(_LONG_MODULES) else 1


@pytest.hookimpl(tryfirst=True)  # before pytest-django's own sort, which keeps this order
def pytest_collection_modifyitems(config, items):
    items.sort(key=_long_first)
    fixed = sorted(
        item.nodeid for item in items
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
        and item.obj._hypothesis_internal_use_settings.derandomize
    )
    if fixed:
        raise pytest.UsageError(
            "Property tests must draw new examples every run (the run's seed is printed to "
            f"replay them): take derandomize out of {', '.join(fixed)}"
        )
    kinds: dict[str, set[bool]] = {}
    for item in items:
        if item.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
            getattr(item, "fixturenames", ())
        ):
            kinds.setdefault(item.nodeid.split("::")[0], set()).add(_transactional(item))
    mixed = sorted(module for module, found in kinds.items() if len(found) > 1)
    if mixed:
        raise pytest.UsageError(
            "These modules mix tests that empty the database (transaction=True, live_server) "
            f"with tests that need what the migrations wrote: split them. {', '.join(mixed)}"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that emptied the database, the rows its migrations wrote, written again.

    A hook wrapper, not a fixture: it runs once every fixture, the database's flush included,
    has been torn down; not after the session's last test, whose teardown removed the database."""
    try:
        return (yield)
    finally:
        if _transactional(item) and nextitem is not None:
            from django.apps import apps

            dimensions = importlib.import_module("maturity.migrations.0003_questionnaire_dimensions")
            with item.config.stash[blocking_manager_key].unblock():
                dimensions.add_dimensions(apps, None)

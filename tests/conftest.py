import os
import random

import pytest
from django.core.management import call_command

from risks.models import Post

from .factories import make_panel, make_planner, make_user

SEED_FIXTURE = "corporate_2021_10"


@pytest.fixture
def seed(db):
    """The October 2021 register as the fixture holds it (2021/22 Q2 closed)."""
    call_command("loaddata", SEED_FIXTURE, verbosity=0)


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
def planner(db):
    return make_planner()


@pytest.fixture
def panel(db):
    return make_panel()


@pytest.fixture
def outsider(db):
    """Signed in, but holds no post and no role."""
    return make_user("outsider")


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


def _seed_line() -> str:
    seed = os.environ[_HYPOTHESIS_SEED]
    return f"hypothesis seed {seed}: replay with HYPOTHESIS_SEED={seed} (e.g. HYPOTHESIS_SEED={seed} make test)"


def pytest_report_header(config):
    return _seed_line()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not hasattr(config, "workerinput"):
        terminalreporter.write_line(_seed_line())

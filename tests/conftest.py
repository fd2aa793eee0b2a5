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

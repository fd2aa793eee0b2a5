"""Fixtures of the quarterly cycle tests: import the ones a module uses (pytest finds them)."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from risks.models import Risk
from risks.services import open_period

Q3 = {
    "name": "2021/22 Q3",
    "slug": "2021-22-q3",
    "start": datetime.date(2021, 10, 1),
    "end": datetime.date(2021, 12, 31),
    "deadline": datetime.date(2021, 12, 3),
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """make_user hashes a password; the default hasher costs most of a test's setup time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def q3(seed, planner):
    """The October 2021 seed with 2021/22 Q3 opened by the team: drafts carried forward."""
    return open_period(**Q3, by=planner)


@pytest.fixture
def risk1(seed):
    """VIOLENT CRIME: owned by AC Frontline Policing, led by the `lead` fixture's post."""
    return Risk.objects.get(register__slug="corporate", ref=1)


@pytest.fixture
def other_owner(seed):
    """Owns risk 2 (NEW SYSTEMS): can read the register, but not update risk 1."""
    from risks.models import Post
    from tests.factories import make_user

    return make_user("other_owner", posts=[Post.objects.get(name="Deputy Commissioner")])


def user(username):
    return get_user_model().objects.get(username=username)

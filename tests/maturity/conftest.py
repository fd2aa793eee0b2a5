import pytest

from maturity.models import ActionPlan, BusinessGroup, Dimension, PlanItem, Unit
from risks.models import Post
from tests.factories import make_post, make_user


@pytest.fixture
def plan(seed):
    return ActionPlan.objects.get()


@pytest.fixture
def item9(seed):
    """Organisational learning: owned by AC Professionalism, Head of OL and senior leaders."""
    return PlanItem.objects.get(ref=9)


@pytest.fixture
def item_owner(seed):
    """Holds Head of Organisational Learning, an owner post of item 9 and of no other item."""
    return make_user("item_owner", posts=[Post.objects.get(name="Head of Organisational Learning")])


@pytest.fixture
def dimensions(db):
    """The five dimensions the data migration adds, in order."""
    return list(Dimension.objects.order_by("order"))


@pytest.fixture
def units(db):
    """Two business groups and three units, each with its own commander's post."""
    flp = BusinessGroup.objects.create(name="Frontline Policing", abbreviation="FLP", order=1)
    mo = BusinessGroup.objects.create(name="Met Operations", abbreviation="MO", order=2)
    return {
        "central_west": Unit.objects.create(
            name="Central West BCU", business_group=flp, commander=make_post("BCU Cdr CW")
        ),
        "north": Unit.objects.create(
            name="North BCU", business_group=flp, commander=make_post("BCU Cdr N")
        ),
        "mo9": Unit.objects.create(
            name="MO9 Met Detention", business_group=mo, commander=make_post("OCU Cdr MO9")
        ),
    }


@pytest.fixture
def commander(units):
    """Commands Central West BCU."""
    return make_user("commander", posts=[units["central_west"].commander])

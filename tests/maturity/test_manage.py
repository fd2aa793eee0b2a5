"""maturity/manage.py: the team keeps the units in the service (issue 16)."""

from django.urls import reverse

from maturity.manage import unit_digest
from maturity.models import BusinessGroup, Unit
from risks.models import Post
from tests.factories import make_post
from tests.queries import SIGNED_IN


def url(name, *args):
    return reverse(f"manage:{name}", args=args)


def test_the_team_adds_a_unit_with_a_new_business_group(client, planner):
    client.force_login(planner)
    commander = make_post("BCU Commander Central West")
    response = client.post(url("unit-new"), {
        "name": "Central West BCU", "business_group": "", "new_business_group": "Frontline Policing",
        "commander": commander.pk, "is_active": "yes",
    }, follow=True)
    assert "Central West BCU saved." in response.text
    unit = Unit.objects.get(name="Central West BCU")
    assert (unit.business_group.name, unit.commander, unit.is_active) == (
        "Frontline Policing", commander, True)
    assert unit.history.get().history_user == planner
    # Closed: it keeps its past, and stays in the list marked so.
    response = client.post(url("unit-edit", unit.pk), {
        "name": unit.name, "business_group": unit.business_group_id, "commander": "",
        "is_active": "no", "was": unit_digest(unit),
    })
    assert response.status_code == 302
    unit.refresh_from_db()
    assert not unit.is_active and unit.commander is None
    assert "Closed" in client.get(url("units")).text


def test_bad_units_are_refused_with_a_message(client, planner):
    client.force_login(planner)
    group = BusinessGroup.objects.create(name="Met Operations")
    Unit.objects.create(name="Taken BCU", business_group=group)
    for data, message in [
        ({"name": "", "business_group": group.pk}, "Enter the unit&#x27;s name"),
        ({"name": "taken bcu", "business_group": group.pk}, "There is already a unit with this name"),
        ({"name": "New BCU"}, "Choose the unit&#x27;s business group, or enter a new one"),
        ({"name": "New BCU", "business_group": group.pk, "new_business_group": "Other"},
         "not both"),
        ({"name": "New BCU", "new_business_group": "met operations"}, "is already a business group"),
        ({"name": "New BCU", "business_group": "99999999999999999999"}, "Choose the business group from the list"),
        ({"name": "New BCU", "business_group": group.pk, "is_active": "perhaps"},
         "Say whether the unit is still active"),
    ]:
        response = client.post(url("unit-new"), {"is_active": "yes", **data})
        assert response.status_code == 400 and message in response.text, data
    assert Unit.objects.count() == 1 and BusinessGroup.objects.count() == 1


def test_a_unit_changed_meanwhile_is_not_overwritten(client, planner):
    client.force_login(planner)
    unit = Unit.objects.create(name="East BCU", business_group=BusinessGroup.objects.create(name="FP"))
    opened = unit_digest(unit)
    Unit.objects.filter(pk=unit.pk).update(name="East Area BCU")
    response = client.post(url("unit-edit", unit.pk), {
        "name": "Mine", "business_group": unit.business_group_id, "is_active": "yes", "was": opened,
    })
    assert response.status_code == 409 and "East Area BCU" in response.text
    assert Unit.objects.get(pk=unit.pk).name == "East Area BCU"


def test_only_the_team_keeps_units(client, db, panel):
    client.force_login(panel)
    assert client.get(url("units")).status_code == 403
    assert client.post(url("unit-new"), {"name": "X", "new_business_group": "Y",
                                         "is_active": "yes"}).status_code == 403
    assert not Unit.objects.exists() and not Post.objects.exists()


def test_the_units_list_costs_one_query(client, planner, django_assert_num_queries):
    group = BusinessGroup.objects.create(name="FP")
    for i in range(5):
        Unit.objects.create(name=f"Unit {i}", business_group=group, commander=make_post(f"C {i}"))
    client.force_login(planner)
    with django_assert_num_queries(SIGNED_IN + 1):
        assert client.get(url("units")).status_code == 200

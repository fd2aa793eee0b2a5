"""Example registers are labelled as example data on the pages that show them."""

import pytest

from tests.factories import make_period, make_planner, make_register, make_risk

pytestmark = pytest.mark.django_db


def test_an_example_register_and_its_risks_say_they_are_example_data(client):
    register = make_register("north-bcu", name="North BCU", is_example=True)
    risk = make_risk(register)
    make_period()
    client.force_login(make_planner())
    for url in (register.get_absolute_url(), risk.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "data-example-data" in page, url
        assert "North BCU is made-up data to try the service with" in page


def test_a_real_register_carries_no_example_label(client):
    register = make_register("corporate")
    risk = make_risk(register)
    make_period()
    client.force_login(make_planner())
    for url in (register.get_absolute_url(), risk.get_absolute_url()):
        assert "data-example-data" not in client.get(url).content.decode()

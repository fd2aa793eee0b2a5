"""riskreg/manage.py: one "Manage" entry for the team, leading to the pages that keep the
register (issue 16)."""

from django.urls import reverse

from tests.queries import SIGNED_IN


def test_the_team_has_a_manage_entry_and_the_others_do_not(client, seed, planner, owner, panel):
    client.force_login(planner)
    home = client.get("/").text
    assert 'href="/manage/"' in home
    index = client.get(reverse("manage:index")).text
    for name in ("risks", "posts", "pillars", "registers", "units"):
        assert f'href="{reverse(f"manage:{name}")}"' in index
    assert "11 active, 0 retired" in index
    for person in (owner, panel):
        client.force_login(person)
        assert 'href="/manage/"' not in client.get("/").text
        assert client.get(reverse("manage:index")).status_code == 403


def test_the_index_costs_a_fixed_number_of_queries(client, seed, planner, django_assert_num_queries):
    client.force_login(planner)
    with django_assert_num_queries(SIGNED_IN + 7):  # a count of each kind
        assert client.get(reverse("manage:index")).status_code == 200

"""The API's lists served from the page cache (riskreg.api.views.Cached): never stale, never
another person's, and never past the checks DRF makes first (the token, its scope)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from riskreg.api import urls as api_urls
from riskreg.api.views import Cached
from risks.models import Assessment, Risk
from risks.pagecache import no_quarter
from risks.versions import QUARTER_TABLES

from .conftest import token_client

# The lists kept through the open quarter's writes: they must read no quarter's records.
REFERENCE_LISTS = [
    pattern.name for pattern in api_urls.urlpatterns
    if (view := getattr(getattr(pattern.callback, "view_class", None), "quarters_of", None))
    and issubclass(pattern.callback.view_class, Cached) and view is no_quarter
]


def _rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_write_by_any_path_shows_in_the_next_call(q3, planner):
    client = token_client(planner)
    before = _rows(client.get("/api/v1/risks/"))
    assert _rows(client.get("/api/v1/risks/")) == before  # served
    # A bulk update: no form, no signal; the database's trigger changes the version.
    Risk.objects.filter(register__slug="corporate", ref=1).update(title="RENAMED IN BULK")
    after = _rows(client.get("/api/v1/risks/"))
    assert next(r for r in after if r["ref"] == 1)["title"] == "RENAMED IN BULK"
    quarter = client.get("/api/v1/assessments/", {"period": q3.slug})
    Assessment.objects.filter(risk__ref=1, period=q3).update(commentary="Written since.")
    again = _rows(client.get("/api/v1/assessments/", {"period": q3.slug}))
    assert quarter.status_code == 200
    assert next(r for r in again if r["ref"] == 1)["commentary"] == "Written since."


def test_each_person_is_served_what_they_may_read(q3, owner, panel, planner):
    a = Assessment.objects.get(risk__ref=1, period=q3)
    Assessment.objects.filter(pk=a.pk).update(commentary="Draft words nobody else may read.")
    address = f"/api/v1/assessments/?period={q3.slug}"
    # The owner's call is kept first; the panel's and the team's must not be served it.
    mine = _rows(token_client(owner).get(address))
    assert "Draft words" in str(mine)
    for _ in range(2):
        assert "Draft words" not in str(_rows(token_client(panel).get(address)))
    assert {r["period"] for r in _rows(token_client(planner).get(address))} == {q3.slug}


def test_a_closed_quarter_is_served_through_the_open_quarters_writes(q3, panel):
    client = token_client(panel)
    address = "/api/v1/assessments/?period=2021-22-q2"
    first = client.get(address)
    Assessment.objects.filter(period=q3).update(commentary="Q3 words.")
    assert client.get(address).content == first.content


def test_a_revoked_token_is_refused_even_where_its_list_was_kept(seed, panel):
    from riskreg.api.models import ApiToken

    client = token_client(panel)
    assert client.get("/api/v1/risks/").status_code == 200
    ApiToken.objects.filter(user=panel).update(revoked_at="2030-01-01T00:00Z")
    refused = client.get("/api/v1/risks/")
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]


def test_links_and_layout_follow_the_call_not_the_kept_copy(seed, panel):
    client = token_client(panel)
    address = "/api/v1/risks/?page_size=5"
    plain = client.get(address)
    assert plain.json()["next"].startswith("http://testserver/api/v1/risks/?")
    secure = client.get(address, secure=True)
    assert secure.json()["next"].startswith("https://testserver/api/v1/risks/?")
    indented = client.get(address, headers={"Accept": "application/json; indent=4"})
    assert indented.content.startswith(b'{\n    "count"')
    assert client.get(address).content == plain.content


def test_a_refused_filter_is_not_kept(seed, panel):
    client = token_client(panel)
    for _ in range(2):
        response = client.get("/api/v1/assessments/?period=no-such-quarter")
        assert response.status_code == 404
        response = client.get("/api/v1/risks/?page_size=0")
        assert response.status_code == 400
        assert "page_size" in response.json()["errors"]


def test_the_lists_kept_through_the_quarters_writes_are_found():
    assert set(REFERENCE_LISTS) == {"registers", "periods", "risks", "controls", "plan-items"}


@pytest.mark.parametrize("name", REFERENCE_LISTS)
def test_a_list_kept_through_the_quarters_writes_reads_no_quarters_records(q3, planner, panel,
                                                                           owner, name):
    for person in (planner, panel, owner):
        with CaptureQueriesContext(connection) as queries:
            response = token_client(person).get(reverse(f"api:{name}") + "?page_size=200")
        assert response.status_code == 200
        read = " ".join(q["sql"] for q in queries)
        assert not [table for table in QUARTER_TABLES if f'"{table}"' in read], name


def test_the_open_quarters_writes_leave_a_reference_list_kept(q3, panel):
    client = token_client(panel)
    first = client.get("/api/v1/risks/")
    Assessment.objects.filter(period=q3).update(commentary="Q3 words.")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/risks/")
    assert again.content == first.content
    assert not [q for q in queries if "risks_risk" in q["sql"]]  # served, not read again

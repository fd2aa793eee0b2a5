"""CSRF is enforced on every state change, and GET never changes state.

Every URL pattern is tried: a POST without a CSRF token (or with a wrong one) is refused with
403 before the view runs, and writes nothing; the same POST with the token is not refused for
CSRF, which shows that the 403 came from the CSRF check. Then every URL is read with GET (and
as an htmx request) by the team and by the administrator, and no application table changes.
"""

import warnings

import pytest

from .addresses import path_for, patterns
from .conftest import CSRF_SECRET, client_for, digest, rolled_back
from .test_access_matrix import EXPECTED, post_data


@pytest.fixture(autouse=True)
def _quiet_simple_history():
    """simple_history's admin history page calls select_related() bare: its deprecation."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Calling select_related\(\) with no arg")
        yield

CSRF_FAILED = "Sorry, the form could not be sent"  # templates/403_csrf.html
# The API checks a session's CSRF token itself (Django REST framework's words); a call with a
# token carries no cookie, so nothing rides on it. Its catch-all answers every address 404.
# Its documentation page is a page, with the site's check.
API_CSRF_FAILED = "CSRF Failed"


def _refused_for_csrf(key: str, response) -> bool:
    if key == "api:not-found":
        return response.status_code == 404
    failed = API_CSRF_FAILED if key.startswith("api:") and key != "api:docs" else CSRF_FAILED
    return response.status_code == 403 and failed in response.text


def _post_rows():
    """Every URL pattern, with the role that may POST to it when there is one."""
    for key in patterns():
        statuses = EXPECTED.get((key, "POST"))
        yield key, ("anonymous" if key in ("login", "admin:login") else "admin"), statuses


def test_every_post_without_a_csrf_token_is_refused_and_writes_nothing(w):
    clients = {role: client_for(w, role, csrf=False) for role in ("anonymous", "admin")}
    before = digest()
    accepted = []
    for key, role, _ in _post_rows():
        path = path_for(key, w)
        data = post_data(key, w) if (key, "POST") in EXPECTED else {}
        response = clients[role].post(path, data)
        if not _refused_for_csrf(key, response):
            accepted.append((key, response.status_code))
    assert accepted == []
    assert digest() == before


def test_a_wrong_csrf_token_is_refused(w):
    client = client_for(w, "admin", csrf=False)
    before = digest()
    for key in ("quarterly:update-score", "quarterly:review-approve", "quarterly:period-close",
                "maturity:action-status", "reports:edit", "admin:risks_risk_change"):
        response = client.post(path_for(key, w), post_data(key, w),
                               HTTP_X_CSRFTOKEN="x" * len(CSRF_SECRET))
        assert response.status_code == 403 and CSRF_FAILED in response.text, key
        data = {**post_data(key, w), "csrfmiddlewaretoken": "y" * len(CSRF_SECRET)}
        assert client.post(path_for(key, w), data).status_code == 403, key
    assert digest() == before


def test_with_the_token_the_same_posts_pass_the_csrf_check(w):
    """So the 403s above are the CSRF check, not the view refusing."""
    clients = {role: client_for(w, role) for role in ("anonymous", "admin")}
    refused = []
    for key, role, _ in _post_rows():
        data = post_data(key, w) if (key, "POST") in EXPECTED else {}
        with rolled_back():
            response = clients[role].post(path_for(key, w), data)
        if key != "api:not-found" and _refused_for_csrf(key, response):
            refused.append(key)
        if key in ("logout", "admin:logout"):
            clients[role] = client_for(w, role)
    assert refused == []


def test_the_csrf_token_is_sent_with_htmx_requests(w):
    """htmx posts in place: the token rides in hx-headers on <body>, not in a form field."""
    html = client_for(w, "owner").get("/").text
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


@pytest.mark.parametrize("role", ["planner", "admin"])
def test_get_never_changes_state(w, role):
    """The team reads every page of the site; the administrator every page of the admin."""
    client = client_for(w, role)
    before = digest()
    changed = []
    for key in patterns():
        if key.startswith("admin") != (role == "admin"):
            continue
        path = path_for(key, w)
        # The admin has no htmx fragments; the site's pages do.
        for headers in ({}, {"HTTP_HX_REQUEST": "true"})[: 1 if role == "admin" else 2]:
            client.get(path, **headers)
            if digest() != before:
                changed.append((key, bool(headers)))
                before = digest()
    assert changed == []

"""Pages served from the cache are never stale, and never another person's
(risks/pagecache.py, risks/versions.py)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection

from risks import versions
from risks.models import PLANNING_TEAM as PLANNING_TEAM_NAME
from risks.models import Assessment, DataVersion, PeriodClosed, Register
from risks.pagecache import CSRF_PLACEHOLDER, NAME_PLACEHOLDER
from tests.factories import make_planner
from tests.queries import SIGNED_IN

Q2, Q3 = "2021-22-q2", "2021-22-q3"
CLOSED = f"/registers/corporate/?period={Q2}"
OPEN = f"/registers/corporate/?period={Q3}"
# Served from the cache: the session with the user, and their groups (who they are, in the key)
# with the two versions and the header's unread count. The periods are cached too, under the
# REFERENCE version.
FROM_CACHE = SIGNED_IN
CLOSED_PAGES = [
    CLOSED,
    f"/heatmaps/?register=corporate&period={Q2}",
    f"/registers/corporate/changes/?period={Q2}",
    f"/registers/corporate/compare/?from={Q2}&to={Q2}",
    f"/dashboard/?register=corporate&period={Q2}",
]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def without_tokens(html: str) -> str:
    """The page without its CSRF tokens (masked afresh for every response)."""
    return re.sub(r"[A-Za-z0-9]{64}", "", html)


@pytest.mark.parametrize("url", CLOSED_PAGES)
def test_a_closed_quarters_page_is_served_from_the_cache(
    client, q3, planner, url, django_assert_num_queries
):
    client.force_login(planner)
    first = page(client, url)
    with django_assert_num_queries(FROM_CACHE):
        again = page(client, url)
    assert again.count("<tr") == first.count("<tr") and len(again) == len(first)
    assert CSRF_PLACEHOLDER not in again and NAME_PLACEHOLDER not in again
    assert "signed in as planner" in again


def test_a_write_in_the_open_quarter_changes_its_version_and_not_the_closed_quarters(
    client, q3, planner, draft, django_assert_num_queries
):
    client.force_login(planner)
    page(client, CLOSED)
    page(client, OPEN)
    before = versions.current()
    Assessment.objects.filter(pk=draft.pk).update(title="WRITTEN AFTER THE PAGE WAS KEPT")
    after = versions.current()
    assert after[DataVersion.QUARTER] != before[DataVersion.QUARTER]
    assert after[DataVersion.REFERENCE] == before[DataVersion.REFERENCE]
    assert "WRITTEN AFTER THE PAGE WAS KEPT" in page(client, OPEN)
    # The closed quarter's page was kept through it.
    with django_assert_num_queries(FROM_CACHE):
        page(client, CLOSED)


def test_an_edit_in_a_closed_quarter_is_impossible_so_its_page_cannot_go_stale(
    client, q3, planner, risk1
):
    client.force_login(planner)
    kept = page(client, CLOSED)
    closed = Assessment.objects.get(risk=risk1, period__slug=Q2)
    closed.commentary = "Rewritten history."
    with pytest.raises(PeriodClosed):
        closed.save()
    with pytest.raises(PeriodClosed):
        Assessment.objects.filter(pk=closed.pk).update(commentary="Rewritten history.")
    assert len(page(client, CLOSED)) == len(kept)


def test_a_change_to_what_every_quarter_shows_reaches_closed_pages_at_once(client, q3, planner):
    client.force_login(planner)
    page(client, CLOSED)
    Register.objects.filter(slug="corporate").update(name="Renamed corporate register")
    assert "Renamed corporate register" in page(client, CLOSED)


def test_after_a_write_the_risk_page_is_what_a_fresh_render_gives(client, q3, planner, draft):
    """Whatever path writes (here a bulk update, which no signal sees), the database changes
    the version: the page served is the one rendered afresh."""
    url = f"/risks/{draft.risk_id}/"
    client.force_login(planner)
    kept = page(client, url)
    Assessment.objects.filter(pk=draft.pk).update(likelihood=1, impact=1, trend="improving")
    served = page(client, url)
    cache.clear()
    fresh = page(client, url)
    assert without_tokens(served) == without_tokens(fresh) != without_tokens(kept)


def test_another_person_never_gets_a_page_kept_for_someone_else(
    client, q3, owner, panel, other_owner, draft
):
    """The owner sees their own draft in the open quarter; the Audit Panel and another owner see
    the last approved update instead, from their own entries, with their own name and token."""
    Assessment.objects.filter(pk=draft.pk).update(title="THE OWNERS OWN DRAFT WORDS")
    client.force_login(owner)
    assert "THE OWNERS OWN DRAFT WORDS" in page(client, OPEN)
    for reader in (panel, other_owner):
        client.force_login(reader)
        html = page(client, OPEN)
        assert "THE OWNERS OWN DRAFT WORDS" not in html
        assert f"signed in as {reader.username}" in html
        assert "signed in as owner" not in html
        assert client.cookies["csrftoken"].value  # their own token, set for them
        assert CSRF_PLACEHOLDER not in html


def test_the_team_shares_an_entry_but_each_sees_their_own_name(client, q3, planner):
    colleague = make_planner("colleague")
    client.force_login(planner)
    page(client, CLOSED)
    client.force_login(colleague)
    html = page(client, CLOSED)
    assert "signed in as colleague" in html and "signed in as planner" not in html


def test_a_role_change_is_a_new_entry(client, q3, other_owner, draft):
    from django.contrib.auth.models import Group

    from risks.models import PLANNING_TEAM

    Assessment.objects.filter(pk=draft.pk).update(title="ONLY THE TEAM AND OWNER SEE THIS")
    client.force_login(other_owner)
    assert "ONLY THE TEAM AND OWNER SEE THIS" not in page(client, OPEN)
    other_owner.groups.add(Group.objects.get_or_create(name=PLANNING_TEAM)[0])
    assert "ONLY THE TEAM AND OWNER SEE THIS" in page(client, OPEN)


def test_a_page_with_messages_is_not_kept(client, q3, planner):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.session import SessionStorage

    client.force_login(planner)
    page(client, CLOSED)  # kept, without messages
    storage = SessionStorage(type("Request", (), {"session": {}})())
    storage.add(constants.SUCCESS, "Saved, and shown once.")
    storage.update(type("Response", (), {})())
    session = client.session
    session["_messages"] = storage.request.session["_messages"]
    session.save()
    assert "Saved, and shown once." in page(client, CLOSED)
    assert "Saved, and shown once." not in page(client, CLOSED)


def test_every_table_of_the_service_changes_a_version(db):
    tracked = versions.tracked_tables()
    assert {"risks_assessment", "risks_risk", "risks_register", "risks_reportingperiod",
            "controls_controlupdate", "controls_control", "auth_user_groups",
            "risks_post_holders", "riskreg_report"} <= set(tracked)
    assert "django_session" not in tracked and "axes_accessattempt" not in tracked
    sql = {
        "sqlite": "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'"
                  " AND name LIKE 'rr_version_%'",
        "postgresql": "SELECT event_object_table FROM information_schema.triggers"
                      " WHERE trigger_name LIKE 'rr_version_%'",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        assert {name for (name,) in cursor.fetchall()} == set(tracked)


def test_the_headers_unread_count_is_a_personal_part_from_the_start():
    """Registered by the app's ready(), not by the first template rendered: with Redis a
    worker may serve a page another process rendered before rendering any itself."""
    from riskreg.notify.context_processors import UNREAD_PLACEHOLDER
    from risks import pagecache

    assert UNREAD_PLACEHOLDER in pagecache._PERSONAL_PARTS


def test_a_placeholder_this_process_does_not_know_is_left_out(rf, planner):
    from risks.pagecache import _personal

    request = rf.get("/")
    request.user = planner
    page = _personal(request, (b"<p>", "rr-cached-unknown-000000", b"</p>", NAME_PLACEHOLDER, b"."))
    assert page == b"<p></p>planner."


def test_a_page_is_served_from_the_process_own_memory_before_the_cache(
    client, q3, planner, django_assert_num_queries
):
    """A key's page never changes, so the worker keeps the pages it served in front of the
    shared cache: served the same, with the same queries, though the cache was emptied."""
    client.force_login(planner)
    first = page(client, CLOSED)
    cache.clear()
    with django_assert_num_queries(FROM_CACHE):
        again = page(client, CLOSED)
    assert without_tokens(again) == without_tokens(first)
    assert CSRF_PLACEHOLDER not in again and "signed in as planner" in again


def test_the_process_own_pages_are_bounded_by_their_bytes(monkeypatch):
    from risks import pagecache

    monkeypatch.setattr(pagecache, "LOCAL_BYTES", 1000)
    pagecache.forget_local()
    for i in range(4):  # 240 bytes each
        pagecache._remember(f"k{i}", ((b"x" * 200, b"y" * 40), {}))
    assert all(pagecache._recall(f"k{i}") is not None for i in range(4))
    pagecache._recall("k0")  # the oldest, used again: the next to go is k1
    pagecache._remember("k4", ((b"z" * 240,), {}))
    assert pagecache._recall("k1") is None
    assert all(pagecache._recall(k) is not None for k in ("k0", "k2", "k3", "k4"))
    assert pagecache._local_total == sum(pagecache._local_sizes.values()) == 960
    pagecache._remember("huge", ((b"h" * 300,), {}))  # more than a quarter of the whole
    assert pagecache._recall("huge") is None
    pagecache.forget_local()
    assert pagecache._recall("k0") is None and pagecache._local_total == 0


def test_the_versions_read_with_the_roles_are_the_versions(q3, planner, django_assert_num_queries):
    from risks.models.roles import _groups

    with django_assert_num_queries(1):
        numbers = versions.current(planner)
    assert numbers == versions.current() and set(numbers) == {DataVersion.QUARTER, DataVersion.REFERENCE}
    with django_assert_num_queries(0):
        assert PLANNING_TEAM_NAME in _groups(planner)  # the roles came with them
    Register.objects.filter(slug="corporate").update(name="Renamed")
    with django_assert_num_queries(1):  # roles known: the versions alone, read afresh
        assert versions.current(planner)[DataVersion.REFERENCE] != numbers[DataVersion.REFERENCE]


def test_the_csrf_token_of_a_served_page_is_djangos_own_masking(rf):
    """risks.pagecache.csrf_token draws its mask faster than get_token, to the same effect: the
    request's secret under a fresh mask each time, every character as likely, which Django's
    check unmasks; without a secret, get_token's own (a new secret and its cookie)."""
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token

    from risks.pagecache import csrf_token

    request = rf.get("/")
    first = csrf_token(request)  # no secret yet: get_token makes one
    secret = request.META["CSRF_COOKIE"]
    assert _unmask_cipher_token(first) == secret
    del request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    tokens = {csrf_token(request) for _ in range(2000)}
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert len(tokens) == 2000
    assert all(len(t) == 64 and set(t) <= set(CSRF_ALLOWED_CHARS) for t in tokens)
    assert {_unmask_cipher_token(t) for t in tokens} == {secret}
    # Every character of the alphabet is drawn for the masks (64,000 draws of 62: each about
    # 1,032 times; fewer than 800 would be a bias far beyond chance).
    counts = dict.fromkeys(CSRF_ALLOWED_CHARS, 0)
    for token in tokens:
        for c in token[:32]:
            counts[c] += 1
    assert min(counts.values()) > 800


def test_a_served_pages_csrf_token_passes_the_check(client, q3, planner):
    client.force_login(planner)
    url = "/registers/corporate/"
    client.get(url)
    page = client.get(url).content.decode()  # served from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    checked = type(client)(enforce_csrf_checks=True)
    checked.cookies = client.cookies
    response = checked.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302

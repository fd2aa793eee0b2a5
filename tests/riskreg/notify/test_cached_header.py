"""The page cache keeps one copy of a page for the whole team; each member's header still
counts their own unread notifications, never those of whoever rendered the copy."""

import pytest

from riskreg.notify import services
from tests.factories import make_period, make_planner, make_register, make_risk

pytestmark = pytest.mark.django_db(transaction=False)


def test_each_team_member_sees_their_own_unread_count_on_a_cached_page(
    client, django_capture_on_commit_callbacks
):
    register = make_register("corporate")
    make_risk(register)
    make_period()
    first, second = make_planner("first"), make_planner("second")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user_ids=[first.pk], kind="approved",
                        subject="Risk 1 approved", body="Approved.")
    address = register.get_absolute_url()

    client.force_login(first)
    page = client.get(address).content.decode()
    assert '<strong class="rr-unread-count">1<span class="govuk-visually-hidden"> unread' in page

    client.force_login(second)
    served = client.get(address)
    page = served.content.decode()
    assert "rr-unread-count" not in page and "rr-cached-unread" not in page
    assert ">Notifications</a>" in page

    client.force_login(first)
    assert "rr-unread-count\">1<" in client.get(address).content.decode()

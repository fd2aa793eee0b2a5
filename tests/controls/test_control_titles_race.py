"""Two people adding the same control at the same moment: the database's constraint (unique
per risk, ignoring case) refuses the second, whose author sees a form error, never a 500.

Real requests on two connections need a real transaction, which empties the database when
the test ends: such tests have a module of their own (tests/conftest.py says why).
"""

import threading

import pytest
from django.test import Client
from django.urls import reverse

from controls.models import Control
from riskreg.quarterly import forms as control_forms
from tests.risks.test_locking import _closing, concurrent_connections, in_thread

from .test_control_titles import CLASH, NEW

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_people_adding_the_same_control_at_once(
    tmp_path, q3, risk1, owner, lead, monkeypatch
):
    """Two real requests on two connections; both pass the form's check before either saves."""
    both_checked = threading.Barrier(2)
    check = control_forms.NewControlForm.clean_title

    def clean_title_then_wait(form):
        title = check(form)
        both_checked.wait(10)
        return title

    monkeypatch.setattr(control_forms.NewControlForm, "clean_title", clean_title_then_wait)
    clients = {}
    for user in (owner, lead):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    titles = {"owner": "Late-night patrols", "lead": "LATE-NIGHT PATROLS"}
    responses = {}

    def post(username):
        responses[username] = clients[username].post(
            reverse("quarterly:control-add", args=[risk1.pk]), {**NEW, "title": titles[username]}
        )

    with concurrent_connections(tmp_path):
        threads = [threading.Thread(target=_closing(lambda u=u: post(u))) for u in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(r.status_code for r in responses.values()) == [200, 302]
        loser = next(r for r in responses.values() if r.status_code == 200)
        assert CLASH in loser.text
        stored = in_thread(lambda: list(
            Control.objects.filter(risk=risk1, title__iexact="late-night patrols")
            .values_list("title", flat=True)
        ))
        assert len(stored) == 1

"""risks/access.py, through the pages of the quarterly cycle that use it: who may open which,
as a role × URL matrix.

404 outside a risk's scope (or, for an update, when no period is open), 403 for read-only
access, and the team's pages for the team only. (tests/security/test_access_matrix.py checks
every page of the site for every role.)
"""

import pytest
from django.urls import reverse

from controls.models import Control
from risks.models import Assessment

ROLES = ["anonymous", "outsider", "owner", "lead", "other_owner", "panel", "planner"]

# Pages of one risk's update: its owner and leads (and the team) edit; readers get 403.
EDIT = {"outsider": 404, "owner": 200, "lead": 200, "other_owner": 403, "panel": 403, "planner": 200}
EDIT_POST = EDIT | {"owner": 302, "lead": 302, "planner": 302}
READ = {"outsider": 404, "owner": 200, "lead": 200, "other_owner": 200, "panel": 200, "planner": 200}
TEAM = {"outsider": 403, "owner": 403, "lead": 403, "other_owner": 403, "panel": 403, "planner": 200}
TEAM_POST = TEAM | {"planner": 302}
ANYONE = dict.fromkeys(ROLES[1:], 200)

MATRIX = [
    ("GET", "risks:my-risks", ANYONE),
    ("GET", "risks:risk", READ),
    ("GET", "quarterly:update", EDIT),
    ("GET", "quarterly:update-score", EDIT),
    ("GET", "quarterly:update-progress", EDIT),
    ("GET", "quarterly:update-controls", EDIT),
    ("GET", "quarterly:control-update", EDIT),
    ("GET", "quarterly:control-add", EDIT),
    ("GET", "quarterly:update-check", EDIT),
    ("POST", "quarterly:controls-unchanged", EDIT_POST),
    ("GET", "quarterly:review", TEAM),
    ("GET", "quarterly:review-detail", TEAM),
    ("GET", "quarterly:review-return", TEAM),
    ("POST", "quarterly:review-approve", TEAM_POST),
    ("GET", "quarterly:periods", TEAM),
    ("GET", "quarterly:period-open", TEAM),
    ("GET", "quarterly:period-close", TEAM),
]


def _args(name, risk, assessment, control, period):
    if name in ("risks:risk", "quarterly:update", "quarterly:update-score", "quarterly:update-progress",
                "quarterly:update-controls", "quarterly:control-add", "quarterly:update-check",
                "quarterly:controls-unchanged"):
        return [risk.pk]
    if name == "quarterly:control-update":
        return [risk.pk, control.pk]
    if name in ("quarterly:review-detail", "quarterly:review-return", "quarterly:review-approve"):
        return [assessment.pk]
    if name == "quarterly:period-close":
        return [period.slug]
    return []


@pytest.fixture
def people(owner, lead, other_owner, panel, planner, outsider):
    return {"owner": owner, "lead": lead, "other_owner": other_owner, "panel": panel,
            "planner": planner, "outsider": outsider}


@pytest.mark.parametrize(("method", "name", "expected"), MATRIX, ids=[m[1] for m in MATRIX])
def test_role_url_matrix(client, q3, risk1, people, method, name, expected):
    """Each row of the matrix is one URL; the whole row is compared at once."""
    assessment = Assessment.objects.get(risk=risk1, period=q3)
    control = Control.objects.filter(risk=risk1).first()
    path = reverse(name, args=_args(name, risk1, assessment, control, q3))
    got = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        before = list(Assessment.objects.order_by("pk").values_list("state", "version"))
        response = getattr(client, method.lower())(path, {"version": assessment.version})
        got[role] = response.status_code
        if role == "anonymous":
            assert response["Location"].startswith(reverse("login"))
        if method == "POST" and got[role] != 302:
            # A refused POST changes nothing.
            assert list(Assessment.objects.order_by("pk").values_list("state", "version")) == before
    assert got == {"anonymous": 302} | expected, path


@pytest.mark.parametrize("role", ["owner", "lead", "planner"])
def test_update_pages_are_404_when_no_period_is_open(client, seed, risk1, people, role):
    client.force_login(people[role])
    assert client.get(reverse("quarterly:update", args=[risk1.pk])).status_code == 404
    assert client.get(reverse("quarterly:update-score", args=[risk1.pk])).status_code == 404


def test_the_lead_of_one_risk_cannot_update_another_risk_they_only_read(client, q3, lead):
    from risks.models import Risk

    risk2 = Risk.objects.get(register__slug="corporate", ref=2)
    client.force_login(lead)
    assert client.get(reverse("risks:risk", args=[risk2.pk])).status_code == 200
    assert client.get(reverse("quarterly:update", args=[risk2.pk])).status_code == 403


def test_an_owner_cannot_approve_or_return(client, q3, risk1, owner):
    assessment = Assessment.objects.get(risk=risk1, period=q3)
    Assessment.objects.filter(pk=assessment.pk).update(state="submitted")
    client.force_login(owner)
    version = assessment.version
    assert client.post(reverse("quarterly:review-approve", args=[assessment.pk]),
                       {"version": version}).status_code == 403
    assert client.post(reverse("quarterly:review-return", args=[assessment.pk]),
                       {"version": version, "comment": "x"}).status_code == 403
    assessment.refresh_from_db()
    assert assessment.state == "submitted" and assessment.reviewed_by is None

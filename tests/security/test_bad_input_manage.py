"""Bad input to every form that keeps the register (/manage/, issue 16): Hypothesis examples
each (new ones every run, and the boundary values), posted by the team. None may cause a
server error; a submission that does not redirect writes nothing."""

from django.urls import reverse

from maturity.manage import unit_digest
from maturity.models import Unit
from risks.manage import post_digest, risk_digest
from risks.models import Pillar, Post, Register, Risk

from .badinput import check_form
from .conftest import client_for

TEXT = ["Knife crime fell.", "", "  ", "Line one\r\nLine two"]


def _risk_fields(w) -> dict:
    posts = list(Post.objects.order_by("pk").values_list("pk", flat=True)[:3])
    pillars = list(Pillar.objects.order_by("pk").values_list("pk", flat=True)[:2])
    return {
        "ref": [12, 1, 2, 0], "title": ["FRAUD", "  ", "x" * 201], "description": TEXT,
        "description_agreed": ["yes", "no", "maybe"], "horizon": ["short", "long", "never"],
        "owner": [posts[0], posts[1], 0], "target_likelihood": [2, "", 4, 5],
        "target_impact": [3, "", 1, 5], "pillars": [pillars, [pillars[0]], [], None],
        "lead_0": [posts[1], "", posts[0]], "lead_1": ["", posts[2], posts[1]],
        "lead_2": ["", posts[2]],
    }


def test_risk_forms(w):
    client = client_for(w, "planner")
    risk1 = Risk.objects.get(pk=w.risk1)
    report = check_form(client, reverse("manage:risk-new"),
                        {"register": [risk1.register_id, 0], **_risk_fields(w)})
    assert 302 in report.statuses
    report = check_form(client, reverse("manage:risk-edit", args=[w.risk1]),
                        {**_risk_fields(w), "ref": [1, 2, 12], "was": [risk_digest(risk1), "", "x"]})
    assert 302 in report.statuses
    report = check_form(client, reverse("manage:risk-retire", args=[w.risk1]),
                        {"was": [risk_digest(risk1), "", "stale"]})
    assert 302 in report.statuses


def test_post_forms(w):
    client = client_for(w, "planner")
    post = Post.objects.get(name="AC Frontline Policing")
    people = [w.users["owner"].pk, w.users["lead"].pk]
    report = check_form(client, reverse("manage:post-edit", args=[post.pk]), {
        "name": ["AC Frontline", "Director of HR", "", "x" * 201],
        "holders": [people, [people[0]], [], None], "was": [post_digest(post), "", "stale"],
    })
    assert 302 in report.statuses
    report = check_form(client, reverse("manage:post-delete", args=[post.pk]), {})
    assert 302 not in report.statuses


def test_pillar_and_register_forms(w):
    client = client_for(w, "planner")
    report = check_form(client, reverse("manage:pillar-new"), {
        "name": ["Value for money", Pillar.objects.first().name, ""], "order": [1, -1, "x"],
    })
    assert 302 in report.statuses
    corporate = Risk.objects.get(pk=w.risk1).register_id
    report = check_form(client, reverse("manage:register-new"), {
        "name": ["South BCU", ""], "slug": ["south-bcu", "corporate", "South BCU"],
        "parent": [corporate, "", 0], "description": TEXT,
        "kind": ["unit", "", "county"], "escalate_at_score": ["", 12, 17, "x"],
    })
    assert 302 in report.statuses
    north = Register.objects.get(slug=w.other_register)
    report = check_form(client, reverse("manage:register-edit", args=[north.pk]), {
        "name": ["North BCU", ""], "parent": [corporate, "", north.pk], "description": TEXT,
        "kind": ["unit", "board", "nothing"], "owner_post": ["", 0],
    })
    assert 302 in report.statuses


def test_unit_form(w):
    client = client_for(w, "planner")
    unit = Unit.objects.get(pk=w.unit)
    report = check_form(client, reverse("manage:unit-edit", args=[unit.pk]), {
        "name": [unit.name, "East BCU", ""], "business_group": [unit.business_group_id, "", 0],
        "new_business_group": [None, "", "Met Operations"], "commander": [unit.commander_id, ""],
        "is_active": ["yes", "no", "maybe"], "was": [unit_digest(unit), ""],
    })
    assert 302 in report.statuses

"""Bad input to every form that keeps the register (/manage/, issue 16): Hypothesis examples
each (new ones every run, and the boundary values), posted by the team. None may cause a
server error; a submission that does not redirect writes nothing."""

from django.urls import reverse

from maturity.manage import unit_digest
from maturity.models import Unit
from risks.appetite import register_appetite_digest
from risks.indicators import indicator_digest
from risks.manage import post_digest, risk_digest
from risks.models import AppetiteLevel, AppetiteTheme, Indicator, Pillar, Post, Register, Risk

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


def test_indicator_and_thematic_appetite_forms(w):
    client = client_for(w, "planner")
    knife = Indicator.objects.get(risk=w.risk1)
    fields = {
        "name": ["Stabbings", knife.name, "", "x" * 201], "unit": ["offences", "", "x" * 51],
        "direction": ["higher_worse", "lower_worse", "sideways"],
        "green_limit": ["100", "120", "", "1.234", "١٢", "NaN"],
        "amber_limit": ["120", "100", "", "9" * 40], "source": ["CRIS", ""],
        "owner": ["", Post.objects.order_by("pk").first().pk, 0],
        "order": [0, -1, "x"], "is_active": ["on", ""],
    }
    report = check_form(client, reverse("manage:indicator-new", args=[w.risk1]), fields)
    assert 302 in report.statuses
    report = check_form(client, reverse("manage:indicator-edit", args=[knife.pk]), {
        **fields, "name": [knife.name, "Renamed", ""],
        "was": [indicator_digest(knife), "", "stale"]})
    assert 302 in report.statuses
    north = Register.objects.get(slug=w.other_register)
    theme = AppetiteTheme.objects.get(name="Operational")
    report = check_form(client, reverse("manage:register-appetite", args=[north.pk]), {
        f"theme_{theme.pk}": [AppetiteLevel.objects.get(name="Cautious").pk, "", 0],
        "was": [register_appetite_digest(north), "", "stale"]})
    assert 302 in report.statuses

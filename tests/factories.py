"""Plain make_* helpers: each makes one valid row, with keyword overrides; and the constants
several test packages share."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from controls.models import Control, ControlUpdate
from risks.models import (
    AUDIT_PANEL,
    PLANNING_TEAM,
    Assessment,
    Pillar,
    Post,
    Register,
    ReportingPeriod,
    Risk,
    RiskLead,
)

# Every test user's password. Hashing it is cheap in tests: see fast_password_hashing in
# tests/conftest.py.
PASSWORD = "a-long-test-password-1"

# The quarter after the October 2021 seed, as the team opens it (risks.services.open_period).
Q3 = {
    "name": "2021/22 Q3",
    "slug": "2021-22-q3",
    "start": datetime.date(2021, 10, 1),
    "end": datetime.date(2021, 12, 31),
    "deadline": datetime.date(2021, 12, 3),
}

_seq = itertools.count(1)


def period_form(values: dict) -> dict:
    """The open-a-period form's POST data for these values: the name, and each date as
    GOV.UK's day, month and year boxes (a value that is not a date goes in whole as the day).
    The short name (slug) is not asked: it comes from the name."""
    data = {"name": values.get("name", "")}
    for field in ("start", "end", "deadline"):
        value = values.get(field, "")
        if isinstance(value, datetime.date):
            value = value.isoformat()
        year, month, day = value.split("-") if value.count("-") == 2 else ("", "", value)
        data |= {f"{field}_day": day, f"{field}_month": month, f"{field}_year": year}
    return data


def make_user(username=None, *, posts=(), groups=(), **fields):
    username = username or f"user{next(_seq)}"
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, **fields
    )
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    for post in posts:
        post.holders.add(user)
    return user


def make_planner(username="planner", **fields):
    return make_user(username, groups=[PLANNING_TEAM], **fields)


def make_panel(username="panel", **fields):
    return make_user(username, groups=[AUDIT_PANEL], **fields)


def make_post(name=None):
    return Post.objects.create(name=name or f"Post {next(_seq)}")


def make_register(slug=None, **fields):
    slug = slug or f"register-{next(_seq)}"
    return Register.objects.create(name=fields.pop("name", slug.title()), slug=slug, **fields)


def make_period(slug=None, *, start=None, state="open", **fields):
    n = next(_seq)
    start = start or datetime.date(2000 + n, 1, 1)
    slug = slug or f"period-{n}"
    period = ReportingPeriod.objects.create(
        name=fields.pop("name", slug),
        slug=slug,
        start=start,
        end=fields.pop("end", start + datetime.timedelta(days=89)),  # a quarter, its last day inclusive
        deadline=fields.pop("deadline", start + datetime.timedelta(days=60)),
        **fields,
    )
    if state == "closed":
        ReportingPeriod.objects.filter(pk=period.pk).update(state="closed", closed_at=timezone.now())
        period.refresh_from_db()
    return period


def make_risk(register=None, *, owner=None, ref=None, leads=(), **fields):
    register = register or make_register()
    owner = owner or make_post()
    ref = ref or (Risk.objects.filter(register=register).count() + 1)
    fields.setdefault("title", f"RISK {ref}")
    fields.setdefault("horizon", "short")
    fields.setdefault("target_likelihood", 1)
    fields.setdefault("target_impact", 2)
    risk = Risk.objects.create(register=register, owner=owner, ref=ref, **fields)
    for order, post in enumerate(leads):
        risk.risklead_set.create(post=post, order=order)
    return risk


def make_assessment(risk=None, period=None, **fields):
    fields.setdefault("likelihood", 2)
    fields.setdefault("impact", 3)
    fields.setdefault("trend", "stable")
    fields.setdefault("progress", "on_track")
    if fields.get("state") == "approved":
        fields.setdefault("reviewed_at", timezone.now())
    return Assessment.objects.create(
        risk=risk or make_risk(), period=period or make_period(), **fields
    )


def make_control(risk=None, **fields):
    fields.setdefault("title", f"Control {next(_seq)}")
    return Control.objects.create(risk=risk or make_risk(), **fields)


def make_control_update(control=None, period=None, **fields):
    fields.setdefault("status", "in_progress")
    return ControlUpdate.objects.create(
        control=control or make_control(), period=period or make_period(), **fields
    )


# Many rows at once, for the tests that count a page's queries ---------------------------------

# The states of the current quarter's updates that make_risks_of_one_person gives, in turn.
UPDATE_STATES = ["draft", "submitted", "returned", "approved"]


def make_risks_of_one_person(n: int):
    """n risks, half owned and half led by one person, with an approved quarter behind them."""
    register = make_register("corporate")
    owner_post, lead_post = make_post("Owner post"), make_post("Lead post")
    person = make_user("person", posts=[owner_post, lead_post])
    last = make_period("last", start=timezone.now().date().replace(month=1, day=1))
    risks = []
    for i in range(n):
        owned = i % 2 == 0
        risk = make_risk(register, owner=owner_post if owned else make_post(), ref=i + 1,
                         leads=() if owned else [lead_post])
        risks.append(risk)
        make_assessment(risk, last, state="approved", likelihood=2, impact=3)
    ReportingPeriod.objects.filter(pk=last.pk).update(state="closed", closed_at=timezone.now())
    now = make_period("now", start=last.end.replace(day=1).replace(month=(last.end.month % 12) + 1))
    for i, risk in enumerate(risks[:-1]):  # the last risk has not started its update
        state = UPDATE_STATES[i % 4]
        make_assessment(
            risk, now, state=state, likelihood=3, impact=3, reasons="Because.",
            progress="limited", review_comment="Fix it." if state == "returned" else "",
            submitted_by=person if state != "draft" else None, updated_by=person,
        )
    return person


def make_big_register(n: int):
    """A register of n risks with leads, pillars, controls and two quarters of history,
    written with bulk_create so that building 500 stays quick."""
    register = make_register("big")
    posts = Post.objects.bulk_create([Post(name=f"Post {i}") for i in range(8)])
    pillars = Pillar.objects.bulk_create([Pillar(name=f"Pillar {i}", order=i) for i in range(4)])
    # Q1 is filled while open, then closed (closed periods refuse writes); Q2 stays open.
    before = make_period("q1", name="Q1", start=datetime.date(2030, 1, 1))
    positions = list(itertools.product(range(1, 5), range(1, 5)))
    risks = Risk.objects.bulk_create(
        Risk(
            register=register, ref=i + 1, title=f"RISK {i + 1}", description="A description",
            horizon="short" if i % 3 == 0 else "long", owner=posts[i % 8],
            target_likelihood=1, target_impact=1 + i % 2,
        )
        for i in range(n)
    )
    RiskLead.objects.bulk_create(
        RiskLead(risk=r, post=posts[(i + k) % 8], order=k)
        for i, r in enumerate(risks) for k in range(2)
    )
    Risk.pillars.through.objects.bulk_create(
        Risk.pillars.through(risk=r, pillar=pillars[i % 4]) for i, r in enumerate(risks)
    )
    controls = Control.objects.bulk_create(Control(risk=r, title="Control") for r in risks)
    stamp = timezone.now()

    def fill(period, shift, status):
        Assessment.objects.bulk_create(
            Assessment(
                risk=r, period=period, likelihood=positions[(i + shift) % 16][0],
                impact=positions[(i + shift) % 16][1],
                trend=["improving", "stable", "worsening"][i % 3],
                progress=["on_track", "limited", "slipped"][i % 3], reasons="Why",
                commentary=f"Commentary {shift}", state="approved", reviewed_at=stamp,
            )
            for i, r in enumerate(risks)
        )
        Assessment.objects.filter(period=period).record_definitions()
        ControlUpdate.objects.bulk_create(
            ControlUpdate(
                control=c, period=period, status=status, risk_id=c.risk_id, title=c.title
            )
            for c in controls
        )

    fill(before, 0, "in_progress")
    ReportingPeriod.objects.filter(pk=before.pk).update(state="closed", closed_at=stamp)
    after = make_period("q2", name="Q2", start=datetime.date(2030, 4, 1))
    fill(after, 1, "complete")
    return register, before, after

"""One world for the security tests, built once per module and rolled back after it.

The October 2021 seed (2021/22 Q2 closed) with 2021/22 Q3 opened by the team, the published
October 2021 report and a draft Q3 report, a second register none of the signed-in roles
(but the team, the panel and the administrator) can see, a unit commanded by the risk
owner's post, and one user per role. Every test runs inside its own savepoint on top of it
(pytest-django's `db`), so the world costs its build once per module, not once per test.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from controls.models import Control
from maturity.models import (
    BusinessGroup,
    Dimension,
    PlanAction,
    PlanItem,
    PlanItemUpdate,
    Unit,
    current_assessment_year,
)
from maturity.services import record_self_assessment
from riskreg.models import SignInCount
from riskreg.report.models import Report
from riskreg.report.services import create_report
from risks.escalations import propose_escalation
from risks.models import (
    AUDIT_PANEL,
    PLANNING_TEAM,
    AppetiteLevel,
    AppetiteTheme,
    Assessment,
    Indicator,
    Opportunity,
    OpportunityAction,
    OpportunityAssessment,
    Post,
    ReportingPeriod,
    Risk,
    RiskShare,
)
from risks.services import open_period, start_assessment
from tests.factories import PASSWORD, Q3, make_control, make_register, make_risk

ROLES = ("anonymous", "owner", "other_owner", "lead", "planner", "panel", "admin", "inactive")
# The tables whose rows are the application's state: a refused request must leave all of
# them as they were, and no GET may change any of them.
STATE_APPS = ("risks", "controls", "maturity", "riskreg", "notify")


@dataclass
class World:
    users: dict[str, object]
    risk1: int  # VIOLENT CRIME: owned by the owner's post, led by the lead's post
    risk2: int  # NEW SYSTEMS: its Q3 update is submitted, waiting for review
    assessment1: int  # risk 1's Q3 draft
    assessment2: int  # risk 2's Q3 update (submitted)
    closed_assessment1: int  # risk 1's Q2 (closed) update
    control1: int  # a control of risk 1
    q2: str
    q3: str
    published_report: int  # October 2021 (2021/22 Q2), published
    draft_report: int  # 2021/22 Q3, a draft
    item9: int  # maturity item 9: AC Professionalism (the other owner's post) owns it
    action9: int
    unit: int  # commanded by AC Frontline Policing (the owner's post)
    year: int  # the self-assessment year open now
    # A second register that only the team, the panel and the administrator can see.
    other_register: str
    other_risk: int
    other_control: int
    other_assessment: int
    admin_objects: dict[str, object] = field(default_factory=dict)
    # Board summaries (issue 17): the Risk and Assurance Board ("rab") oversees the corporate
    # register; its secretariat's post is held by `secretary` (users, not one of ROLES:
    # test_access_matrix.SECRETARY is its column). A published Q2 summary, a draft Q3 one.
    published_summary: int = 0
    draft_summary: int = 0
    opportunity1: int = 0  # MOBILE DATA: owned by the owner's post, led by the lead's post
    opp_assessment1: int = 0  # its Q3 draft
    opp_assessment2: int = 0  # SHARED CONTROL ROOM's Q3 update (submitted)
    # The other register's risk, proposed for escalation to the corporate register (issue
    # 17): only the team, the panel and the administrator see it; the team decides it.
    escalation: int = 0


def _user(username, *, posts=(), groups=(), **fields):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    for name in posts:
        Post.objects.get(name=name).holders.add(user)
    return user


def build_world() -> World:
    call_command("loaddata", "corporate_2021_10", "report_2021_10", verbosity=0)
    users = {
        "owner": _user("owner", posts=["AC Frontline Policing"]),
        "other_owner": _user("other_owner", posts=["AC Professionalism"]),
        "lead": _user("lead", posts=["Head of Profession – CP, Inclusion & Engagement"]),
        "planner": _user("planner", groups=[PLANNING_TEAM]),
        "panel": _user("panel", groups=[AUDIT_PANEL]),
        "admin": _user("admin", is_superuser=True, is_staff=True),
        # Holds the owner's post and the team's group: a deactivated account gets nothing.
        "inactive": _user("inactive", posts=["AC Frontline Policing"], groups=[PLANNING_TEAM],
                          is_active=False),
    }
    planner = users["planner"]
    corporate = Risk.objects.get(register__slug="corporate", ref=1).register
    risk1 = Risk.objects.get(register=corporate, ref=1)
    risk2 = Risk.objects.get(register=corporate, ref=2)
    q2 = ReportingPeriod.objects.get(slug="2021-22-q2")

    # A second register, outside the owner's, the other owner's and the lead's scope.
    other_register = make_register("north-bcu", name="North BCU", parent=corporate, kind="unit")
    other_risk = make_risk(other_register, owner=Post.objects.create(name="BCU Commander North"),
                           ref=1, title="STREET ROBBERY")
    other_control = make_control(other_risk, title="Hotspot patrols")

    # Opportunities of the corporate register (issue 18): the first owned by the owner's post
    # and led by the lead's, the second another post's, submitted for review in Q3.
    opportunity1 = Opportunity.objects.create(
        register=corporate, ref=1, title="MOBILE DATA", owner=Post.objects.get(name="AC Frontline Policing"),
        target_likelihood=3, target_benefit=4,
    )
    opportunity1.opportunitylead_set.create(
        post=Post.objects.get(name="Head of Profession – CP, Inclusion & Engagement"))
    OpportunityAction.objects.create(opportunity=opportunity1, title="Roll out devices",
                                     owner=Post.objects.get(name="AC Frontline Policing"))
    opportunity2 = Opportunity.objects.create(
        register=corporate, ref=2, title="SHARED CONTROL ROOM",
        owner=Post.objects.get(name="Chief of Corporate Services"),
    )

    q3 = open_period(**Q3, by=planner)
    opp_assessment2 = OpportunityAssessment.objects.get(opportunity=opportunity2, period=q3)
    OpportunityAssessment.objects.filter(pk=opp_assessment2.pk).update(
        likelihood=2, benefit=3, trend="stable", progress="on_track", commentary="Drafted.",
        state="submitted", submitted_at=timezone.now(), submitted_by=users["admin"],
    )
    other_assessment = start_assessment(risk=other_risk, period=q3, by=planner)
    assessment2 = Assessment.objects.get(risk=risk2, period=q3)
    Assessment.objects.filter(pk=assessment2.pk).update(
        state=Assessment.State.SUBMITTED, submitted_at=timezone.now(), submitted_by=users["admin"]
    )
    published = Report.objects.get(pk=1)
    draft = create_report(register=corporate, period=q3,
                          meeting_date=datetime.date(2022, 1, 24), by=planner)

    item9 = PlanItem.objects.get(ref=9)
    unit = Unit.objects.create(
        name="Central West BCU",
        business_group=BusinessGroup.objects.create(name="Frontline Policing", abbreviation="FLP"),
        commander=Post.objects.get(name="AC Frontline Policing"),
    )
    PlanItemUpdate.objects.create(item=item9, date=datetime.date(2021, 9, 1),
                                  text="Lessons log started.", author=users["other_owner"])
    # The year open for self-assessments comes from the data (the open quarter's), not the clock.
    year = current_assessment_year()
    record_self_assessment(unit=unit, year=year - 1,
                           levels={d.pk: 3 for d in Dimension.objects.all()}, by=planner)
    # An appetite level and theme, so that their pages have a row to open.
    cautious = AppetiteLevel.objects.create(name="Cautious", max_score=6, order=3)
    AppetiteTheme.objects.create(name="Operational", level=cautious)
    # A key risk indicator of risk 1, so that its pages and the update's task have a row.
    Indicator.objects.create(risk=risk1, name="Knife crime offences", unit="offences",
                             direction="higher_worse", green_limit=100, amber_limit=120)
    # One row of each axes table, so that each admin page has an object to show.
    AccessAttempt.objects.create(username="someone", ip_address="10.0.0.1", failures_since_start=1)
    AccessLog.objects.create(username="someone", ip_address="10.0.0.1")
    AccessFailureLog.objects.create(username="someone", ip_address="10.0.0.1")

    world = World(
        users=users,
        risk1=risk1.pk,
        risk2=risk2.pk,
        assessment1=Assessment.objects.get(risk=risk1, period=q3).pk,
        assessment2=assessment2.pk,
        closed_assessment1=Assessment.objects.get(risk=risk1, period=q2).pk,
        control1=Control.objects.filter(risk=risk1).order_by("pk").first().pk,
        q2=q2.slug,
        q3=q3.slug,
        published_report=published.pk,
        draft_report=draft.pk,
        item9=item9.pk,
        action9=PlanAction.objects.filter(item=item9).order_by("pk").first().pk,
        unit=unit.pk,
        year=year,
        other_register=other_register.slug,
        other_risk=other_risk.pk,
        other_control=other_control.pk,
        other_assessment=other_assessment.pk,
        opportunity1=opportunity1.pk,
        opp_assessment1=OpportunityAssessment.objects.get(opportunity=opportunity1, period=q3).pk,
        opp_assessment2=opp_assessment2.pk,
    )
    world.published_summary, world.draft_summary = _board_summaries(users, corporate, q2, q3)
    # A board's register beside the hierarchy, so that risk 1 has somewhere to go (issue 17).
    make_register("rab", name="Risk and Assurance Board", kind="board")
    world.escalation = propose_escalation(
        risk=other_risk, to_register=corporate, direction="up", reason="Rising across London.",
        by=planner,
    ).pk
    # Risk 1 shared with the other register, whose commentary only the team may write here.
    RiskShare.objects.create(risk=risk1, register=other_register, shared_by=planner,
                             shared_at=timezone.now())
    world.admin_objects = admin_objects(world)
    return world


def _board_summaries(users, corporate, q2, q3) -> tuple[int, int]:
    from riskreg.boards.services import create_summary, publish_summary
    from risks.models import Board

    secretariat = Post.objects.create(name="RAB secretariat")
    users["secretary"] = _user("secretary", posts=[secretariat.name])
    board = Board.objects.create(name="Risk and Assurance Board", slug="rab", min_score=8)
    board.registers.add(corporate)
    board.secretariat.add(secretariat)
    planner = users["planner"]
    published = create_summary(board=board, period=q2, meeting_date=datetime.date(2021, 11, 15),
                               protective_marking="OFFICIAL-SENSITIVE", by=planner)
    publish_summary(summary=published, version=published.version, by=planner)
    draft = create_summary(board=board, period=q3, meeting_date=datetime.date(2022, 2, 14),
                           protective_marking="OFFICIAL", by=planner)
    return published.pk, draft.pk


def admin_objects(world: World) -> dict[str, object]:
    """The object each admin model's object pages open: a frozen one where the model has them."""
    from django.contrib import admin

    frozen = {
        "risks.reportingperiod": ReportingPeriod.objects.get(slug=world.q2),
        "risks.assessment": Assessment.objects.get(pk=world.closed_assessment1),
        "controls.controlupdate": Control.objects.get(pk=world.control1)
        .updates.get(period__slug=world.q2),
        "riskreg.report": Report.objects.get(pk=world.published_report),
        "auth.user": world.users["owner"],
    }
    objects = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        obj = frozen.get(label) or model._default_manager.order_by("pk").first()
        history = getattr(model, "history", None)
        if history is not None and not history.filter(id=obj.pk).exists():
            # Rows that loaddata wrote have no history yet: record one, so that the admin's
            # page of one version has a version to show.
            history.bulk_history_create([obj], default_change_reason="As loaded")
        objects[label] = obj
    return objects


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per test module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def w(world, db):
    """The world, inside this test's savepoint: whatever the test writes is rolled back."""
    return world


# Clients ------------------------------------------------------------------------------------

CSRF_SECRET = "s" * 16 + "ecuritytestsecre"  # 32 characters from the allowed alphabet


def client_for(world: World, role: str, *, csrf: bool = True) -> Client:
    """A client signed in as `role` that enforces CSRF; .post() sends a valid token if `csrf`."""
    client = RoleClient(enforce_csrf_checks=True, send_token=csrf)
    if role != "anonymous":
        client.force_login(world.users[role], backend="riskreg.signin.PasswordBackend")
    return client


class RoleClient(Client):
    def __init__(self, *args, send_token: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.send_token = send_token
        self.cookies["csrftoken"] = CSRF_SECRET

    def generic(self, method, path, *args, **extra):
        # Signing in rotates the token (and the cookie); every request of these clients sends
        # the one secret, so that a sign-in does not turn the next requests into CSRF failures.
        self.cookies["csrftoken"] = CSRF_SECRET
        if self.send_token and method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            extra.setdefault("HTTP_X_CSRFTOKEN", CSRF_SECRET)
        return super().generic(method, path, *args, **extra)


# State ----------------------------------------------------------------------------------------


def state_models():
    for label in STATE_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            # Sign-in attempts are counted before the form runs, like axes' records of them:
            # bookkeeping of who tried, not the application's state.
            if model is not SignInCount:
                yield model
    yield Group
    yield Group.permissions.through
    yield get_user_model().groups.through
    yield LogEntry


def digest() -> str:
    """A hash of every row of every application table (and of users, without last_login)."""
    h = hashlib.sha256()
    with connection.cursor() as cursor:
        for model in state_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - our table names
            h.update(table.encode() + repr(cursor.fetchall()).encode())
        columns = ", ".join(
            connection.ops.quote_name(f.column)
            for f in get_user_model()._meta.concrete_fields if f.attname != "last_login"
        )
        table = connection.ops.quote_name(get_user_model()._meta.db_table)
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY 1")  # noqa: S608
        h.update(repr(cursor.fetchall()).encode())
    return h.hexdigest()


def rows_by_table() -> dict[str, int]:
    """How many rows each state table holds: to say where a digest changed."""
    return {m._meta.db_table: m._base_manager.count() for m in state_models()}


class rolled_back:
    """Run a block in a savepoint that is always rolled back (and say what it changed)."""

    def __enter__(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        return self

    def __exit__(self, *exc):
        transaction.set_rollback(True)
        self.atomic.__exit__(*exc)
        return False


def admin_form_data(obj, user) -> dict:
    """The admin form of `obj` as its page would post it, with every field of the model admin.

    The add form's fields: simple_history's version ("revert") form has all of them, even
    where the change form of a frozen object has none.
    """
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    form = admin.site._registry[type(obj)].get_form(request, obj)(instance=obj)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data

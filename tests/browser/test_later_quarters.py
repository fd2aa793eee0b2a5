"""A second and a third quarter after the seed, in Chromium, with admin edits between them (issue
13's "done when"): every closed quarter's pages stay exactly as approved, and the Audit Panel
never sees a draft.

The people whose work is the point act in the browser: the team opens and closes the quarters
and approves, the owner of risk 1 writes a draft and submits it, an administrator renames a risk,
its target, its owner's post and a control in the Django admin, and the Panel reads every page
of every quarter. The updates of the other ten risks go through the services, as the team would
push them through in bulk (tests/riskreg/quarterly/test_second_quarter.py).
"""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from controls.models import Control
from risks.models import PLANNING_TEAM, Assessment, Post, ReportingPeriod, Risk
from tests.factories import make_panel, make_user
from tests.riskreg.quarterly.test_second_quarter import approve_all, the_team_submits_the_rest

from .conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUARTERS = [
    ("2021/22 Q3", "2021-22-q3", datetime.date(2021, 10, 1), datetime.date(2021, 12, 31),
     datetime.date(2021, 12, 3)),
    ("2021/22 Q4", "2021-22-q4", datetime.date(2022, 1, 1), datetime.date(2022, 3, 31),
     datetime.date(2022, 3, 4)),
]
MARKER = "Q-DRAFT-MARKER-7731"


@pytest.fixture
def people():
    call_command("loaddata", "corporate_2021_10", "report_2021_10", verbosity=0)
    return {
        "owner": make_user("owner", posts=[Post.objects.get(name="AC Frontline Policing")]),
        "planner": make_user("planner", groups=[PLANNING_TEAM]),
        "checker": make_user("checker", groups=[PLANNING_TEAM]),
        "panel": make_panel(),
        "admin": make_user("admin", is_staff=True, is_superuser=True),
    }


def pages_of(slug: str) -> list[str]:
    """A quarter's own pages. The risk page is the risk as it stands, with a row per quarter."""
    return [
        f"/registers/corporate/?period={slug}",
        f"/heatmaps/?period={slug}",
        f"/registers/corporate/changes/?period={slug}",
    ]


def what_the_panel_reads(page, slug: str) -> dict[str, str]:
    """Each page's headings, tables and summary lists as the Panel sees them; the period picker
    and the navigation are left out, since they list the quarters opened since."""
    seen = {}
    for address in pages_of(slug):
        response = page.goto(address)
        assert response.status == 200, address
        seen[address] = "\n".join(
            page.locator("main table, main .govuk-summary-list, main h1").evaluate_all(
                "nodes => nodes.map(n => n.outerHTML)"
            )
        )
        assert seen[address], address
    return seen


def open_quarter(team, name, slug, start, end, deadline):
    team.goto("/periods/")
    team.click("text=Open the next period")
    team.fill("#id_name", name)
    for field, day in (("start", start), ("end", end), ("deadline", deadline)):
        team.fill(f"#id_{field}", str(day.day))
        team.fill(f"#id_{field}_month", str(day.month))
        team.fill(f"#id_{field}_year", str(day.year))
    team.click("button:has-text('Open the period')")
    expect(team.locator(".govuk-notification-banner").first).to_contain_text(f"{name} is open")


def owner_drafts_and_submits(owner, panel, risk_pk, slug, quarter_name):
    marker = f"{MARKER}-{slug}"
    owner.goto(f"/risks/{risk_pk}/update/progress/")
    owner.check("#id_trend_1")  # Stable (the first radio is #id_trend)
    owner.check("#id_progress")  # On track
    owner.fill("#id_commentary", f"{quarter_name}: {marker} patrols in 40 open spaces.")
    owner.click("button:has-text('Save and continue')")
    expect(owner.locator("h1")).to_have_text("Controls")
    # A draft: the Panel reads the open quarter's pages and the risk page, and never sees it.
    for address in [*pages_of(slug), f"/risks/{risk_pk}/"]:
        panel.goto(address)
        assert marker not in panel.content(), address
    owner.goto(f"/risks/{risk_pk}/update/")
    owner.click("text=Current score")
    owner.click("button:has-text('No change this quarter')")
    owner.goto(f"/risks/{risk_pk}/update/controls/")
    owner.click("button:has-text('Keep last quarter')")
    owner.goto(f"/risks/{risk_pk}/update/check/")
    owner.click("button:has-text('Submit for review')")
    expect(owner.locator(".govuk-notification-banner").first).to_contain_text("is submitted")


def admin_edits(admin, risk: Risk, control: Control, post: Post, round_: int):
    admin.goto(f"/admin/risks/risk/{risk.pk}/change/")
    admin.fill("#id_title", f"VIOLENT CRIME (RENAMED {round_})")
    admin.select_option("#id_target_likelihood", str(1 + round_ % 2))
    admin.click("input[name='_save']")
    expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")
    admin.goto(f"/admin/risks/post/{post.pk}/change/")
    admin.fill("#id_name", f"AC Frontline Policing (renamed {round_})")
    admin.click("input[name='_save']")
    expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")
    admin.goto(f"/admin/controls/control/{control.pk}/change/")
    admin.fill("#id_title", f"{control.title} (renamed {round_})")
    admin.click("input[name='_save']")
    expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")


def test_two_more_quarters_with_admin_edits_leave_every_closed_quarter_as_approved(
    chromium, live_server, people
):
    risk = Risk.objects.get(register__slug="corporate", ref=1)
    control = Control.objects.filter(risk=risk).order_by("pk").first()
    post = risk.owner
    team = open_page(chromium, live_server, people["planner"])
    checker = open_page(chromium, live_server, people["checker"])
    owner = open_page(chromium, live_server, people["owner"])
    panel = open_page(chromium, live_server, people["panel"])
    admin = open_page(chromium, live_server, people["admin"])

    closed = {"2021-22-q2": what_the_panel_reads(panel.page, "2021-22-q2")}
    for round_, (name, slug, start, end, deadline) in enumerate(QUARTERS, start=1):
        open_quarter(team.page, name, slug, start, end, deadline)
        period = ReportingPeriod.objects.get(slug=slug)
        owner_drafts_and_submits(owner.page, panel.page, risk.pk, slug, name)
        the_team_submits_the_rest(period, people["planner"], skip=risk)

        # The checker approves risk 1 in the queue; the rest in bulk.
        checker.page.goto("/review/")
        row = checker.page.locator("tr", has_text="VIOLENT CRIME").first
        row.locator("button", has_text="Approve").click()
        expect(row).to_contain_text("Approved")
        approve_all(period, people["checker"])

        team.page.goto(f"/periods/{slug}/close/")
        team.page.click(f"button:has-text('Close {name}')")
        expect(team.page.locator(".govuk-notification-banner").first).to_contain_text(
            f"{name} is closed"
        )
        closed[slug] = what_the_panel_reads(panel.page, slug)
        panel.page.goto(f"/risks/{risk.pk}/")
        expect(panel.page.locator("main")).to_contain_text(f"{name}: {MARKER}-{slug}")

        admin_edits(admin.page, risk, control, post, round_)
        for done, seen in closed.items():
            assert what_the_panel_reads(panel.page, done) == seen, done

    # The edits reached the quarter after them, and only it.
    last = Assessment.objects.get(risk=risk, period__slug="2021-22-q4")
    assert (last.title, last.state) == ("VIOLENT CRIME (RENAMED 1)", "approved")
    assert "RENAMED" not in "".join(closed["2021-22-q3"].values())
    csp = [e for s in (team, checker, owner, panel, admin) for e in s.csp_errors]
    for signed in (team, checker, owner, panel, admin):
        signed.close()
    assert csp == []

"""Who may open what: the expected status of every URL pattern for every role, in one table.

The table must name every URL pattern the project resolves (a new view fails
test_every_url_pattern_is_in_the_table until it is added here), and every row is checked for
every role. POSTs carry a valid CSRF token and valid data, each in a savepoint that is rolled
back; a refused POST must leave every application table as it was.

Objects (tests/security/conftest.py): risk 1 (owned by the owner's post, led by the lead's),
the submitted Q3 update of risk 2 for review, maturity item 9 (owned by AC Professionalism,
the other owner's post), a unit commanded by the owner's post, the published October 2021
report for reading and the draft Q3 report for editing. The admin's object pages open a
closed period's rows and the published report where the model has them.
"""

import warnings

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile

from controls.models import Control
from maturity.models import Dimension, PlanItem
from riskreg.notify.models import Kind
from riskreg.report.forms import FRONT_MATTER, PROSE
from riskreg.report.models import Report
from risks.models import (
    Assessment,
    Indicator,
    Opportunity,
    OpportunityAction,
    OpportunityAssessment,
    Register,
    Risk,
)
from risks.opportunity_services import opportunity_digest
from risks.services import appetite_digest
from tests.factories import period_form

from .addresses import admin_model_keys, path_for, patterns
from .conftest import ROLES, admin_form_data, client_for, digest, rolled_back, rows_by_table


@pytest.fixture(autouse=True)
def _quiet_simple_history():
    """simple_history's admin history page calls select_related() bare: its deprecation."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Calling select_related\(\) with no arg")
        yield

REFUSED = {403, 404, 405}
LOGIN_PAGES = {"/accounts/login/", "/admin/login/"}

# fmt: off
EXPECTED = {
    # (URL pattern, method):                 anon  owner other lead  team  panel admin inactive
    ("home", "GET"):                          (302, 200, 200, 200, 200, 200, 200, 302),
    ("healthz", "GET"):                       (200, 200, 200, 200, 200, 200, 200, 200),
    ("bands-css", "GET"):                     (200, 200, 200, 200, 200, 200, 200, 200),
    ("login", "GET"):                         (200, 302, 302, 302, 302, 302, 302, 200),
    ("logout", "GET"):                        (302, 405, 405, 405, 405, 405, 405, 302),
    ("logout", "POST"):                       (302, 302, 302, 302, 302, 302, 302, 302),
    # After signing out, and help for problems signing in: for anyone (the signed-in go home)
    ("signed-out", "GET"):                    (200, 302, 302, 302, 302, 302, 302, 200),
    ("signin-help", "GET"):                   (200, 200, 200, 200, 200, 200, 200, 200),
    # Sign-in lockouts: the team sees and lifts them
    ("lockouts", "GET"):                      (302, 403, 403, 403, 200, 403, 200, 302),
    ("lockouts", "POST"):                     (302, 403, 403, 403, 302, 403, 302, 302),
    # Registers: everyone signed in who has a risk in the register, the team and the panel
    ("risks:register", "GET"):                (302, 200, 200, 200, 200, 200, 200, 302),
    ("risks:register-compare", "GET"):        (302, 200, 200, 200, 200, 200, 200, 302),
    ("quarterly:register-changes", "GET"):        (302, 200, 200, 200, 200, 200, 200, 302),
    ("risks:heatmaps", "GET"):                (302, 200, 200, 200, 200, 200, 200, 302),
    ("risks:dashboard", "GET"):               (302, 200, 200, 200, 200, 200, 200, 302),
    ("risks:risk", "GET"):                    (302, 200, 200, 200, 200, 200, 200, 302),
    # A risk's appetite: the team's to set (issue 14); owners and readers get 403
    ("risks:risk-appetite", "GET"):           (302, 403, 403, 403, 200, 403, 200, 302),
    ("risks:risk-appetite", "POST"):          (302, 403, 403, 403, 302, 403, 302, 302),
    ("risks:my-risks", "GET"):                (302, 200, 200, 200, 200, 200, 200, 302),
    # Escalation (issue 17): risk 1's owner, its lead and the team propose (to the board);
    # readers get 403. The other register's proposal is seen by the team, the panel and the
    # administrator (404 for everyone else); the team decides it, the panel only reads.
    ("risks:escalate", "GET"):                (302, 200, 403, 200, 200, 403, 200, 302),
    ("risks:escalate", "POST"):               (302, 302, 403, 302, 302, 403, 302, 302),
    ("risks:escalations", "GET"):             (302, 200, 200, 200, 200, 200, 200, 302),
    ("risks:escalation", "GET"):              (302, 404, 404, 404, 200, 200, 200, 302),
    ("risks:escalation", "POST"):             (302, 404, 404, 404, 302, 403, 302, 302),
    # Sharing risk 1 and its partners: its owner, its lead and the team; the commentary of the
    # register it is shared with: that register's heads (none here) and the team.
    ("risks:risk-share", "GET"):              (302, 200, 403, 200, 200, 403, 200, 302),
    ("risks:risk-share", "POST"):             (302, 302, 403, 302, 302, 403, 302, 302),
    ("risks:shared-commentary", "GET"):       (302, 403, 403, 403, 200, 403, 200, 302),
    ("risks:shared-commentary", "POST"):      (302, 403, 403, 403, 302, 403, 302, 302),
    # Risk 1's quarterly update: its owner, its lead and the team; readers get 403
    ("quarterly:update", "GET"):               (302, 200, 403, 200, 200, 403, 200, 302),
    ("quarterly:update-score", "GET"):            (302, 200, 403, 200, 200, 403, 200, 302),
    ("quarterly:update-score", "POST"):           (302, 302, 403, 302, 302, 403, 302, 302),
    ("quarterly:update-progress", "GET"):         (302, 200, 403, 200, 200, 403, 200, 302),
    ("quarterly:update-progress", "POST"):        (302, 302, 403, 302, 302, 403, 302, 302),
    ("quarterly:update-controls", "GET"):      (302, 200, 403, 200, 200, 403, 200, 302),
    ("quarterly:control-update", "GET"):       (302, 200, 403, 200, 200, 403, 200, 302),
    ("quarterly:control-update", "POST"):      (302, 302, 403, 302, 302, 403, 302, 302),
    ("quarterly:control-add", "GET"):          (302, 200, 403, 200, 200, 403, 200, 302),
    ("quarterly:control-add", "POST"):         (302, 302, 403, 302, 302, 403, 302, 302),
    ("quarterly:controls-unchanged", "GET"):   (302, 405, 405, 405, 405, 405, 405, 302),
    ("quarterly:controls-unchanged", "POST"):  (302, 302, 403, 302, 302, 403, 302, 302),
    # Key risk indicators' values, a task of the update (issue 18)
    ("quarterly:update-indicators", "GET"):    (302, 200, 403, 200, 200, 403, 200, 302),
    ("quarterly:update-indicators", "POST"):   (302, 302, 403, 302, 302, 403, 302, 302),
    ("quarterly:update-check", "GET"):         (302, 200, 403, 200, 200, 403, 200, 302),
    # Submitting with controls not yet updated this quarter: the page lists what is missing
    ("quarterly:update-check", "POST"):        (302, 200, 403, 200, 200, 403, 200, 302),
    # Recalling a submission: risk 1's update is a draft, so each is refused with a message
    ("quarterly:update-recall", "GET"):        (302, 405, 405, 405, 405, 405, 405, 302),
    ("quarterly:update-recall", "POST"):       (302, 302, 403, 302, 302, 403, 302, 302),
    # Opportunities (issue 18): everyone who can see the register reads them; their owner, lead
    # and the team update them; the team reviews them and keeps them in /manage/
    ("risks:opportunity", "GET"):             (302, 200, 200, 200, 200, 200, 200, 302),
    ("risks:opportunity-update", "GET"):      (302, 200, 403, 200, 200, 403, 200, 302),
    ("risks:opportunity-update", "POST"):     (302, 302, 403, 302, 302, 403, 302, 302),
    ("risks:my-opportunities", "GET"):        (302, 200, 200, 200, 200, 200, 200, 302),
    ("quarterly:review-opportunity", "GET"):  (302, 403, 403, 403, 200, 403, 200, 302),
    ("quarterly:review-opportunity-approve", "GET"):  (302, 405, 405, 405, 405, 405, 405, 302),
    # The administrator submitted it: nobody approves their own work (refused, nothing written)
    ("quarterly:review-opportunity-approve", "POST"): (302, 403, 403, 403, 302, 403, 302, 302),
    ("quarterly:review-opportunity-return", "GET"):   (302, 403, 403, 403, 200, 403, 200, 302),
    ("quarterly:review-opportunity-return", "POST"):  (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:opportunities", "GET"):          (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:opportunity-new", "GET"):        (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:opportunity-new", "POST"):       (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:opportunity-edit", "GET"):       (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:opportunity-edit", "POST"):      (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:opportunity-action-new", "GET"): (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:opportunity-action-new", "POST"): (302, 403, 403, 403, 302, 403, 302, 302),
    # The likelihood and impact levels' descriptions: the team's to keep
    ("risks:levels", "GET"):                   (302, 403, 403, 403, 200, 403, 200, 302),
    ("risks:levels", "POST"):                  (302, 403, 403, 403, 302, 403, 302, 302),
    # The team's review and periods
    ("quarterly:review", "GET"):                  (302, 403, 403, 403, 200, 403, 200, 302),
    ("quarterly:review-detail", "GET"):        (302, 403, 403, 403, 200, 403, 200, 302),
    ("quarterly:review-approve", "GET"):          (302, 405, 405, 405, 405, 405, 405, 302),
    ("quarterly:review-approve", "POST"):         (302, 403, 403, 403, 302, 403, 302, 302),
    ("quarterly:review-return", "GET"):           (302, 403, 403, 403, 200, 403, 200, 302),
    ("quarterly:review-return", "POST"):          (302, 403, 403, 403, 302, 403, 302, 302),
    # Key controls are the team's to mark (issue 14), never an owner's
    ("quarterly:review-key-control", "GET"):      (302, 405, 405, 405, 405, 405, 405, 302),
    ("quarterly:review-key-control", "POST"):     (302, 403, 403, 403, 302, 403, 302, 302),
    ("quarterly:periods", "GET"):                 (302, 403, 403, 403, 200, 403, 200, 302),
    ("quarterly:period-open", "GET"):             (302, 403, 403, 403, 200, 403, 200, 302),
    # 2021/22 Q3 is open, so opening another is refused on the form (nothing written)
    ("quarterly:period-open", "POST"):            (302, 403, 403, 403, 200, 403, 200, 302),
    ("quarterly:period-close", "GET"):            (302, 403, 403, 403, 200, 403, 200, 302),
    ("quarterly:period-close", "POST"):           (302, 403, 403, 403, 302, 403, 302, 302),
    # The maturity action plan: everyone reads; the team edits; item 9's owners update it
    ("maturity:plan", "GET"):                 (302, 200, 200, 200, 200, 200, 200, 302),
    ("maturity:appendix-c", "GET"):           (302, 200, 200, 200, 200, 200, 200, 302),
    ("maturity:changes", "GET"):              (302, 200, 200, 200, 200, 200, 200, 302),
    ("maturity:theme-create", "GET"):         (302, 403, 403, 403, 200, 403, 200, 302),
    ("maturity:theme-create", "POST"):        (302, 403, 403, 403, 302, 403, 302, 302),
    ("maturity:item-create", "GET"):          (302, 403, 403, 403, 200, 403, 200, 302),
    ("maturity:item-create", "POST"):         (302, 403, 403, 403, 302, 403, 302, 302),
    ("maturity:item", "GET"):                 (302, 200, 200, 200, 200, 200, 200, 302),
    ("maturity:item-edit", "GET"):            (302, 403, 200, 403, 200, 403, 200, 302),
    ("maturity:item-edit", "POST"):           (302, 403, 302, 403, 302, 403, 302, 302),
    ("maturity:item-log-add", "GET"):         (302, 405, 405, 405, 405, 405, 405, 302),
    ("maturity:item-log-add", "POST"):        (302, 403, 302, 403, 302, 403, 302, 302),
    ("maturity:action-create", "GET"):        (302, 403, 403, 403, 200, 403, 200, 302),
    ("maturity:action-create", "POST"):       (302, 403, 403, 403, 302, 403, 302, 302),
    ("maturity:action-edit", "GET"):          (302, 403, 403, 403, 200, 403, 200, 302),
    ("maturity:action-edit", "POST"):         (302, 403, 403, 403, 302, 403, 302, 302),
    ("maturity:action-status", "GET"):        (302, 405, 405, 405, 405, 405, 405, 302),
    ("maturity:action-status", "POST"):       (302, 403, 302, 403, 302, 403, 302, 302),
    # Self-assessments: everyone reads; the unit's commander (the owner's post) and the team assess
    ("maturity:results", "GET"):              (302, 200, 200, 200, 200, 200, 200, 302),
    ("maturity:unit", "GET"):                 (302, 200, 200, 200, 200, 200, 200, 302),
    ("maturity:assess", "GET"):               (302, 200, 403, 403, 200, 403, 200, 302),
    ("maturity:assess", "POST"):              (302, 302, 403, 403, 302, 403, 302, 302),
    # Reports: the team composes, the panel reads published ones, nobody else sees any
    # Owners and leads read the public version of their registers' published papers (issue 15)
    ("reports:list", "GET"):                  (302, 200, 200, 200, 200, 200, 200, 302),
    ("reports:new", "GET"):                   (302, 403, 403, 403, 200, 403, 200, 302),
    # Both periods have their report already: the form says so and writes nothing
    ("reports:new", "POST"):                  (302, 403, 403, 403, 200, 403, 200, 302),
    ("reports:detail", "GET"):                (302, 200, 200, 200, 200, 200, 200, 302),
    ("reports:pdf", "GET"):                   (302, 200, 200, 200, 200, 200, 200, 302),
    # The PDF prepared in the background (issue 20): whoever reads the report; October's
    # paper was published before files were kept, so it is prepared like a draft's
    ("reports:pdf-prepare", "GET"):           (302, 200, 200, 200, 200, 200, 200, 302),
    ("reports:pdf-prepare", "POST"):          (302, 302, 302, 302, 302, 302, 302, 302),
    # No such render of that report: 404 for everyone
    ("reports:pdf-prepared", "GET"):          (302, 404, 404, 404, 404, 404, 404, 302),
    ("reports:edit", "GET"):                  (302, 404, 404, 404, 200, 404, 200, 302),
    ("reports:edit", "POST"):                 (302, 404, 404, 404, 302, 404, 302, 302),
    # The confirmation page of the Q3 draft; 2021/22 Q3 is open, so publishing it is refused
    # on the page (issue 14: with the tick, still a form error), nothing written
    ("reports:publish", "GET"):               (302, 404, 404, 404, 200, 404, 200, 302),
    ("reports:publish", "POST"):              (302, 404, 404, 404, 200, 404, 200, 302),
    # Withdrawing or correcting the published October report: the team's, with a reason
    ("reports:withdraw", "GET"):              (302, 403, 403, 403, 200, 403, 200, 302),
    ("reports:withdraw", "POST"):             (302, 403, 403, 403, 302, 403, 302, 302),
    ("reports:correct", "GET"):               (302, 403, 403, 403, 200, 403, 200, 302),
    ("reports:correct", "POST"):              (302, 403, 403, 403, 302, 403, 302, 302),
    # Board summaries (issue 17): the team and the board's secretariat (SECRETARY below)
    # compose; the Audit Panel reads published ones; owners and leads see no board at all
    ("boards:list", "GET"):                   (302, 200, 200, 200, 200, 200, 200, 302),
    ("boards:board", "GET"):                  (302, 404, 404, 404, 200, 200, 200, 302),
    ("boards:summary-new", "GET"):            (302, 404, 404, 404, 200, 403, 200, 302),
    ("boards:summary-new", "POST"):           (302, 404, 404, 404, 302, 403, 302, 302),
    ("boards:summary", "GET"):                (302, 404, 404, 404, 200, 200, 200, 302),
    ("boards:summary-pdf", "GET"):            (302, 404, 404, 404, 200, 200, 200, 302),
    # The draft Q3 summary: the Panel reads no draft
    ("boards:summary-edit", "GET"):           (302, 404, 404, 404, 200, 404, 200, 302),
    ("boards:summary-edit", "POST"):          (302, 404, 404, 404, 302, 404, 302, 302),
    ("boards:summary-publish", "GET"):        (302, 404, 404, 404, 200, 404, 200, 302),
    ("boards:summary-publish", "POST"):       (302, 404, 404, 404, 302, 404, 302, 302),
    # Data in and out (issue 19): downloads as their pages; import is the team's. Without a
    # previewed file, confirming is refused in words (400) and writes nothing.
    ("dataio:register", "GET"):               (302, 200, 200, 200, 200, 200, 200, 302),
    ("dataio:register-pdf", "GET"):           (302, 200, 200, 200, 200, 200, 200, 302),
    ("dataio:compare", "GET"):                (302, 200, 200, 200, 200, 200, 200, 302),
    ("dataio:changes", "GET"):                (302, 200, 200, 200, 200, 200, 200, 302),
    ("dataio:dashboard", "GET"):              (302, 200, 200, 200, 200, 200, 200, 302),
    ("dataio:plan", "GET"):                   (302, 200, 200, 200, 200, 200, 200, 302),
    ("dataio:results", "GET"):                (302, 200, 200, 200, 200, 200, 200, 302),
    ("dataio:risk-history", "GET"):           (302, 200, 200, 200, 200, 200, 200, 302),
    ("dataio:review", "GET"):                 (302, 403, 403, 403, 200, 403, 200, 302),
    ("dataio:import", "GET"):                 (302, 403, 403, 403, 200, 403, 200, 302),
    ("dataio:import", "POST"):                (302, 403, 403, 403, 200, 403, 200, 302),
    ("dataio:import-template", "GET"):        (302, 403, 403, 403, 200, 403, 200, 302),
    ("dataio:import-confirm", "GET"):         (302, 405, 405, 405, 405, 405, 405, 302),
    ("dataio:import-confirm", "POST"):        (302, 403, 403, 403, 400, 403, 400, 302),
    # Keeping the register in the service (issue 16): the team and the administrator only
    ("manage:index", "GET"):                  (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:risks", "GET"):                  (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:risk-new", "GET"):               (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:risk-new", "POST"):              (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:risk-edit", "GET"):              (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:risk-edit", "POST"):             (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:risk-retire", "GET"):            (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:risk-retire", "POST"):           (302, 403, 403, 403, 302, 403, 302, 302),
    # Risk 1 is active: the page says so, and reinstating it is refused (nothing written)
    ("manage:risk-reinstate", "GET"):         (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:risk-reinstate", "POST"):        (302, 403, 403, 403, 400, 403, 400, 302),
    ("manage:posts", "GET"):                  (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:post-new", "GET"):               (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:post-new", "POST"):              (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:post-edit", "GET"):              (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:post-edit", "POST"):             (302, 403, 403, 403, 302, 403, 302, 302),
    # The owner's post owns risk 1: deleting it is refused with the reason (nothing written)
    ("manage:post-delete", "GET"):            (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:post-delete", "POST"):           (302, 403, 403, 403, 400, 403, 400, 302),
    ("manage:pillars", "GET"):                (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:pillar-new", "GET"):             (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:pillar-new", "POST"):            (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:pillar-edit", "GET"):            (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:pillar-edit", "POST"):           (302, 403, 403, 403, 302, 403, 302, 302),
    # A risk's key risk indicators: the team's to keep (issue 18)
    ("manage:indicators", "GET"):             (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:indicator-new", "GET"):          (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:indicator-new", "POST"):         (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:indicator-edit", "GET"):         (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:indicator-edit", "POST"):        (302, 403, 403, 403, 302, 403, 302, 302),
    # A register's thematic appetite: the team's to set (issue 18)
    ("manage:register-appetite", "GET"):      (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:register-appetite", "POST"):     (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:appetite", "GET"):               (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:appetite-level-new", "GET"):     (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:appetite-level-new", "POST"):    (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:appetite-level-edit", "GET"):    (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:appetite-level-edit", "POST"):   (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:appetite-theme-new", "GET"):     (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:appetite-theme-new", "POST"):    (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:appetite-theme-edit", "GET"):    (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:appetite-theme-edit", "POST"):   (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:registers", "GET"):              (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:register-new", "GET"):           (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:register-new", "POST"):          (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:register-edit", "GET"):          (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:register-edit", "POST"):         (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:units", "GET"):                  (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:unit-new", "GET"):               (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:unit-new", "POST"):              (302, 403, 403, 403, 302, 403, 302, 302),
    ("manage:unit-edit", "GET"):              (302, 403, 403, 403, 200, 403, 200, 302),
    ("manage:unit-edit", "POST"):             (302, 403, 403, 403, 302, 403, 302, 302),
    # The API (issue 19) with a session (tokens: tests/riskreg/api/): the pages' rules. Risk 1's
    # Q3 draft is its owner's, lead's and the team's; readers get 404 for it, 403 to change
    # what they may read. No session: 401. A GET of a write is 405, a POST of a read 405.
    ("api:schema", "GET"):                    (401, 200, 200, 200, 200, 200, 200, 401),
    ("api:docs", "GET"):                      (302, 200, 200, 200, 200, 200, 200, 302),
    ("api:registers", "GET"):                 (401, 200, 200, 200, 200, 200, 200, 401),
    ("api:register", "GET"):                  (401, 200, 200, 200, 200, 200, 200, 401),
    ("api:periods", "GET"):                   (401, 200, 200, 200, 200, 200, 200, 401),
    ("api:period", "GET"):                    (401, 200, 200, 200, 200, 200, 200, 401),
    ("api:risks", "GET"):                     (401, 200, 200, 200, 200, 200, 200, 401),
    ("api:risk", "GET"):                      (401, 200, 200, 200, 200, 200, 200, 401),
    ("api:assessments", "GET"):               (401, 200, 200, 200, 200, 200, 200, 401),
    ("api:assessment", "GET"):                (401, 200, 404, 200, 200, 404, 200, 401),
    ("api:assessment-score", "GET"):          (401, 405, 405, 405, 405, 405, 405, 401),
    ("api:assessment-score", "POST"):         (401, 200, 404, 200, 200, 404, 200, 401),
    ("api:assessment-progress", "GET"):       (401, 405, 405, 405, 405, 405, 405, 401),
    ("api:assessment-progress", "POST"):      (401, 200, 404, 200, 200, 404, 200, 401),
    ("api:assessment-confirm", "GET"):        (401, 405, 405, 405, 405, 405, 405, 401),
    ("api:assessment-confirm", "POST"):       (401, 200, 404, 200, 200, 404, 200, 401),
    ("api:assessment-submit", "GET"):         (401, 405, 405, 405, 405, 405, 405, 401),
    # The controls are not yet updated this quarter: refused, with what is missing
    ("api:assessment-submit", "POST"):        (401, 400, 404, 400, 400, 404, 400, 401),
    ("api:controls", "GET"):                  (401, 200, 200, 200, 200, 200, 200, 401),
    ("api:control", "GET"):                   (401, 200, 200, 200, 200, 200, 200, 401),
    ("api:control-status", "GET"):            (401, 405, 405, 405, 405, 405, 405, 401),
    ("api:control-status", "POST"):           (401, 200, 403, 200, 200, 403, 200, 401),
    ("api:control-updates", "GET"):           (401, 200, 200, 200, 200, 200, 200, 401),
    ("api:control-update", "GET"):            (401, 200, 200, 200, 200, 200, 200, 401),
    ("api:plan-items", "GET"):                (401, 200, 200, 200, 200, 200, 200, 401),
    ("api:not-found", "GET"):                 (404, 404, 404, 404, 404, 404, 404, 404),
    # The account page: everyone's own; a token is made there (the page shows it, once)
    ("api-account:account", "GET"):           (302, 200, 200, 200, 200, 200, 200, 302),
    ("api-account:account", "POST"):          (302, 200, 200, 200, 200, 200, 200, 302),
    ("api-account:token-revoke", "GET"):      (302, 405, 405, 405, 405, 405, 405, 302),
    ("api-account:token-revoke", "POST"):     (302, 404, 404, 404, 404, 404, 404, 302),
    # Search: everyone signed in, each finding what they may see
    ("search:search", "GET"):                 (302, 200, 200, 200, 200, 200, 200, 302),
    # Notifications (issue 20): everyone's own list, marking read and choices
    ("notify:list", "GET"):                   (302, 200, 200, 200, 200, 200, 200, 302),
    ("notify:read", "GET"):                   (302, 405, 405, 405, 405, 405, 405, 302),
    ("notify:read", "POST"):                  (302, 302, 302, 302, 302, 302, 302, 302),
    ("notify:settings", "GET"):               (302, 200, 200, 200, 200, 200, 200, 302),
    ("notify:settings", "POST"):              (302, 302, 302, 302, 302, 302, 302, 302),
    # The team's bulk actions on the review queue, and their record
    ("notify:approve-selected", "GET"):       (302, 405, 405, 405, 405, 405, 405, 302),
    ("notify:approve-selected", "POST"):      (302, 403, 403, 403, 302, 403, 302, 302),
    ("notify:chase", "GET"):                  (302, 405, 405, 405, 405, 405, 405, 302),
    ("notify:chase", "POST"):                 (302, 403, 403, 403, 302, 403, 302, 302),
    ("notify:team-actions", "GET"):           (302, 403, 403, 403, 200, 403, 200, 302),
    ("notify:extend-deadline", "GET"):        (302, 403, 403, 403, 200, 403, 200, 302),
    ("notify:extend-deadline", "POST"):       (302, 403, 403, 403, 302, 403, 302, 302),
    # Handing risk 1's update over: whoever may write it (its owner, lead, the team)
    ("notify:delegate", "GET"):               (302, 200, 403, 200, 200, 403, 200, 302),
    ("notify:delegate", "POST"):              (302, 302, 403, 302, 302, 403, 302, 302),
    # The admin site: staff only (the administrator); everyone else is sent to its sign-in
    ("admin:index", "GET"):                   (302, 302, 302, 302, 302, 302, 200, 302),
    ("admin:login", "GET"):                   (200, 200, 200, 200, 200, 200, 302, 200),
    ("admin:logout", "GET"):                  (302, 302, 302, 302, 302, 302, 405, 302),
    ("admin:password_change", "GET"):         (302, 302, 302, 302, 302, 302, 200, 302),
    ("admin:password_change_done", "GET"):    (302, 302, 302, 302, 302, 302, 200, 302),
    ("admin:autocomplete", "GET"):            (302, 302, 302, 302, 302, 302, 200, 302),
    ("admin:jsi18n", "GET"):                  (302, 302, 302, 302, 302, 302, 200, 302),
    ("admin:view_on_site", "GET"):            (302, 302, 302, 302, 302, 302, 302, 302),
    ("admin:app_list", "GET"):                (302, 302, 302, 302, 302, 302, 200, 302),
    ("admin/(?P<url>.*)$", "GET"):            (302, 302, 302, 302, 302, 302, 404, 302),
    ("admin:auth_user_password_change", "GET"): (302, 302, 302, 302, 302, 302, 200, 302),
}
# fmt: on

# Each model in the admin, and what the administrator gets on its pages where it differs from
# 200. Object pages open a closed period's row (or the published report) where the model has
# one: those can be viewed, never changed or deleted. History is read-only everywhere: the
# page of one version shows it, and its form (simple_history's "revert") is refused.
# axes' records are made by sign-ins only.
ADMIN_STAFF_ONLY = (302, 302, 302, 302, 302, 302, 200, 302)
ADMIN_MODELS = {
    "auth.group": {},
    "auth.user": {},
    "axes.accessattempt": {"add": 403},
    "axes.accesslog": {"add": 403},
    "axes.accessfailurelog": {"add": 403},
    "risks.post": {},
    "risks.register": {},
    "risks.pillar": {},
    "risks.board": {},
    # Periods open from the Periods page (carrying every risk forward), never from a row.
    "risks.reportingperiod": {"delete": 403, "change POST": 403, "add": 403},
    "risks.risk": {},
    # Updates change through the owner's pages and the team's review only (issue 13).
    "risks.assessment": {"delete": 403, "change POST": 403, "add": 403},
    "controls.control": {},
    "controls.controlupdate": {"delete": 403, "change POST": 403},
    "maturity.actionplan": {},
    "maturity.theme": {},
    "maturity.source": {},
    "maturity.planitem": {},
    "maturity.planaction": {},
    "maturity.planitemupdate": {},
    "maturity.businessgroup": {},
    "maturity.unit": {},
    "maturity.dimension": {},
    "maturity.selfassessment": {},
    "riskreg.report": {"delete": 403, "change POST": 403},
}


def _admin_rows() -> dict:
    rows = {}
    for label, admin_status in ADMIN_MODELS.items():
        for page, key in admin_model_keys(label).items():
            status = 302 if page == "object" else admin_status.get(page, 200)
            rows[(key, "GET")] = (*ADMIN_STAFF_ONLY[:6], status, 302)
            if page == "simple_history":
                rows[(key, "POST")] = (*ADMIN_STAFF_ONLY[:6], 403, 302)
            if page == "change" and "change POST" in admin_status:
                rows[(key, "POST")] = (*ADMIN_STAFF_ONLY[:6], admin_status["change POST"], 302)
    return rows


EXPECTED |= _admin_rows()


def post_data(key: str, w) -> dict:
    """Valid data for each POST row: what the allowed roles send."""
    a1 = Assessment.objects.get(pk=w.assessment1)
    a2 = Assessment.objects.get(pk=w.assessment2)
    item9 = PlanItem.objects.get(pk=w.item9)
    draft = Report.objects.get(pk=w.draft_report)
    key_now = Control.objects.get(pk=w.control1).is_key
    data = {
        "logout": {},
        # The world's axes record of "someone" at 10.0.0.1
        "lockouts": {"username": "someone", "address": "10.0.0.1"},
        "quarterly:update-score": {"likelihood": "3", "impact": "3",
                               "score_change_source": "reassessment", "version": a1.version},
        "quarterly:update-progress": {"trend": "improving", "progress": "on_track",
                                  "commentary": "Fewer knife injuries.", "version": a1.version},
        "quarterly:control-update": {"status": "complete", "note": "Done.", "version": "0"},
        "quarterly:control-add": {"title": "Late-night patrols", "status": "in_progress"},
        "quarterly:controls-unchanged": {},
        "quarterly:update-indicators": {
            f"value_{Indicator.objects.get(risk=w.risk1).pk}": "130", "version": a1.version},
        "quarterly:update-check": {"version": a1.version},
        "quarterly:update-recall": {"version": a1.version},
        "risks:levels": {"likelihood_1": "Rare: less than once in ten years."},
        "quarterly:review-approve": {"version": a2.version},
        "risks:opportunity-update": {
            "likelihood": "3", "benefit": "4", "trend": "improving", "progress": "on_track",
            "commentary": "Devices on two BCUs.", "save": "1",
            "version": OpportunityAssessment.objects.get(pk=w.opp_assessment1).version,
            **{f"action_{pk}": "in_progress" for pk in OpportunityAction.objects.filter(
                opportunity=w.opportunity1).values_list("pk", flat=True)},
        },
        "quarterly:review-opportunity-approve": {
            "version": OpportunityAssessment.objects.get(pk=w.opp_assessment2).version},
        "quarterly:review-opportunity-return": {
            "comment": "Say what the fire service decided.",
            "version": OpportunityAssessment.objects.get(pk=w.opp_assessment2).version},
        "quarterly:review-return": {"comment": "Say what changed.", "version": a2.version},
        # The opposite of what the control is now, so that the team's POST writes.
        "quarterly:review-key-control": {"is_key": "no" if key_now else "yes"},
        "risks:escalate": {"to": f"up-{Register.objects.get(slug='rab').pk}",
                           "reason": "Officer safety is a board matter."},
        "risks:escalation": {"decision": "decline", "reason": "North BCU manages it."},
        "risks:risk-share": {"register": "", "partners": "London boroughs", "contracts": "",
                             "dependencies": ""},
        "risks:shared-commentary": {"text": "North BCU sees it rising too."},
        "risks:risk-appetite": {"appetite": "Low appetite for serious violence.",
                                "was": appetite_digest(Risk.objects.get(pk=w.risk1).appetite)},
        "quarterly:period-open": period_form({"name": "2022/23 Q1", "start": "2022-01-01",
                                              "end": "2022-03-31", "deadline": "2022-03-01"}),
        "quarterly:period-close": {"incomplete": "on"},
        "maturity:theme-create": {"title": "Assurance", "order": "4"},
        "maturity:item-create": {"theme": item9.theme_id, "ref": "10", "issue": "Gaps.",
                                 "owners": "Planning & Risk Team"},
        "maturity:item-edit": {"theme": item9.theme_id, "ref": "9", "issue": item9.issue,
                               "owners": item9.owners, "update": "Lessons log live."},
        "maturity:item-log-add": {"date_day": "1", "date_month": "10", "date_year": "2021",
                                  "text": "Board agreed the approach."},
        "maturity:action-create": {"text": "Publish the lessons", "milestone": "Ongoing",
                                   "status": "not_started"},
        "maturity:action-edit": {"text": "Publish the lessons", "milestone": "Ongoing",
                                 "status": "in_progress"},
        "maturity:action-status": {f"action-{w.action9}-status": "complete"},
        "maturity:assess": {f"dimension_{d.pk}": "4" for d in Dimension.objects.all()},
        "reports:new": {"register": draft.register_id, "period": draft.period_id,
                        "meeting_day": "1", "meeting_month": "2", "meeting_year": "2022"},
        "reports:edit": {
            **{name: getattr(draft, name) for name in (*FRONT_MATTER, *PROSE)},
            "meeting_day": "24", "meeting_month": "1", "meeting_year": "2022",
            "version": draft.version, "noted_risks": [w.risk1],
        },
        "reports:publish": {"version": draft.version, "confirm": "on"},
        **_board_post_data(w),
        "reports:withdraw": {"reason": "Sent with the wrong figures."},
        "reports:correct": {"reason": "Paragraph 1.3 named the wrong risk."},
        # A preview writes nothing: the file's new commentary for risk 1.
        "dataio:import": {"file": SimpleUploadedFile(
            "register.csv", b"Ref,Commentary\n1,Fewer knife injuries this quarter.\n")},
        "dataio:import-confirm": {"token": "no-preview"},
        **_manage_post_data(w),
        "api:assessment-score": {"likelihood": "3", "impact": "3",
                                 "score_change_source": "reassessment", "version": a1.version},
        "api:assessment-progress": {"trend": "improving", "progress": "on_track",
                                    "commentary": "Fewer knife injuries.", "version": a1.version},
        "api:assessment-confirm": {"section": "score", "version": a1.version},
        "api:assessment-submit": {"version": a1.version},
        "api:control-status": {"status": "complete", "note": "Done.", "version": "0"},
        "api-account:account": {"name": "Power BI", "scope": "read"},
        "api-account:token-revoke": {},
        "notify:read": {},
        "reports:pdf-prepare": {},
        "notify:settings": dict.fromkeys(Kind.values, "digest"),
        "notify:approve-selected": {"selected": f"{a2.pk}:{a2.version}"},
        "notify:chase": {},
        "notify:extend-deadline": {"deadline_day": "17", "deadline_month": "12",
                                   "deadline_year": "2021", "reason": "Owner on leave."},
        "notify:delegate": {"delegate": w.users["other_owner"].pk},
    }
    if key in data:
        return data[key]
    # The admin: the object's own form, unchanged: enough to be refused, or to save.
    return _admin_post_data(key, w)


def _board_post_data(w) -> dict:
    from riskreg.boards.models import BoardSummary

    draft = BoardSummary.objects.get(pk=w.draft_summary)
    return {
        "boards:summary-new": {"period": draft.period_id, "meeting_day": "20",
                               "meeting_month": "3", "meeting_year": "2022",
                               "protective_marking": "OFFICIAL"},
        "boards:summary-edit": {"form": "details", "version": draft.version,
                                "meeting_day": "14", "meeting_month": "2", "meeting_year": "2022",
                                "protective_marking": "OFFICIAL-SENSITIVE",
                                "notes": "The board is asked to note the risks."},
        "boards:summary-publish": {"version": draft.version, "confirm": "on"},
    }


# The board's secretariat, on every board page: what the team may do, for its own board.
SECRETARY = {
    ("boards:list", "GET"): 200, ("boards:board", "GET"): 200,
    ("boards:summary-new", "GET"): 200, ("boards:summary-new", "POST"): 302,
    ("boards:summary", "GET"): 200, ("boards:summary-pdf", "GET"): 200,
    ("boards:summary-edit", "GET"): 200, ("boards:summary-edit", "POST"): 302,
    ("boards:summary-publish", "GET"): 200, ("boards:summary-publish", "POST"): 302,
}


def test_board_secretariat_matrix(w):
    """The secretary holds only the Risk and Assurance Board's secretariat post: every board
    page of that board as the team, and none of another board's."""
    from risks.models import Board

    client = client_for(w, "secretary")
    got = {}
    for (key, method), expected in SECRETARY.items():
        with rolled_back():
            path = path_for(key, w)
            response = client.get(path) if method == "GET" else client.post(path, post_data(key, w))
        if response.status_code != expected:
            got[(key, method)] = (response.status_code, expected)
    assert got == {}
    assert {k for k, _ in SECRETARY} == {k for k in patterns() if k.startswith("boards:")}
    Board.objects.create(name="Data Board", slug="data-board")
    assert client.get("/boards/data-board/").status_code == 404
    assert client.get("/boards/data-board/new/").status_code == 404
    # Nothing else of the team's: the review queue, another report
    assert client.get("/review/").status_code == 403


def _manage_post_data(w) -> dict:
    from maturity.manage import unit_digest
    from maturity.models import Unit
    from risks.appetite import level_digest, register_appetite_digest, theme_digest
    from risks.indicators import indicator_digest
    from risks.manage import pillar_digest, post_digest, register_digest, risk_digest
    from risks.models import AppetiteLevel, AppetiteTheme, Indicator, Pillar, Post, Register

    risk1 = Risk.objects.get(pk=w.risk1)
    post = Post.objects.get(name="AC Frontline Policing")
    pillar = Pillar.objects.order_by("pk").first()
    register = Register.objects.get(slug=w.other_register)
    unit = Unit.objects.get(pk=w.unit)
    level = AppetiteLevel.objects.get(name="Cautious")
    theme = AppetiteTheme.objects.get(name="Operational")
    knife = Indicator.objects.get(risk=w.risk1)
    indicator = {"name": knife.name, "unit": "offences", "direction": "higher_worse",
                 "green_limit": "100", "amber_limit": "120", "source": "", "owner": "",
                 "order": "0", "is_active": "on"}
    risk = {"ref": "12", "title": "FRAUD", "description": "Fraud rises.", "description_agreed": "yes",
            "horizon": "long", "owner": post.pk, "target_likelihood": "2", "target_impact": "2",
            "pillars": [pillar.pk], "lead_0": "", "lead_1": "", "lead_2": ""}
    opportunity1 = Opportunity.objects.get(pk=w.opportunity1)
    opportunity = {"ref": "3", "title": "AUTOMATED REDACTION", "description": "", "owner": post.pk,
                   "lead_0": "", "lead_1": "", "target_likelihood": "2", "target_benefit": "3",
                   "is_active": "yes"}
    return {
        "manage:opportunity-new": {**opportunity, "register": risk1.register_id},
        "manage:opportunity-edit": {**opportunity, "ref": "1", "title": "MOBILE DATA FOR ALL",
                                    "was": opportunity_digest(opportunity1)},
        "manage:opportunity-action-new": {"title": "Measure patrol time", "owner": post.pk,
                                          "due_day": "31", "due_month": "3", "due_year": "2022"},
        "manage:risk-new": {**risk, "register": risk1.register_id},
        "manage:risk-edit": {**risk, "ref": "1", "title": "VIOLENT CRIME (revised)",
                             "was": risk_digest(risk1)},
        "manage:risk-retire": {"was": risk_digest(risk1)},
        "manage:risk-reinstate": {"was": risk_digest(risk1)},
        "manage:post-new": {"name": "Director of Audit", "holders": [w.users["lead"].pk]},
        "manage:post-edit": {"name": post.name, "was": post_digest(post),
                             "holders": [w.users["owner"].pk, w.users["lead"].pk]},
        "manage:post-delete": {},
        "manage:pillar-new": {"name": "Value for money", "order": "8"},
        "manage:indicator-new": {**indicator, "name": "Stabbings"},
        "manage:indicator-edit": {**indicator, "green_limit": "90",
                                  "was": indicator_digest(knife)},
        "manage:register-appetite": {f"theme_{theme.pk}": level.pk,
                                     "was": register_appetite_digest(register)},
        "manage:appetite-level-new": {"name": "Open", "description": "Willing to consider.",
                                      "max_score": "9", "order": "4"},
        "manage:appetite-level-edit": {"name": "Cautious", "description": "Safe options.",
                                       "max_score": "6", "order": "3", "was": level_digest(level)},
        "manage:appetite-theme-new": {"name": "Financial", "level": level.pk},
        "manage:appetite-theme-edit": {"name": "Operational", "level": level.pk,
                                       "was": theme_digest(theme)},
        # The seed's pillars are recorded by the closed 2021/22 Q2: only their history is written.
        "manage:pillar-edit": {"name": pillar.name, "order": pillar.order,
                               "was": pillar_digest(pillar)},
        "manage:register-new": {"name": "South BCU", "slug": "south-bcu", "parent": risk1.register_id,
                                "description": "", "kind": "unit"},
        "manage:register-edit": {"name": "North BCU register", "parent": risk1.register_id,
                                 "description": "Local risks.", "kind": "unit",
                                 "was": register_digest(register)},
        "manage:unit-new": {"name": "North Area BCU", "business_group": unit.business_group_id,
                            "commander": "", "is_active": "yes"},
        "manage:unit-edit": {"name": unit.name, "business_group": unit.business_group_id,
                             "commander": unit.commander_id, "is_active": "no",
                             "was": unit_digest(unit)},
    }


def _admin_post_data(key: str, w) -> dict:
    for label, obj in w.admin_objects.items():
        if key.startswith(f"admin:{label.replace('.', '_')}_"):
            return admin_form_data(obj, w.users["admin"])
    raise KeyError(f"No POST data for {key!r}")


def test_every_url_pattern_is_in_the_table():
    in_table = {key for key, _ in EXPECTED}
    resolved = set(patterns())
    assert sorted(resolved - in_table) == [], "add these URL patterns to EXPECTED"
    assert sorted(in_table - resolved) == [], "these rows name no URL pattern"


def test_every_admin_model_is_in_the_table():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS)


@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(w, role):
    client = client_for(w, role)
    got, want = {}, {}
    for (key, method), statuses in EXPECTED.items():
        if method != "GET":
            continue
        path = path_for(key, w)
        response = client.get(path)
        expected = statuses[ROLES.index(role)]
        if response.status_code != expected:
            got[key], want[key] = response.status_code, expected
        if response.status_code == 302 and role in ("anonymous", "inactive"):
            assert response["Location"].split("?")[0] in LOGIN_PAGES, path
    assert got == want


@pytest.mark.parametrize("role", ROLES)
def test_post_matrix_and_refused_posts_change_nothing(w, role):
    client = client_for(w, role)
    got, want, changed = {}, {}, []
    before, counts = digest(), rows_by_table()
    for (key, method), statuses in EXPECTED.items():
        if method != "POST":
            continue
        path = path_for(key, w)
        data = post_data(key, w)
        expected = statuses[ROLES.index(role)]
        with rolled_back():
            response = client.post(path, data)
            refused = response.status_code in REFUSED or (
                response.status_code == 302
                and response["Location"].split("?")[0] in LOGIN_PAGES and key != "logout"
            )
            if refused and digest() != before:
                after = rows_by_table()
                changed.append((key, {t: (counts[t], n) for t, n in after.items()
                                      if n != counts[t]}))
        if response.status_code != expected:
            got[key], want[key] = response.status_code, expected
        if key == "logout" and role != "anonymous":
            client = client_for(w, role)
    assert got == want
    assert changed == [], "refused POSTs changed application tables"


def test_allowed_posts_do_write(w):
    """The POST data above is real: where the team is allowed, its POST changes the tables.

    Otherwise the 'refused POSTs change nothing' check could pass on data that writes nothing.
    """
    client = client_for(w, "planner")
    silent = []
    for (key, method), statuses in EXPECTED.items():
        if (method != "POST" or statuses[ROLES.index("planner")] != 302
                or key == "logout" or key.startswith("admin")):
            continue
        with rolled_back():
            before = digest()
            response = client.post(path_for(key, w), post_data(key, w))
            assert response.status_code == 302, key
            # A recall writes only for the update's submitter, whom the world's draft lacks
            # (tests/riskreg/quarterly/test_update_submit.py has it write).
            # The world's people have no notification to mark read (test_notify.py has one).
            if (key not in ("reports:publish", "quarterly:update-recall", "notify:read")
                    and digest() == before):
                silent.append(key)
    assert silent == []


def test_the_control_in_the_table_belongs_to_risk_1(w):
    assert Control.objects.get(pk=w.control1).risk_id == w.risk1

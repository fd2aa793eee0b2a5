"""Bad input to every form of the board summaries (issue 17): start a summary, its details,
the secretariat's choices and their undo, and publishing. Hypothesis examples each (new every
run, and the boundary values), posted by the team: no server error, and a submission that does
not redirect writes nothing."""

from django.urls import reverse

from riskreg.boards.models import BoardSummary
from risks.models import ReportingPeriod, Risk

from .badinput import check_form
from .conftest import client_for
from .test_bad_input_plan_and_reports import DAYS, MONTHS, YEARS

MARKINGS = ["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", ""]


def test_new_summary_form(w):
    periods = [str(p) for p in ReportingPeriod.objects.values_list("pk", flat=True)]
    outcome = check_form(
        client_for(w, "planner"), reverse("boards:summary-new", args=["rab"]),
        {"period": [*periods, "999999"], "meeting_day": ["3", *DAYS],
         "meeting_month": ["3", *MONTHS], "meeting_year": ["2022", *YEARS],
         "protective_marking": MARKINGS},
    )
    assert 302 in outcome.statuses


def test_summary_edit_forms(w):
    draft = BoardSummary.objects.get(pk=w.draft_summary)
    risks = [str(pk) for pk in Risk.objects.filter(ref__in=[1, 3]).values_list("pk", flat=True)]
    outcome = check_form(
        client_for(w, "planner"), reverse("boards:summary-edit", args=["rab", draft.pk]),
        {"form": ["details", "choice", "undo", "other", None],
         "version": [str(draft.version), "0", str(draft.version + 1)],
         "meeting_day": ["14", *DAYS], "meeting_month": ["2", *MONTHS],
         "meeting_year": ["2022", *YEARS], "protective_marking": MARKINGS,
         "notes": ["Note the risks.", "", "x" * 2001],
         "risk": [*risks, "999999"], "action": ["add", "remove", "bogus"],
         "reason": ["To discuss.", "", "   ", "x" * 2001],
         "choice": ["1", "999999", ""]},
    )
    assert 302 in outcome.statuses


def test_publish_summary_form(w, monkeypatch):
    """The PDF it keeps is stood in for: this is about the form, not the renderer."""
    monkeypatch.setattr("riskreg.boards.document.render_pdf",
                        lambda rendered, *, use_cache=True, fetcher=None: b"%PDF-fake")
    version = BoardSummary.objects.get(pk=w.draft_summary).version
    check_form(client_for(w, "planner"),
               reverse("boards:summary-publish", args=["rab", w.draft_summary]),
               {"version": [version, version + 1, "", None, "x"],
                "confirm": ["on", "", None, "no", "1"]})

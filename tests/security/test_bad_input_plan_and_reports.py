"""Bad input to every form of the maturity plan (maturity/forms.py), of the Audit Panel report
(riskreg/forms.py, and the publish button) and of the sign-in page: Hypothesis examples
each (new ones every run, and the boundary values), posted through the views by the role that may use them. None may cause a server error;
a submission that does not redirect writes nothing.
"""

from django.urls import reverse

from maturity.models import Dimension, PlanItem, Source, Theme
from riskreg.report.forms import FRONT_MATTER, PROSE
from riskreg.report.models import Report
from risks.models import Post, ReportingPeriod, Risk
from risks.services import close_period
from tests.factories import PASSWORD

from .badinput import check_form
from .conftest import client_for

TEXT = ["Lessons are shared each quarter.", "", "   ", "- a bullet\n- another"]
# A day or month too big for the C int that datetime.date takes is a distinct failure
# (OverflowError, not ValueError), so the lists hold one.
DAYS = ["1", "31", "30", "0", "32", "2147483648"]
MONTHS = ["1", "2", "12", "13", "2147483648"]
YEARS = ["2021", "2022", "1999", "2101"]


def test_theme_form(w):
    taken = Theme.objects.first().title
    report = check_form(client_for(w, "planner"), reverse("maturity:theme-create"),
                        {"title": ["Assurance", taken, taken.lower(), ""],
                         "order": ["1", "4", "-1", "32768"]})
    assert 302 in report.statuses


def _item_fields(w):
    item = PlanItem.objects.get(pk=w.item9)
    themes = [str(t) for t in Theme.objects.values_list("pk", flat=True)]
    sources = [str(s) for s in Source.objects.values_list("pk", flat=True)]
    posts = [str(p) for p in Post.objects.values_list("pk", flat=True)[:3]]
    return {
        "theme": [*themes, "999999"], "ref": ["9", "10", "1", "0", "70000"],
        "sources": [sources[:1], sources, [], ["999999"]],
        "issue": [item.issue, *TEXT], "owners": [item.owners, *TEXT],
        "owner_posts": [posts[:1], posts, []], "success_measure": TEXT, "update": TEXT,
    }


def _valid_item(fields: dict, ref: str) -> dict:
    """The first of each field's values, which the form accepts, with a ref it may take."""
    return {name: values[0] for name, values in fields.items()} | {"ref": ref}


def test_plan_item_form_new(w):
    fields = _item_fields(w)
    report = check_form(client_for(w, "planner"), reverse("maturity:item-create"), fields,
                        valid=_valid_item(fields, "10"))
    assert 302 in report.statuses


def test_plan_item_form_edit(w):
    fields = _item_fields(w)
    report = check_form(client_for(w, "planner"), reverse("maturity:item-edit", args=[w.item9]),
                        fields, valid=_valid_item(fields, "9"))
    assert 302 in report.statuses


def test_plan_item_update_text_form(w):
    """The item's owner (AC Professionalism) may change its update text only."""
    report = check_form(client_for(w, "other_owner"),
                        reverse("maturity:item-edit", args=[w.item9]),
                        {"update": TEXT, "issue": ["Tampered issue", None],
                         "owners": ["Tampered owners", None]})
    assert 302 in report.statuses
    assert PlanItem.objects.get(pk=w.item9).issue != "Tampered issue"


def _action_fields():
    return {
        "text": ["Publish the lessons", "", "  "],
        "milestone": ["Ongoing", "Nov-21", "", None],
        "milestone_date_day": DAYS, "milestone_date_month": MONTHS,
        "milestone_date_year": YEARS,
        "status": ["not_started", "in_progress", "complete"],
        "order": ["", "1", "5", "-3", None],
    }


def test_plan_action_form_new(w):
    report = check_form(client_for(w, "planner"),
                        reverse("maturity:action-create", args=[w.item9]), _action_fields())
    assert 302 in report.statuses


def test_plan_action_form_edit(w):
    report = check_form(client_for(w, "planner"),
                        reverse("maturity:action-edit", args=[w.action9]), _action_fields())
    assert 302 in report.statuses


def test_action_status_form(w):
    """The item's owner sets an action's status; the prefix names the action."""
    name = f"action-{w.action9}-status"
    report = check_form(client_for(w, "other_owner"),
                        reverse("maturity:action-status", args=[w.action9]),
                        {name: ["not_started", "in_progress", "complete"],
                         "status": ["complete", None]}, htmx=True)
    assert 302 in report.statuses


def test_plan_item_update_form(w):
    report = check_form(client_for(w, "other_owner"),
                        reverse("maturity:item-log-add", args=[w.item9]),
                        {"date_day": DAYS, "date_month": MONTHS, "date_year": YEARS,
                         "text": TEXT})
    assert 302 in report.statuses


def test_self_assessment_form(w):
    """The unit's commander (the owner's post) answers each dimension from 1 to 5."""
    fields = {f"dimension_{d.pk}": ["1", "3", "5", "0", "6"] for d in Dimension.objects.all()}
    report = check_form(client_for(w, "owner"),
                        reverse("maturity:assess", args=[w.unit, w.year]),
                        {**fields, "comments": TEXT})
    assert 302 in report.statuses


def test_new_report_form(w):
    draft = Report.objects.get(pk=w.draft_report)
    draft.noted_risks.clear()
    draft.appendix_b_risks.clear()
    draft.delete()  # so that one period is free for a new report
    periods = [str(p) for p in ReportingPeriod.objects.values_list("pk", flat=True)]
    report = check_form(
        client_for(w, "planner"), reverse("reports:new"),
        {"register": [str(draft.register_id), "999999"], "period": [*periods, "999999"],
         "meeting_day": DAYS, "meeting_month": MONTHS, "meeting_year": YEARS},
    )
    assert 302 in report.statuses


def test_report_form(w):
    draft = Report.objects.get(pk=w.draft_report)
    risks = [str(r) for r in Risk.objects.filter(register=draft.register)
             .values_list("pk", flat=True)[:4]]
    fields = {name: [getattr(draft, name), *TEXT] for name in FRONT_MATTER}
    fields |= {name: [getattr(draft, name), "{green} risks are green.", *TEXT] for name in PROSE}
    fields["contact_email"] = [draft.contact_email, "not-an-email", ""]
    fields |= {
        "meeting_day": ["24", *DAYS], "meeting_month": ["1", *MONTHS],
        "meeting_year": ["2022", *YEARS],
        "version": [str(draft.version), str(draft.version), "0", str(draft.version + 1)],
        "noted_risks": [risks[:2], [], ["999999"]], "appendix_b_risks": [risks[:1], []],
        "reprinted_risks": [[], ["999999"], risks[:1]],
        "confirmed": [[], ["key_considerations"], ["not-a-section"], list(PROSE)],
    }
    report = check_form(client_for(w, "planner"), reverse("reports:edit", args=[draft.pk]),
                        fields)
    assert 302 in report.statuses


def test_publish_button(w, monkeypatch):
    """Publishing reads the version and the tick (issue 14); the period must be closed first.
    The PDFs it keeps are stood in for: this is about the form, not the renderer."""
    monkeypatch.setattr("riskreg.report.document._render_pdf",
                        lambda report, *, public, fetcher=None, use_cache=True: b"%PDF-fake")
    close_period(period=ReportingPeriod.objects.get(slug=w.q3), by=w.users["planner"],
                 incomplete=True)
    version = Report.objects.get(pk=w.draft_report).version
    check_form(client_for(w, "planner"), reverse("reports:publish", args=[w.draft_report]),
               {"version": [version, version + 1, "", None, "x"],
                "confirm": ["on", "", None, "no", "1"]})


def test_withdraw_and_correct_forms(w):
    """A reason is required, trimmed, and at most 2,000 characters (issue 14)."""
    for name in ("reports:withdraw", "reports:correct"):
        check_form(client_for(w, "planner"), reverse(name, args=[w.published_report]),
                   {"reason": ["Sent with the wrong figures.", "", "   ", "x" * 2001, None,
                               "\x00", "<script>alert(1)</script>"]})


def test_sign_in_form(w):
    check_form(client_for(w, "anonymous"), reverse("login"),
               {"username": ["owner", "nobody", ""], "password": [PASSWORD, "wrong", ""],
                "next": ["/", "https://evil.example/", "//evil.example", None]})


def test_sign_in_never_redirects_off_site(w):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"):
        client = client_for(w, "anonymous")
        response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD,
                                                  "next": target})
        assert response.status_code == 302
        assert response["Location"] == "/", target

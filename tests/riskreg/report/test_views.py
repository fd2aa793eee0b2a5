"""Reports in the browser: who may read, download and change them; composing and publishing."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from riskreg.report.models import PROSE_MAX_LENGTH, Report
from riskreg.report.services import create_report
from risks.models import ReportingPeriod, Risk
from risks.services import open_period


@pytest.fixture
def october(seed):
    call_command("loaddata", "report_2021_10", verbosity=0)
    return Report.objects.get(pk=1)


@pytest.fixture
def draft(october, planner):
    """A draft report for 2021/22 Q3, opened from the October 2021 one."""
    period = open_period(
        name="2021/22 Q3", slug="2021-22-q3", start=datetime.date(2021, 10, 1),
        end=datetime.date(2021, 12, 31), deadline=datetime.date(2021, 12, 3),
    )
    return create_report(register=october.register, period=period,
                         meeting_date=datetime.date(2022, 1, 24), by=planner)


def urls(report: Report) -> dict[str, str]:
    return {
        "detail": reverse("reports:detail", args=[report.pk]),
        "pdf": reverse("reports:pdf", args=[report.pk]),
        "public pdf": reverse("reports:pdf", args=[report.pk]) + "?public=1",
        "edit": reverse("reports:edit", args=[report.pk]),
    }


def test_the_urls_are_the_designs():
    assert reverse("reports:list") == "/reports/"
    assert reverse("reports:detail", args=[1]) == "/reports/1/"
    assert reverse("reports:pdf", args=[1]) == "/reports/1/pdf"


@pytest.mark.parametrize("name", ["detail", "pdf", "edit"])
def test_anonymous_visitors_are_sent_to_sign_in(client, october, name):
    response = client.get(urls(october)[name])
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_someone_with_no_risk_in_the_register_cannot_read_or_download(client, october, outsider):
    client.force_login(outsider)
    listing = client.get("/reports/")
    assert listing.status_code == 200 and "4 October 2021" not in listing.text
    for name in ("detail", "pdf", "public pdf", "edit"):
        assert client.get(urls(october)[name]).status_code == 404, name


def test_an_owner_reads_the_public_version_and_cannot_edit(client, october, owner):
    """Issue 15: owners and leads read the public version of their registers' papers."""
    client.force_login(owner)
    assert "4 October 2021" in client.get("/reports/").text
    for name in ("detail", "pdf", "public pdf"):
        assert client.get(urls(october)[name]).status_code == 200, name
    assert "-public-" in client.get(urls(october)["pdf"])["Content-Disposition"]
    assert client.get(urls(october)["edit"]).status_code == 403


def test_the_panel_reads_and_downloads_a_published_report(client, october, panel):
    client.force_login(panel)
    listing = client.get("/reports/")
    assert listing.status_code == 200
    assert "4 October 2021" in listing.text
    assert "Start a new report" not in listing.text
    page = client.get(urls(october)["detail"])
    assert page.status_code == 200
    assert "Eight risks are reporting a &#x27;green&#x27; status" in page.text
    response = client.get(urls(october)["pdf"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == (
        'attachment; filename="met-risk-management-report-2021-10-full-OFFICIAL-SENSITIVE.pdf"'
    )
    public = client.get(urls(october)["public pdf"])
    assert public.status_code == 200
    assert public["Content-Disposition"] == (
        'attachment; filename="met-risk-management-report-2021-10-public-OFFICIAL.pdf"'
    )


def test_the_panel_cannot_see_drafts_or_change_reports(client, draft, october, panel):
    client.force_login(panel)
    for name in ("detail", "pdf", "edit"):
        assert client.get(urls(draft)[name]).status_code == 404, name
    assert "24 January 2022" not in client.get("/reports/").text
    assert client.get(urls(october)["edit"]).status_code == 403
    assert client.post(reverse("reports:publish", args=[draft.pk])).status_code == 404
    assert client.post(reverse("reports:new")).status_code == 403


def test_the_team_sees_drafts_and_the_preview_is_the_pdfs_html(client, draft, planner):
    client.force_login(planner)
    assert "24 January 2022" in client.get("/reports/").text
    page = client.get(urls(draft)["detail"])
    assert page.status_code == 200
    assert page.context["rendered"].body in page.text
    assert "Draft" in page.text
    # Q3 is open and nothing is approved yet: the draft says so and counts nothing.
    assert "11 updates not yet approved" in page.text
    assert client.get(urls(draft)["pdf"]).status_code == 200


def test_the_public_preview_leaves_appendix_b_out(client, october, planner):
    client.force_login(planner)
    full = client.get(urls(october)["detail"]).text
    public = client.get(urls(october)["detail"] + "?public=1").text
    assert "OFFICIAL-SENSITIVE" in full and "Key controls of risk 1" in full
    assert "OFFICIAL-SENSITIVE" not in public and "Key controls of risk 1" not in public
    assert "not included in this version" in public


def test_a_new_report_starts_from_the_last_reports_text(client, october, planner):
    open_period(name="2021/22 Q3", slug="2021-22-q3", start=datetime.date(2021, 10, 1),
                end=datetime.date(2021, 12, 31), deadline=datetime.date(2021, 12, 3))
    q3 = ReportingPeriod.objects.get(slug="2021-22-q3")
    client.force_login(planner)
    response = client.post(reverse("reports:new"), {
        "register": october.register_id, "period": q3.pk,
        "meeting_day": "24", "meeting_month": "1", "meeting_year": "2022",
    })
    new = Report.objects.get(period=q3)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:edit", args=[new.pk])
    assert new.meeting_date == datetime.date(2022, 1, 24)
    assert not new.is_published
    assert new.key_considerations == october.key_considerations
    assert new.maturity == october.maturity
    assert new.contact_email == "tracy.rylance@met.pnn.police.uk"
    assert sorted(r.ref for r in new.appendix_b_risks.all()) == [1, 3, 9, 11]
    assert new.created_by == planner


def test_a_second_report_for_the_same_period_is_refused(client, october, planner):
    client.force_login(planner)
    response = client.post(reverse("reports:new"), {
        "register": october.register_id, "period": october.period_id,
        "meeting_day": "4", "meeting_month": "10", "meeting_year": "2021",
    })
    assert response.status_code == 200
    assert "There is already a report for 2021/22 Q2" in response.text
    assert Report.objects.count() == 1


def test_a_bad_meeting_date_gets_a_clear_message(client, october, planner):
    client.force_login(planner)
    response = client.post(reverse("reports:new"), {
        "register": october.register_id, "period": october.period_id,
        "meeting_day": "31", "meeting_month": "2", "meeting_year": "2022",
    })
    assert "The date of the meeting must be a real date" in response.text


def form_data(report: Report, **changes) -> dict:
    from riskreg.report.forms import FRONT_MATTER, PROSE

    data = {name: getattr(report, name) for name in [*FRONT_MATTER, *PROSE]}
    data |= {
        "meeting_day": report.meeting_date.day, "meeting_month": report.meeting_date.month,
        "meeting_year": report.meeting_date.year, "version": report.version,
        "noted_risks": [r.pk for r in report.noted_risks.all()],
        "appendix_b_risks": [r.pk for r in report.appendix_b_risks.all()],
    }
    return data | changes


def test_the_team_edits_a_draft_and_the_change_is_recorded(client, draft, planner):
    client.force_login(planner)
    assert client.get(urls(draft)["edit"]).status_code == 200
    response = client.post(urls(draft)["edit"], form_data(
        draft, key_considerations="The board met in December.",
        appendix_b_risks=[Risk.objects.get(ref=1).pk],
    ))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.key_considerations == "The board met in December."
    assert draft.version == 2
    assert [r.ref for r in draft.appendix_b_risks.all()] == [1]
    assert draft.history.first().history_user == planner


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(client, draft, planner):
    client.force_login(planner)
    stale = form_data(draft, key_considerations="Mine")
    client.post(urls(draft)["edit"], form_data(draft, key_considerations="Theirs"))
    response = client.post(urls(draft)["edit"], stale)
    assert response.status_code == 409
    assert "Someone else saved this report" in response.text
    assert "Mine" in response.text
    draft.refresh_from_db()
    assert draft.key_considerations == "Theirs"
    # Saving again from the conflict page overwrites, deliberately.
    again = response.context["form"].data
    assert client.post(urls(draft)["edit"], again).status_code == 302
    draft.refresh_from_db()
    assert draft.key_considerations == "Mine"


def test_unknown_figures_in_the_prose_are_refused(client, draft, planner):
    client.force_login(planner)
    response = client.post(urls(draft)["edit"], form_data(draft, introduction="{eight} risks"))
    assert response.status_code == 200
    assert "The report cannot fill in {eight}" in response.text
    draft.refresh_from_db()
    assert draft.version == 1


def test_prose_longer_than_its_limit_is_refused_and_the_limit_is_accepted(client, draft, planner):
    client.force_login(planner)
    assert f'maxlength="{PROSE_MAX_LENGTH}"' in client.get(urls(draft)["edit"]).text
    too_long = form_data(draft, legal="x" * (PROSE_MAX_LENGTH + 1))
    response = client.post(urls(draft)["edit"], too_long)
    assert response.status_code == 200
    assert f"Ensure this value has at most {PROSE_MAX_LENGTH} characters" in response.text
    draft.refresh_from_db()
    assert draft.version == 1
    response = client.post(urls(draft)["edit"], form_data(draft, legal="x" * PROSE_MAX_LENGTH))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert len(draft.legal) == PROSE_MAX_LENGTH


def test_the_form_names_each_figure_and_accepts_the_computed_sentences(client, draft, planner):
    client.force_login(planner)
    html = client.get(urls(draft)["edit"]).text
    assert "Figures the report fills in" in html
    for token in ("{green_count}", "{score_changes}", "{progress_options}"):
        assert token in html
    response = client.post(urls(draft)["edit"], form_data(
        draft, position_notes="{score_changes} following the refresh.",
        introduction="With {progress_options}.",
    ))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.position_notes == "{score_changes} following the refresh."


def test_a_report_is_published_only_once_its_period_is_closed(client, draft, planner):
    client.force_login(planner)
    response = client.post(reverse("reports:publish", args=[draft.pk]),
                           {"version": draft.version, "confirm": "on"})
    assert response.status_code == 200
    assert "still open" in response.text
    draft.refresh_from_db()
    assert not draft.is_published


def test_publishing_freezes_the_report_and_the_panel_then_sees_it(client, october, planner, panel):
    Report.objects.filter(pk=october.pk).update(published_at=None)
    client.force_login(planner)
    response = client.post(reverse("reports:publish", args=[october.pk]),
                           {"version": october.version, "confirm": "on"})
    assert response.status_code == 302
    october.refresh_from_db()
    assert october.is_published and october.published_by == planner
    assert october.snapshot is not None
    # Published: no more edits, by form or by a stale POST.
    assert client.get(urls(october)["edit"]).status_code == 302
    client.post(urls(october)["edit"], form_data(october, summary_purpose="Changed"))
    october.refresh_from_db()
    assert october.summary_purpose.startswith("This report provides an overview")
    client.force_login(panel)
    assert client.get(urls(october)["detail"]).status_code == 200


def test_the_form_works_without_javascript_and_has_no_inline_script(client, draft, planner):
    client.force_login(planner)
    for url in (urls(draft)["edit"], urls(draft)["detail"], "/reports/"):
        html = client.get(url).text
        assert "<script>" not in html and " onclick=" not in html and "hx-on" not in html
    html = client.get(urls(draft)["edit"]).text
    assert 'method="post"' in html and 'type="submit"' in html


# Publishing, withdrawing and correcting (issue 14) ----------------------------------------


@pytest.fixture
def fake_pdfs(monkeypatch):
    """Rendering stood in for by bytes that name the file: these tests are about the pages."""
    def render(report, *, public, fetcher=None, use_cache=True):
        return f"%PDF-fake {report.pk} {report.filename(public=public)}".encode()

    monkeypatch.setattr("riskreg.report.document._render_pdf", render)


@pytest.fixture
def unpublished(october):
    """October 2021 as a draft: its period (2021/22 Q2) is closed, so it can be published."""
    Report.objects.filter(pk=october.pk).update(published_at=None, snapshot=None)
    october.refresh_from_db()
    return october


def test_the_confirmation_page_restates_what_is_published(client, unpublished, planner):
    client.force_login(planner)
    detail = client.get(urls(unpublished)["detail"]).text
    publish_url = reverse("reports:publish", args=[unpublished.pk])
    assert f'href="{publish_url}"' in detail and "DRAFT" in detail
    html = client.get(publish_url).text
    for fact in ["MPS-MOPAC JOINT AUDIT PANEL, 4 October 2021", "2021/22 Q2 (closed)",
                 "Full version (with Appendix B): <strong>OFFICIAL-SENSITIVE</strong>",
                 "Public version: <strong>OFFICIAL</strong> (Non restricted paper)",
                 "Risk 1, Risk 3, Risk 9, Risk 11", "Risk 10: LEGITIMACY",
                 "None: every update is approved", 'name="confirm"']:
        assert fact in html, fact


def test_publishing_is_refused_without_the_tick_and_changes_nothing(client, unpublished, planner):
    client.force_login(planner)
    url = reverse("reports:publish", args=[unpublished.pk])
    for data in ({"version": unpublished.version}, {"version": unpublished.version, "confirm": ""}):
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Tick the box to confirm that you have checked the report" in response.text
        assert "govuk-error-summary" in response.text
    for bad in ({"confirm": "on"}, {"confirm": "on", "version": "x"}):
        assert client.post(url, bad).status_code == 200
    assert not Report.objects.get(pk=unpublished.pk).is_published


def test_publishing_a_published_report_or_a_stale_form_is_refused(
    client, unpublished, planner, fake_pdfs
):
    client.force_login(planner)
    url = reverse("reports:publish", args=[unpublished.pk])
    stale = client.post(url, {"version": unpublished.version + 1, "confirm": "on"}, follow=True)
    assert "changed since you opened it" in stale.text
    assert client.post(url, {"version": unpublished.version, "confirm": "on"}).status_code == 302
    again = client.post(url, {"version": unpublished.version + 1, "confirm": "on"}, follow=True)
    assert "already published" in again.text
    assert client.get(url).status_code == 302


def test_a_draft_pdfs_filename_says_draft_and_its_marking(client, unpublished, planner, fake_pdfs):
    client.force_login(planner)
    response = client.get(urls(unpublished)["pdf"])
    assert response["Content-Disposition"] == (
        'attachment; filename="DRAFT-met-risk-management-report-2021-10-full-OFFICIAL-SENSITIVE.pdf"'
    )
    public = client.get(urls(unpublished)["public pdf"])
    assert 'filename="DRAFT-met-risk-management-report-2021-10-public-OFFICIAL.pdf"' in (
        public["Content-Disposition"]
    )


def test_withdrawing_needs_a_reason_then_the_panel_sees_nothing_and_the_team_the_reason(
    client, october, planner, panel, fake_pdfs
):
    client.force_login(planner)
    url = reverse("reports:withdraw", args=[october.pk])
    assert "Why is the report withdrawn?" in client.get(url).text
    for reason in ("", "   ", "x" * 2001):
        response = client.post(url, {"reason": reason})
        assert response.status_code == 200 and "govuk-error-summary" in response.text
    assert Report.objects.get(pk=october.pk).is_current
    response = client.post(url, {"reason": "The figures for risk 4 were wrong."})
    assert response.status_code == 302
    listing = client.get("/reports/").text
    assert "Withdrawn on " in listing and ": The figures for risk 4 were wrong." in listing
    assert "Withdrawn on " in client.get(urls(october)["detail"]).text
    assert client.get(urls(october)["pdf"]).status_code == 200
    assert client.get(url).status_code == 302  # nothing more to withdraw

    client.force_login(panel)
    assert "4 October 2021" not in client.get("/reports/").text
    for name in ("detail", "pdf", "public pdf"):
        assert client.get(urls(october)[name]).status_code == 404, name


def test_a_corrected_version_supersedes_the_published_one_for_the_panel(
    client, october, planner, panel, fake_pdfs
):
    client.force_login(planner)
    before = client.get(urls(october)["pdf"]).content
    url = reverse("reports:correct", args=[october.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "Paragraph 1.3 named the wrong risk."})
    correction = Report.objects.get(supersedes=october)
    assert response["Location"] == urls(correction)["edit"]
    assert "Corrected version: Paragraph 1.3 named the wrong risk." in (
        client.get(urls(correction)["detail"]).text
    )
    assert client.post(url, {"reason": "Again"}).status_code == 200  # one correction at a time

    client.force_login(panel)
    assert client.get(urls(october)["detail"]).status_code == 200
    assert client.get(urls(correction)["detail"]).status_code == 404

    client.force_login(planner)
    client.post(reverse("reports:publish", args=[correction.pk]),
                {"version": correction.version, "confirm": "on"})
    listing = client.get("/reports/").text
    assert "Superseded on " in listing and ": Paragraph 1.3 named the wrong risk." in listing
    assert client.get(urls(october)["pdf"]).content == before

    client.force_login(panel)
    assert client.get(urls(correction)["detail"]).status_code == 200
    for name in ("detail", "pdf", "public pdf"):
        assert client.get(urls(october)[name]).status_code == 404, name
    assert client.get(reverse("reports:correct", args=[correction.pk])).status_code == 403
    assert client.get(reverse("reports:withdraw", args=[correction.pk])).status_code == 403


def test_a_draft_cannot_be_withdrawn_or_corrected(client, draft, planner):
    client.force_login(planner)
    for name in ("reports:withdraw", "reports:correct"):
        response = client.post(reverse(name, args=[draft.pk]), {"reason": "Why not"}, follow=True)
        assert "only the current published report" in response.text
    assert not Report.objects.filter(supersedes=draft).exists()
    assert not Report.objects.get(pk=draft.pk).is_withdrawn


def test_the_marking_is_chosen_from_the_list(client, draft, planner):
    client.force_login(planner)
    html = client.get(urls(draft)["edit"]).text
    assert 'type="radio" name="protective_marking" value="OFFICIAL-SENSITIVE"' in html
    response = client.post(urls(draft)["edit"], form_data(draft, protective_marking="SECRET"))
    assert response.status_code == 200 and "govuk-error-summary" in response.text
    client.post(urls(draft)["edit"], form_data(draft, protective_marking="OFFICIAL-SENSITIVE"))
    draft.refresh_from_db()
    assert draft.marking(public=True) == "OFFICIAL-SENSITIVE" and draft.handling(public=True) == ""

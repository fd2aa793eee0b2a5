"""Importing a register: the preview writes nothing, the confirmation writes all of it through
the services into the open quarter, the same file again changes nothing, closed quarters keep
their record, and only the Planning & Risk Team may import."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from riskreg.dataio.views import SESSION_KEY
from risks.locking import StaleVersion
from risks.models import Assessment, Register, ReportingPeriod, Risk
from risks.services import close_period, open_period
from tests.factories import make_register

from .helpers import csv_bytes, read_xlsx, upload, xlsx


def _import_url(slug):
    return reverse("dataio:import", args=[slug])


def _preview(client, slug, name, data):
    return client.post(_import_url(slug), {"file": upload(name, data)})


def _confirm(client, slug, response):
    return client.post(reverse("dataio:import-confirm", args=[slug]),
                       {"token": response.context["token"]})


def _table_rows():
    """Every row a test's import may touch, as plain values."""
    return (
        sorted(Risk.objects.values_list("register_id", "ref", "title", "owner_id", "horizon",
                                        "target_likelihood", "target_impact", "description")),
        sorted(Assessment.objects.values_list("risk_id", "period_id", "likelihood", "impact",
                                              "trend", "progress", "commentary", "version",
                                              "title", "owner_name")),
        Risk.history.count(), Assessment.history.count(),
    )


NEW = [["Risk ref", "Risk", "Risk owner", "Horizon", "L", "I", "Target", "Trend",
        "Progress towards target", "Commentary", "Reasons", "Leads", "Notes"],
       ["1", "FLOODING", "Deputy Commissioner", "Short term", "High", "3", "L v M", "↔",
        "Limited", "Rivers are rising.", "Defences late.",
        "AC Frontline Policing; Director of HR", "not imported"],
       ["R2", "CYBER ATTACK", "Director of HR", "long-term", "VH", "m", "1 v 2", "stable",
        "on track", "Patched.", "", "", ""]]


@pytest.fixture
def team(client, planner):
    client.force_login(planner)
    return client


def test_owners_and_readers_cannot_import(client, owner, panel, q3):
    for person in (owner, panel):
        client.force_login(person)
        assert client.get(_import_url("corporate")).status_code == 403
        response = _preview(client, "corporate", "r.csv", csv_bytes(NEW))
        assert response.status_code == 403
        assert client.post(reverse("dataio:import-confirm", args=["corporate"])).status_code == 403
        assert client.get(reverse("dataio:import-template", args=["corporate"])).status_code == 403


def test_the_import_page_offers_the_template(team, q3):
    page = team.get(_import_url("corporate"))
    assert page.status_code == 200
    assert "2021/22 Q3" in page.content.decode()
    template = team.get(reverse("dataio:import-template", args=["corporate"]) + "?format=xlsx")
    assert read_xlsx(template.content)[0][:3] == ("Ref", "Title", "Description")[:3] or \
        list(read_xlsx(template.content)[0][:3]) == ["Ref", "Title", "Description"]


def test_a_preview_lists_every_row_and_writes_nothing(team, q3):
    register = make_register("flood")
    before = _table_rows()
    response = _preview(team, "flood", "new.xlsx", xlsx(NEW))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert [(r.line, r.ref, r.status) for r in plan.rows] == [(2, 1, "created"), (3, 2, "created")]
    assert response.context["mapping"].ignored == ["Notes"]
    assert _table_rows() == before
    assert not Risk.objects.filter(register=register).exists()
    assert SESSION_KEY in team.session


def test_confirming_writes_the_risks_and_their_open_quarter_updates(team, q3, planner):
    register = make_register("flood")
    response = _confirm(team, "flood", _preview(team, "flood", "new.csv", csv_bytes(NEW)))
    assert response.status_code == 302
    assert response["Location"] == "/registers/flood/?period=2021-22-q3"
    flood = Risk.objects.get(register=register, ref=1)
    assert (flood.title, flood.owner.name, flood.horizon, flood.target_likelihood,
            flood.target_impact) == ("FLOODING", "Deputy Commissioner", "short", 1, 2)
    assert [p.name for p in flood.ordered_leads()] == ["AC Frontline Policing", "Director of HR"]
    update = Assessment.objects.get(risk=flood, period=q3)
    assert (update.likelihood, update.impact, update.trend, update.progress, update.commentary,
            update.reasons, update.state) == (3, 3, "stable", "limited", "Rivers are rising.",
                                              "Defences late.", "draft")
    # The quarter's record of the risk, through record_definitions.
    assert (update.title, update.owner_name, update.lead_names, update.target_likelihood) == (
        "FLOODING", "Deputy Commissioner", ["AC Frontline Policing", "Director of HR"], 1)
    assert update.updated_by == planner and update.score_checked_at is not None
    assert Risk.history.filter(id=flood.pk).first().history_change_reason == "Imported"
    cyber = Assessment.objects.get(risk__register=register, ref=2, period=q3)
    assert (cyber.likelihood, cyber.impact, cyber.horizon) == (4, 2, "long")
    assert SESSION_KEY not in team.session


def test_the_same_file_again_changes_nothing(team, q3):
    make_register("flood")
    _confirm(team, "flood", _preview(team, "flood", "new.csv", csv_bytes(NEW)))
    before = _table_rows()
    response = _preview(team, "flood", "new.csv", csv_bytes(NEW))
    assert [r.status for r in response.context["plan"].rows] == ["unchanged", "unchanged"]
    assert "nothing to import" in response.content.decode()
    assert _table_rows() == before


def test_an_update_of_existing_risks_lists_what_changes(team, q3):
    rows = [["Ref", "Title", "Position", "Commentary"],
            ["1", "VIOLENT CRIME", "L v H", "Fewer knife injuries."], ["2", "NEW SYSTEMS", "", ""]]
    two = Assessment.objects.get(risk__register__slug="corporate", ref=2, period=q3)
    rows[2][2], rows[2][3] = two.position.replace(" ", " "), two.commentary
    plan = _preview(team, "corporate", "r.csv", csv_bytes(rows)).context["plan"]
    assert plan.rows[0].status == "updated"
    assert plan.rows[0].changes == ["Current position: M v H → L v H", "Commentary"]
    assert plan.rows[1].status == "unchanged"


def test_row_errors_are_listed_and_nothing_can_be_confirmed(team, q3):
    rows = [["Ref", "Title", "Owner", "Horizon", "Likelihood", "Impact", "Trend"],
            ["1", "VIOLENT CRIME", "Nobody In Particular", "short", "High", "", "sideways"],
            ["x", "", "", "", "", "", ""], ["99", "", "", "", "", "", ""],
            ["1", "AGAIN", "", "", "", "", ""]]
    before = _table_rows()
    response = _preview(team, "corporate", "r.csv", csv_bytes(rows))
    plan = response.context["plan"]
    assert [r.status for r in plan.rows] == ["error"] * 4
    errors = [r.errors for r in plan.rows]
    assert "There is no post called “Nobody In Particular”" in errors[0][0]
    assert any("not a trend" in e for e in errors[0])
    assert any("Give both the current likelihood and impact" in e for e in errors[0])
    assert errors[1][0].startswith("“x” is not a risk number")
    assert errors[2] == ["A new risk needs a title, a horizon and an owner"]
    assert "Risk 1 is also on line 2" in errors[3]
    assert "token" in response.context and "Import " not in response.content.decode().split(
        "</table>")[1]
    assert _table_rows() == before


def test_a_submitted_update_cannot_be_changed_by_an_import(team, q3):
    Assessment.objects.filter(period=q3, ref=3).update(state="submitted")
    rows = [["Ref", "Commentary"], ["3", "A new commentary"]]
    plan = _preview(team, "corporate", "r.csv", csv_bytes(rows)).context["plan"]
    assert plan.rows[0].errors == [
        "This quarter's update of risk 3 is submitted: an import cannot change its score, "
        "progress or commentary"]


@pytest.mark.parametrize("name,data,message", [
    ("r.xlsm", xlsx([["Ref"], [1]]), "macro-enabled"),
    ("r.xlsx", xlsx([["Ref", "Title"], [1, "=A1"]]), "holds a formula"),
    ("r.csv", "Ref,Title\n1,Café\n".encode("cp1252"), "not in UTF-8"),
    ("r.pdf", b"%PDF-1.7", "must be an Excel workbook"),
    ("r.csv", b"Title\nNo numbers\n", "with one for the risk"),
    ("r.csv", b"Ref,Ref\n1,1\n", "Two columns"),
    ("r.csv", b"Ref\n", "no risks under them"),
])
def test_bad_files_get_a_clear_message_and_write_nothing(team, q3, name, data, message):
    before = _table_rows()
    response = _preview(team, "corporate", name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _table_rows() == before
    assert SESSION_KEY not in team.session


def test_a_50_mb_upload_is_refused_before_it_is_read(team, q3, settings):
    before = _table_rows()
    big = upload("r.csv", b"Ref\n" + b"1\n" * (25 * 1024 * 1024))
    assert team.post(_import_url("corporate"), {"file": big}).status_code == 413
    # With a larger body allowed, the import's own limit says so in words.
    settings.REQUEST_BODY_MAX_BYTES = 60 * 1024 * 1024
    big.seek(0)
    response = team.post(_import_url("corporate"), {"file": big})
    assert response.status_code == 400
    assert "the largest file that can be imported is 2 MB" in response.content.decode()
    assert _table_rows() == before


def test_confirming_without_a_preview_or_with_another_token_writes_nothing(team, q3):
    before = _table_rows()
    confirm = reverse("dataio:import-confirm", args=["corporate"])
    assert team.post(confirm, {"token": "nothing"}).status_code == 400
    _preview(team, "corporate", "r.csv", csv_bytes([["Ref", "Commentary"], ["1", "New"]]))
    response = team.post(confirm, {"token": "not-the-preview"})
    assert response.status_code == 400
    assert "upload it again" in response.content.decode()
    assert _table_rows() == before


def test_a_preview_for_one_register_cannot_confirm_into_another(team, q3):
    make_register("flood")
    response = _preview(team, "corporate", "r.csv", csv_bytes([["Ref", "Commentary"], ["1", "x"]]))
    before = _table_rows()
    confirm = team.post(reverse("dataio:import-confirm", args=["flood"]),
                        {"token": response.context["token"]})
    assert confirm.status_code == 400
    assert _table_rows() == before


def test_when_the_register_changes_after_the_preview_nothing_is_written(team, q3):
    rows = [["Ref", "Commentary"], ["1", "New words"]]
    response = _preview(team, "corporate", "r.csv", csv_bytes(rows))
    Assessment.objects.filter(period=q3, ref=1).update(state="submitted")
    before = _table_rows()
    confirm = _confirm(team, "corporate", response)
    assert confirm.status_code == 409
    assert "Nothing was imported" in confirm.content.decode()
    assert _table_rows() == before


def test_no_open_quarter_means_no_import(team, seed):
    response = _preview(team, "corporate", "r.csv", csv_bytes([["Ref"], ["1"]]))
    assert response.status_code == 400
    assert "No reporting period is open" in response.content.decode()


def test_a_second_quarter_imports_into_the_open_one_and_the_closed_one_keeps_its_record(
    team, q3, planner
):
    """Q3 closed through the cycle, Q4 opened: the import changes Q4's record of risk 1 and
    its risk, never Q3's (nor Q2's)."""
    Assessment.objects.filter(period=q3).update(state="approved", reviewed_at=timezone.now())
    close_period(period=q3, by=planner)
    q4 = open_period(name="2021/22 Q4", slug="2021-22-q4", start=datetime.date(2022, 1, 1),
                     end=datetime.date(2022, 3, 31), deadline=datetime.date(2022, 3, 4),
                     by=planner)
    closed = sorted(Assessment.objects.filter(period__state="closed").values_list())
    rows = [["Ref", "Title", "Position", "Commentary"],
            ["1", "VIOLENT CRIME AND KNIFE CRIME", "L v H", "Better this quarter."]]
    response = _confirm(team, "corporate", _preview(team, "corporate", "r.csv", csv_bytes(rows)))
    assert response.status_code == 302
    now = Assessment.objects.get(period=q4, ref=1)
    assert (now.title, now.position, now.commentary) == (
        "VIOLENT CRIME AND KNIFE CRIME", "L v H", "Better this quarter.")
    assert Risk.objects.get(register__slug="corporate", ref=1).title == \
        "VIOLENT CRIME AND KNIFE CRIME"
    assert sorted(Assessment.objects.filter(period__state="closed").values_list()) == closed
    assert Assessment.objects.get(period=q3, ref=1).title == "VIOLENT CRIME"
    assert ReportingPeriod.objects.get(pk=q3.pk).state == "closed"
    assert Register.objects.get(slug="corporate")


def test_a_failure_half_way_through_the_import_writes_nothing(team, q3, monkeypatch):
    """All of it in one transaction: the second risk's write fails, the first is undone."""
    from riskreg.dataio import imports

    calls = []

    def failing(**kwargs):
        calls.append(kwargs["assessment"].ref)
        if len(calls) == 2:
            raise StaleVersion(kwargs["assessment"])
        return real(**kwargs)

    real = imports.save_assessment
    monkeypatch.setattr(imports, "save_assessment", failing)
    rows = [["Ref", "Commentary"], ["1", "First new words"], ["2", "Second new words"]]
    preview = _preview(team, "corporate", "r.csv", csv_bytes(rows))
    before = _table_rows()
    response = _confirm(team, "corporate", preview)
    assert response.status_code == 409
    assert "Nothing was imported" in response.content.decode()
    assert calls == [1, 2]
    assert _table_rows() == before


def test_the_register_page_links_its_downloads_and_import_with_its_filters(team, q3):
    page = team.get("/registers/corporate/?period=2021-22-q3&rag=amber&page=1").content.decode()
    assert 'href="/registers/corporate/export/?period=2021-22-q3&amp;rag=amber&amp;format=csv"' \
        in page
    assert 'href="/registers/corporate/export/?period=2021-22-q3&amp;rag=amber&amp;format=xlsx"' \
        in page
    assert 'href="/registers/corporate/print/?period=2021-22-q3&amp;rag=amber&amp;format=pdf"' \
        in page
    assert 'href="/registers/corporate/import/"' in page


def test_readers_get_the_download_links_but_not_the_import(client, panel, q3):
    client.force_login(panel)
    page = client.get("/registers/corporate/").content.decode()
    assert "Download as Excel" in page and "/import/" not in page


def test_a_preview_of_one_quarter_never_confirms_into_the_next(team, q3, planner):
    preview = _preview(team, "corporate", "r.csv", csv_bytes([["Ref", "Commentary"], ["1", "x"]]))
    Assessment.objects.filter(period=q3).update(state="approved", reviewed_at=timezone.now())
    close_period(period=q3, by=planner)
    open_period(name="2021/22 Q4", slug="2021-22-q4", start=datetime.date(2022, 1, 1),
                end=datetime.date(2022, 3, 31), deadline=datetime.date(2022, 3, 4), by=planner)
    before = _table_rows()
    response = _confirm(team, "corporate", preview)
    assert response.status_code == 409
    assert "The preview was of another quarter" in response.content.decode()
    assert _table_rows() == before

"""Every table page downloads as .csv and .xlsx, with the page's filters and only what the
person may see; an exported register imports back unchanged, or into a new register as it was."""

import pytest
from django.urls import reverse

from risks.models import Assessment
from tests.factories import make_register
from tests.queries import SIGNED_IN

from .helpers import read_csv, read_xlsx, upload


def _get(client, name, *args, query=""):
    return client.get(reverse(f"dataio:{name}", args=args) + query)


@pytest.fixture
def team(client, planner):
    client.force_login(planner)
    return client


def test_the_register_downloads_with_the_pages_filters(team, q3):
    response = _get(team, "register", "corporate", query="?period=2021-22-q3&rag=amber&format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="corporate-2021-22-q3.csv"'
    rows = read_csv(response.content)
    assert rows[0][:6] == ["Ref", "Title", "Horizon", "Owner", "Leads", "Likelihood"]
    assert {row[11] for row in rows[1:]} == {"Amber"}
    assert len(rows) == 3  # the heading and the two amber risks


def test_the_register_as_excel_has_every_risk_in_the_register_order(team, q3):
    response = _get(team, "register", "corporate", query="?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(response.content)
    shown = Assessment.objects.filter(period=q3, risk__register__slug="corporate")
    assert len(rows) == shown.count() + 1
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["Ref"], first["Title"], first["Likelihood"], first["Impact"], first["Status"]) \
        == (1, "VIOLENT CRIME", "Medium", "High", "Draft")


def test_an_unknown_format_is_not_found(team, q3):
    assert _get(team, "register", "corporate", query="?format=exe").status_code == 404


def test_the_panel_never_sees_drafts_in_an_export(client, panel, q3):
    Assessment.objects.filter(period=q3, ref=1).update(commentary="A DRAFT NOT FOR THE PANEL")
    client.force_login(panel)
    for fmt in ("csv", "xlsx"):
        response = _get(client, "register", "corporate", query=f"?period=2021-22-q3&format={fmt}")
        assert b"A DRAFT NOT FOR THE PANEL" not in response.content
        rows = read_csv(response.content) if fmt == "csv" else read_xlsx(response.content)
        assert {row[-1] for row in rows[1:]} == {"Last approved in 2021/22 Q2"}
    history = _get(client, "risk-history", Assessment.objects.get(period=q3, ref=1).risk_id,
                   query="?format=csv")
    assert b"A DRAFT NOT FOR THE PANEL" not in history.content
    assert b"History" not in history.content


def test_owners_read_only_registers_they_may_see_and_never_the_review(client, outsider, q3):
    client.force_login(outsider)
    assert _get(client, "register", "corporate", query="?format=csv").status_code == 404
    assert _get(client, "review", query="?format=csv").status_code == 403


def test_text_that_a_spreadsheet_would_run_is_neutralised(team, q3):
    Assessment.objects.filter(period=q3, ref=1).update(commentary='=HYPERLINK("http://evil")')
    csv_rows = read_csv(_get(team, "register", "corporate", query="?format=csv").content)
    assert csv_rows[1][19] == "'=HYPERLINK(\"http://evil\")"
    xlsx = _get(team, "register", "corporate", query="?format=xlsx").content
    assert read_xlsx(xlsx)[1][19] == "'=HYPERLINK(\"http://evil\")"
    assert b"<f>" not in xlsx


@pytest.mark.parametrize("name,args,query,first", [
    ("compare", ["corporate"], "?from=2021-22-q2&to=2021-22-q3", "Ref"),
    ("changes", ["corporate"], "?period=2021-22-q3", "Ref"),
    ("review", [], "?period=2021-22-q3", "Register"),
    ("dashboard", [], "?period=2021-22-q2", "Register"),
    ("plan", [], "?show=open", "Theme"),
    ("results", [], "", "Business group"),
])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_table_page_downloads(team, q3, name, args, query, first, fmt):
    response = _get(team, name, *args, query=(query + "&" if query else "?") + f"format={fmt}")
    assert response.status_code == 200
    rows = read_csv(response.content) if fmt == "csv" else read_xlsx(response.content)
    assert first in rows[0] or (rows[1] and first in rows[1])


def test_a_risks_history_downloads_with_its_quarters(team, q3):
    risk_id = Assessment.objects.get(period=q3, ref=1).risk_id
    book = _get(team, "risk-history", risk_id, query="?format=xlsx").content
    quarters = read_xlsx(book)
    assert [row[0] for row in quarters[1:3]] == ["2021/22 Q3", "2021/22 Q2"]
    assert read_xlsx(book, 1)[0] == ("When", "Who", "What", "Why", "Changes") or \
        list(read_xlsx(book, 1)[0]) == ["When", "Who", "What", "Why", "Changes"]


def _import(client, slug, name, data):
    preview = client.post(reverse("dataio:import", args=[slug]), {"file": upload(name, data)})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    return preview


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_register_imports_back_unchanged_and_into_a_new_register_as_it_was(
    team, q3, fmt
):
    exported = _get(team, "register", "corporate", query=f"?format={fmt}").content
    preview = _import(team, "corporate", f"corporate.{fmt}", exported)
    plan = preview.context["plan"]
    assert {row.status for row in plan.rows} == {"unchanged"}, [
        (r.ref, r.errors, r.changes) for r in plan.rows if r.status != "unchanged"]
    assert preview.context["mapping"].ignored == [
        "Score", "Band", "RAG", "Target score", "Status"]

    make_register("copy", name="Copy")
    preview = _import(team, "copy", f"corporate.{fmt}", exported)
    assert {row.status for row in preview.context["plan"].rows} == {"created"}
    confirm = team.post(reverse("dataio:import-confirm", args=["copy"]),
                        {"token": preview.context["token"]})
    assert confirm.status_code == 302
    copied = _get(team, "register", "copy", query=f"?format={fmt}").content
    read = read_csv if fmt == "csv" else read_xlsx
    assert read(copied)[1:] == read(exported)[1:]
    again = _import(team, "copy", f"copy.{fmt}", copied)
    assert {row.status for row in again.context["plan"].rows} == {"unchanged"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_big_registers_export_costs_a_fixed_number_of_queries(
    big_register, django_assert_num_queries, fmt
):
    client, n = big_register
    url = reverse("dataio:register", args=["big"]) + f"?period=q2&format={fmt}"
    # Signed in (SIGNED_IN), the register (1), the periods (1), the owners for the filter form
    # (1), the pillars (1), the rows (1) and their pillars (1): the same at 10 risks and at 500.
    with django_assert_num_queries(SIGNED_IN + 6):
        response = client.get(url)
    rows = read_csv(response.content) if fmt == "csv" else read_xlsx(response.content)
    assert len(rows) == n + 1

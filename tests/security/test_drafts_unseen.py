"""Readers never see a draft (issue 13): a marker written into every kind of work in progress
of the open quarter (an owner's draft, a submitted update, a control's note, the team's return
comment) never appears on any page that a person who may not see that draft can open.

The access matrix names every page each role may open; this test opens each of them (and the
register pages for the open quarter by name) as each reader, and looks for the markers.
"""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from controls.models import Control, ControlUpdate
from risks.models import Assessment

from .addresses import path_for
from .conftest import ROLES, client_for
from .test_access_matrix import EXPECTED

MARK = "DRAFT-MARKER"
# Whose drafts each reader may see: the owner and the lead hold risk 1's posts.
READERS = {
    "panel": set(),
    "other_owner": set(),
    "owner": {"risk1"},
    "lead": {"risk1"},
}


@pytest.fixture
def drafts(w):
    """Markers in risk 1's draft, risk 2's submitted update, a control note of each, and a
    return comment on risk 2 (the team sent it back)."""
    marks = {"risk1": f"{MARK}-RISK1", "risk2": f"{MARK}-RISK2"}
    Assessment.objects.filter(pk=w.assessment1).update(
        commentary=f"{marks['risk1']} commentary", reasons=f"{marks['risk1']} reasons",
        progress="limited",
    )
    Assessment.objects.filter(pk=w.assessment2).update(
        commentary=f"{marks['risk2']} commentary", state="returned",
        review_comment=f"{marks['risk2']} return comment", reviewed_at=timezone.now(),
    )
    q3 = Assessment.objects.get(pk=w.assessment1).period
    for risk_id, mark in ((w.risk1, marks["risk1"]), (w.risk2, marks["risk2"])):
        control = Control.objects.filter(risk_id=risk_id).first()
        if control is None:
            control = Control.objects.create(risk_id=risk_id, title=f"A control of {risk_id}")
        ControlUpdate.objects.create(
            control=control, period=q3, status="delayed", note=f"{mark} control note"
        )
    return marks


def _pages(w, role):
    column = ROLES.index(role)
    pages = {
        path_for(key, w)
        for (key, method), statuses in EXPECTED.items()
        if method == "GET" and statuses[column] == 200 and not key.startswith("admin")
        and key not in ("logout", "reports:pdf")
    }
    corporate = "/registers/corporate/"
    pages |= {
        f"{corporate}?period={w.q3}", f"{corporate}changes/?period={w.q3}",
        f"{corporate}compare/?from={w.q2}&to={w.q3}", f"/heatmaps/?period={w.q3}",
        f"/dashboard/?period={w.q3}&register=corporate", f"/risks/{w.risk2}/",
        # Downloads of the open quarter (issue 19), in each format
        f"{corporate}export/?period={w.q3}&format=xlsx", f"{corporate}print/?period={w.q3}",
        f"{corporate}changes/export/?period={w.q3}&format=xlsx",
        f"{corporate}compare/export/?from={w.q2}&to={w.q3}&format=xlsx",
        f"/risks/{w.risk1}/history/export/?format=xlsx",
        f"/risks/{w.risk2}/history/export/?format=xlsx",
    }
    return sorted(pages)


def _text(response) -> str:
    """What a page or a download says: a workbook's cells and a PDF's text, not their bytes."""
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    if kind.startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(str(v) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True) for v in row)
    return response.content.decode()


@pytest.mark.parametrize("role", READERS)
def test_no_reader_sees_a_draft_that_is_not_theirs(w, drafts, role):
    client = client_for(w, role)
    hidden = {name: mark for name, mark in drafts.items() if name not in READERS[role]}
    seen = {}
    for page in _pages(w, role):
        response = client.get(page)
        assert response.status_code in (200, 404), page
        text = _text(response)
        found = [mark for mark in hidden.values() if mark in text]
        if found:
            seen[page] = found
    assert seen == {}


def test_the_markers_are_on_the_pages_of_those_who_may_see_them(w, drafts):
    """The test above would pass if the markers were never written: the owner of risk 1 and
    the team see theirs."""
    owner = client_for(w, "owner")
    assert drafts["risk1"] in owner.get(f"/risks/{w.risk1}/").content.decode()
    team = client_for(w, "planner")
    assert drafts["risk2"] in team.get(f"/review/{w.assessment2}/").content.decode()
    changes = team.get(f"/registers/corporate/changes/?period={w.q3}").content.decode()
    assert drafts["risk1"] in changes and drafts["risk2"] in changes
    export = _text(team.get(f"/registers/corporate/export/?period={w.q3}&format=xlsx"))
    assert drafts["risk1"] in export and drafts["risk2"] in export

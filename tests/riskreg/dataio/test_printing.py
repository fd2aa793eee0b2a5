"""The register as a PDF of its own, marked with what it shows, in the header and the name."""

import io

from django.urls import reverse
from pypdf import PdfReader

from riskreg.dataio.printing import OFFICIAL, OFFICIAL_SENSITIVE, marking
from risks.models import Assessment


def test_the_register_prints_as_an_official_pdf_with_the_pages_filters(client, planner, q3):
    client.force_login(planner)
    response = client.get(reverse("dataio:register-pdf", args=["corporate"])
                          + "?period=2021-22-q3&rag=amber")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="corporate-2021-22-q3-official.pdf"')
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = "\n".join(page.extract_text() for page in pages)
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text
    assert "2 risks matching the filters chosen" in text
    # Every page carries the marking in its header.
    assert all("OFFICIAL" in page.extract_text() for page in pages)


def test_the_panel_prints_what_it_may_see_and_no_draft(client, panel, q3):
    Assessment.objects.filter(period=q3, ref=1).update(commentary="DRAFT", title="DRAFT TITLE")
    client.force_login(panel)
    response = client.get(reverse("dataio:register-pdf", args=["corporate"]))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "2021/22 Q2" in text and "DRAFT TITLE" not in text


def test_outsiders_cannot_print_a_register(client, outsider, q3):
    client.force_login(outsider)
    assert client.get(reverse("dataio:register-pdf", args=["corporate"])).status_code == 404


def test_the_marking_follows_what_the_document_holds():
    assert marking(control_notes=False) == OFFICIAL
    assert marking(control_notes=True) == OFFICIAL_SENSITIVE


def _pdf_text(response) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_key_controls_with_their_notes_make_the_pdf_official_sensitive(client, planner, seed):
    """The closed October 2021 quarter: its key controls' notes are Appendix B's content."""
    from controls.models import ControlUpdate

    key = ControlUpdate.objects.filter(period__slug="2021-22-q2", is_key=True).exclude(note="")
    assert key.exists()
    client.force_login(planner)
    response = client.get(reverse("dataio:register-pdf", args=["corporate"])
                          + "?period=2021-22-q2&controls=key")
    assert response["Content-Disposition"].endswith('-official-sensitive.pdf"')
    text = _pdf_text(response)
    assert "OFFICIAL-SENSITIVE" in text and "KEY CONTROLS" in text
    assert key.first().note.split()[0] in text


def test_readers_who_may_not_see_notes_get_key_controls_without_them(client, other_owner, seed):
    client.force_login(other_owner)
    response = client.get(reverse("dataio:register-pdf", args=["corporate"])
                          + "?period=2021-22-q2&controls=key")
    assert response["Content-Disposition"].endswith('-official.pdf"')
    text = _pdf_text(response)
    assert "KEY CONTROLS" in text and "OFFICIAL-SENSITIVE" not in text

"""The October 2021 report as a PDF: what it says, section by section, and how it is built.

The two PDFs (full and public) are rendered once for the module: rendering costs a second.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from controls.models import Control
from maturity.models import PlanItem
from riskreg.report.document import freeze, pdf_bytes
from riskreg.report.models import Report
from risks.models import Pillar, Risk


def page_texts(data: bytes) -> list[str]:
    """Each page's text with runs of whitespace (line ends included) made one space."""
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def load_october():
    call_command("loaddata", "corporate_2021_10", "report_2021_10", verbosity=0)
    return Report.objects.select_related("period", "register").get(pk=1)


@pytest.fixture(scope="module")
def october(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        report = load_october()
        full = pdf_bytes(report, use_cache=False)
        public = pdf_bytes(report, public=True, use_cache=False)
        transaction.set_rollback(True)
    return {"full": full, "public": public, "pages": page_texts(full),
            "public_pages": page_texts(public)}


@pytest.fixture(scope="module")
def text(october):
    return " ".join(october["pages"])


FRONT_MATTER = [
    "MOPAC", "MAYOR OF LONDON", "OFFICE FOR POLICING AND CRIME", "MPS-MOPAC JOINT AUDIT PANEL",
    "4 October 2021", "Met Risk Management Report", "Report by: Chief of Corporate Services",
    # Issue 14: the full version holds Appendix B, so the file is marked as its highest part.
    "OFFICIAL-SENSITIVE",
]
SUMMARY = [
    "Report Summary",
    "Overall Summary of the Purpose of the Report",
    "This report provides an overview of the Met's corporate risks and the status of their controls.",
    "In terms of progress against our corporate risks, eight are assessed by the respective risk "
    "owners and working leads to be 'green' and two risks are assessed to be 'amber'. Following "
    "discussion at Risk and Assurance Board, the approach to one risk (Legitimacy), is being "
    "adapted to reflect the scale and complexity of the risk.",
    "Key Considerations for the Panel",
    "Risk and Assurance Board met on 7 September where they noted the progress made against the "
    "risks in first quarter since the refresh.",
    "Board members discussed the Legitimacy risk and determined a change of approach for this key "
    "corporate risk.",
    "Interdependencies/Cross Cutting Issues",
    "The Met's governance improvement plans reported in a separate paper to this meeting include "
    "controls for some of our risks.",
    "The Audit Panel is recommended to:",
    "Note the Met's key risks and the governance that is in place to ensure these are effectively "
    "managed.",
    "Note the risk maturity action plan that has been developed from planned activity, findings "
    "from the risk maturity self-assessments and from the DARA audit findings.",
]
SECTION_1 = [
    "1. Corporate risk update",
    "1.1. A summary of the Met's refreshed corporate risk register, which sets out the "
    "significant short and long term risks, is attached at Appendix A.",
    "1.2. We have provided information on four of the risks at Appendix B including risk appetite",
    "with four possible options: On track; Limited; Slipped and No progress. Detailed templates "
    "for all risks can be provided if required.",
    "Risk position update",
    "1.3. Eight risks are reporting a 'green' status and on track this quarter and two risks are "
    "reporting an 'amber' status. One long-term risk has seen a decrease in score, but this is due "
    "to a reassessment of score following the refresh rather than as a result of controls being "
    "implemented.",
    "'On track' risks to note are:",
    "1.4. Violent Crime (risk 1 – short-term): An improving trend is reported with some "
    "significant progress being made to implement controls.",
    "successful results in disrupting and closing County Lines as part of Op Orochi.",
    "1.5. Standards (risk 3 – short-term): A Professionalism & Standards Working Group",
    "full strategy and plan for delivery by the end of November.",
    "1.6. Public and Local Engagement (risk 9 – long-term): Controls for this risk are "
    "categorised as either Inform, Involve or Influence.",
    "StrIDE 25 will be officially launched during National Inclusion Week (27 September - 3 "
    "October)",
    "to meet sixteen themes.",
    "1.7. Estates (risk 11 – long-term): Progress to develop the Blended Working framework is "
    "progressing at pace.",
    "'Limited' risks to note are:",
    "People (risk 4 – long-term): The current and target Impact scores have been revised down to "
    "Medium (from High).",
    "During the year (20/21) 2,438 officers were recruited delivering our officer growth.",
    "with the aim of reaching our budgeted workforce target of 33,493 by March 2022.",
    "We have over 7,800 candidates in the recruitment pipeline (6210 PC/1590 DC)",
    "Technology (risk 7 – long-term): The current key limitations preventing effective progress",
    "Risk and Assurance Board commissioned a paper detailing the specific obstacles and challenges "
    "to the progression of this risk for a more substantive conversation at the next board.",
    "1.10. Legitimacy (risk 10 – long-term)",
    "because legitimacy it is at the very heart of policing by consent",
    "Risk maturity action plan",
    "1.11. We have analysed the findings from the recent risk maturity self-assessments",
    "we have developed a draft action plan (Appendix C)",
    "1.12. As mentioned at the recent Audit Panel briefing focused on risk management",
    "1.13. We will provide regular updates on the progress of the action plan",
]
SECTIONS_2_TO_7 = [
    "2. Equality and Diversity Impact",
    "Equality impact assessments will be undertaken on significant programmes of work.",
    "3. Financial Implications",
    "subject to the normal MOPAC/Met governance approval and planning processes.",
    "4. Legal Implications",
    "Regulation 3 of the Accounts & Audit Regulations 2015 requires both the MOPAC and the "
    "Commissioner",
    "5. Risk Implications",
    "whether controls are fit for purpose and manage risk areas as intended.",
    "6. Contact Details",
    "Report author: Tracy Rylance, Strategy & Governance",
    "Email: tracy.rylance@met.pnn.police.uk",
    "7. Appendices and Background Papers",
    "Appendix A – Summary of corporate risks and heat maps – October 2021",
    "Appendix B – 'Road to target' assessments for example corporate risks – October 2021 – "
    "Official Sensitive",
    "Appendix C – Risk maturity action plan Sept 2021",
]
APPENDIX_A = [
    "SHORT-TERM", "LONG-TERM", "Risk Trend", "Risk Description", "Working Lead(s)",
    "Target position", "VIOLENT CRIME", "NEW SYSTEMS", "LEGITIMACY", "ESTATES",
    "SRO Estates Programme", "Director of Property Services",
    "SHORT-TERM HEAT MAP", "LONG-TERM HEAT MAP",
    "Alignment with Met Direction pillars",
    "Seize the opportunities of data and digital tech to become a world leader in policing",
    "3, 4, 6, 9", "Risk 10 is still to be finalised",
]
APPENDIX_C = [
    "Achieving an embedded risk culture", "Improving governance",
    "Improving organisational learning", "Issue / Problem", "What does success look like?",
    "Initial milestone date", "Inconsistency of understanding of risk management across the Met",
    "January 2022 & annually thereafter", "Performance Board",
]


@pytest.mark.parametrize(
    ("section", "facts"),
    [("front matter", FRONT_MATTER), ("summary", SUMMARY), ("section 1", SECTION_1),
     ("sections 2 to 7", SECTIONS_2_TO_7), ("appendix A", APPENDIX_A),
     ("appendix C", APPENDIX_C)],
)
def test_the_october_2021_pdf_says_what_the_seed_says(text, section, facts):
    missing = [fact for fact in facts if fact not in text]
    assert not missing, f"{section}: missing {missing}"


def test_the_front_matter_is_on_the_first_page(october):
    first = october["pages"][0]
    for fact in FRONT_MATTER:
        assert fact in first


def test_the_sections_come_in_the_seeds_order(text):
    marks = [
        "Report Summary", "1. Corporate risk update", "1.4. Violent Crime", "1.10. Legitimacy",
        "1.13. We will", "2. Equality", "3. Financial", "4. Legal", "5. Risk Implications",
        "6. Contact Details", "7. Appendices", "Appendix A – Summary",
        "Appendix B – 'Road to target'", "Appendix C – Risk maturity",
    ]
    positions = [text.index(mark) for mark in marks]
    assert positions == sorted(positions)


def appendix_b_pages(pages: list[str]) -> list[str]:
    start = next(i for i, p in enumerate(pages) if "Appendix B – 'Road to target'" in p
                 and "Appendix B – 'Road to target' assessments for example corporate risks – "
                 "October 2021 For each risk" in p)
    end = next(i for i, p in enumerate(pages) if "Appendix C – Risk maturity action plan Sept "
               "2021 Ref" in p)
    return pages[start:end]


def test_appendix_b_sets_out_each_chosen_risk_and_every_page_is_official_sensitive(october):
    pages = appendix_b_pages(october["pages"])
    assert pages
    assert all("OFFICIAL-SENSITIVE" in page for page in pages)
    body = " ".join(pages)
    for heading in ["Risk 1: VIOLENT CRIME", "Risk 3: STANDARDS",
                    "Risk 9: PUBLIC & LOCAL ENGAGEMENT", "Risk 11: ESTATES"]:
        assert heading in body
    for fact in ["Risk appetite", "Op Orochi – disrupting and closing County Lines",
                 "Professionalism & Standards Working Group", "Complete", "In progress",
                 "Not started", "Overall assessment of progress towards the target score",
                 "Assessed on track (Green)", "Review of blended working team agreements (BWTA)"]:
        assert fact in body


def test_the_public_version_holds_no_appendix_b(october):
    text = " ".join(october["public_pages"])
    assert "OFFICIAL-SENSITIVE" not in text
    assert "'Road to target' assessments for example corporate risks – October 2021 For each" not in text
    assert "Op Orochi – disrupting and closing County Lines" not in text
    assert "Overall assessment of progress" not in text
    # The list of appendices says what was left out; the rest of the report is all there.
    assert "Official Sensitive (not included in this version)" in text
    assert "Appendix C – Risk maturity action plan Sept 2021" in text
    assert "1.4. Violent Crime (risk 1 – short-term)" in text
    assert len(october["public_pages"]) < len(october["pages"])


def test_every_page_is_numbered_and_carries_the_files_marking_top_and_foot(october):
    """Issue 14: one marking per file, the highest of what it holds, on every page."""
    pages = october["pages"]
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert page.count("OFFICIAL-SENSITIVE") >= 2, n
        assert "Non restricted paper" not in page
        assert "DRAFT" not in page  # published


def test_the_public_version_is_official_and_keeps_the_seeds_non_restricted_paper(october):
    pages = october["public_pages"]
    assert "Non restricted paper" in pages[0]
    for n, page in enumerate(pages, start=1):
        assert "SENSITIVE" not in page.replace("Official Sensitive", ""), n
        assert page.count("OFFICIAL") >= 2, n
        assert "DRAFT" not in page


def test_the_pdf_is_a4_tagged_and_titled(october):
    reader = PdfReader(io.BytesIO(october["full"]))
    first = reader.pages[0].mediabox
    assert (round(float(first.width)), round(float(first.height))) == (595, 842)
    landscape = reader.pages[-1].mediabox
    assert (round(float(landscape.width)), round(float(landscape.height))) == (842, 595)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Met Risk Management Report – 4 October 2021"
    assert reader.metadata["/CreationDate"].startswith("D:20210930170000")
    assert reader.metadata["/ModDate"].startswith("D:20211001120000")


@pytest.mark.django_db
def test_the_same_data_gives_the_same_bytes(october):
    report = load_october()
    assert pdf_bytes(report, use_cache=False) == october["full"]


@pytest.mark.django_db
def test_a_published_report_of_a_closed_period_renders_identically_forever(october):
    report = load_october()
    freeze(report)  # as publishing does; a report loaded already published freezes on first read
    # Risks, controls, pillars and the plan belong to no period: they can change later.
    Risk.objects.filter(ref=1).update(description="Rewritten after the meeting", title="RENAMED")
    Control.objects.filter(pk=1).update(title="A renamed control")
    Pillar.objects.filter(order=1).update(name="A renamed pillar")
    PlanItem.objects.filter(ref=1).update(issue="A changed issue")
    report.refresh_from_db()
    assert pdf_bytes(report, use_cache=False) == october["full"]
    assert Report.objects.get(pk=1).snapshot is not None


@pytest.mark.django_db
def test_a_draft_follows_its_prose_but_its_closed_quarter_keeps_its_record(october):
    """Issue 13: a closed quarter shows its risks as it recorded them, in every report drawn
    from it; a draft follows only what is still the team's to write: its prose."""
    report = load_october()
    Report.objects.filter(pk=1).update(
        published_at=None, snapshot=None, recommendations="A NEW RECOMMENDATION."
    )
    Risk.objects.filter(ref=1).update(title="RENAMED RISK")
    report.refresh_from_db()
    text = " ".join(page_texts(pdf_bytes(report, public=True, use_cache=False)))
    assert "A NEW RECOMMENDATION." in text
    assert "RENAMED RISK" not in text and "VIOLENT CRIME" in text


@pytest.mark.django_db
def test_a_second_download_of_the_same_report_comes_from_the_cache(october):
    import time

    report = load_october()
    first = pdf_bytes(report)
    started = time.perf_counter()
    second = pdf_bytes(report)
    assert time.perf_counter() - started < 0.5
    assert first == second == october["full"]


def test_a_table_that_runs_onto_the_next_page_repeats_its_header_row(october):
    """Appendix C runs over several pages (Appendix A's tables share one page since issue 14)."""
    header = ("Ref Source Issue / Problem Action Owner Initial milestone date What does success "
              "look like? Update")
    start = next(i for i, p in enumerate(october["pages"]) if "Appendix C – Risk maturity" in p
                 and header in p)
    following = october["pages"][start + 1:]
    assert following and all(header in page for page in following)
    assert all("Appendix C – Risk maturity" not in page for page in following)


# Issue 14: what the paper says about itself, and its layout ---------------------------------


def test_a_page_that_continues_an_appendix_b_risk_names_it(october):
    pages = appendix_b_pages(october["pages"])
    continued = [p for p in pages if re.search(r"Risk \d+ \(continued\)", p)]
    assert continued, "Risk 1's controls run onto a second page"
    for page in continued:
        ref = re.search(r"Risk (\d+) \(continued\)", page)[1]
        # The risk's heading is on an earlier page: this one carries on its tables.
        assert f"Risk {ref}: " not in page
    first = pages[0]
    assert "(continued)" not in first


def test_the_heat_maps_key_is_in_the_pdf_and_says_the_marks_are_not_the_trend(october):
    page = next(p for p in october["pages"] if "SHORT-TERM HEAT MAP" in p)
    assert "Key to the heat maps" in page
    assert "These marks are not the trend." in page
    assert "↓ improving, ↔ stable, ↑ worsening" in page
    # Risk 2 (trend stable) moves towards its target with the target's mark, never "2↓".
    assert "2↓" not in page and "2 ⇓T" in page


def test_appendix_c_gives_each_action_its_row_and_each_milestone_once(october):
    text = " ".join(october["pages"])
    assert "Dec-21 • Dec-21" not in text and "Dec-21 Dec-21" not in text
    # Item 2's four actions each beside its milestone, in the seed's order.
    assert re.search(r"Refresh the Planning and Risk intranet page.*?Nov-21", text)
    assert re.search(r"Expand membership of Risk Forum.*?Oct-21", text)


@pytest.fixture(scope="module")
def draft_october(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        report = load_october()
        Report.objects.filter(pk=1).update(published_at=None, snapshot=None)
        report.refresh_from_db()
        data = {"full": page_texts(pdf_bytes(report, use_cache=False)),
                "public": page_texts(pdf_bytes(report, public=True, use_cache=False)),
                "names": (report.filename(), report.filename(public=True))}
        transaction.set_rollback(True)
    return data


def test_every_page_of_a_draft_says_draft_and_so_does_its_filename(draft_october):
    for version in ("full", "public"):
        for n, page in enumerate(draft_october[version], start=1):
            assert page.count("DRAFT") >= 2, (version, n)  # at the top and by the page number
            assert f"DRAFT · Page {n} of" in page
    assert all(name.startswith("DRAFT-") for name in draft_october["names"])
    assert all("OFFICIAL" in page for page in draft_october["public"])

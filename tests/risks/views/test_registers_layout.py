"""risks/views/registers.py, what the pages say and how they lay it out (issue #16): one tag
colour per meaning (progress in its RAG colour, bands coloured on the comparison), the
workflow state out of the Progress column, the filters' reach said, the sort on its own row,
and the register's cells named for a phone's stacked layout."""

import datetime
import re

from risks.models import Assessment, Risk
from tests.factories import make_assessment, make_period
from tests.risks.register_page import Q2, URL, rows

Q3 = "2021-22-q3"


def cell(html: str, ref: int, name: str) -> str:
    row = re.search(rf'<tr [^>]*data-ref="{ref}">(.*?)</tr>', html, re.S).group(1)
    return re.search(rf'<t[hd] [^>]*data-cell="{name}">(.*?)</t[hd]>', row, re.S).group(1)


def test_progress_is_tagged_in_its_rag_colour(planner_client):
    html = planner_client.get(URL, {"period": Q2}).text
    assert 'govuk-tag--green">On track<' in cell(html, 1, "progress")
    assert 'govuk-tag--green">Green<' in cell(html, 1, "rag")
    assert 'govuk-tag--yellow">Limited<' in cell(html, 4, "progress")
    assert 'govuk-tag--yellow">Amber<' in cell(html, 4, "rag")
    assert "govuk-tag--grey" not in cell(html, 1, "progress")


def test_the_workflow_state_is_under_the_description_in_its_own_colour(planner_client):
    q3 = make_period(Q3, name="2021/22 Q3", start=datetime.date(2021, 10, 1))
    make_assessment(Risk.objects.get(ref=1), q3, state="draft", progress="on_track")
    make_assessment(Risk.objects.get(ref=2), q3, state="submitted", progress="limited",
                    reasons="Funding is late.")
    html = planner_client.get(URL, {"period": Q3}).text
    found = rows(html)
    assert found[1]["progress"] == "On track" and found[2]["progress"] == "Limited"
    # The colours of risks/includes/state_tag.html, as on My risks and the review queue.
    draft, submitted = (Assessment(state=s).state_tag_colour for s in ("draft", "submitted"))
    assert f'govuk-tag--{draft} govuk-!-margin-top-1">Draft<' in cell(html, 1, "description")
    assert f'govuk-tag--{submitted} govuk-!-margin-top-1">Submitted<' in cell(html, 2, "description")


def test_the_filters_say_they_narrow_the_table_not_the_maps(planner_client):
    html = planner_client.get(URL, {"period": Q2, "rag": "amber"}).text
    assert ("The filters narrow the table of risks. The heat maps and the alignment table below "
            "it always show the whole register for 2021/22 Q2.") in html
    assert "whatever the filters above" in html
    assert sorted(rows(html)) == [4, 7]  # the table is narrowed...
    maps = html[html.index('<h2 class="govuk-heading-l">Heat maps</h2>'):]
    assert re.search(r"<td[^>]*>\s*8\s*</td>", maps)  # ...the alignment table is not: risk 8


def test_sorting_has_its_own_row_wide_enough_for_its_choices(planner_client):
    html = planner_client.get(URL, {"period": Q2}).text
    fieldset = re.search(r"<fieldset.*?</fieldset>", html, re.S).group(0)
    assert 'name="sort"' not in fieldset and 'name="rag"' in fieldset
    assert re.search(r'govuk-grid-column-one-half">\s*<div class="govuk-form-group">\s*'
                     r'<label class="govuk-label govuk-label--s" for="id_sort">', html)


def test_every_cell_of_the_register_is_named_for_the_stacked_layout(planner_client):
    html = planner_client.get(URL, {"period": Q2}).text
    assert 'class="govuk-table govuk-!-font-size-16 rr-register rr-table--stack"' in html
    row = re.search(r'<tr [^>]*data-ref="1">(.*?)</tr>', html, re.S).group(1)
    labels = re.findall(r'data-label="([^"]+)"', row)
    assert labels == ["Ref and position (likelihood v impact)", "Risk trend", "Risk description",
                      "Risk owner", "Working lead(s)", "Target position", "Progress", "RAG"]


def test_the_comparison_colours_bands_as_everywhere_else_and_stacks(client, planner, q3_with_changes):
    client.force_login(planner)
    html = client.get("/registers/corporate/compare/", {"from": Q2, "to": Q3}).text
    row = re.search(r'id="move-1"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert '<strong class="govuk-tag govuk-tag--orange">High</strong>' in row  # M v H, Q2
    assert '<strong class="govuk-tag govuk-tag--green">Low</strong>' in row  # L v H, Q3
    assert "govuk-tag--grey" not in row
    # On a phone the rows stack, each cell named by its column.
    assert 'rr-table--stack" id="moves"' in html
    assert re.findall(r'data-label="([^"]+)"', row) == [
        "Horizon", "2021/22 Q2", "2021/22 Q3", "Movement", "Trend, 2021/22 Q3",
        "Progress, 2021/22 Q2 → 2021/22 Q3",
    ]

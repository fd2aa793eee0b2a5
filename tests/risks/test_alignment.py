"""The alignment table: pillars x bands with the refs of the risks in each, as the seed's."""

import re

import pytest
from django.template.loader import render_to_string

from risks.alignment import alignment
from risks.models import Register, ReportingPeriod

# The seed's table, after the pillar: Low, Medium, High, Very high.
SEED = [
    ("Focusing on what matters most to Londoners", ["", "", "8", ""]),
    ("Mobilising partners and the public", ["", "", "1", ""]),
    ("Achieving the best outcomes in pursuit of justice and in the support of victims",
     ["", "", "", ""]),
    ("Seize the opportunities of data and digital tech to become a world leader in policing",
     ["", "7", "2", ""]),
    ("Care for each other, work as a team and be an attractive place to work", ["", "", "11", ""]),
    ("Learn from experience, from others and constantly strive to improve", ["", "", "5", ""]),
    ("Be recognised as a responsible, exemplary and ethical organisation",
     ["", "", "3, 4, 6, 9", ""]),
]


@pytest.fixture
def corporate(seed):
    return Register.objects.get(slug="corporate"), ReportingPeriod.objects.get(slug="2021-22-q2")


def test_alignment_matches_the_seed(corporate):
    table = alignment(*corporate)
    assert [b.label for b in table.bands] == ["Low", "Medium", "High", "Very high"]
    got = [
        (row.pillar.name, [", ".join(map(str, refs)) for refs in row.cells]) for row in table.rows
    ]
    assert got == SEED


def test_risk_10_is_left_out_and_noted_as_the_seed_does(corporate):
    table = alignment(*corporate)
    assert table.unscored == [10]
    assert table.unscored_note == "Risk 10 is still to be finalised"
    assert all(10 not in refs for row in table.rows for refs in row.cells)


def test_the_partial_renders_the_seed_table(corporate):
    html = render_to_string("risks/alignment_table.html", {"alignment": alignment(*corporate)})
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', html, re.S)
    rendered = [
        (name, [re.sub(r"<span class=\"govuk-visually-hidden\">None</span>", "", c).strip()
                for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)])
        for name, cells in rows
    ]
    assert [(n.replace("&#x27;", "'"), c) for n, c in rendered] == SEED
    assert "Risk 10 is still to be finalised" in html
    assert "<script" not in html and "style=" not in html


def test_alignment_costs_one_query_when_the_pillars_are_known(corporate, django_assert_num_queries):
    from risks.models import Pillar

    pillars = list(Pillar.objects.all())
    with django_assert_num_queries(1):
        alignment(*corporate, pillars)


def test_several_unscored_risks_read_as_a_list():
    from risks.alignment import refs_sentence

    assert refs_sentence([10, 12], "is x", "are x") == "Risks 10 and 12 are x"
    assert refs_sentence([3, 10, 12], "is x", "are x") == "Risks 3, 10 and 12 are x"
    assert refs_sentence([], "is x", "are x") == ""


def test_a_table_too_large_to_number_gives_counts(corporate, monkeypatch):
    """Above DETAIL_LIMIT scored risks (the seed has 10) each cell says how many, as the
    heat maps do."""
    monkeypatch.setattr("risks.heatmaps.DETAIL_LIMIT", 9)
    table = alignment(*corporate)
    assert not table.detailed and table.scored == 10
    texts = {row.pillar.name: row.cell_texts for row in table.rows}
    assert texts["Be recognised as a responsible, exemplary and ethical organisation"] == [
        "", "", "4 risks", ""
    ]
    assert texts["Mobilising partners and the public"] == ["", "", "1 risk", ""]
    html = render_to_string("risks/alignment_table.html", {"alignment": table})
    assert "10 risks are scored: too many to number" in html
    assert "3, 4, 6, 9" not in html
    monkeypatch.setattr("risks.heatmaps.DETAIL_LIMIT", 10)
    assert alignment(*corporate).detailed

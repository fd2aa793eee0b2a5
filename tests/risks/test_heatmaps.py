"""Heat maps: where the seed places each risk, targets and movement, links, one query, the page."""

import re

import pytest
from django.template.loader import render_to_string

from risks.heatmaps import Movement, heat_maps
from risks.models import Register, ReportingPeriod

Q2 = "2021-22-q2"

# Appendix A's heat maps: ref -> (likelihood, impact), 1 Low .. 4 Very High.
SHORT_TERM = {1: (2, 3), 2: (3, 2), 3: (3, 3)}
LONG_TERM = {4: (3, 2), 5: (2, 4), 6: (3, 3), 7: (2, 2), 8: (2, 3), 9: (2, 3), 11: (2, 3)}
TARGETS = {1: (1, 2), 2: (2, 2), 3: (1, 1), 4: (2, 2), 5: (1, 1), 6: (1, 1), 7: (1, 1),
           8: (1, 3), 9: (2, 2), 11: (1, 2)}


def visible_text(fragment: str) -> str:
    fragment = re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", fragment, flags=re.S)
    fragment = re.sub(r"<[^>]+>", "", fragment).replace("&amp;", "&")
    return re.sub(r"\s+", " ", fragment).strip()


def placed(heatmap) -> dict[int, tuple[int, int]]:
    return {
        m.ref: (cell.likelihood, cell.impact)
        for row in heatmap.rows for cell in row.cells for m in cell.movements
    }


def targets(heatmap) -> dict[int, tuple[int, int]]:
    return {
        ref: (cell.likelihood, cell.impact)
        for row in heatmap.rows for cell in row.cells for ref in cell.targets
    }


@pytest.fixture
def corporate(seed):
    return Register.objects.get(slug="corporate"), ReportingPeriod.objects.get(slug=Q2)


def test_heat_maps_place_each_risk_where_the_seed_places_it(corporate):
    short, long = heat_maps(*corporate)
    assert (short.horizon, long.horizon) == ("short", "long")
    assert placed(short) == SHORT_TERM
    assert placed(long) == LONG_TERM


def test_risk_10_stays_out_of_the_heat_maps_and_is_named_underneath(corporate):
    short, long = heat_maps(*corporate)
    assert 10 not in placed(long) and 10 not in targets(long)
    assert long.unscored == [10] and short.unscored == []
    html = render_to_string("risks/heatmap_table.html", {"heatmap": long})
    assert "Risk 10 is not scored, so it is not on this map." in html


def test_each_target_cell_is_marked(corporate):
    short, long = heat_maps(*corporate)
    assert {**targets(short), **targets(long)} == TARGETS


def test_the_grid_is_four_by_four_with_very_high_likelihood_on_top(corporate):
    short, _ = heat_maps(*corporate)
    assert [row.label for row in short.rows] == ["Very High", "High", "Medium", "Low"]
    assert short.impacts == ["Low", "Medium", "High", "Very High"]
    assert all(len(row.cells) == 4 for row in short.rows)
    bands = [[cell.band.label for cell in row.cells] for row in short.rows]
    assert bands == [
        ["Medium", "High", "Very high", "Very high"],
        ["Low", "High", "High", "Very high"],
        ["Low", "Medium", "High", "High"],
        ["Low", "Low", "Low", "Medium"],
    ]


@pytest.mark.parametrize(
    ("current", "target", "arrow"),
    [((2, 3), (1, 2), "⇙"), ((3, 2), (2, 2), "⇓"), ((2, 3), (2, 2), "⇐"), ((2, 2), (2, 2), ""),
     ((1, 1), (2, 2), "⇗"), ((2, 2), (3, 1), "⇖")],
)
def test_the_arrow_points_from_the_current_cell_towards_the_target(current, target, arrow):
    assert Movement(1, *current, *target).arrow == arrow


def test_the_movement_is_said_in_words():
    assert Movement(1, 2, 3, 1, 2).sentence == (
        "Risk 1 is at likelihood Medium, impact High; its target is likelihood Low, impact Medium."
    )
    assert Movement(7, 2, 2, 2, 2).sentence.endswith("which is its target.")
    assert Movement(7, 2, 2, None, None).sentence.endswith("it has no target set.")


def test_heat_map_data_comes_from_one_query(corporate, django_assert_num_queries):
    with django_assert_num_queries(1):
        heat_maps(*corporate, link="/registers/corporate/")


def test_the_partial_is_an_accessible_table_with_words_in_every_cell(corporate):
    short, _ = heat_maps(*corporate, link="/registers/corporate/")
    html = render_to_string("risks/heatmap_table.html", {"heatmap": short})
    assert re.search(r"<caption [^>]*>Short-term heat map, 2021/22 Q2</caption>", html)
    assert html.count('<th scope="col"') == 4 and html.count('<th scope="row"') == 4
    cells = re.findall(r'<td class="[^"]*rr-band--(\w+)"[^>]*>(.*?)</td>', html, re.S)
    assert len(cells) == 16
    words = {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Very high"}
    for band, body in cells:
        assert visible_text(body).startswith(words[band]), "every cell names its band in words"
    assert "<script" not in html and "<svg" not in html and "style=" not in html


def test_each_cell_shows_its_refs_targets_arrow_and_sentence(corporate):
    short, _ = heat_maps(*corporate, link="/registers/corporate/")
    html = render_to_string("risks/heatmap_table.html", {"heatmap": short})
    cell = re.search(r'data-position="M v H">(.*?)</td>', html, re.S).group(1)
    assert visible_text(cell) == "High 1 ⇙T 1 risk"
    assert (
        "Risk 1 is at likelihood Medium, impact High; its target is likelihood Low, impact Medium."
        in cell
    )
    target_cell = re.search(r'data-position="L v M">(.*?)</td>', html, re.S).group(1)
    assert visible_text(target_cell) == "Low T1"
    assert "(target of risk 1)" in target_cell


def test_movements_are_listed_under_the_map(corporate):
    _, long = heat_maps(*corporate)
    html = visible_text(render_to_string("risks/heatmap_table.html", {"heatmap": long}))
    for line in ["Risk 4: H v M → M v M", "Risk 5: M v VH → L v L", "Risk 8: M v H → L v H",
                 "Risk 11: M v H → L v M"]:
        assert line in html


def test_each_count_links_to_the_register_filtered_to_that_cell(corporate, client, planner):
    _, long = heat_maps(*corporate, link="/registers/corporate/")
    html = render_to_string("risks/heatmap_table.html", {"heatmap": long})
    cell = re.search(r'data-position="M v H">(.*?)</td>', html, re.S).group(1)
    href = re.search(r'<a class="govuk-link" href="([^"]+)">3 risks', cell).group(1)
    href = href.replace("&amp;", "&")
    assert href == "/registers/corporate/?period=2021-22-q2&horizon=long&likelihood=2&impact=3"
    client.force_login(planner)
    listed = client.get(href).text
    assert sorted(int(r) for r in re.findall(r'data-ref="(\d+)"', listed)) == [8, 9, 11]


def test_without_a_link_the_pdf_gets_plain_counts(corporate):
    for heatmap in heat_maps(*corporate):
        html = render_to_string("risks/heatmap_table.html", {"heatmap": heatmap})
        assert "<a " not in html


def test_a_map_too_large_to_number_gives_counts_in_each_cell(corporate, monkeypatch):
    """Above DETAIL_LIMIT risks a map gives counts, not numbers (the long-term map holds 7)."""
    monkeypatch.setattr("risks.heatmaps.DETAIL_LIMIT", 6)
    short, long = heat_maps(*corporate, link="/registers/corporate/")
    assert short.detailed and not long.detailed
    assert long.count == 7 and long.movements == [] and long.at_target == 0
    assert long.without_target == 0 and long.unscored == [10]
    cells = {cell.position: cell for row in long.rows for cell in row.cells}
    assert cells["M v H"].count == 3 and cells["M v H"].movements == []
    assert cells["L v L"].target_count == 3  # risks 5, 6 and 7
    html = render_to_string("risks/heatmap_table.html", {"heatmap": long})
    assert "rr-heatmap__ref" not in html and "Risk 4:" not in html
    cell = re.search(r'data-position="M v H">(.*?)</td>', html, re.S).group(1)
    assert visible_text(cell) == "High 3 risks"
    assert 'href="/registers/corporate/?period=2021-22-q2&amp;horizon=long&amp;likelihood=2' in cell
    assert visible_text(re.search(r'data-position="L v L">(.*?)</td>', html, re.S).group(1)) == (
        "Low T target of 3"
    )
    text = visible_text(html)
    assert "7 long-term risks are scored in 2021/22 Q2: too many to number on the map" in text
    assert "0 are at their target." in text
    assert "Select a count to list those risks" in text
    assert "Risk 10 is not scored, so it is not on this map." in text
    # The PDF's maps have no links, and say nothing about selecting.
    _, plain = heat_maps(*corporate)
    assert "Select a count" not in render_to_string("risks/heatmap_table.html", {"heatmap": plain})


def test_every_risk_is_on_the_heat_map(big_register):
    from risks.heatmaps import heat_maps
    from risks.models import Register

    _, n = big_register
    maps = heat_maps(Register.objects.get(slug="big"), ReportingPeriod.objects.get(slug="q2"))
    assert sum(m.count for m in maps) == n


def _breach_in_q3(q3):
    """2021/22 Q3 carried forward: risk 1 (M v H, score 6) above a tolerance of 4, risk 3
    (H v H, 9) within 9, risk 5 (M v VH, 8) above 6."""
    from risks.models import Assessment  # noqa: PLC0415

    for ref, tolerance in ((1, 4), (3, 9), (5, 6)):
        Assessment.objects.filter(period=q3, risk__ref=ref).update(tolerance=tolerance)
    return Register.objects.get(slug="corporate")


def test_a_risk_in_breach_is_named_in_words_in_its_cell_and_under_the_map(q3, django_assert_num_queries):
    register = _breach_in_q3(q3)
    with django_assert_num_queries(1):
        short, long = heat_maps(register, q3)
    assert (short.breaches, long.breaches) == ([1], [5])
    cells = {cell.position: cell for row in short.rows for cell in row.cells}
    assert cells["M v H"].breaches == [1] and cells["H v H"].breaches == []
    html = render_to_string("risks/heatmap_table.html", {"heatmap": short})
    cell = re.search(r'data-position="M v H">(.*?)</td>', html, re.S).group(1)
    assert "In breach: risk 1" in visible_text(cell)
    assert "In breach" not in re.search(r'data-position="H v H">(.*?)</td>', html, re.S).group(1)
    assert "In breach of tolerance (current score above the tolerance recorded for 2021/22 Q3): " \
        "risk 1." in visible_text(html)


def test_a_map_too_large_to_number_counts_its_breaches(q3, monkeypatch):
    monkeypatch.setattr("risks.heatmaps.DETAIL_LIMIT", 6)
    _, long = heat_maps(_breach_in_q3(q3), q3)
    cells = {cell.position: cell for row in long.rows for cell in row.cells}
    assert cells["M v VH"].breach_count == 1 and cells["M v VH"].breaches == []
    html = render_to_string("risks/heatmap_table.html", {"heatmap": long})
    assert "In breach: 1 risk" in visible_text(
        re.search(r'data-position="M v VH">(.*?)</td>', html, re.S).group(1))
    assert "recorded for 2021/22 Q3): 1 risk." in visible_text(html)


def test_the_october_2021_maps_say_nothing_of_breaches(corporate):
    for heatmap in heat_maps(*corporate):
        assert heatmap.breaches == []
        assert "breach" not in render_to_string("risks/heatmap_table.html", {"heatmap": heatmap})

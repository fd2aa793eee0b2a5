"""A round of self-assessments produces results per unit and business group, against level 4."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from maturity.models import (
    Dimension,
    SelfAssessment,
    Unit,
    assessment_year_for,
    year_label,
)
from maturity.selfassessment import benchmark_summary, results_for
from maturity.services import record_self_assessment

CURRENT = assessment_year_for(timezone.localdate())

# Leadership, Process, People, Partnership, Learning
ROUND = {
    2020: {"central_west": [2, 2, 2, 2, 2], "mo9": [3, 3, 3, 3, 3]},
    2021: {"central_west": [3, 3, 2, 3, 4], "north": [4, 4, 4, 4, 5], "mo9": [4, 4, 4, 4, 4]},
}


@pytest.fixture
def round_(units, dimensions, planner):
    for year, answers in ROUND.items():
        for key, levels in answers.items():
            record_self_assessment(
                unit=units[key], year=year, by=planner,
                levels={d.pk: level for d, level in zip(dimensions, levels, strict=True)},
            )
    return units


def test_the_questionnaire_starts_with_five_dimensions_as_rows(dimensions):
    assert [d.name for d in dimensions] == [
        "Leadership", "Process", "People", "Partnership", "Learning"
    ]


def test_financial_years():
    import datetime

    assert assessment_year_for(datetime.date(2021, 10, 4)) == 2021
    assert assessment_year_for(datetime.date(2022, 3, 31)) == 2021
    assert assessment_year_for(datetime.date(2022, 4, 1)) == 2022
    assert year_label(2021) == "2021/22" and year_label(2099) == "2099/00"


def test_results_per_unit_against_the_target_with_the_change_from_last_year(round_):
    r = results_for(2021)
    by_name = {u.unit.name: u for u in r.units}
    cw, north, mo9 = by_name["Central West BCU"], by_name["North BCU"], by_name["MO9 Met Detention"]
    assert (cw.levels, cw.mean, cw.previous_mean, cw.change) == (
        [3, 3, 2, 3, 4], Decimal("3.0"), Decimal("2.0"), Decimal("1.0")
    )
    assert (cw.at_target, cw.gap, cw.change_words) == (False, Decimal("1.0"), "up 1.0")
    assert [below for _, below in cw.cells] == [True, True, True, True, False]
    assert (north.mean, north.previous_mean, north.change, north.at_target) == (
        Decimal("4.2"), None, None, True
    )
    assert (mo9.mean, mo9.change, mo9.at_target) == (Decimal("4.0"), Decimal("1.0"), True)


def test_results_per_business_group(round_):
    r = results_for(2021)
    flp, mo = r.groups
    assert flp.name == "Frontline Policing"
    assert (flp.units_assessed, flp.units_total, flp.units_at_target) == (2, 2, 1)
    assert flp.dimension_means == [Decimal(x) for x in ["3.5", "3.5", "3.0", "3.5", "4.5"]]
    assert (flp.mean, flp.previous_mean, flp.change, flp.at_target) == (
        Decimal("3.6"), Decimal("2.0"), Decimal("1.6"), False
    )
    assert (mo.name, mo.mean, mo.change, mo.at_target) == (
        "Met Operations", Decimal("4.0"), Decimal("1.0"), True
    )
    assert (r.overall.mean, r.overall.previous_mean, r.overall.change) == (
        Decimal("3.7"), Decimal("2.5"), Decimal("1.2")
    )


def test_benchmark_summary_is_a_sentence_and_figures_for_paragraph_1_11(round_):
    s = benchmark_summary(2021)
    assert s.sentence == (
        "In 2021/22, 3 of 3 OCU / BCU commanders completed the risk maturity self-assessment. "
        "The average maturity level was 3.7 against the target of level 4 (embedded), "
        "up 1.2 from 2.5 in 2020/21. 2 units have reached the target."
    )
    assert (s.year_label, s.units_assessed, s.units_total, s.mean_level, s.target) == (
        "2021/22", 3, 3, Decimal("3.7"), 4
    )
    assert [(g.name, g.mean, g.units_assessed, g.units_total) for g in s.groups] == [
        ("Frontline Policing", Decimal("3.6"), 2, 2), ("Met Operations", Decimal("4.0"), 1, 1)
    ]
    assert benchmark_summary() == s  # the latest year with results


def test_the_first_year_has_nothing_to_compare_with(round_):
    s = benchmark_summary(2020)
    # North BCU, active now, did not complete 2020/21.
    assert s.sentence == (
        "In 2020/21, 2 of 3 OCU / BCU commanders completed the risk maturity self-assessment. "
        "The average maturity level was 2.5 against the target of level 4 (embedded); "
        "there are no 2019/20 results to compare with. No unit has yet reached the target."
    )
    assert s.change is None


def test_no_results_no_benchmark(units):
    assert benchmark_summary() is None
    assert benchmark_summary(2021) is None


def test_a_retired_unit_counts_only_in_years_it_answered(round_):
    Unit.objects.filter(name="MO9 Met Detention").update(is_active=False)
    assert results_for(2021).overall.units_total == 3
    assert results_for(CURRENT).overall.units_total == 2


def test_a_retired_dimension_still_shows_where_it_was_scored(round_, dimensions):
    Dimension.objects.filter(name="Partnership").update(is_active=False)
    assert [d.name for d in results_for(2021).dimensions] == [d.name for d in dimensions]
    assert "Partnership" not in [d.name for d in results_for(CURRENT).dimensions]


def test_results_page_shows_units_groups_target_and_change(client, round_, outsider):
    client.force_login(outsider)
    text = client.get("/maturity/self-assessments/?year=2021").text
    assert "Results for 2021/22" in text
    assert "up 1.2 from 2.5 in 2020/21" in text
    assert '<strong class="govuk-tag govuk-tag--green">At the target</strong>' in text
    assert '<strong class="govuk-tag govuk-tag--yellow">Below the target</strong>' in text
    assert "Up 1.6 (from 2.0)" in text  # Frontline Policing
    assert "No 2020/21 result" in text  # North BCU
    assert "(below the target)" in text
    current = client.get("/maturity/self-assessments/").text
    assert "Results for 2021/22" in current  # the latest year with results by default
    partial = client.get("/maturity/self-assessments/?year=2020", headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<div id="results">')
    assert client.get("/maturity/self-assessments/?year=1999").status_code == 404
    assert client.get("/maturity/self-assessments/?year=abc").status_code == 404


def test_the_plan_page_shows_the_benchmark_where_results_exist(client, seed, outsider, units):
    client.force_login(outsider)
    assert "Self-assessment benchmark" not in client.get("/maturity/").text
    record_self_assessment(unit=units["north"], year=2021, by=None,
                           levels={d.pk: 4 for d in Dimension.objects.all()})
    text = client.get("/maturity/").text
    assert "Self-assessment benchmark 2021/22" in text
    assert "In 2021/22, 1 of 3 OCU / BCU commanders completed" in text


def answers(dimensions, levels, comments=""):
    data = {f"dimension_{d.pk}": str(level) for d, level in zip(dimensions, levels, strict=True)}
    data["comments"] = comments
    return data


def test_a_commander_completes_and_then_revises_this_years_self_assessment(
    client, units, dimensions, commander
):
    client.force_login(commander)
    unit = units["central_west"]
    url = f"/maturity/units/{unit.pk}/self-assessment/{CURRENT}/"
    response = client.post(url, answers(dimensions, [3, 3, 2, 3, 4], "First go"))
    assert response.status_code == 302 and response["Location"] == f"/maturity/units/{unit.pk}/"
    assessment = SelfAssessment.objects.get(unit=unit, year=CURRENT)
    assert assessment.completed_by == commander
    assert sorted(assessment.scores.values_list("level", flat=True)) == [2, 3, 3, 3, 4]
    page = client.get(response["Location"]).text
    assert f"Central West BCU&#x27;s self-assessment for {year_label(CURRENT)} is saved." in page
    assert "Level 2 – Happening" in page
    form = client.get(url).text
    people = re.search(rf'<input[^>]*name="dimension_{dimensions[2].pk}"[^>]*checked[^>]*>', form)
    assert 'value="2"' in people.group(0)
    client.post(url, answers(dimensions, [4, 4, 4, 4, 4]))
    assert SelfAssessment.objects.filter(unit=unit).count() == 1
    assert set(assessment.scores.values_list("level", flat=True)) == {4}
    score = assessment.scores.get(dimension=dimensions[2])
    assert [h.level for h in score.history.all()] == [4, 2]
    assert score.history.first().history_user == commander


def test_a_commander_sees_their_unit_on_the_results_page(client, units, commander):
    client.force_login(commander)
    text = client.get("/maturity/self-assessments/").text
    assert f"Complete Central West BCU's {year_label(CURRENT)} self-assessment" in text
    assert "MO9" not in text.split("Your units")[1].split("</ul>")[0]


def test_missing_or_bad_levels_get_a_clear_message_and_save_nothing(
    client, units, dimensions, commander
):
    client.force_login(commander)
    url = f"/maturity/units/{units['central_west'].pk}/self-assessment/{CURRENT}/"
    data = answers(dimensions, [3, 3, 2, 3, 4])
    del data[f"dimension_{dimensions[0].pk}"]
    data[f"dimension_{dimensions[1].pk}"] = "6"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Choose a level for leadership" in response.text
    assert "Choose a level from 1 to 5 for process" in response.text
    assert f'href="#id_dimension_{dimensions[0].pk}"' in response.text
    assert f'id="id_dimension_{dimensions[0].pk}"' in response.text  # the fieldset
    assert not SelfAssessment.objects.exists()


def test_commanders_fill_in_only_the_current_year(client, units, dimensions, commander, planner):
    client.force_login(commander)
    unit = units["central_west"]
    past = f"/maturity/units/{unit.pk}/self-assessment/{CURRENT - 1}/"
    assert client.post(past, answers(dimensions, [3] * 5)).status_code == 403
    future = f"/maturity/units/{unit.pk}/self-assessment/{CURRENT + 1}/"
    assert client.get(future).status_code == 404
    client.force_login(planner)
    assert client.post(past, answers(dimensions, [3] * 5)).status_code == 302
    assert SelfAssessment.objects.get().year == CURRENT - 1


def test_self_assessment_results_in_four_queries(units, dimensions, django_assert_num_queries):
    for unit in units.values():
        record_self_assessment(unit=unit, year=2021, by=None, levels={d.pk: 3 for d in dimensions})
    with django_assert_num_queries(4):
        results_for(2021)


def test_the_year_open_for_self_assessment_comes_from_the_data_not_the_clock(
    units, dimensions, planner
):
    import datetime

    from maturity.models import current_assessment_year
    from tests.factories import make_period

    assert current_assessment_year() == CURRENT  # nothing to go on: today's
    make_period("2021-22-q3", name="2021/22 Q3", start=datetime.date(2021, 10, 1))
    assert current_assessment_year() == 2021  # the latest quarter's year
    record_self_assessment(unit=units["north"], year=2022, by=planner,
                           levels={d.pk: 3 for d in dimensions})
    assert current_assessment_year() == 2022  # the latest year assessed, when later


def test_the_seeded_service_assesses_its_open_quarters_year(client, q3, units, dimensions,
                                                             commander):
    client.force_login(commander)
    unit = units["central_west"]
    page = client.get(f"/maturity/units/{unit.pk}/").text
    assert "Complete the 2021/22 self-assessment" in page
    assert client.get(f"/maturity/units/{unit.pk}/self-assessment/2021/").status_code == 200
    assert client.get(f"/maturity/units/{unit.pk}/self-assessment/2022/").status_code == 404


def test_a_past_year_is_a_clear_page_for_a_commander(client, q3, units, dimensions, commander):
    client.force_login(commander)
    unit = units["central_west"]
    response = client.post(f"/maturity/units/{unit.pk}/self-assessment/2020/",
                           answers(dimensions, [3] * 5))
    assert response.status_code == 403
    assert "The 2020/21 self-assessment is closed" in response.text
    assert "current year, 2021/22" in response.text
    assert f'href="/maturity/units/{unit.pk}/self-assessment/2021/"' in response.text
    assert "govuk-header" in response.text  # the service's page, not a bare 403
    assert not SelfAssessment.objects.exists()


def test_with_no_units_the_team_is_linked_to_where_units_are_added(client, owner):
    from tests.factories import make_planner

    client.force_login(make_planner("team_member"))
    page = client.get("/maturity/self-assessments/").text
    assert "No units have been set up yet." in page
    assert 'href="/manage/units/"' in page  # in the service, not the admin
    client.force_login(owner)
    page = client.get("/maturity/self-assessments/").text
    assert "No units have been set up yet." in page and "/manage/" not in page

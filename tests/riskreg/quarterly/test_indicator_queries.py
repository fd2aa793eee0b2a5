"""Key risk indicators cost the pages that show them a fixed number of queries, exact and the
same whatever the number of risks or indicators (issue 18)."""

import pytest
from django.urls import reverse

from risks.models import Assessment, Indicator, IndicatorValue, ReportingPeriod, Risk
from tests.factories import make_risks_of_one_person
from tests.queries import SIGNED_IN
from tests.riskreg.quarterly.test_review import REVIEW_QUERIES

pytestmark = pytest.mark.django_db

# The dashboard as the team sees it, as before issue 18: the indicators out of threshold are
# summed in the counts' own aggregate.
DASHBOARD_QUERIES = SIGNED_IN + 5
# The update's task list: as before (issue 14) and the active indicators and their values (2).
TASKLIST_QUERIES = SIGNED_IN + 6 + 2
# The indicators' page: the session with the user, the groups, and the open update as every
# section of the update reads it, the active indicators with their owners and their values (2).
INDICATORS_QUERIES = SIGNED_IN + 1 + 2 + 3


def with_indicators(per_risk: int) -> ReportingPeriod:
    """Each risk `per_risk` indicators, each valued this quarter: red, amber, green in turn."""
    period = ReportingPeriod.objects.get(slug="now")
    values = []
    for risk in Risk.objects.all():
        for k in range(per_risk):
            indicator = Indicator.objects.create(
                risk=risk, name=f"Indicator {k}", direction="higher_worse", green_limit=10,
                amber_limit=20, order=k)
            value = IndicatorValue(indicator=indicator, period=period, value=[30, 15, 5][k % 3])
            value.record(indicator)
            values.append(value)
    IndicatorValue.objects.bulk_create(values)
    return period


@pytest.mark.parametrize("n", [3, 30])
def test_the_review_queue_flags_indicators_at_no_extra_query(
    client, planner, django_assert_num_queries, n
):
    make_risks_of_one_person(n)
    with_indicators(3)
    client.force_login(planner)
    with django_assert_num_queries(REVIEW_QUERIES):
        html = client.get(reverse("quarterly:review")).text
    reviewable = Assessment.objects.filter(period__slug="now").exclude(state="draft").count()
    assert html.count("Out of threshold</strong> 2 key risk indicators") == reviewable


@pytest.mark.parametrize("n", [3, 30])
def test_the_dashboard_counts_indicators_out_of_threshold_at_no_extra_query(
    client, planner, django_assert_num_queries, n
):
    make_risks_of_one_person(n)
    with_indicators(2)
    client.force_login(planner)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        html = client.get(reverse("risks:dashboard")).text
    counted = Assessment.objects.filter(period__slug="now").count()
    assert f"{2 * counted} indicators amber or red" in html


@pytest.mark.parametrize("per_risk", [1, 12])
def test_the_update_and_its_indicators_page_cost_the_same_whatever_the_number_of_indicators(
    client, django_assert_num_queries, per_risk
):
    person = make_risks_of_one_person(4)
    with_indicators(per_risk)
    risk = Risk.objects.get(ref=1)  # a draft, owned by the person
    client.force_login(person)
    with django_assert_num_queries(TASKLIST_QUERIES):
        html = client.get(reverse("quarterly:update", args=[risk.pk])).text
    assert f"{per_risk} of {per_risk} entered this quarter" in html
    with django_assert_num_queries(INDICATORS_QUERIES):
        html = client.get(reverse("quarterly:update-indicators", args=[risk.pk])).text
    assert html.count('name="value_') == per_risk

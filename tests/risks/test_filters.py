"""risks/filters.py, through the register page: which rows each filter and sort gives, and a
bad filter value reported and ignored."""

import pytest

from risks.models import Post, Risk
from tests.risks.register_page import Q2, URL, rows, table_refs


@pytest.mark.parametrize(
    ("query", "refs"),
    [
        ({"horizon": "short"}, [1, 2, 3]),
        ({"horizon": "long"}, [4, 5, 6, 7, 8, 9, 10, 11]),
        ({"rag": "amber"}, [4, 7]),
        ({"rag": "green"}, [1, 2, 3, 5, 6, 8, 9, 11]),
        ({"rag": "red"}, []),
        ({"progress": "limited"}, [4, 7]),
        ({"trend": "improving"}, [1, 6, 8, 9, 11]),
        ({"trend": "stable"}, [2, 3, 4, 5, 7]),
        ({"band": "medium"}, [7]),
        ({"band": "high"}, [1, 2, 3, 4, 5, 6, 8, 9, 11]),
        ({"band": "very_high"}, []),
        ({"likelihood": "2", "impact": "3"}, [1, 8, 9, 11]),
        ({"likelihood": "2", "impact": "3", "horizon": "long"}, [8, 9, 11]),
        ({"rag": "amber", "band": "high"}, [4]),
    ],
)
def test_filters_by_query_string(planner_client, query, refs):
    html = planner_client.get(URL, {"period": Q2, **query}).text
    assert sorted(rows(html)) == refs


def test_owner_and_pillar_filters_take_ids(planner_client):
    owner = Post.objects.get(name="AC Professionalism")
    html = planner_client.get(URL, {"period": Q2, "owner": owner.pk}).text
    assert sorted(rows(html)) == [3, 5, 8, 9]
    pillar = Risk.objects.get(ref=3).pillars.get()
    html = planner_client.get(URL, {"period": Q2, "pillar": pillar.pk}).text
    assert sorted(rows(html)) == [3, 4, 6, 9]


def test_sort_by_score_puts_the_highest_first_within_each_horizon(planner_client):
    html = planner_client.get(URL, {"period": Q2, "sort": "score"}).text
    # 3 H v H scores 9; 1 M v H and 2 H v M both score 6, so the ref breaks the tie.
    assert table_refs(html, "short") == [3, 1, 2]
    # 6 H v H scores 9, 5 M v VH 8; unscored risk 10 comes last.
    assert table_refs(html, "long")[:2] == [6, 5]
    assert table_refs(html, "long")[-1] == 10


def test_a_bad_filter_value_is_reported_and_ignored(planner_client):
    response = planner_client.get(URL, {"period": Q2, "rag": "purple", "horizon": "short"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Select a valid choice" in response.text
    assert sorted(rows(response.text)) == [1, 2, 3]

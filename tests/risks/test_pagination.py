"""risks.pagination.get_page: Paginator.get_page's answers in one query instead of two."""

import pytest

from risks.models import Post
from risks.pagination import get_page


@pytest.fixture
def posts(db):
    Post.objects.bulk_create(Post(name=f"Post {i:02}") for i in range(23))
    return Post.objects.order_by("name")


def test_a_page_and_its_count_cost_one_query(posts, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = get_page(posts, "2", 10)
        names = [p.name for p in page]
        assert page.paginator.count == 23 and page.paginator.num_pages == 3
    assert names == [f"Post {i:02}" for i in range(10, 20)]
    assert page.number == 2 and page.has_previous() and page.has_next()


def test_values_rows_carry_the_total_too(posts):
    page = get_page(posts.values("name"), 3, 10)
    assert [p["name"] for p in page] == ["Post 20", "Post 21", "Post 22"]
    assert page.paginator.count == 23 and not page.has_next()


@pytest.mark.parametrize("number", [None, "", "abc", "0", "-4"])
def test_an_invalid_number_gives_the_first_page(posts, number):
    page = get_page(posts, number, 10)
    assert page.number == 1 and page[0].name == "Post 00"


def test_a_number_past_the_end_gives_the_last_page(posts, django_assert_num_queries):
    with django_assert_num_queries(3):  # the empty page, the count, the last page
        page = get_page(posts, "9", 10)
    assert page.number == 3 and [p.name for p in page] == ["Post 20", "Post 21", "Post 22"]


def test_an_empty_list_has_one_empty_page(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = get_page(Post.objects.all(), 1, 10)
    assert list(page) == [] and page.paginator.count == 0 and page.paginator.num_pages == 1


def test_a_window_count_gives_the_same_page(posts, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = get_page(posts.values("name"), 2, 10, window=True)
        assert page.paginator.count == 23
    assert [p["name"] for p in page] == [f"Post {i:02}" for i in range(10, 20)]


@pytest.mark.parametrize(
    "number", ["99999999999999999999999", "9" * 5000, 10**30, "9223372036854775808", "²", "1e400"]
)
def test_any_huge_or_unreadable_number_is_a_page_not_an_error(posts, number):
    page = get_page(posts, number, 10)
    assert page.number in (1, 3)
    assert list(page)


def test_unicode_digits_are_read_as_the_number_they_are(posts):
    assert get_page(posts, "٣", 10).number == 3


@pytest.mark.parametrize("number", ["99999999999999999999999", "-1", "²", "1e400", None])
def test_a_list_in_memory_is_paged_the_same_way(number):
    page = get_page(list(range(23)), number, 10)
    assert page.number in (1, 3)

"""risks/together.py: several querysets' rows in one statement, as each would read them; and a
queryset compiled once, read as it would read itself."""

import datetime

import pytest
from django.db.models import Model

from risks.models import Escalation, IndicatorValue, ReportingPeriod, Risk
from risks.together import read_prepared, read_together


def _same(a: Model, b: Model, related: list[str]) -> None:
    assert type(a) is type(b)
    fields = [f.attname for f in type(a)._meta.concrete_fields]
    assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]
    assert [type(getattr(a, f)) for f in fields] == [type(getattr(b, f)) for f in fields]
    for path in related:
        x, y = a, b
        for name in path.split("__"):
            assert type(x)._meta.get_field(name).is_cached(x)  # selected: not fetched on use
            x, y = getattr(x, name), getattr(y, name)
            if x is None or y is None:
                assert x is None and y is None
                break
        else:
            _same(x, y, [])


def test_each_querysets_rows_as_it_reads_them_in_one_query(
    q3, risk1, owner, django_assert_num_queries
):
    from risks.models import Assessment, Indicator
    from risks.services import save_assessment

    a = Assessment.objects.get(risk=risk1, period=q3)
    save_assessment(assessment=a, version=a.version, by=owner, changes={"commentary": "New."})
    indicator = Indicator.objects.create(risk=risk1, name="Knife crime", direction="higher_worse",
                                         green_limit="1.50", amber_limit=2)
    value = IndicatorValue(indicator=indicator, period=q3, value="3.25")
    value.record(indicator)
    value.save()
    querysets = {
        # Dates before datetimes: SQLite's driver converts a union's column as the first
        # part's column is declared, and casts both to TEXT; each type must have its own place.
        "periods": (ReportingPeriod.objects.all(), []),
        "risks": (Risk.objects.filter(register=risk1.register)
                  .select_related("owner", "appetite_theme__level"),
                  ["owner", "appetite_theme", "appetite_theme__level"]),
        "history": (Assessment.history.filter(risk_id=risk1.pk).select_related("history_user", "period"),
                    ["history_user", "period"]),
        "values": (IndicatorValue.objects.filter(indicator__risk=risk1).select_related("indicator"),
                   ["indicator"]),
        "none": (Escalation.objects.filter(risk=risk1).select_related("result_risk__register"), []),
        "empty": (Risk.objects.filter(pk__in=[]), []),
    }
    with django_assert_num_queries(1):
        rows = read_together([qs for qs, _ in querysets.values()])
    for (qs, related), read in zip(querysets.values(), rows, strict=True):
        expected = sorted(qs, key=lambda o: o.pk)
        got = sorted(read, key=lambda o: o.pk)
        assert len(got) == len(expected)
        for x, y in zip(got, expected, strict=True):
            _same(x, y, related)
    assert all(rows[:4]) and rows[4] == [] and rows[5] == []


def test_nothing_to_read_reads_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert read_together([Risk.objects.filter(pk__in=[])]) == [[]]
        assert read_together([]) == []


def _owned_by(post_id):
    return Risk.objects.filter(owner_id=post_id).select_related("owner", "register").order_by("-ref")


def test_a_prepared_queryset_reads_as_the_queryset_with_each_calls_parameters(
    seed, django_assert_num_queries
):
    from risks.models import Post

    posts = list(Post.objects.filter(owned_risks__isnull=False).distinct().order_by("pk")[:2])
    assert len(posts) == 2
    for post in [*posts, posts[0]]:  # compiled on the first call, reused by the others
        expected = list(_owned_by(post.pk))
        with django_assert_num_queries(1):
            got = read_prepared("test-owned-by", _owned_by, [post.pk])
        assert [r.ref for r in got] == [r.ref for r in expected]  # its order
        for x, y in zip(got, expected, strict=True):
            _same(x, y, ["owner", "register"])
    assert read_prepared("test-owned-by", _owned_by, [0]) == []


def test_a_queryset_whose_sql_does_not_take_the_parameters_given_is_refused(db):
    with pytest.raises(ValueError, match="parameters"):
        read_prepared("test-fixed", lambda ref: Risk.objects.filter(ref=1), [2])
    with pytest.raises(ValueError, match="parameters"):
        read_prepared("test-swapped", lambda a, b: Risk.objects.filter(title=b).filter(description=a),
                      ["x", "y"])
    with pytest.raises(TypeError, match="whole numbers and strings"):
        read_prepared("test-date", lambda day: ReportingPeriod.objects.filter(start=day),
                      [datetime.date(2021, 7, 1)])


def test_sqlite_statements_are_converted_as_djangos_cursor_converts_them():
    from risks.rawsql import _sqlite_placeholders

    assert _sqlite_placeholders("SELECT '100%%' || %s WHERE a = %s") == "SELECT '100%' || ? WHERE a = ?"
    assert _sqlite_placeholders("SELECT '%%s'") == "SELECT '%s'"

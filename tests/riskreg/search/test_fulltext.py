"""On PostgreSQL, search is full-text (stemmed words) over GIN indexes that the planner uses;
on SQLite every word is a case-insensitive match. Each backend's own tests run on it (CI runs
the suite on both): `DATABASE_URL=postgres://... pytest tests/riskreg/search`."""

import pytest
from django.db import connection

from controls.models import Control
from riskreg.search.fulltext import FIELDS, matching
from risks.models import Risk

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's match")


@pytest.mark.postgres
@on_postgresql
def test_each_kind_has_its_full_text_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'search_%%'")
        found = dict(cursor.fetchall())
    for _, _, _, name in FIELDS.values():
        assert name in found and "USING gin" in found[name] and "to_tsvector" in found[name]


@pytest.mark.postgres
@on_postgresql
def test_the_planner_uses_the_index(seed):
    rows = matching(Risk.objects.all(), "risk", "violent crime")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = rows.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "search_risk_fts" in plan, plan


@pytest.mark.postgres
@on_postgresql
def test_words_are_stemmed_and_the_best_first(seed):
    found = list(matching(Control.objects.all(), "control", "disrupt county line"))
    assert found and found[0].title.startswith("Op Orochi")


@on_sqlite
def test_on_sqlite_every_word_must_be_found_in_some_field(seed):
    found = list(matching(Risk.objects.all(), "risk", "VIOLENT crime"))
    assert [r.title for r in found] == ["VIOLENT CRIME"]
    assert list(matching(Risk.objects.all(), "risk", "violent quokka")) == []

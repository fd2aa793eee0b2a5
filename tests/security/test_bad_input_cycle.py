"""Bad input to every form of the quarterly cycle (risks/forms.py, controls/forms.py) and to the
register's filters: Hypothesis examples each (new ones every run, and the boundary values),
posted through the views by the role that may use them. None may cause a server error; a
submission that does not redirect writes nothing.
"""

from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from controls.models import Control
from risks.models import Assessment, Indicator, ReportingPeriod
from risks.services import close_period
from tests.factories import period_form

from .addresses import path_for
from .badinput import BOUNDARY, EXAMPLES, JUNK, check_form
from .conftest import ROLES, client_for, digest, rolled_back
from .test_access_matrix import EXPECTED

TEXT = ["Knife crime fell over the summer.", "", "  ", "Line one\r\nLine two"]


def _version(pk) -> list:
    version = Assessment.objects.get(pk=pk).version
    return [version, version, version - 1, version + 1, 0]


def test_score_form(w):
    report = check_form(
        client_for(w, "owner"), reverse("quarterly:update-score", args=[w.risk1]),
        {"likelihood": [1, 2, 3, 4], "impact": [1, 2, 3, 4],
         "score_change_source": ["controls", "reassessment", ""],
         "version": _version(w.assessment1), "preview": [None, None, "", "1"]},
        htmx=True,
    )
    assert 302 in report.statuses


def test_progress_form(w):
    report = check_form(
        client_for(w, "lead"), reverse("quarterly:update-progress", args=[w.risk1]),
        {"trend": ["improving", "stable", "worsening"],
         "progress": ["on_track", "limited", "slipped", "no_progress"],
         "reasons": TEXT, "commentary": TEXT, "version": _version(w.assessment1)},
    )
    assert 302 in report.statuses


def test_indicator_values_form(w):
    knife = Indicator.objects.get(risk=w.risk1)
    report = check_form(
        client_for(w, "owner"), reverse("quarterly:update-indicators", args=[w.risk1]),
        {f"value_{knife.pk}": ["130", "99.5", "1,250", "-3", "", "1.234", "١٢", "1e5",
                               "9" * 40, "NaN", "Infinity"],
         f"note_{knife.pk}": TEXT, "version": _version(w.assessment1)},
    )
    assert 302 in report.statuses and 400 in report.statuses


def test_action_form_approving_an_update(w):
    check_form(client_for(w, "planner"), reverse("quarterly:review-approve", args=[w.assessment2]),
               {"version": _version(w.assessment2)}, htmx=True)


def test_action_form_submitting_an_update(w):
    check_form(client_for(w, "owner"), reverse("quarterly:update-check", args=[w.risk1]),
               {"version": _version(w.assessment1)})


def test_return_form(w):
    report = check_form(
        client_for(w, "planner"), reverse("quarterly:review-return", args=[w.assessment2]),
        {"comment": TEXT, "version": _version(w.assessment2)}, htmx=True,
    )
    assert 302 in report.statuses


def test_open_period_form(w):
    q3 = ReportingPeriod.objects.get(slug=w.q3)
    close_period(period=q3, by=w.users["planner"], incomplete=True)
    days, months, years = ["1", "31", "29", "0", "x"], ["1", "3", "12", "13"], ["2022", "1900", "22"]
    client = client_for(w, "planner")
    check_form(
        client, reverse("quarterly:period-open"),
        {"name": ["2021/22 Q4", "2021/22 Q3", "Q4", "//"]}
        | {f"{field}_{part}": values for field in ("start", "end", "deadline")
           for part, values in (("day", days), ("month", months), ("year", years))},
    )
    # Valid dates are a small corner of those combinations: show one is accepted, explicitly.
    response = client.post(reverse("quarterly:period-open"), period_form({
        "name": "2021/22 Q4", "start": "2022-01-01", "end": "2022-03-31", "deadline": "2022-03-01",
    }))
    assert response.status_code == 302


def test_close_period_form(w):
    report = check_form(client_for(w, "planner"), reverse("quarterly:period-close", args=[w.q3]),
                        {"incomplete": ["on", "", "false"]})
    assert 302 in report.statuses


def test_control_update_form(w):
    report = check_form(
        client_for(w, "owner"), reverse("quarterly:control-update", args=[w.risk1, w.control1]),
        {"status": ["not_started", "in_progress", "complete", "delayed"], "note": TEXT,
         "version": [0, 0, 1, 2]}, htmx=True,
    )
    assert 302 in report.statuses


def test_new_control_form(w):
    taken = Control.objects.filter(risk_id=w.risk1).first().title
    report = check_form(
        client_for(w, "owner"), reverse("quarterly:control-add", args=[w.risk1]),
        {"title": ["Late-night patrols", taken, taken.upper(), "  "], "description": TEXT,
         "milestone": ["end of November", ""], "status": ["not_started", "complete"],
         "note": TEXT},
    )
    assert 302 in report.statuses


def test_register_filters(w):
    """The register's filter form reads the query string: junk there is no error either."""
    check_form(
        client_for(w, "owner"), reverse("risks:register", args=["corporate"]),
        {"period": [w.q2, w.q3, "no-such"], "horizon": ["short", "long"],
         "owner": ["1", "999999"], "rag": ["green", "amber", "red"],
         "progress": ["on_track", "limited"], "trend": ["improving"], "pillar": ["1", "x"],
         "band": ["high", "low"], "likelihood": ["1", "4"], "impact": ["2"],
         "sort": ["ref", "score", "title", "owner", "nope"], "page": ["1", "2", "0", "-1", "x"],
         "q": ["crime", ""]},
        method="get", htmx=True,
    )


def test_query_strings_of_every_page(w):
    """Pages read their filters from the query string (period, register, page, sort, show,
    year, status, public...): junk there is a 404 or a page, never an error, never a write."""
    client = client_for(w, "planner")
    pages = sorted(path_for(key, w) for (key, method), statuses in EXPECTED.items()
                   if method == "GET" and not key.startswith("admin") and key != "logout"
                   and statuses[ROLES.index("planner")] == 200 and key != "reports:pdf")
    names = ["period", "register", "from", "to", "page", "sort", "show", "year", "status",
             "public", "theme", "cancel", "horizon", "owner", "rag", "next"]
    before = digest()

    @EXAMPLES
    @given(path=st.sampled_from(pages), query=st.dictionaries(st.sampled_from(names), JUNK,
                                                             max_size=4),
           htmx=st.booleans())
    def run(path, query, htmx):
        with rolled_back():
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            response = client.get(path, query, **headers)
            assert response.status_code < 500, (path, query)
            assert digest() == before

    # Each boundary value in every parameter at once, on every page in turn.
    for i, value in enumerate(BOUNDARY * 3):
        run = example(path=pages[i % len(pages)], query=dict.fromkeys(names, value),
                      htmx=False)(run)
    run()

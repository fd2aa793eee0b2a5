"""Inputs that once gave a server error (issue #15, finding 4): each is now a page or a message.

Huge, scientific, negative and non-ASCII page numbers on every paginated list; a year in
superscript digits on the self-assessment results; the open-a-period page once a period ends on
the last day the calendar has; far-future period dates; ticking delete on a closed quarter's
rows in the admin.
"""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from controls.models import Control, ControlUpdate
from risks.models import Assessment, ReportingPeriod
from risks.services import close_period
from tests.factories import period_form

from .conftest import admin_form_data, client_for

PAGE_NUMBERS = ["99999999999999999999999", "1e400", "-1", "²", "٣", "9" * 400, "\x00", "0x10",
                "1.5", "NaN", "inf", " 2 "]


def _lists(w) -> list[tuple[str, dict, str]]:
    """Every list that takes a page number: its address, its query, the page's parameter."""
    register = ["corporate"]
    return [
        (reverse("risks:register", args=register), {}, "page"),
        (reverse("quarterly:register-changes", args=register), {"period": w.q3}, "page"),
        (reverse("quarterly:register-changes", args=register), {"period": w.q3}, "controls_page"),
        (reverse("risks:register-compare", args=register), {}, "page"),
        (reverse("quarterly:review"), {}, "page"),
        (reverse("quarterly:review"), {"show": "all"}, "page"),
        (reverse("risks:dashboard"), {"register": "corporate"}, "page"),
    ]


@pytest.mark.parametrize("number", PAGE_NUMBERS)
def test_any_page_number_gives_a_page(w, number):
    client = client_for(w, "planner")
    for path, query, name in _lists(w):
        response = client.get(path, {**query, name: number})
        assert response.status_code == 200, (path, name, number, response.status_code)


@pytest.mark.parametrize("year", ["²", "٣٠٢٠", "2⁰21", "99999999999999999999999", "9" * 5000, "-1", "1e4",
                                  "\x00", ""])
def test_any_year_on_the_self_assessment_results_is_a_page_or_not_found(w, year):
    response = client_for(w, "owner").get(reverse("maturity:results"), {"year": year})
    assert response.status_code in (200, 404), (year, response.status_code)


def test_the_open_a_period_page_works_once_a_period_ends_on_the_last_day_there_is(w):
    q3 = ReportingPeriod.objects.get(slug=w.q3)
    ReportingPeriod.objects.filter(pk=q3.pk).update(end=datetime.date(9999, 12, 31))
    close_period(period=ReportingPeriod.objects.get(pk=q3.pk), by=w.users["planner"],
                 incomplete=True)
    response = client_for(w, "planner").get(reverse("quarterly:period-open"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("start", "end", "deadline", "field", "message"),
    [
        ("2022-01-01", "9999-12-31", "2022-03-01", "end", "in a year from 2000 to 2100"),
        ("2022-01-01", "2024-03-31", "2022-03-01", "end", "within 200 days of the first day"),
        ("9999-01-01", "9999-03-31", "9999-03-01", "start", "in a year from 2000 to 2100"),
        ("2022-01-01", "2022-03-31", "9999-03-01", "deadline", "in a year from 2000 to 2100"),
        ("2022-01-01", "2022-03-31", "2024-03-01", "deadline", "within three months of the last"),
        ("0001-01-01", "0001-03-31", "0001-03-01", "start", "in a year from 2000 to 2100"),
        ("2022-01-01", "2022-02-30", "2022-03-01", "end", "The last day must be a real date"),
    ],
)
def test_far_future_and_impossible_period_dates_are_refused_with_a_message(
    w, start, end, deadline, field, message
):
    close_period(period=ReportingPeriod.objects.get(slug=w.q3), by=w.users["planner"],
                 incomplete=True)
    response = client_for(w, "planner").post(reverse("quarterly:period-open"), period_form({
        "name": "2021/22 Q4", "start": start, "end": end, "deadline": deadline,
    }))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ReportingPeriod.objects.filter(slug="2021-22-q4").exists()


# The admin: a closed quarter's rows are never deleted, and asking is never a server error ----


def _closed_update(w) -> ControlUpdate:
    return ControlUpdate.objects.get(control_id=w.control1, period__slug=w.q2)


def test_ticking_delete_on_a_closed_quarters_control_update_in_the_admin_deletes_nothing(w):
    """The control's page lists its updates inline; a closed quarter's cannot be ticked."""
    client = client_for(w, "admin")
    control = Control.objects.get(pk=w.control1)
    page = client.get(reverse("admin:controls_control_change", args=[control.pk]))
    assert page.status_code == 200
    formset = page.context["inline_admin_formsets"][0].formset
    data = admin_form_data(control, w.users["admin"])
    data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
    for i, form in enumerate(formset.forms):
        data[f"{formset.prefix}-{i}-id"] = form.instance.pk
        data[f"{formset.prefix}-{i}-control"] = control.pk
        data[f"{formset.prefix}-{i}-DELETE"] = "on"
    for inline in page.context["inline_admin_formsets"][1:]:
        data.update({f"{inline.formset.prefix}-{k}": v
                     for k, v in inline.formset.management_form.initial.items()})
    closed = _closed_update(w)
    response = client.post(reverse("admin:controls_control_change", args=[control.pk]), data)
    assert response.status_code in (200, 302), response.status_code
    assert ControlUpdate.objects.filter(pk=closed.pk).exists()


@pytest.mark.parametrize(
    ("model", "closed_pk"),
    [
        ("controls.controlupdate", lambda w: _closed_update(w).pk),
        ("risks.assessment", lambda w: w.closed_assessment1),
    ],
)
def test_the_delete_action_on_a_closed_quarters_rows_refuses_with_a_message(w, model, closed_pk):
    client = client_for(w, "admin")
    model_class = next(m for m in admin.site._registry if m._meta.label_lower == model)
    pk = closed_pk(w)
    url = reverse(f"admin:{model.replace('.', '_')}_changelist")
    for confirm in ({}, {"post": "yes"}):
        response = client.post(url, {"action": "delete_selected", "_selected_action": [pk],
                                     **confirm}, follow=True)
        assert response.status_code in (200, 403), (confirm, response.status_code)
    assert model_class.objects.filter(pk=pk).exists()
    assert Assessment.objects.filter(pk=w.closed_assessment1).exists()

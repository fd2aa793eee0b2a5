"""/search/: the one search box, and its results, kind by kind."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from risks.pages import pagination

from .results import KINDS, search


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search risks, controls, commentary, reasons and the action plan",
        max_length=200, min_length=2,
        error_messages={"required": "Enter what to search for",
                        "min_length": "Enter at least 2 characters to search for",
                        "max_length": "Enter 200 characters or fewer to search for"},
    )


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET if "q" in request.GET else None)
    groups = []
    status = 200
    if form.is_bound:
        if form.is_valid() and form.cleaned_data["q"].split():
            query = form.cleaned_data["q"]
            pages = {kind: request.GET.get(f"{kind}_page") for kind, _, _ in KINDS}
            groups = search(request.user, query, pages)
            for group in groups:
                group.pages = pagination(request, group.page, f"{group.kind}_page")
        else:
            if form.is_valid():
                form.add_error("q", "Enter what to search for")
            status = 400
    return render(request, "search/search.html", {
        "form": form, "groups": groups, "total": sum(g.count for g in groups),
    }, status=status)

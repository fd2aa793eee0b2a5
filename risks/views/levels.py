"""The Planning & Risk Team's descriptions of the likelihood and impact levels (/levels/),
shown as hints wherever a level is chosen. Each change is kept in the history."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..access import require_planner
from ..models import LevelDescription
from ..scoring import Scale

DIMENSIONS = LevelDescription.Dimension


def _name(dimension: str, level: int) -> str:
    return f"{dimension}_{level}"


class LevelDescriptionsForm(forms.Form):
    """One box per level of each scale; an empty box means the level is not described."""

    label_size = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for dimension, dimension_label in DIMENSIONS.choices:
            for level, level_label in Scale.choices:
                self.fields[_name(dimension, level)] = forms.CharField(
                    label=level_label, required=False, max_length=500,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    error_messages={
                        "max_length": f"Keep the description of {dimension_label.lower()} "
                        f"{level_label.lower()} to 500 characters or fewer",
                    },
                )

    def by_dimension(self):
        return [
            (label, [self[_name(dimension, level)] for level in Scale.values])
            for dimension, label in DIMENSIONS.choices
        ]


@transaction.atomic
def save_descriptions(*, descriptions: dict[tuple[str, int], str], by) -> int:
    """Write the descriptions that changed (each with its history row); returns how many."""
    existing = {
        (d.dimension, d.level): d
        for d in LevelDescription.objects.select_for_update().all()
    }
    changed = 0
    for key, text in descriptions.items():
        row = existing.get(key) or LevelDescription(dimension=key[0], level=key[1])
        if row.pk is not None and row.description == text or row.pk is None and not text:
            continue
        row.description = text
        row.updated_by = by
        row._history_user = by
        row.save()
        changed += 1
    return changed


@require_http_methods(["GET", "POST"])
def level_descriptions(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    if request.method == "POST":
        form = LevelDescriptionsForm(request.POST)
        if form.is_valid():
            changed = save_descriptions(
                descriptions={
                    (dimension, level): form.cleaned_data[_name(dimension, level)].strip()
                    for dimension in DIMENSIONS.values for level in Scale.values
                },
                by=request.user,
            )
            if changed:
                messages.success(
                    request,
                    f"{changed} level description{'s' if changed != 1 else ''} saved. Owners "
                    "see them when they choose a likelihood and an impact.",
                )
            else:
                messages.info(request, "Nothing changed, so nothing was saved.")
            return redirect("risks:levels")
    else:
        form = LevelDescriptionsForm(initial={
            _name(d.dimension, d.level): d.description for d in LevelDescription.objects.all()
        })
    history = (
        LevelDescription.history.select_related("history_user").order_by("-history_date")[:20]
    )
    return render(
        request, "risks/leveldescription_form.html", {"form": form, "history": history}
    )

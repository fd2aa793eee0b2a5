"""Forms of closing a reporting period and of a risk's appetite and tolerance (opening one: riskreg.quarterly.period_form)."""

from django import forms

from .appetite_forms import score_field
from .formfields import ChoiceField
from .models import AppetiteLevel, AppetiteTheme


class ClosePeriodForm(forms.Form):
    incomplete = forms.BooleanField(
        label="Close the period with what is there",
        required=False,
        help_text="Updates that are not approved are frozen as they are, and the report "
        "records that the period closed incomplete.",
    )


class AppetiteForm(forms.Form):
    appetite = forms.CharField(
        label="Risk appetite",
        help_text="How much of this risk the organisation is prepared to accept. The Audit "
        "Panel report prints it in Appendix B. Leave it empty if none is agreed.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    appetite_level = ChoiceField(
        queryset=AppetiteLevel.objects.all(), required=False, label="Its own appetite level",
        empty_label="Its theme's level", help_text="Leave it as its theme's level unless this "
        "risk's appetite differs from its theme's.",
        error_messages={"invalid_choice": "Choose a level from the list"},
    )
    appetite_theme = ChoiceField(
        queryset=AppetiteTheme.objects.select_related("level"), required=False,
        label="Theme", empty_label="No theme",
        error_messages={"invalid_choice": "Choose a theme from the list"},
    )
    tolerance = score_field(
        "Tolerance", required=False,
        hint="The highest current score (1 to 16) that is acceptable: above it the risk is in "
        "breach. Leave it empty if none is set.",
    )
    # appetite_digest() of the text the page showed: a change made meanwhile is not overwritten.
    was = forms.CharField(widget=forms.HiddenInput, max_length=64,
                          error_messages={"required": "The page was incomplete: reload it and try again"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The theme's level beside its name: the level the risk takes unless it has its own.
        self.fields["appetite_theme"].label_from_instance = lambda t: f"{t.name} – {t.level.name}"

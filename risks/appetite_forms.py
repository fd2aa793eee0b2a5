"""Forms of the appetite criteria (levels, themes) and of a risk's appetite and tolerance.
Each carries `was`, the digest of what the page showed (risks.appetite, risks.services)."""

from django import forms
from django.core.exceptions import ValidationError

from .formfields import ChoiceField
from .manage_forms import WholeNumberField, _text, was_field
from .models import HIGHEST_SCORE, AppetiteLevel, AppetiteTheme


def score_field(label: str, *, required: bool, hint: str) -> WholeNumberField:
    return WholeNumberField(
        label=label, min_value=1, max_value=HIGHEST_SCORE, required=required, help_text=hint,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"required": f"Enter the {label.lower()}, a score from 1 to 16",
                        "invalid": f"Enter the {label.lower()} as a whole number from 1 to 16",
                        "min_value": f"The {label.lower()} must be 1 or more",
                        "max_value": f"The {label.lower()} must be 16 or less"},
    )


class _Named(forms.Form):
    model = AppetiteLevel
    what = "level"

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj = obj

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = self.model.objects.filter(name__iexact=name)
        if self.obj is not None:
            taken = taken.exclude(pk=self.obj.pk)
        if taken.exists():
            raise ValidationError(f"There is already a {self.what} with this name")
        return name


class AppetiteLevelForm(_Named):
    label_size = None

    name = _text("Name of the level", max_length=100, message="Enter the level's name",
                 hint="For example Averse, Minimal, Cautious, Open or Eager.")
    description = forms.CharField(
        label="What it means", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "What it means must be 2000 characters or fewer"},
    )
    max_score = score_field("Highest score it accepts", required=True,
                            hint="The highest current score (likelihood × impact, 1 to 16) "
                            "that this level accepts.")
    order = WholeNumberField(
        label="Position in lists", min_value=0, max_value=32767, initial=0,
        help_text="Levels are listed by this number, lowest first.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"required": "Enter the position, for example 1",
                        "invalid": "Enter the position as a whole number, for example 1",
                        "min_value": "The position must be 0 or more",
                        "max_value": "The position must be 32767 or less"},
    )
    was = was_field()

    def __init__(self, *args, level=None, **kwargs):
        super().__init__(*args, obj=level, **kwargs)


class AppetiteThemeForm(_Named):
    label_size = None
    model = AppetiteTheme
    what = "theme"

    name = _text("Name of the theme", max_length=100, message="Enter the theme's name",
                 hint="For example Financial, Operational, Reputational or People.")
    level = ChoiceField(
        queryset=AppetiteLevel.objects.all(), label="Its appetite level",
        empty_label="Choose a level",
        error_messages={"required": "Choose the theme's appetite level",
                        "invalid_choice": "Choose a level from the list"},
    )
    was = was_field()

    def __init__(self, *args, theme=None, **kwargs):
        super().__init__(*args, obj=theme, **kwargs)


class RegisterAppetiteForm(forms.Form):
    """A register's own level for each theme, or the organisation's (left empty)."""

    label_size = None
    was = was_field()

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = list(themes)
        levels = AppetiteLevel.objects.all()
        for theme in self.themes:
            self.fields[f"theme_{theme.pk}"] = ChoiceField(
                queryset=levels, required=False, label=theme.name,
                empty_label=f"The organisation's level ({theme.level.name})",
                error_messages={"invalid_choice": f"Choose a level for {theme.name} from the list"},
            )

    def levels(self) -> dict[int, AppetiteLevel | None]:
        return {t.pk: self.cleaned_data[f"theme_{t.pk}"] for t in self.themes}

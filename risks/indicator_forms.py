"""Forms of key risk indicators: the team's form of an indicator (its thresholds ordered with
its direction, said before the database would refuse it) and the owner's values this quarter."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from .formfields import ChoiceField
from .locking import VersionField
from .manage_forms import WholeNumberField, _text, was_field
from .models import Direction, Indicator, Post
from .models.indicators import VALUE_LIMIT, number

# ASCII digits only (Decimal would take "١٢" as 12), an optional sign and up to two decimals;
# thousands may be written with commas ("1,250").
NUMBER = re.compile(r"^-?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]{1,2})?$")  # VALUE_PLACES: 2
TOO_BIG = f"{number(VALUE_LIMIT)}"


class NumberField(forms.Field):
    """A number such as 12, -3, 1,250 or 12.5, as a Decimal (at most two decimal places)."""

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}))
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter {what}"

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        if text.endswith("%"):
            text = text[:-1].strip()
        if len(text) > 30 or not NUMBER.match(text):
            raise ValidationError(
                f"Enter {self.what} as a number, for example 12 or 12.5 (at most two decimal "
                "places)", code="invalid")
        result = Decimal(text.replace(",", ""))
        if not -VALUE_LIMIT < result < VALUE_LIMIT:
            raise ValidationError(
                f"Enter {self.what} as a number between -{TOO_BIG} and {TOO_BIG}", code="invalid")
        return result


class IndicatorForm(forms.Form):
    label_size = None

    name = _text("Name of the indicator", max_length=200, message="Enter the indicator's name",
                 hint='What is measured, for example "Knife crime offences".')
    unit = _text("Unit", max_length=50, required=False, width="govuk-input--width-10",
                 hint='What a value counts, for example "offences", "days" or "%". '
                 "Leave it empty for a plain number.")
    direction = forms.ChoiceField(
        label="Which way is worse?", choices=Direction.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose whether higher or lower values are worse",
                        "invalid_choice": "Choose whether higher or lower values are worse"},
    )
    green_limit = NumberField(
        what="the green limit", label="Green up to",
        help_text="A value at or better than this is Green (for higher is worse: at or below).",
    )
    amber_limit = NumberField(
        what="the amber limit", label="Amber up to",
        help_text="A value at or better than this, and worse than the green limit, is Amber; "
        "anything worse is Red.",
    )
    source = _text("Source", max_length=200, required=False,
                   hint='Where the figure comes from, for example "Crime Data Integrity '
                   'report".')
    owner = ChoiceField(
        queryset=Post.objects.all(), label="Owner", required=False, empty_label="Not named",
        help_text="The post that provides the figure each quarter.",
        error_messages={"invalid_choice": "Choose a post from the list"},
    )
    order = WholeNumberField(
        label="Position in lists", min_value=0, max_value=32767, initial=0,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"required": "Enter the position, for example 1",
                        "invalid": "Enter the position as a whole number, for example 1",
                        "min_value": "The position must be 0 or more",
                        "max_value": "The position must be 32767 or less"},
    )
    is_active = forms.BooleanField(
        label="Active: its value is asked for each quarter", required=False, initial=True,
    )
    was = was_field()

    def __init__(self, *args, indicator: Indicator | None = None, risk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator, self.risk = indicator, risk or (indicator.risk if indicator else None)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Indicator.objects.filter(risk=self.risk, name__iexact=name)
        if self.indicator is not None:
            taken = taken.exclude(pk=self.indicator.pk)
        if self.risk is not None and taken.exists():
            raise ValidationError(f"Risk {self.risk.ref} already has an indicator with this name")
        return name

    def clean(self):
        data = super().clean()
        green, amber, direction = (data.get("green_limit"), data.get("amber_limit"),
                                   data.get("direction"))
        if green is None or amber is None or not direction:
            return data
        if direction == Direction.HIGHER_IS_WORSE and not green < amber:
            self.add_error("amber_limit", "Where higher is worse, the amber limit must be "
                           "higher than the green limit")
        if direction == Direction.LOWER_IS_WORSE and not green > amber:
            self.add_error("amber_limit", "Where lower is worse, the amber limit must be "
                           "lower than the green limit")
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in (
            "name", "unit", "direction", "green_limit", "amber_limit", "source", "owner",
            "is_active", "order")}


class IndicatorValuesForm(forms.Form):
    """This quarter's value and note of each of the risk's active indicators (entries of
    risks.indicators.entries). A value may wait (left empty) until it is known, but one
    entered this quarter cannot be removed, only changed."""

    label_size = None
    version = VersionField()

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        for e in entries:
            i = e.indicator
            unit = f" ({i.unit})" if i.unit else ""
            hint = i.thresholds + "."
            if e.previous is not None:
                hint += (f" {e.previous.period.name}: {e.previous.shown} "
                         f"({e.previous.rag_label}).")
            self.fields[f"value_{i.pk}"] = NumberField(
                what=f"the value of {i.name}", label=f"{i.name}{unit}", help_text=hint,
                required=e.this is not None,
            )
            self.fields[f"note_{i.pk}"] = forms.CharField(
                label=f"Note on {i.name} (optional)", required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": f"The note on {i.name} must be 2000 characters "
                                "or fewer"},
            )
            if e.this is not None:
                self.fields[f"value_{i.pk}"].error_messages["required"] = (
                    f"Enter the value of {i.name}: a value entered this quarter can be changed "
                    "but not removed")

    def pairs(self):
        """(entry, value field, note field) for the template, in the indicators' order."""
        return [(e, self[f"value_{e.indicator.pk}"], self[f"note_{e.indicator.pk}"])
                for e in self.entries]

    def clean(self):
        data = super().clean()
        if not self.errors and not any(
            data.get(f"value_{e.indicator.pk}") is not None for e in self.entries
        ):
            raise ValidationError("Enter at least one indicator's value")
        return data

    def values(self) -> dict[int, tuple[Decimal, str]]:
        found = {}
        for e in self.entries:
            value = self.cleaned_data.get(f"value_{e.indicator.pk}")
            if value is not None:
                found[e.indicator.pk] = (value, self.cleaned_data[f"note_{e.indicator.pk}"].strip())
        return found

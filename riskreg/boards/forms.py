from django import forms

from risks.formfields import ChoiceField
from risks.models import ReportingPeriod, Risk

from ..report.forms import meeting_field
from ..report.models import REASON_MAX_LENGTH, Marking
from .models import NOTES_MAX_LENGTH, BoardSummaryChoice

MARKING_HELP = "Printed at the top and foot of every page of the summary and in its file name."


def _marking_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Protective marking", choices=Marking.choices, help_text=MARKING_HELP,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the protective marking",
                        "invalid_choice": "Choose a protective marking from the list"},
    )


class NewSummaryForm(forms.Form):
    period = ChoiceField(
        queryset=ReportingPeriod.objects.none(), empty_label=None, label="Reporting period",
        help_text="The quarter whose approved updates the summary sets out.",
        error_messages={"required": "Choose the reporting period",
                        "invalid_choice": "Choose a reporting period from the list"},
    )
    meeting = meeting_field()
    protective_marking = _marking_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = ReportingPeriod.objects.order_by("-start")
        self.fields["meeting"].min_year, self.fields["meeting"].max_year = 2000, 2100
        self.initial.setdefault("protective_marking", Marking.OFFICIAL_SENSITIVE)


class SummaryForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    meeting = meeting_field()
    protective_marking = _marking_field()
    notes = forms.CharField(
        label="Notes for the board", required=False, max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Printed under the table: what the board is asked to note or decide.",
        error_messages={"max_length": f"Notes must be {NOTES_MAX_LENGTH:,} characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].min_year, self.fields["meeting"].max_year = 2000, 2100

    def clean_notes(self):
        notes = self.cleaned_data["notes"]
        if "\x00" in notes:
            raise forms.ValidationError("Notes cannot contain a NUL character")
        return notes


class ChoiceForm(forms.Form):
    """Add a risk to this meeting's summary, or remove one its rules picked, with a reason."""

    risk = ChoiceField(
        queryset=Risk.objects.none(), label="Risk", empty_label="Choose a risk",
        error_messages={"required": "Choose the risk to add or remove",
                        "invalid_choice": "Choose a risk from the list"},
    )
    action = forms.ChoiceField(
        label="Add it or remove it?", choices=BoardSummaryChoice.Action.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": "Choose whether to add or remove the risk",
                        "invalid_choice": "Choose whether to add or remove the risk"},
    )
    reason = forms.CharField(
        label="Reason", max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Printed on the summary beside the risk.",
        error_messages={"required": "Enter the reason for adding or removing the risk",
                        "max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer"},
    )

    def __init__(self, *args, risks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = risks if risks is not None else Risk.objects.none()
        self.fields["risk"].label_from_instance = lambda r: f"{r.register.name}: risk {r.ref}, {r.title}"

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if "\x00" in reason:
            raise forms.ValidationError("The reason cannot contain a NUL character")
        if not reason:
            raise forms.ValidationError("Enter the reason for adding or removing the risk")
        return reason


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    confirm = forms.BooleanField(
        label="I have checked the meeting, the period, the marking and the risks listed, and "
        "the summary is ready for the board",
        error_messages={"required": "Tick the box to confirm that you have checked the summary "
                        "before publishing it"},
    )

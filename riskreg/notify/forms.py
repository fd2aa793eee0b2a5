from django import forms

from risks.govuk_forms import GovukDateField

from .models import Delivery, Kind


class PreferencesForm(forms.Form):
    """One question per kind: immediately, in the daily digest, or no email."""

    label_size = None

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Delivery.choices, initial=current.get(kind, Delivery.IMMEDIATE),
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--small"}),
                error_messages={
                    "required": f"Choose how to be told: {label.lower()}",
                    "invalid_choice": f"Choose how to be told: {label.lower()}",
                },
            )


class MarkReadForm(forms.Form):
    notification = forms.IntegerField(required=False, min_value=1, max_value=2**62)


class ExtendDeadlineForm(forms.Form):
    label_size = None

    deadline = GovukDateField(
        label="New deadline", help_text="For example 17 12 2021",
        error_messages={
            "required": "Enter the new deadline",
            "incomplete": "The new deadline must include a day, month and year",
            "invalid": "The new deadline must be a real date",
        },
    )
    reason = forms.CharField(
        label="Why is it later?", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the later deadline",
                        "max_length": "Enter a reason of 2,000 characters or fewer"},
    )


class DelegateForm(forms.Form):
    label_size = None

    delegate = forms.ModelChoiceField(
        label="Who should write and submit this update?", queryset=None,
        help_text="A person who holds a post. They receive its reminders until it is submitted.",
        error_messages={"required": "Choose the person to hand the update to",
                        "invalid_choice": "Choose the person to hand the update to"},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = people
        self.fields["delegate"].label_from_instance = (
            lambda u: f"{u.get_full_name() or u.get_username()} ({u.get_username()})"
        )

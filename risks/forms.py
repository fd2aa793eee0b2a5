"""Forms of the reporting periods (opening and closing a quarter) and of a risk's appetite."""

from django import forms
from django.core.exceptions import ValidationError

from .models import ReportingPeriod


class OpenPeriodForm(forms.ModelForm):
    label_size = None  # plain labels: this page asks several short questions

    class Meta:
        model = ReportingPeriod
        fields = ["name", "slug", "start", "end", "deadline"]
        labels = {
            "name": "Name",
            "slug": "Short name for web addresses",
            "start": "First day",
            "end": "Last day",
            "deadline": "Submission deadline",
        }
        help_texts = {
            "name": "For example 2021/22 Q3",
            "slug": "Lower case letters, numbers and hyphens, for example 2021-22-q3. It "
            "appears in web addresses.",
            "start": "For example 2021-10-01",
            "end": "",
            "deadline": "Owners submit their updates by this date.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"class": "govuk-input--width-10"}),
            "slug": forms.TextInput(attrs={"class": "govuk-input--width-10"}),
            # A date box reads ISO dates whatever the locale writes.
            **{
                name: forms.DateInput(
                    format="%Y-%m-%d", attrs={"type": "date", "class": "govuk-input--width-10"}
                )
                for name in ("start", "end", "deadline")
            },
        }
        error_messages = {
            "name": {
                "required": "Enter a name, for example 2021/22 Q3",
                "unique": "There is already a period with this name",
            },
            "slug": {
                "required": "Enter a short name, for example 2021-22-q3",
                "unique": "There is already a period with this short name",
                "invalid": "Use only lower case letters, numbers and hyphens",
            },
            "start": {"required": "Enter the first day", "invalid": "Enter a real date"},
            "end": {"required": "Enter the last day", "invalid": "Enter a real date"},
            "deadline": {"required": "Enter the submission deadline", "invalid": "Enter a real date"},
        }

    def clean(self):
        # The dates are the model's to judge (ReportingPeriod.clean: the timeline's rules).
        data = super().clean()
        still_open = ReportingPeriod.objects.open().first()
        if still_open:
            raise ValidationError(f"{still_open} is still open: close it before opening another")
        return data


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
    # appetite_digest() of the text the page showed: a change made meanwhile is not overwritten.
    was = forms.CharField(widget=forms.HiddenInput, max_length=64,
                          error_messages={"required": "The page was incomplete: reload it and try again"})

import datetime

from django import forms

from risks.formfields import ChoiceField, MultipleChoiceField
from risks.models import Register, ReportingPeriod, Risk

from .data import TOKENS
from .models import PROSE_FIELDS, Report
from .text import unknown_tokens

FRONT_MATTER = [
    "organisation", "organisation_full", "panel", "title", "author", "protective_marking",
    "contact_name", "contact_unit", "contact_email",
]
PROSE = PROSE_FIELDS
# The edit page's sections, in the order the report reads.
SECTIONS = [
    ("Front page and contact", FRONT_MATTER),
    ("Report Summary", ["summary_purpose", "summary_notes", "key_considerations",
                        "interdependencies", "recommendations"]),
    ("1. Corporate risk update", ["introduction", "position_notes", "further_notes", "maturity"]),
    ("2–5. Equality, financial, legal and risk implications",
     ["equality", "financial", "legal", "risk_implications"]),
]


class MeetingDateMixin:
    """The meeting date as GOV.UK's date input: day, month and year boxes."""

    def add_date_fields(self, initial: datetime.date | None) -> None:
        box = {"class": "govuk-input govuk-date-input__input", "inputmode": "numeric"}
        for name, label, width in (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)):
            self.fields[f"meeting_{name}"] = forms.IntegerField(
                label=label, required=False,
                widget=forms.TextInput(attrs={**box, "class": f"{box['class']} govuk-input--width-{width}"}),
                initial=getattr(initial, name, None),
            )

    def clean_meeting_date(self, cleaned: dict) -> datetime.date | None:
        parts = [cleaned.get(f"meeting_{n}") for n in ("day", "month", "year")]
        if all(p is None for p in parts):
            self.add_error("meeting_day", "Enter the date of the meeting")
            return None
        if any(p is None for p in parts):
            self.add_error("meeting_day", "The date of the meeting must include a day, month and year")
            return None
        try:
            return datetime.date(parts[2], parts[1], parts[0])
        except (ValueError, OverflowError):  # 31 February; a month of 2147483648
            self.add_error("meeting_day", "The date of the meeting must be a real date")
            return None


class NewReportForm(MeetingDateMixin, forms.Form):
    register = ChoiceField(
        queryset=Register.objects.none(), empty_label=None, label="Register",
    )
    period = ChoiceField(
        queryset=ReportingPeriod.objects.none(), empty_label=None, label="Reporting period",
        help_text="The quarter whose updates the report sets out.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = Register.objects.filter(parent__isnull=True)
        self.fields["period"].queryset = ReportingPeriod.objects.order_by("-start")
        for name in ("register", "period"):
            self.fields[name].widget.attrs["class"] = "govuk-select"
        self.add_date_fields(None)

    def clean(self):
        cleaned = super().clean()
        cleaned["meeting_date"] = self.clean_meeting_date(cleaned)
        register, period = cleaned.get("register"), cleaned.get("period")
        if register and period and Report.objects.filter(register=register, period=period).exists():
            self.add_error("period", f"There is already a report for {period}. Open it from the list.")
        return cleaned


class ReportForm(MeetingDateMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    class Meta:
        model = Report
        fields = [*FRONT_MATTER, *PROSE, "noted_risks", "appendix_b_risks"]
        field_classes = {"noted_risks": MultipleChoiceField, "appendix_b_risks": MultipleChoiceField}
        labels = {
            "organisation": "Organisation (short name)",
            "organisation_full": "Organisation (in full)",
            "panel": "Meeting of",
            "title": "Title of the report",
            "author": "Report by",
        }
        widgets = {
            name: forms.Textarea(attrs={"class": "govuk-textarea", "rows": 5}) for name in PROSE
        } | {
            "noted_risks": forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
            "appendix_b_risks": forms.CheckboxSelectMultiple(
                attrs={"class": "govuk-checkboxes__input"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report: Report = self.instance
        self.add_date_fields(report.meeting_date)
        self.fields["version"].initial = report.version
        in_period = (
            Risk.objects.filter(register=report.register_id, assessments__period=report.period_id)
            .order_by("ref")
        )
        for name in ("noted_risks", "appendix_b_risks"):
            field = self.fields[name]
            field.queryset = in_period
            field.label_from_instance = lambda r: f"Risk {r.ref}: {r.title}"
        self.fields["noted_risks"].help_text = (
            "Section 1 discusses these on-track risks with their commentary. Risks that are "
            "not on track are always discussed."
        )
        self.fields["appendix_b_risks"].help_text = (
            "Appendix B (Official Sensitive) sets out each one's appetite, key controls and "
            "overall assessment."
        )
        # What each name gives is listed above the form (report/report_form.html).
        self.tokens = TOKENS
        tokens = ", ".join(f"{{{name}}}" for name in TOKENS)
        for name in PROSE:
            field = self.fields[name]
            field.help_text = f"{field.help_text} Figures: write {tokens} and the report fills them in."
        for name in FRONT_MATTER:
            self.fields[name].widget.attrs.setdefault("class", "govuk-input")

    def clean(self):
        cleaned = super().clean()
        cleaned["meeting_date"] = self.clean_meeting_date(cleaned)
        for name in PROSE:
            unknown = unknown_tokens(cleaned.get(name) or "", set(TOKENS))
            if unknown:
                names = ", ".join(f"{{{u}}}" for u in unknown)
                self.add_error(
                    name,
                    f"The report cannot fill in {names}. Use one of: "
                    + ", ".join(f"{{{t}}}" for t in TOKENS),
                )
        return cleaned

    def changed_fields(self) -> dict:
        values = {name: self.cleaned_data[name] for name in [*FRONT_MATTER, *PROSE]}
        values["meeting_date"] = self.cleaned_data["meeting_date"]
        return values

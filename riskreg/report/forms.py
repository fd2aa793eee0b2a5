from django import forms

from risks.formfields import ChoiceField, MultipleChoiceField
from risks.govuk_forms import GovukDateField
from risks.models import Assessment, Register, ReportingPeriod, Risk

from .models import PROSE_FIELDS, REASON_MAX_LENGTH, Report
from .text import unknown_tokens
from .words import TOKENS

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


def meeting_field() -> GovukDateField:
    """The meeting date: GOV.UK's date input, whose boxes post meeting_day, meeting_month and
    meeting_year. The forms give it to the services as cleaned_data["meeting_date"]."""
    return GovukDateField(
        label="Date of the meeting",
        help_text="For example, 4 10 2021",
        error_messages={
            "required": "Enter the date of the meeting",
            "incomplete": "The date of the meeting must include a day, month and year",
            "invalid": "The date of the meeting must be a real date",
        },
    )


class NewReportForm(forms.Form):
    register = ChoiceField(
        queryset=Register.objects.none(), empty_label=None, label="Register",
    )
    period = ChoiceField(
        queryset=ReportingPeriod.objects.none(), empty_label=None, label="Reporting period",
        help_text="The quarter whose updates the report sets out.",
    )
    meeting = meeting_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = Register.objects.filter(parent__isnull=True)
        self.fields["period"].queryset = ReportingPeriod.objects.order_by("-start")

    def clean(self):
        cleaned = super().clean()
        cleaned["meeting_date"] = cleaned.get("meeting")
        register, period = cleaned.get("register"), cleaned.get("period")
        if register and period and Report.objects.filter(
            register=register, period=period, withdrawn_at__isnull=True
        ).exists():
            self.add_error("period", f"There is already a report for {period}. Open it from the list.")
        return cleaned


class ReportForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    meeting = meeting_field()

    class Meta:
        model = Report
        fields = [*FRONT_MATTER, *PROSE, "noted_risks", "appendix_b_risks", "reprinted_risks"]
        field_classes = {
            "noted_risks": MultipleChoiceField, "appendix_b_risks": MultipleChoiceField,
            "reprinted_risks": MultipleChoiceField,
        }
        labels = {
            "organisation": "Organisation (short name)",
            "organisation_full": "Organisation (in full)",
            "panel": "Meeting of",
            "title": "Title of the report",
            "author": "Report by",
            "protective_marking": "Protective marking (without Appendix B)",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in PROSE} | {
            name: forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"})
            for name in ("noted_risks", "appendix_b_risks", "reprinted_risks")
        } | {"protective_marking": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report: Report = self.instance
        self.fields["meeting"].initial = report.meeting_date
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
            "Appendix B (Official Sensitive) sets out each one's appetite (where one is "
            "recorded), key controls and overall assessment, with the reasons where progress "
            "is not on track."
        )
        # A commentary carried unchanged from an earlier quarter prints "No update since …"
        # unless the team chooses to print it again: only those risks are offered.
        carried = (
            Assessment.objects.filter(
                period=report.period_id, risk__register=report.register_id,
                commentary_carried_from__isnull=False, retired=False,
            )
            .select_related("commentary_carried_from")
            .order_by("ref")
        )
        since = {a.risk_id: a.commentary_carried_from.name for a in carried}
        reprinted = self.fields["reprinted_risks"]
        reprinted.queryset = in_period.filter(pk__in=list(since))
        reprinted.label_from_instance = (
            lambda r: f"Risk {r.ref}: {r.title} (unchanged since {since[r.pk]})"
        )
        reprinted.help_text = (
            "Section 1 prints “No update since <quarter>” for a commentary carried unchanged "
            "from an earlier quarter. Tick a risk to print its commentary again in this report."
        )
        self.carried_commentaries = bool(since)
        # What each name gives is listed once, above the form (report/report_form.html).
        self.tokens = TOKENS
        # Copied sections still to check: each one's box sits beside it (report_form.html).
        # Any section may be named, so that a form opened before someone else checked a
        # section is not refused for it; the service ignores sections already checked.
        self.fields["confirmed"] = forms.MultipleChoiceField(
            choices=[(name, report.section_label(name)) for name in PROSE],
            required=False, widget=forms.CheckboxSelectMultiple,
        )

    def clean(self):
        cleaned = super().clean()
        cleaned["meeting_date"] = cleaned.get("meeting")
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

    def confirmed_sections(self) -> list[str]:
        return list(self.cleaned_data.get("confirmed") or [])

    def changed_fields(self) -> dict:
        values = {name: self.cleaned_data[name] for name in [*FRONT_MATTER, *PROSE]}
        values["meeting_date"] = self.cleaned_data["meeting_date"]
        return values


class PublishForm(forms.Form):
    """Publishing is deliberate: the team ticks that it has checked what the page restates."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    confirm = forms.BooleanField(
        label="I have checked the meeting, the period, the marking and the risks listed above, "
        "and the report is ready for the Audit Panel",
        error_messages={
            "required": "Tick the box to confirm that you have checked the report before "
            "publishing it",
        },
    )


class ReasonForm(forms.Form):
    """Why a published report is withdrawn or corrected: the team keeps it with the report."""

    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer"},
    )

    def __init__(self, *args, label: str, hint: str, required_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label, field.help_text = label, hint
        field.error_messages["required"] = required_message

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()

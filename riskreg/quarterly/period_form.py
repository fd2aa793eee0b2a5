"""The form that opens the next reporting period, and what it suggests: the quarter after the
latest one, named and dated, its deadline as far into it as the latest one's was."""

import calendar
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from risks.govuk_forms import GovukDateField
from risks.models import ReportingPeriod


def _date_field(label: str, what: str, hint: str) -> GovukDateField:
    return GovukDateField(
        label=label, help_text=hint,
        error_messages={
            "required": f"Enter the {what}",
            "incomplete": f"The {what} must include a day, month and year",
            "invalid": f"The {what} must be a real date",
        },
    )


def period_slug(name: str) -> str:
    """The period's short name for web addresses, from its name: "2021/22 Q3" is 2021-22-q3."""
    return slugify(name.replace("/", "-"))


class OpenPeriodForm(forms.Form):
    label_size = None  # plain labels: this page asks several short questions

    name = forms.CharField(
        label="Name", max_length=50, help_text="For example 2021/22 Q3",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"required": "Enter a name, for example 2021/22 Q3",
                        "max_length": "Enter a name of 50 characters or fewer"},
    )
    start = _date_field("First day", "first day", "For example 1 10 2021")
    end = _date_field("Last day", "last day", "For example 31 12 2021")
    deadline = _date_field(
        "Submission deadline", "submission deadline", "Owners submit their updates by this date."
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        slug = period_slug(name)
        if not slug:
            raise ValidationError("Enter a name with letters or numbers, for example 2021/22 Q3")
        if len(slug) > 50:
            raise ValidationError("Enter a shorter name")
        taken = ReportingPeriod.objects.filter(name__iexact=name) | ReportingPeriod.objects.filter(
            slug=slug
        )
        if taken.exists():
            raise ValidationError("There is already a period with this name")
        return name

    def clean(self):
        data = super().clean()
        still_open = ReportingPeriod.objects.open().first()
        if still_open:
            raise ValidationError(f"{still_open} is still open: close it before opening another")
        if not self.errors:
            for field, message in ReportingPeriod.timeline_problems(
                data["start"], data["end"], data["deadline"]
            ).items():
                self.add_error(field, message)
        return data

    def period_values(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "slug": period_slug(data["name"]), "start": data["start"],
                "end": data["end"], "deadline": data["deadline"]}


def _add_months(day: datetime.date, months: int, *, last_day: bool = False) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    days = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, days if last_day else min(day.day, days))


def quarter_name(start: datetime.date) -> str:
    """The financial-year quarter that starts on `start` (years run from April): 2021/22 Q3."""
    year = start.year if start.month >= 4 else start.year - 1
    return f"{year}/{(year + 1) % 100:02d} Q{(start.month - 4) % 12 // 3 + 1}"


def next_quarter() -> dict:
    """The quarter after the latest period: its name, first and last day, and its deadline as
    far into it as the latest period's (the end of its second month, in the seed)."""
    latest = ReportingPeriod.objects.order_by("-start").first()
    if latest is None or latest.end >= datetime.date(2100, 9, 30):  # no quarter after it fits
        return {}
    start = latest.end + datetime.timedelta(days=1)
    end = _add_months(start, 3) - datetime.timedelta(days=1)
    months = (latest.deadline.year - latest.start.year) * 12 + (
        latest.deadline.month - latest.start.month
    )
    target = _add_months(start.replace(day=1), months)
    month_end = latest.deadline == _add_months(latest.deadline, 0, last_day=True)
    if month_end:
        deadline = _add_months(target, 0, last_day=True)
    else:
        last = calendar.monthrange(target.year, target.month)[1]
        deadline = target.replace(day=min(latest.deadline.day, last))
    deadline = max(start, min(deadline, end + ReportingPeriod.DEADLINE_AFTER_END))
    return {"name": quarter_name(start), "start": start, "end": end, "deadline": deadline}

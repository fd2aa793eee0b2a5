import datetime

from django import forms
from django.core.exceptions import ValidationError

from risks.formfields import ChoiceField, MultipleChoiceField
from risks.models import Post

from .models import (
    FIRST_YEAR,
    TARGET_LEVEL,
    Dimension,
    Level,
    PlanAction,
    PlanItem,
    PlanItemUpdate,
    Source,
    Theme,
)

# GOV.UK Frontend classes for each kind of widget, by Django's widget_type.
WIDGET_CLASSES = {
    "text": "govuk-input",
    "number": "govuk-input govuk-input--width-3",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
}


class GovukFormMixin:
    """GOV.UK classes, hint and error descriptions on widgets; error classes after validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bf in (self[name] for name in self.fields):
            widget = bf.field.widget
            css = WIDGET_CLASSES.get(bf.widget_type)
            if css:
                widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
            if bf.help_text and bf.widget_type not in ("radioselect", "checkboxselectmultiple"):
                widget.attrs["aria-describedby"] = f"{bf.auto_id}-hint"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bf = self[name]
            widget = bf.field.widget
            widget.attrs["aria-invalid"] = "true"
            described = [f"{bf.auto_id}-hint"] if bf.help_text else []
            widget.attrs["aria-describedby"] = " ".join([*described, f"{bf.auto_id}-error"])
            classes = widget.attrs.get("class", "").split()
            for base, error in ERROR_CLASSES.items():
                if base in classes and error not in classes:
                    classes.append(error)
            if classes:
                widget.attrs["class"] = " ".join(classes)


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes (no JavaScript date picker)."""

    template_name = "maturity/widgets/date_input.html"
    PARTS = ("day", "month", "year")

    def __init__(self, attrs=None):
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in self.PARTS}
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        id_ = widget["attrs"].get("id")
        invalid = widget["attrs"].get("aria-invalid") == "true"
        for part, sub in zip(self.PARTS, widget["subwidgets"], strict=True):
            # The day box takes the field's own id, so the error summary's link lands on it.
            sub["attrs"]["id"] = id_ if part == "day" else f"{id_}-{part}"
            width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
            classes = ["govuk-input", "govuk-date-input__input", width]
            if invalid:
                classes.append("govuk-input--error")
            sub["attrs"]["class"] = " ".join(classes)
            sub["attrs"].pop("aria-describedby", None)
            sub["label"] = part.capitalize()
        return context


class GovukDateField(forms.MultiValueField):
    widget = GovukDateInput
    default_error_messages = {
        "incomplete": "Enter a day, month and year",
        "invalid": "Enter a real date",
    }

    def __init__(self, **kwargs):
        parts = [
            forms.IntegerField(error_messages={"invalid": f"Enter the {part} as a number"})
            for part in GovukDateInput.PARTS
        ]
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or all(v is None for v in data_list):
            return None
        day, month, year = data_list
        if None in (day, month, year):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        if not FIRST_YEAR <= year <= 2100:
            raise ValidationError("Enter the year as 4 digits, for example 2022", code="invalid")
        try:
            return datetime.date(year, month, day)
        except (ValueError, OverflowError):  # 31 February; a month of 2147483648
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class ThemeForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["title", "order"]
        help_texts = {"order": "Themes are listed by this number, lowest first."}

    def __init__(self, *args, plan, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Enter the theme's title"

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        taken = Theme.objects.filter(plan=self.plan, title__iexact=title)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError("The plan already has a theme with this title")
        return title


class PlanItemForm(GovukFormMixin, forms.ModelForm):
    """Everything about an item: for the Planning & Risk Team."""

    sources = MultipleChoiceField(
        queryset=Source.objects.all(), widget=forms.CheckboxSelectMultiple, required=False,
    )
    owner_posts = MultipleChoiceField(
        label="Posts that may update the item",
        queryset=Post.objects.all(), widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Holders of these posts can set the status of its actions and add updates.",
    )

    class Meta:
        model = PlanItem
        fields = ["theme", "ref", "sources", "issue", "owners", "owner_posts",
                  "success_measure", "update"]
        field_classes = {"theme": ChoiceField}
        labels = {
            "ref": "Reference number",
            "issue": "Issue or problem",
            "owners": "Owners, as the plan names them",
            "success_measure": "What does success look like?",
            "update": "Update",
        }
        help_texts = {
            "owners": "",
            "update": "Shown in the Update column of Appendix C. Start a line with “- ” "
                      "for a bullet.",
        }
        widgets = {
            "issue": forms.Textarea(attrs={"rows": 3}),
            "owners": forms.Textarea(attrs={"rows": 2}),
            "success_measure": forms.Textarea(attrs={"rows": 4}),
            "update": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, plan, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(plan=plan)
        self.fields["theme"].empty_label = None
        messages = {
            "theme": "Choose the theme the item belongs to",
            "ref": "Enter the item's reference number",
            "issue": "Enter the issue or problem",
            "owners": "Enter the item's owners",
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message
        self.fields["ref"].error_messages["invalid"] = "Enter the reference as a whole number"
        self.fields["ref"].widget.attrs["class"] = "govuk-input govuk-input--width-3"

    def clean_ref(self):
        ref = self.cleaned_data["ref"]
        if ref < 1:
            raise ValidationError("The reference must be 1 or more")
        taken = PlanItem.objects.filter(theme__plan=self.plan, ref=ref)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(f"Item {ref} already exists in this plan: choose another number")
        return ref


class PlanItemUpdateTextForm(GovukFormMixin, forms.ModelForm):
    """What an item's owners may change about the item itself: its update text."""

    class Meta:
        model = PlanItem
        fields = ["update"]
        help_texts = PlanItemForm.Meta.help_texts
        widgets = {"update": forms.Textarea(attrs={"rows": 6})}


class PlanActionForm(GovukFormMixin, forms.ModelForm):
    milestone_date = GovukDateField(
        label="Milestone date", required=False,
        help_text="The date the milestone falls due, for example 31 1 2022. Leave it blank "
                  "if the milestone has no date, such as “Ongoing”.",
    )

    class Meta:
        model = PlanAction
        fields = ["text", "milestone", "milestone_date", "status", "order"]
        labels = {
            "text": "Action",
            "milestone": "Milestone as written",
            "order": "Position in the item's list",
        }
        help_texts = {
            "milestone": "For example “Nov-21”, “Ongoing” or “January 2022 & annually "
                         "thereafter”.",
            "order": "Actions are listed by this number, lowest first.",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter the action"
        self.fields["order"].error_messages["invalid"] = "Enter the position as a whole number"
        self.fields["order"].required = False

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError("Enter the action")
        return text

    def clean_order(self):
        # Blank means "leave it where it is" (or "at the end" for a new action): the view decides.
        return self.cleaned_data.get("order")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("milestone", "").strip() and not cleaned.get("milestone_date") \
                and "milestone_date" not in self.errors:
            self.add_error(
                "milestone", "Enter a milestone as written, a milestone date, or both"
            )
        return cleaned


class ActionStatusForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].error_messages["invalid_choice"] = (
            "Choose not started, in progress or complete"
        )
        self.fields["status"].error_messages["required"] = (
            "Choose not started, in progress or complete"
        )


class PlanItemUpdateForm(GovukFormMixin, forms.ModelForm):
    date = GovukDateField(label="Date", help_text="When it happened, for example 27 7 2021.")

    class Meta:
        model = PlanItemUpdate
        fields = ["date", "text"]
        labels = {"text": "What happened"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, today: datetime.date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages["required"] = "Enter the date of the update"
        self.fields["text"].error_messages["required"] = "Enter what happened"

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > self.today:
            raise ValidationError("The date of an update must be today or in the past")
        return date

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError("Enter what happened")
        return text


def level_choices() -> list[tuple[int, str]]:
    return [
        (level.value, f"{level.value} – {level.label}"
         + (" (the target)" if level.value == TARGET_LEVEL else ""))
        for level in Level
    ]


class SelfAssessmentForm(GovukFormMixin, forms.Form):
    """One radio question per active dimension; the field for dimension 7 is `dimension_7`."""

    comments = forms.CharField(
        label="Comments (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything the Planning & Risk Team should know about these scores.",
    )

    def __init__(self, *args, dimensions: list[Dimension], **kwargs):
        super().__init__(*args, **kwargs)
        comments = self.fields.pop("comments")
        for dimension in dimensions:
            self.fields[f"dimension_{dimension.pk}"] = forms.TypedChoiceField(
                label=dimension.name,
                help_text=dimension.description,
                choices=level_choices(),
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                error_messages={
                    "required": f"Choose a level for {dimension.name.lower()}",
                    "invalid_choice": f"Choose a level from 1 to 5 for {dimension.name.lower()}",
                },
            )
        self.fields["comments"] = comments
        self.dimensions = dimensions

    def levels(self) -> dict[int, int]:
        return {d.pk: self.cleaned_data[f"dimension_{d.pk}"] for d in self.dimensions}

import datetime

from django import forms
from django.core.exceptions import ValidationError

from risks.formfields import ChoiceField, MultipleChoiceField
from risks.govuk_forms import GovukDateField
from risks.models import Post
from risks.text import TEXT_HELP

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


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["title", "order"]
        help_texts = {"order": "Themes are listed by this number, lowest first."}
        widgets = {"order": forms.NumberInput(attrs={"class": "govuk-input--width-3"})}

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


class PlanItemForm(forms.ModelForm):
    """Everything about an item: for the Planning & Risk Team."""

    sources = MultipleChoiceField(
        queryset=Source.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
    )
    owner_posts = MultipleChoiceField(
        label="Posts that may update the item",
        queryset=Post.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
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
            "update": f"Shown in the Update column of Appendix C. {TEXT_HELP}",
        }
        widgets = {
            "ref": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
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


class PlanItemUpdateTextForm(forms.ModelForm):
    """What an item's owners may change about the item itself: its update text."""

    class Meta:
        model = PlanItem
        fields = ["update"]
        help_texts = PlanItemForm.Meta.help_texts
        widgets = {"update": forms.Textarea(attrs={"rows": 6})}


class PlanActionForm(forms.ModelForm):
    milestone_date = GovukDateField(
        label="Milestone date", required=False, min_year=FIRST_YEAR, max_year=2100,
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
            "status": forms.RadioSelect(attrs={"class": "govuk-radios--small"}),
            "order": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
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


class ActionStatusForm(forms.ModelForm):
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


class PlanItemUpdateForm(forms.ModelForm):
    date = GovukDateField(
        label="Date", help_text="When it happened, for example 27 7 2021.",
        min_year=FIRST_YEAR, max_year=2100,
    )

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


class SelfAssessmentForm(forms.Form):
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
                widget=forms.RadioSelect(
                    attrs={"class": "govuk-radios--small govuk-fieldset__legend--m"}
                ),
                error_messages={
                    "required": f"Choose a level for {dimension.name.lower()}",
                    "invalid_choice": f"Choose a level from 1 to 5 for {dimension.name.lower()}",
                },
            )
        self.fields["comments"] = comments
        self.dimensions = dimensions

    def levels(self) -> dict[int, int]:
        return {d.pk: self.cleaned_data[f"dimension_{d.pk}"] for d in self.dimensions}

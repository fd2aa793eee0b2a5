"""Forms of opportunities: the owner's quarterly update, and the team's opportunity and action.
Each names only the fields its person may write; every refusal is a message on the form."""

from django import forms

from .formfields import ChoiceField
from .govuk_forms import GovukDateField
from .locking import VersionField
from .manage_forms import WholeNumberField, _text, was_field
from .models import ActionStatus, Benefit, Opportunity, Post, Progress, Register, Trend
from .scoring import Scale

INLINE_M = {"class": "govuk-fieldset__legend--m govuk-radios--inline"}
BENEFIT_TRENDS = [
    ("improving", "Improving: the benefit is growing"),
    ("stable", "Stable"),
    ("worsening", "Worsening: the benefit is shrinking"),
]
assert [value for value, _ in BENEFIT_TRENDS] == Trend.values


class OpportunityUpdateForm(forms.Form):
    likelihood = forms.TypedChoiceField(
        label="How likely is the opportunity to be realised now?", choices=Scale.choices,
        coerce=int, required=False, widget=forms.RadioSelect(attrs=INLINE_M),
        error_messages={"invalid_choice": "Choose a likelihood from Low to Very High"},
    )
    benefit = forms.TypedChoiceField(
        label="How great would the benefit be?", choices=Benefit.choices, coerce=int,
        required=False, widget=forms.RadioSelect(attrs=INLINE_M),
        error_messages={"invalid_choice": "Choose a benefit from Low to Very high"},
    )
    trend = forms.ChoiceField(
        label="Trend", choices=BENEFIT_TRENDS, required=False,
        help_text="The direction of travel of the benefit, in your judgement.",
        widget=forms.RadioSelect(attrs={"class": "govuk-fieldset__legend--m"}),
        error_messages={"invalid_choice": "Choose improving, stable or worsening"},
    )
    progress = forms.ChoiceField(
        label="Progress towards the target", choices=Progress.choices, required=False,
        widget=forms.RadioSelect(attrs={"class": "govuk-fieldset__legend--m"}),
        error_messages={"invalid_choice": "Choose the progress from the list"},
    )
    commentary = forms.CharField(
        label="Commentary", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "class": "govuk-label--m"}),
        error_messages={"max_length": "The commentary must be 5000 characters or fewer"},
    )
    version = VersionField()

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action_names = []
        for row in actions:
            name = f"action_{row.action_id}"
            self.fields[name] = forms.ChoiceField(
                label=f"{row.title} ({row.owner_name}{', due ' + row.due.strftime('%-d %B %Y') if row.due else ''})",
                choices=ActionStatus.choices, initial=row.status,
                widget=forms.Select(attrs={"class": "govuk-select"}),
                error_messages={"required": f"Choose a status for {row.title}",
                                "invalid_choice": f"Choose a status for {row.title} from the list"},
            )
            self.action_names.append(name)

    def action_fields(self):
        return [self[name] for name in self.action_names]

    def clean(self):
        data = super().clean()
        lik, ben = data.get("likelihood"), data.get("benefit")
        if "likelihood" not in self.errors and "benefit" not in self.errors \
                and (lik in (None, "")) != (ben in (None, "")):
            self.add_error("benefit" if lik not in (None, "") else "likelihood",
                           "Choose both the likelihood and the benefit, or neither")
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "likelihood": data["likelihood"] or None, "benefit": data["benefit"] or None,
            "trend": data["trend"], "progress": data["progress"],
            "commentary": data["commentary"].strip(),
        }

    def statuses(self) -> dict[int, str]:
        return {int(name.removeprefix("action_")): self.cleaned_data[name]
                for name in self.action_names}


def _target(name: str, choices, words: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=f"Target {name}", choices=[("", "Not set"), *choices], coerce=int,
        empty_value=None, required=False,
        error_messages={"invalid_choice": f"Choose a target {name} from {words}"},
    )


class OpportunityForm(forms.Form):
    label_size = None

    register = ChoiceField(
        queryset=Register.objects.all(), label="Register", empty_label="Choose a register",
        error_messages={"required": "Choose the register the opportunity belongs to",
                        "invalid_choice": "Choose a register from the list"},
    )
    ref = WholeNumberField(
        label="Opportunity number", min_value=1, max_value=32767,
        help_text="Unique among the register's opportunities, for example 1.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"required": "Enter the opportunity number",
                        "invalid": "Enter the opportunity number as a whole number, for example 1",
                        "min_value": "The opportunity number must be 1 or more",
                        "max_value": "The opportunity number must be 32767 or less"},
    )
    title = _text("Title", max_length=200, message="Enter the opportunity's title")
    description = forms.CharField(
        label="Description", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "The description must be 5000 characters or fewer"},
    )
    owner = ChoiceField(
        queryset=Post.objects.all(), label="Owner (post)", empty_label="Choose a post",
        error_messages={"required": "Choose the post that owns the opportunity",
                        "invalid_choice": "Choose the owner from the list of posts"},
    )
    lead_0 = ChoiceField(queryset=Post.objects.all(), required=False, label="First lead",
                         empty_label="None",
                         error_messages={"invalid_choice": "Choose leads from the list of posts"})
    lead_1 = ChoiceField(queryset=Post.objects.all(), required=False, label="Second lead",
                         empty_label="None",
                         error_messages={"invalid_choice": "Choose leads from the list of posts"})
    target_likelihood = _target("likelihood", Scale.choices, "Low to Very High")
    target_benefit = _target("benefit", Benefit.choices, "Low to Very high")
    is_active = forms.TypedChoiceField(
        label="Is it active?", choices=[("yes", "Yes"), ("no", "No: retired")],
        coerce=lambda v: v == "yes", initial="yes",
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": "Say whether the opportunity is active",
                        "invalid_choice": "Say whether the opportunity is active"},
    )
    was = was_field()

    LEADS = ("lead_0", "lead_1")

    def __init__(self, *args, opportunity: Opportunity | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.opportunity = opportunity
        if opportunity is not None:
            del self.fields["register"]

    def clean(self):
        data = super().clean()
        lik, ben = data.get("target_likelihood"), data.get("target_benefit")
        if (lik is None) != (ben is None) and "target_likelihood" not in self.errors \
                and "target_benefit" not in self.errors:
            self.add_error("target_benefit" if ben is None else "target_likelihood",
                           "Set both the target likelihood and benefit, or neither")
        a, b = data.get("lead_0"), data.get("lead_1")
        if a is not None and b is not None and a.pk == b.pk:
            self.add_error("lead_1", f"{b} is already a lead: choose each post once")
        register = data.get("register") or (self.opportunity.register if self.opportunity else None)
        ref = data.get("ref")
        if register is not None and ref is not None:
            taken = Opportunity.objects.filter(register=register, ref=ref)
            if self.opportunity is not None:
                taken = taken.exclude(pk=self.opportunity.pk)
            if taken.exists():
                self.add_error("ref", f"{register} already has opportunity {ref}: choose another number")
        return data

    def fields_to_save(self) -> dict:
        return {name: self.cleaned_data[name] for name in (
            "ref", "title", "description", "owner", "target_likelihood", "target_benefit",
            "is_active")}

    def leads(self) -> list:
        return [self.cleaned_data[n] for n in self.LEADS if self.cleaned_data.get(n) is not None]


class OpportunityActionForm(forms.Form):
    label_size = None

    title = _text("Action", max_length=200, message="Enter the action")
    owner = ChoiceField(
        queryset=Post.objects.all(), label="Owner (post)", empty_label="Choose a post",
        error_messages={"required": "Choose the post that owns the action",
                        "invalid_choice": "Choose the owner from the list of posts"},
    )
    due = GovukDateField(label="Due", required=False, min_year=2000, max_year=2100,
                         help_text="For example 31 3 2022.")

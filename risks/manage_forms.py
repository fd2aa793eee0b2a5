"""Forms of the team's pages that keep the register: a risk, a post and who holds it, a pillar,
a register. Each carries `was`, the digest of the row as the page showed it (risks.manage)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from .formfields import ChoiceField, MultipleChoiceField
from .models import Horizon, Pillar, Post, Register, Risk
from .scoring import Scale

MAX_LEADS = 20
ORDINALS = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth",
            "Ninth", "Tenth"]


class WholeNumberField(forms.IntegerField):
    """A whole number typed in ASCII digits: int() would take "١٢" as 12, which nobody reading
    the register would recognise as what was typed."""

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text and not (text.isascii() and text.lstrip("-").isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def was_field() -> forms.CharField:
    return forms.CharField(
        widget=forms.HiddenInput, max_length=64, required=False,
    )


def _text(label, *, max_length, required=True, message="", hint="", width="govuk-!-width-two-thirds"):
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=hint,
        widget=forms.TextInput(attrs={"class": width}),
        error_messages={"required": message,
                        "max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _target(name: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=f"Target {name}", choices=[("", "Not set"), *Scale.choices], coerce=int,
        empty_value=None, required=False,
        error_messages={"invalid_choice": f"Choose a target {name} from Low to Very High"},
    )


def lead_slots(data=None, leads: int = 0) -> int:
    """How many "working lead" boxes the form has: those posted, or the leads and two more."""
    if data is not None:
        posted = sum(1 for key in data if key.startswith("lead_") and key[5:].isdigit())
        return min(max(posted, 3), MAX_LEADS)
    return min(max(leads + 2, 3), MAX_LEADS)


class RiskForm(forms.Form):
    label_size = None

    register = ChoiceField(
        queryset=Register.objects.all(), label="Register", empty_label="Choose a register",
        error_messages={"required": "Choose the register the risk belongs to",
                        "invalid_choice": "Choose a register from the list"},
    )
    ref = WholeNumberField(
        label="Risk number", min_value=1, max_value=32767,
        help_text="Unique within the register, for example 12.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"required": "Enter the risk number", "invalid": "Enter the risk number as a whole number, for example 12",
                        "min_value": "The risk number must be 1 or more",
                        "max_value": "The risk number must be 32767 or less"},
    )
    title = _text("Title", max_length=200, message="Enter the risk's title",
                  hint="For example VIOLENT CRIME.")
    description = forms.CharField(
        label="Description", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "The description must be 5000 characters or fewer"},
    )
    description_agreed = forms.TypedChoiceField(
        label="Is the description agreed?", choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        help_text="A risk whose description is not agreed is listed, but not rated.",
        error_messages={"required": "Say whether the description is agreed",
                        "invalid_choice": "Say whether the description is agreed"},
    )
    horizon = forms.ChoiceField(
        label="Horizon", choices=Horizon.choices, widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": "Choose the horizon", "invalid_choice": "Choose short-term or long-term"},
    )
    owner = ChoiceField(
        queryset=Post.objects.all(), label="Risk owner (post)", empty_label="Choose a post",
        error_messages={"required": "Choose the post that owns the risk",
                        "invalid_choice": "Choose the owner from the list of posts"},
    )
    target_likelihood = _target("likelihood")
    target_impact = _target("impact")
    pillars = MultipleChoiceField(
        queryset=Pillar.objects.all(), required=False, label="Pillars",
        help_text="The strategic objectives the risk aligns with.",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        error_messages={"invalid_choice": "Choose pillars from the list",
                        "invalid_pk_value": "Choose pillars from the list"},
    )
    was = was_field()

    def __init__(self, *args, risk: Risk | None = None, slots: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        self.risk = risk
        if risk is not None:
            # A risk stays in its register: its number and address there are what people cite.
            del self.fields["register"]
        posts = Post.objects.all()
        self.lead_names = []
        for i in range(slots):
            name = f"lead_{i}"
            self.fields[name] = ChoiceField(
                queryset=posts, required=False,
                label=f"{ORDINALS[i] if i < len(ORDINALS) else f'Working lead {i + 1}'} working lead",
                empty_label="None",
                error_messages={"invalid_choice": "Choose working leads from the list of posts"},
            )
            self.lead_names.append(name)

    def lead_fields(self):
        return [self[name] for name in self.lead_names]

    MAIN = ("register", "ref", "title", "description", "description_agreed", "horizon", "owner")

    def main_fields(self):
        return [self[name] for name in self.MAIN if name in self.fields]

    def clean(self):
        data = super().clean()
        lik, imp = data.get("target_likelihood"), data.get("target_impact")
        if (lik is None) != (imp is None) and "target_likelihood" not in self.errors \
                and "target_impact" not in self.errors:
            missing = "target_impact" if imp is None else "target_likelihood"
            self.add_error(missing, "Set both the target likelihood and impact, or neither")
        leads = [data.get(name) for name in self.lead_names]
        seen = set()
        for name, post in zip(self.lead_names, leads, strict=True):
            if post is None:
                continue
            if post.pk in seen:
                self.add_error(name, f"{post} is already a working lead: choose each post once")
            seen.add(post.pk)
        register = data.get("register") or (self.risk.register if self.risk else None)
        ref = data.get("ref")
        if register is not None and ref is not None:
            taken = Risk.objects.filter(register=register, ref=ref)
            if self.risk is not None:
                taken = taken.exclude(pk=self.risk.pk)
            other = taken.first()
            if other is not None:
                self.add_error("ref", f"{register} already has risk {ref} ({other.title}): choose another number")
        return data

    def leads(self) -> list[Post]:
        return [p for p in (self.cleaned_data.get(n) for n in self.lead_names) if p is not None]

    def risk_fields(self) -> dict:
        names = ("ref", "title", "description", "description_agreed", "horizon", "owner",
                 "target_likelihood", "target_impact")
        return {name: self.cleaned_data[name] for name in names}

    @staticmethod
    def initial_for(risk: Risk) -> dict:
        initial = {
            "ref": risk.ref, "title": risk.title, "description": risk.description,
            "description_agreed": "yes" if risk.description_agreed else "no",
            "horizon": risk.horizon, "owner": risk.owner_id,
            "target_likelihood": risk.target_likelihood, "target_impact": risk.target_impact,
            "pillars": list(risk.pillars.values_list("pk", flat=True)),
        }
        for i, post in enumerate(risk.ordered_leads()):
            initial[f"lead_{i}"] = post.pk
        return initial


class ConfirmForm(forms.Form):
    """Retiring or reinstating: the person confirms the risk as the page showed it."""

    was = was_field()


class PostForm(forms.Form):
    label_size = None

    name = _text("Name of the post", max_length=200, message="Enter the post's name",
                 hint="For example AC Frontline Policing.")
    holders = MultipleChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False, label="Who holds it",
        help_text="Holders update the risks, controls and units the post owns.",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        error_messages={"invalid_choice": "Choose holders from the list of people",
                        "invalid_pk_value": "Choose holders from the list of people"},
    )
    was = was_field()

    def __init__(self, *args, post: Post | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.fields["holders"].label_from_instance = (
            lambda u: f"{u.get_full_name()} ({u.get_username()})" if u.get_full_name() else u.get_username()
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Post.objects.filter(name__iexact=name)
        if self.post is not None:
            taken = taken.exclude(pk=self.post.pk)
        if taken.exists():
            raise ValidationError(f"There is already a post called {taken.first().name}")
        return name


class PillarForm(forms.Form):
    label_size = None

    name = _text("Name of the pillar", max_length=300, message="Enter the pillar's name")
    order = WholeNumberField(
        label="Position in lists", min_value=0, max_value=32767, initial=0,
        help_text="Pillars are listed by this number, lowest first.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"required": "Enter the position, for example 1",
                        "invalid": "Enter the position as a whole number, for example 1",
                        "min_value": "The position must be 0 or more",
                        "max_value": "The position must be 32767 or less"},
    )
    was = was_field()

    def __init__(self, *args, pillar: Pillar | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pillar = pillar

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Pillar.objects.filter(name__iexact=name)
        if self.pillar is not None:
            taken = taken.exclude(pk=self.pillar.pk)
        if taken.exists():
            raise ValidationError("There is already a pillar with this name")
        return name


class RegisterForm(forms.Form):
    label_size = None

    name = _text("Name of the register", max_length=200, message="Enter the register's name",
                 hint="For example Corporate risk register.")
    slug = forms.SlugField(
        label="Short name for its web address", max_length=50,
        help_text="Lower case letters, numbers and hyphens, for example north-bcu. It cannot "
        "be changed later: people bookmark it.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        error_messages={"required": "Enter a short name, for example north-bcu",
                        "invalid": "Use only lower case letters, numbers and hyphens",
                        "max_length": "The short name must be 50 characters or fewer"},
    )
    parent = ChoiceField(
        queryset=Register.objects.all(), required=False, label="Sits under",
        empty_label="No register (it is a top-level register)",
        error_messages={"invalid_choice": "Choose the register above it from the list"},
    )
    description = forms.CharField(
        label="Description", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The description must be 2000 characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="Kind of register", choices=Register.Kind.choices, initial=Register.Kind.UNIT,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of register",
                        "invalid_choice": "Choose the kind of register from the list"},
    )
    owner_post = ChoiceField(
        queryset=Post.objects.all(), required=False, label="Owning post",
        empty_label="None", help_text="Its holders read this register and every register "
        "beneath it, and may decide what is escalated to it.",
        error_messages={"invalid_choice": "Choose the owning post from the list"},
    )
    lead_post = ChoiceField(
        queryset=Post.objects.all(), required=False, label="Lead post", empty_label="None",
        help_text="Decides escalations to this register (with the Planning & Risk Team), and "
        "reads it and every register beneath it.",
        error_messages={"invalid_choice": "Choose the lead post from the list"},
    )
    escalate_at_score = WholeNumberField(
        label="Escalate at score", min_value=1, max_value=16, required=False,
        help_text="Risks whose current score is at or above this are flagged for a decision "
        "on escalation. Leave it empty for no threshold.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"invalid": "Enter the score as a whole number from 1 to 16",
                        "min_value": "The score must be 1 or more",
                        "max_value": "The score must be 16 or less"},
    )
    escalate_on_breach = forms.BooleanField(
        label="Flag risks whose current score is above their tolerance", required=False,
    )
    was = was_field()

    def __init__(self, *args, register: Register | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.register = register
        if register is not None:
            del self.fields["slug"]
            self.fields["parent"].queryset = Register.objects.exclude(pk=register.pk)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug != slug.lower():
            raise ValidationError("Use only lower case letters, numbers and hyphens")
        if Register.objects.filter(slug=slug).exists():
            raise ValidationError(f"There is already a register at /registers/{slug}/")
        return slug

    def clean_name(self):
        return self.cleaned_data["name"].strip()

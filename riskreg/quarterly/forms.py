"""Forms of the quarterly update and its review. Each names only the fields its person may write."""

from django import forms

from controls.models import Control, ControlStatus
from risks.locking import VersionField
from risks.models import Assessment, Progress, ScoreChangeSource, Trend
from risks.models.levels import level_hints
from risks.scoring import Scale

# A question of its own page: a medium legend, the answers side by side.
LEGEND_M_INLINE = {"class": "govuk-fieldset__legend--m govuk-radios--inline"}


def _scale_field(name: str, question: str, hint: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=question,
        help_text=hint,
        choices=Scale.choices,
        coerce=int,
        required=False,
        widget=forms.RadioSelect(attrs=LEGEND_M_INLINE),
        error_messages={"invalid_choice": f"Choose a {name} from Low to Very High"},
    )


class ScoreForm(forms.Form):
    likelihood = _scale_field(
        "likelihood", "How likely is it now?",
        "Likelihood of the risk happening, as things stand this quarter.",
    )
    impact = _scale_field(
        "impact", "How great would the impact be?",
        "Impact if it happened, as things stand this quarter.",
    )
    score_change_source = forms.ChoiceField(
        label="If the score has changed since last quarter, why?",
        help_text="Leave this if the score is the same as last quarter's.",
        choices=ScoreChangeSource.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose controls implemented or a re-assessment"},
    )
    not_rated = forms.BooleanField(
        label="Not rated this quarter",
        help_text="For example while its description is not agreed. The risk then stays out "
        "of the figures, heat maps and alignment table, and no trend or progress is asked for.",
        required=False,
    )
    not_rated_reason = forms.CharField(
        label="Why is it not rated this quarter?", required=False, max_length=500,
        widget=forms.TextInput(attrs={"class": "govuk-!-width-full"}),
    )
    version = VersionField()

    def __init__(
        self, *args, assessment: Assessment, previous: Assessment | None, answers=None, **kwargs
    ):
        self.assessment = assessment
        self.previous = previous
        super().__init__(*args, **kwargs)
        # The team's description of each level, under its choice; radios with hints are
        # stacked, as GOV.UK's inline radios have no room for them.
        for name, hints in level_hints().items():
            if hints:
                self.fields[name].widget.hints = hints
                self.fields[name].widget.attrs = {"class": "govuk-fieldset__legend--m"}
        # Answers to preview without judging them ("Show the band"): the form stays unbound.
        self.answers = answers if answers is not None else (self.data if self.is_bound else None)

    def clean(self):
        data = super().clean()
        likelihood, impact = data.get("likelihood"), data.get("impact")
        if "likelihood" in self.errors or "impact" in self.errors:
            return data
        if data.get("not_rated"):
            if likelihood not in (None, "") or impact not in (None, ""):
                self.add_error(
                    "not_rated",
                    "A risk that is not rated has no likelihood or impact: clear them, or untick "
                    "not rated",
                )
            if not (data.get("not_rated_reason") or "").strip():
                self.add_error("not_rated_reason", "Say why the risk is not rated this quarter")
            data["likelihood"] = data["impact"] = None
            data["score_change_source"] = ""
            return data
        data["not_rated_reason"] = ""
        if likelihood in (None, "") and impact in (None, ""):
            data["likelihood"] = data["impact"] = None
            if self.assessment.risk.description_agreed:
                self.add_error("likelihood", "Choose the current likelihood")
                self.add_error("impact", "Choose the current impact")
            return data
        if likelihood in (None, ""):
            self.add_error("likelihood", "Choose the current likelihood as well as the impact")
            return data
        if impact in (None, ""):
            self.add_error("impact", "Choose the current impact as well as the likelihood")
            return data
        changed = self.previous is not None and (likelihood, impact) != (
            self.previous.likelihood, self.previous.impact,
        )
        if not changed:
            data["score_change_source"] = ""
        elif not data.get("score_change_source") and "score_change_source" not in self.errors:
            self.add_error(
                "score_change_source",
                "The score has changed since last quarter: say whether controls or a "
                "re-assessment changed it",
            )
        return data

    def preview(self) -> Assessment | None:
        """The assessment as it would be with these answers, for the band and the warning."""
        if self.answers is None:
            return self.assessment
        try:
            likelihood = int(self.answers.get("likelihood"))
            impact = int(self.answers.get("impact"))
        except (TypeError, ValueError):
            return None
        if likelihood not in Scale.values or impact not in Scale.values:
            return None
        return Assessment(
            risk=self.assessment.risk, likelihood=likelihood, impact=impact,
            target_likelihood=self.assessment.target_likelihood,
            target_impact=self.assessment.target_impact,
        )

    def changes(self) -> dict:
        changes = {
            name: self.cleaned_data[name]
            for name in ("likelihood", "impact", "score_change_source", "not_rated",
                         "not_rated_reason")
        }
        if changes["not_rated"]:
            # Not rated means no trend or progress either (a database rule).
            changes.update(trend="", progress="", reasons="")
        return changes


class ProgressForm(forms.Form):
    trend = forms.ChoiceField(
        label="Which way is the risk heading?",
        help_text="Your judgement of the direction of travel (improving means the risk is "
        "reducing), not only a change of score.",
        choices=Trend.choices,
        widget=forms.RadioSelect(attrs=LEGEND_M_INLINE),
        error_messages={
            "required": "Choose the trend",
            "invalid_choice": "Choose improving, stable or worsening",
        },
    )
    progress = forms.ChoiceField(
        label="Progress towards the target",
        help_text="On track shows green, limited amber, slipped or no progress red.",
        choices=Progress.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-fieldset__legend--m"}),
        error_messages={
            "required": "Choose the progress towards the target",
            "invalid_choice": "Choose on track, limited, slipped or no progress",
        },
    )
    reasons = forms.CharField(
        label="Why is progress not on track?",
        help_text="Only if progress is limited, slipped or no progress.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    commentary = forms.CharField(
        help_text="What happened this quarter: this goes into the Audit Panel report.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        error_messages={"required": "Enter the commentary"},
    )
    version = VersionField()

    def __init__(self, *args, not_rated: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.not_rated = not_rated
        if not_rated:
            # Nothing to rate: the commentary alone.
            for name in ("trend", "progress", "reasons"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if self.not_rated:
            return data
        progress = data.get("progress")
        if progress and progress != Progress.ON_TRACK and not data.get("reasons", "").strip():
            self.add_error(
                "reasons",
                f"Progress is {Progress(progress).label.lower()}: give the reasons why it is "
                "not on track",
            )
        if progress == Progress.ON_TRACK:
            data["reasons"] = ""
        return data

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class ActionForm(forms.Form):
    """A button that moves an update through the workflow: it carries only the version."""

    version = VersionField()


class KeyControlForm(forms.Form):
    """The team's choice for one control: key (shown in Appendix B) or not. The wanted value
    is sent, never "toggle", so that a page opened before another change cannot undo it."""

    is_key = forms.TypedChoiceField(
        choices=[("yes", "Key control"), ("no", "Not a key control")],
        coerce=lambda value: value == "yes",
    )


class ReturnForm(forms.Form):
    """`role`: who the update goes back to, "owner" or "lead" (whoever submitted it)."""

    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    version = VersionField()

    def __init__(self, *args, role: str = "owner", **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields["comment"]
        comment.label = f"What should the {role} change?"
        comment.error_messages = {
            **comment.error_messages,
            "required": f"Enter a comment that tells the {role} what to change",
        }


def _status_field(attrs: dict | None = None) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Status this quarter",
        choices=ControlStatus.choices,
        widget=forms.RadioSelect(attrs=attrs),
        error_messages={
            "required": "Choose the control's status this quarter",
            "invalid_choice": "Choose not started, in progress, complete or delayed",
        },
    )


class ControlUpdateForm(forms.Form):
    """A control's status and note this quarter, on a page of its own."""

    status = _status_field({"class": "govuk-fieldset__legend--m"})
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    # 0: the period had no update for this control when the form was shown.
    version = VersionField(min_value=0)


class ControlUpdateInPlaceForm(ControlUpdateForm):
    """The same, edited in place in the list of controls: small radios side by side."""

    status = _status_field({"class": "govuk-radios--small govuk-radios--inline"})
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class NewControlForm(forms.Form):
    title = forms.CharField(
        label="What is the control?", max_length=300,
        help_text="A short name, for example “Op Orochi: County Lines disruption”.",
        error_messages={"required": "Enter the control"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False,
        widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
    )
    milestone = forms.CharField(
        label="Milestone (optional)", required=False, max_length=200,
        help_text='For example "end of November"',
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    status = _status_field()
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args, risk, **kwargs):
        self.risk = risk
        super().__init__(*args, **kwargs)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if Control.objects.filter(risk=self.risk, title__iexact=title).exists():
            raise forms.ValidationError("This risk already has a control with that name")
        return title

"""Forms of the quarterly update and its review. Each names only the fields its person may write."""

from django import forms

from controls.models import Control, ControlStatus
from risks.locking import VersionField
from risks.models import Assessment, Progress, ScoreChangeSource, Trend
from risks.scoring import Scale


def _scale_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=Scale.choices,
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": f"Choose a {label.lower()} from Low to Very High"},
    )


class ScoreForm(forms.Form):
    likelihood = _scale_field("Likelihood")
    impact = _scale_field("Impact")
    score_change_source = forms.ChoiceField(
        label="Why did the score change?",
        choices=ScoreChangeSource.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose controls implemented or a re-assessment"},
    )
    version = VersionField()

    def __init__(self, *args, assessment: Assessment, previous: Assessment | None, **kwargs):
        self.assessment = assessment
        self.previous = previous
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        likelihood, impact = data.get("likelihood"), data.get("impact")
        if "likelihood" in self.errors or "impact" in self.errors:
            return data
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
        if not self.is_bound:
            return self.assessment
        try:
            likelihood = int(self.data.get("likelihood"))
            impact = int(self.data.get("impact"))
        except (TypeError, ValueError):
            return None
        if likelihood not in Scale.values or impact not in Scale.values:
            return None
        return Assessment(risk=self.assessment.risk, likelihood=likelihood, impact=impact)

    def changes(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("likelihood", "impact", "score_change_source")
        }


class ProgressForm(forms.Form):
    trend = forms.ChoiceField(
        choices=Trend.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the trend",
            "invalid_choice": "Choose improving, stable or worsening",
        },
    )
    progress = forms.ChoiceField(
        label="Progress towards the target",
        choices=Progress.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the progress towards the target",
            "invalid_choice": "Choose on track, limited, slipped or no progress",
        },
    )
    reasons = forms.CharField(
        label="Why is progress not on track?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    commentary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        error_messages={"required": "Enter the commentary"},
    )
    version = VersionField()

    def clean(self):
        data = super().clean()
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
        return {name: self.cleaned_data[name] for name in ("trend", "progress", "reasons", "commentary")}


class ActionForm(forms.Form):
    """A button that moves an update through the workflow: it carries only the version."""

    version = VersionField()


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What should the owner change?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Enter a comment that tells the owner what to change"},
    )
    version = VersionField()


def _status_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Status this quarter",
        choices=ControlStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the control's status this quarter",
            "invalid_choice": "Choose not started, in progress, complete or delayed",
        },
    )


class ControlUpdateForm(forms.Form):
    status = _status_field()
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    # 0: the period had no update for this control when the form was shown.
    version = VersionField(min_value=0)


class NewControlForm(forms.Form):
    title = forms.CharField(
        label="Control", max_length=300, error_messages={"required": "Enter the control"}
    )
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    milestone = forms.CharField(
        required=False, max_length=200, help_text='For example "end of November"'
    )
    status = _status_field()
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, risk, **kwargs):
        self.risk = risk
        super().__init__(*args, **kwargs)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if Control.objects.filter(risk=self.risk, title__iexact=title).exists():
            raise forms.ValidationError("This risk already has a control with that name")
        return title

from django import forms

from risks.forms import VersionField

from .models import Control, ControlStatus


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

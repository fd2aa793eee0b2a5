"""Forms of closing a reporting period and of a risk's appetite (opening one: riskreg.quarterly.period_form)."""

from django import forms


class ClosePeriodForm(forms.Form):
    incomplete = forms.BooleanField(
        label="Close the period with what is there",
        required=False,
        help_text="Updates that are not approved are frozen as they are, and the report "
        "records that the period closed incomplete.",
    )


class AppetiteForm(forms.Form):
    appetite = forms.CharField(
        label="Risk appetite",
        help_text="How much of this risk the organisation is prepared to accept. The Audit "
        "Panel report prints it in Appendix B. Leave it empty if none is agreed.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # appetite_digest() of the text the page showed: a change made meanwhile is not overwritten.
    was = forms.CharField(widget=forms.HiddenInput, max_length=64,
                          error_messages={"required": "The page was incomplete: reload it and try again"})

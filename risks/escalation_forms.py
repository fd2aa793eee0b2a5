"""Forms of proposing an escalation (or de-escalation) and of deciding one."""

from django import forms

from .models import Register

REASON_ERRORS = {"required": "Say why", "max_length": "The reason must be 2000 characters or fewer"}


class ProposeForm(forms.Form):
    to = forms.ChoiceField(
        label="Where should the risk go?", widget=forms.RadioSelect,
        error_messages={"required": "Choose the register to send the risk to",
                        "invalid_choice": "Choose a register from the list"},
    )
    reason = forms.CharField(
        label="Why?", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The receiving register's lead reads this to decide.",
        error_messages=REASON_ERRORS | {"required": "Say why the risk should move"},
    )

    def __init__(self, *args, targets: dict[str, list[Register]], **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets
        self.fields["to"].choices = [
            (f"up-{r.pk}", f"Escalate to {r.name}"
             + (" (a board)" if r.kind == Register.Kind.BOARD else "")) for r in targets["up"]
        ] + [(f"down-{r.pk}", f"De-escalate to {r.name}") for r in targets["down"]]

    def chosen(self) -> tuple[str, Register]:
        direction, pk = self.cleaned_data["to"].split("-", 1)
        register = next(r for r in self.targets[direction] if str(r.pk) == pk)
        return direction, register


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", widget=forms.RadioSelect,
        choices=[("accept", "Accept"), ("decline", "Decline")],
        error_messages={"required": "Choose whether to accept or decline",
                        "invalid_choice": "Choose whether to accept or decline"},
    )
    reason = forms.CharField(
        label="Reason for the decision", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=REASON_ERRORS | {"required": "Give the reason for the decision"},
    )

"""Model choice fields whose out-of-range key is an invalid choice, not a database error.

SQLite raises OverflowError for integers beyond 64 bits, which Django's model choice fields
do not catch: a tampered id would otherwise be a server error.
"""

from django import forms
from django.core.exceptions import ValidationError


class ChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class MultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice",
                params={"value": "?"},
            ) from None

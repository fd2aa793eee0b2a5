"""GOV.UK Frontend markup for every form field: the project's form renderer (FORM_RENDERER).

`{{ form }}` and `{{ form.field.as_field_group }}` render a field as GOV.UK Frontend 6 marks it
up: a form group holding a label (a legend, in a fieldset, for radios, checkboxes and dates), the
hint, the error message and the control, with aria-describedby naming the hint and the error.
The templates are under templates/govuk/. `{{ form.field }}` alone stays Django's bare widget.

A form says how a field looks with GOV.UK classes in its widget's "class" attribute; the field
puts each where GOV.UK Frontend expects it:
- govuk-label--m (or govuk-fieldset__legend--m): the label's or legend's size (s, m, l, xl).
  Labels are s unless the form says otherwise with a label_size attribute (None: regular);
- govuk-radios--small, govuk-radios--inline, govuk-checkboxes--small: the radios' or
  checkboxes' container;
- any other class (govuk-input--width-3, govuk-!-width-one-half): the control itself.

A radio's own hint: give the RadioSelect a `hints` dict (choice value to text).

GovukDateField is the one GOV.UK date input: day, month and year boxes.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

LABEL_SIZES = ("s", "m", "l", "xl")
DEFAULT_LABEL_SIZE = "s"
SIZE_PREFIXES = ("govuk-label--", "govuk-fieldset__legend--")
CONTAINER_PREFIXES = ("govuk-radios--", "govuk-checkboxes--")


class GovukDateInput(forms.MultiWidget):
    """Day, month and year boxes (GOV.UK's date input: no JavaScript date picker)."""

    template_name = "govuk/widgets/date_input.html"
    PARTS = ("day", "month", "year")

    def __init__(self, attrs=None):
        super().__init__(dict.fromkeys(self.PARTS, forms.TextInput), attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        invalid = context["widget"]["attrs"].get("aria-invalid") == "true"
        for part, box in zip(self.PARTS, context["widget"]["subwidgets"], strict=True):
            width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
            classes = ["govuk-input", "govuk-date-input__input", width]
            if invalid:
                classes.append("govuk-input--error")
            box["attrs"]["class"] = " ".join(classes)
            box["attrs"]["inputmode"] = "numeric"
            if id_:
                # The day box takes the field's own id, so the error summary's link lands on it.
                box["attrs"]["id"] = id_ if part == "day" else f"{id_}_{part}"
            box["label"] = part.capitalize()
        return context


class GovukDateField(forms.MultiValueField):
    """A date from GovukDateInput's boxes. Whatever is typed, a bad date is one clear message.

    Each box must hold ASCII digits only: int() would take "٣١" as 31, and "²" is a digit to
    str.isdigit() that int() refuses. A year must be 4 digits, within min_year and max_year
    when they are given; the date must exist (not 31 February).
    """

    widget = GovukDateInput
    default_error_messages = {
        "incomplete": "Enter a day, month and year",
        "not_a_number": "Enter the %(part)s as a number",
        "year_digits": "Enter the year as 4 digits, for example 2022",
        "year_range": "Enter a year from %(min_year)s to %(max_year)s",
        "invalid": "Enter a real date",
    }

    def __init__(self, *, min_year: int = 1, max_year: int = 9999, **kwargs):
        self.min_year, self.max_year = min_year, max_year
        # The boxes only strip what was typed: compress() judges the three together.
        parts = [forms.CharField(required=False, max_length=None) for _ in GovukDateInput.PARTS]
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        parts = dict(zip(GovukDateInput.PARTS, data_list or ["", "", ""], strict=True))
        if not any(parts.values()):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if not all(parts.values()):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        for part, text in parts.items():
            if not (text.isascii() and text.isdigit()):
                raise ValidationError(
                    self.error_messages["not_a_number"], code="not_a_number",
                    params={"part": part},
                )
        if len(parts["year"]) != 4:
            raise ValidationError(self.error_messages["year_digits"], code="year_digits")
        year = int(parts["year"])
        if not self.min_year <= year <= self.max_year:
            raise ValidationError(
                self.error_messages["year_range"], code="year_range",
                params={"min_year": self.min_year, "max_year": self.max_year},
            )
        try:
            return datetime.date(year, int(parts["month"]), int(parts["day"]))
        except (ValueError, OverflowError):  # 31 February; a day of 2147483648
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


# GOV.UK's name for each kind of control, the class every control of the kind carries, and the
# class it adds when the field has an error. The first match wins: CheckboxSelectMultiple is a
# RadioSelect to Django.
KINDS = [
    (GovukDateInput, "date", "", ""),
    (forms.CheckboxSelectMultiple, "checkboxes", "govuk-checkboxes__input", ""),
    (forms.RadioSelect, "radios", "govuk-radios__input", ""),
    (forms.CheckboxInput, "checkbox", "govuk-checkboxes__input", ""),
    (forms.Select, "select", "govuk-select", "govuk-select--error"),
    (forms.Textarea, "textarea", "govuk-textarea", "govuk-textarea--error"),
    (forms.FileInput, "other", "", ""),
    (Input, "input", "govuk-input", "govuk-input--error"),
]
CHOICE_TEMPLATES = {
    "radios": "govuk/widgets/radios.html",
    "checkboxes": "govuk/widgets/checkboxes.html",
}


class GovukBoundField(BoundField):
    """A field as GOV.UK Frontend marks it up (see the module's docstring)."""

    @cached_property
    def govuk_kind(self) -> str:
        widget = self.field.widget
        if widget.is_hidden:
            return "hidden"
        return next((kind for cls, kind, _, _ in KINDS if isinstance(widget, cls)), "other")

    @cached_property
    def _classes(self) -> tuple[str, list[str], list[str]]:
        """The widget's classes, sorted: (label size, container classes, control classes)."""
        size = getattr(self.form, "label_size", DEFAULT_LABEL_SIZE)
        container, control = [], []
        base, error = next(
            ((b, e) for _, kind, b, e in KINDS if kind == self.govuk_kind), ("", "")
        )
        if base:
            control.append(base)
        for name in self.field.widget.attrs.get("class", "").split():
            prefix = next((p for p in SIZE_PREFIXES if name.startswith(p)), None)
            if prefix and name.removeprefix(prefix) in LABEL_SIZES:
                size = name.removeprefix(prefix)
            elif name.startswith(CONTAINER_PREFIXES):
                container.append(name)
            elif name not in control:
                control.append(name)
        if error and self.errors:
            control.append(error)
        return size, container, control

    @property
    def label_size(self) -> str | None:
        return self._classes[0]

    @property
    def container_classes(self) -> str:
        return " ".join(self._classes[1])

    @property
    def govuk_widget(self) -> str:
        """The control: Django's widget with GOV.UK's classes, or GOV.UK's radios/checkboxes."""
        attrs = {"class": " ".join(self._classes[2])} if self._classes[2] else {}
        template = CHOICE_TEMPLATES.get(self.govuk_kind)
        if template is None:
            return self.as_widget(attrs=attrs)
        widget = self.field.widget
        attrs = self.build_widget_attrs(attrs, widget)
        id_ = widget.attrs.get("id") or self.auto_id
        if id_:
            attrs.setdefault("id", id_)
        context = widget.get_context(self.html_name, self.value(), attrs)
        options = [option for _, group, _ in context["widget"]["optgroups"] for option in group]
        if options and id_:
            # As GOV.UK Frontend does: the first choice takes the field's id, so the error
            # summary's link lands on it; the others keep Django's id_<name>_<index>.
            options[0]["attrs"]["id"] = id_
        # A choice's own hint (a widget's `hints`: value to text), under its label.
        hints = getattr(widget, "hints", None) or {}
        for option in options:
            # Written straight after the value, where GOV.UK Frontend's macro puts it.
            option["checked"] = option["attrs"].pop("checked", False)
            option["hint"] = hints.get(option["value"], "")
            if option["hint"] and option["attrs"].get("id"):
                option["hint_id"] = f"{option['attrs']['id']}-item-hint"
                described = option["attrs"].get("aria-describedby", "")
                option["attrs"]["aria-describedby"] = f"{described} {option['hint_id']}".strip()
        context["widget"]["options"] = options
        context["widget"]["container_classes"] = self.container_classes
        return mark_safe(self.form.renderer.render(template, context))  # noqa: S308 (a template)


class GovukFormRenderer(TemplatesSetting):
    """Django's templates, as TEMPLATES finds them, with GOV.UK's form and field templates."""

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovukBoundField

"""risks/govuk_forms.py: every kind of field renders GOV.UK Frontend's markup, and the date field
turns whatever is typed into a date or one clear message."""

import datetime

import pytest
from django import forms
from django.test.html import Element, parse_html

from risks.govuk_forms import GovukBoundField, GovukDateField, GovukFormRenderer

CHOICES = [("red", "Red"), ("green", "Green")]


class EveryKind(forms.Form):
    name = forms.CharField(label="Your name", help_text="As on your warrant card")
    age = forms.IntegerField(
        label="Age", widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"})
    )
    email = forms.EmailField(label="Email address", help_text="We reply to it")
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}))
    town = forms.ChoiceField(label="Town", choices=[("", "Choose a town"), ("ldn", "London")])
    colour = forms.ChoiceField(
        label="Colour", choices=CHOICES, help_text="Choose one",
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--small govuk-radios--inline"}),
    )
    pets = forms.MultipleChoiceField(
        label="Pets", choices=[("cat", "Cat"), ("dog", "Dog")], help_text="Choose all that apply",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
    )
    agree = forms.BooleanField(label="I agree", help_text="You must agree")
    when = GovukDateField(label="When did it happen?", help_text="For example, 27 3 2021")
    version = forms.IntegerField(widget=forms.HiddenInput)


BAD = {
    "name": "", "age": "old", "email": "not-an-email", "notes": "", "town": "paris",
    "colour": "blue", "pets": ["fish"], "when_day": "31", "when_month": "2", "when_year": "2021",
}
ERROR = '<p id="{id}_error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {message}</p>'


def html(field) -> Element:
    return parse_html(field.as_field_group())


def elements(root, predicate=lambda e: True):
    """Every element under root (root too), in document order, that satisfies predicate."""
    found = [root] if isinstance(root, Element) and predicate(root) else []
    for child in getattr(root, "children", []):
        if isinstance(child, Element):
            found += elements(child, predicate)
    return found


def attr(element, name):
    return dict(element.attributes).get(name)


def by_class(root, name):
    return elements(root, lambda e: name in (attr(e, "class") or "").split())


def test_the_project_renders_forms_with_the_govuk_renderer():
    form = EveryKind()
    assert isinstance(form.renderer, GovukFormRenderer)
    assert isinstance(form["name"], GovukBoundField)


# What GOV.UK Frontend's Nunjucks macros (6.x) give for the same parameters. Two differences are
# deliberate: the hint and the error take Django's ids (<id>_helptext, <id>_error), and a field's
# errors are one message.
EXPECTED = {
    "name": """
        <div class="govuk-form-group">
          <label class="govuk-label govuk-label--s" for="id_name">Your name</label>
          <div id="id_name_helptext" class="govuk-hint">As on your warrant card</div>
          <input class="govuk-input" id="id_name" name="name" type="text" required
                 aria-describedby="id_name_helptext">
        </div>""",
    "age": """
        <div class="govuk-form-group">
          <label class="govuk-label govuk-label--s" for="id_age">Age</label>
          <input class="govuk-input govuk-input--width-3" id="id_age" name="age" type="number"
                 required>
        </div>""",
    "email": """
        <div class="govuk-form-group">
          <label class="govuk-label govuk-label--s" for="id_email">Email address</label>
          <div id="id_email_helptext" class="govuk-hint">We reply to it</div>
          <input class="govuk-input" id="id_email" name="email" type="email" maxlength="320"
                 required aria-describedby="id_email_helptext">
        </div>""",
    "notes": """
        <div class="govuk-form-group">
          <label class="govuk-label govuk-label--s" for="id_notes">Notes</label>
          <textarea class="govuk-textarea" id="id_notes" name="notes" rows="3" cols="40" required>
</textarea>
        </div>""",
    "town": """
        <div class="govuk-form-group">
          <label class="govuk-label govuk-label--s" for="id_town">Town</label>
          <select class="govuk-select" id="id_town" name="town" required>
            <option value="" selected>Choose a town</option>
            <option value="ldn">London</option>
          </select>
        </div>""",
    "colour": """
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset" aria-describedby="id_colour_helptext">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Colour</legend>
            <div id="id_colour_helptext" class="govuk-hint">Choose one</div>
            <div class="govuk-radios govuk-radios--small govuk-radios--inline"
                 data-module="govuk-radios">
              <div class="govuk-radios__item">
                <input class="govuk-radios__input" id="id_colour" name="colour" type="radio"
                       value="red" required>
                <label class="govuk-label govuk-radios__label" for="id_colour">Red</label>
              </div>
              <div class="govuk-radios__item">
                <input class="govuk-radios__input" id="id_colour_1" name="colour" type="radio"
                       value="green" required>
                <label class="govuk-label govuk-radios__label" for="id_colour_1">Green</label>
              </div>
            </div>
          </fieldset>
        </div>""",
    "pets": """
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset" aria-describedby="id_pets_helptext">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Pets</legend>
            <div id="id_pets_helptext" class="govuk-hint">Choose all that apply</div>
            <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
              <div class="govuk-checkboxes__item">
                <input class="govuk-checkboxes__input" id="id_pets" name="pets" type="checkbox"
                       value="cat">
                <label class="govuk-label govuk-checkboxes__label" for="id_pets">Cat</label>
              </div>
              <div class="govuk-checkboxes__item">
                <input class="govuk-checkboxes__input" id="id_pets_1" name="pets" type="checkbox"
                       value="dog">
                <label class="govuk-label govuk-checkboxes__label" for="id_pets_1">Dog</label>
              </div>
            </div>
          </fieldset>
        </div>""",
    "agree": """
        <div class="govuk-form-group">
          <div class="govuk-checkboxes" data-module="govuk-checkboxes">
            <div class="govuk-checkboxes__item">
              <input class="govuk-checkboxes__input" id="id_agree" name="agree" type="checkbox"
                     required aria-describedby="id_agree_helptext">
              <label class="govuk-label govuk-checkboxes__label" for="id_agree">I agree</label>
              <div id="id_agree_helptext" class="govuk-hint govuk-checkboxes__hint">You must agree</div>
            </div>
          </div>
        </div>""",
    "when": """
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset" role="group" aria-describedby="id_when_helptext">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">When did it happen?</legend>
            <div id="id_when_helptext" class="govuk-hint">For example, 27 3 2021</div>
            <div class="govuk-date-input">
              <div class="govuk-date-input__item">
                <div class="govuk-form-group">
                  <label class="govuk-label govuk-date-input__label" for="id_when">Day</label>
                  <input class="govuk-input govuk-date-input__input govuk-input--width-2"
                         id="id_when" name="when_day" type="text" inputmode="numeric">
                </div>
              </div>
              <div class="govuk-date-input__item">
                <div class="govuk-form-group">
                  <label class="govuk-label govuk-date-input__label" for="id_when_month">Month</label>
                  <input class="govuk-input govuk-date-input__input govuk-input--width-2"
                         id="id_when_month" name="when_month" type="text" inputmode="numeric">
                </div>
              </div>
              <div class="govuk-date-input__item">
                <div class="govuk-form-group">
                  <label class="govuk-label govuk-date-input__label" for="id_when_year">Year</label>
                  <input class="govuk-input govuk-date-input__input govuk-input--width-4"
                         id="id_when_year" name="when_year" type="text" inputmode="numeric">
                </div>
              </div>
            </div>
          </fieldset>
        </div>""",
}


@pytest.mark.parametrize("name", EXPECTED)
def test_each_kind_of_field_renders_govuk_frontends_markup(name):
    assert html(EveryKind()[name]) == parse_html(EXPECTED[name])


# The same with an error: GOV.UK adds the group's error class, the message after the hint, the
# control's error class where it has one, and names the error after the hint.
EXPECTED_WITH_ERROR = {
    "name": """
        <div class="govuk-form-group govuk-form-group--error">
          <label class="govuk-label govuk-label--s" for="id_name">Your name</label>
          <div id="id_name_helptext" class="govuk-hint">As on your warrant card</div>
          {error}
          <input class="govuk-input govuk-input--error" id="id_name" name="name" type="text"
                 required aria-invalid="true" aria-describedby="id_name_helptext id_name_error">
        </div>""",
    "town": """
        <div class="govuk-form-group govuk-form-group--error">
          <label class="govuk-label govuk-label--s" for="id_town">Town</label>
          {error}
          <select class="govuk-select govuk-select--error" id="id_town" name="town" required
                  aria-invalid="true" aria-describedby="id_town_error">
            <option value="">Choose a town</option>
            <option value="ldn">London</option>
          </select>
        </div>""",
    "notes": """
        <div class="govuk-form-group govuk-form-group--error">
          <label class="govuk-label govuk-label--s" for="id_notes">Notes</label>
          {error}
          <textarea class="govuk-textarea govuk-textarea--error" id="id_notes" name="notes"
                    rows="3" cols="40" required aria-invalid="true"
                    aria-describedby="id_notes_error">
</textarea>
        </div>""",
}


@pytest.mark.parametrize("name", EXPECTED_WITH_ERROR)
def test_a_field_with_an_error_renders_govuk_frontends_error_markup(name):
    field = EveryKind(BAD)[name]
    (message,) = field.errors
    expected = EXPECTED_WITH_ERROR[name].format(error=ERROR.format(id=f"id_{name}", message=message))
    assert html(field) == parse_html(expected)


@pytest.mark.parametrize("name", [n for n in EveryKind.base_fields if n != "version"])
def test_the_hint_and_the_error_are_named_by_aria_describedby_in_that_order(name):
    field = EveryKind(BAD | {"agree": ""})[name]
    root = html(field)
    hint = by_class(root, "govuk-hint")
    (error,) = by_class(root, "govuk-error-message")
    assert elements(error, lambda e: e.name == "span")[0].children == ["Error:"]
    assert "govuk-form-group--error" in attr(root, "class").split()
    # Fieldsets are described as a whole; other fields on the control itself.
    (described,) = elements(root, lambda e: attr(e, "aria-describedby"))
    expected_ids = [attr(h, "id") for h in hint] + [attr(error, "id")]
    assert attr(described, "aria-describedby").split() == expected_ids
    assert described.name in ("fieldset", "input", "select", "textarea")
    assert (described.name == "fieldset") == field.use_fieldset
    for id_ in expected_ids:
        assert len(elements(root, lambda e, id_=id_: attr(e, "id") == id_)) == 1


@pytest.mark.parametrize("name", ["colour", "pets", "when"])
def test_the_first_box_or_choice_has_the_fields_id_for_the_error_summarys_link(name):
    field = EveryKind(BAD)[name]
    inputs = elements(html(field), lambda e: e.name == "input")
    assert attr(inputs[0], "id") == field.auto_id
    assert len({attr(i, "id") for i in inputs}) == len(inputs)
    assert all(attr(i, "aria-invalid") == "true" for i in inputs)


def test_every_date_box_shows_the_error():
    boxes = by_class(html(EveryKind(BAD)["when"]), "govuk-date-input__input")
    assert len(boxes) == 3
    assert all("govuk-input--error" in attr(b, "class").split() for b in boxes)


def test_the_label_or_legend_size_comes_from_the_widgets_classes():
    class Sized(forms.Form):
        big = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-label--l"}))
        question = forms.ChoiceField(
            choices=CHOICES, widget=forms.RadioSelect(attrs={"class": "govuk-fieldset__legend--m"})
        )

    form = Sized()
    (label,) = elements(html(form["big"]), lambda e: e.name == "label")
    assert attr(label, "class") == "govuk-label govuk-label--l"
    (control,) = elements(html(form["big"]), lambda e: e.name == "input")
    assert attr(control, "class") == "govuk-input"  # the size is the label's, not the input's
    (legend,) = elements(html(form["question"]), lambda e: e.name == "legend")
    assert attr(legend, "class") == "govuk-fieldset__legend govuk-fieldset__legend--m"


def test_a_form_may_give_its_labels_another_size_or_none():
    class Regular(forms.Form):
        label_size = None
        text = forms.CharField()
        big = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-label--l"}))
        question = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)

    form = Regular()
    (label,) = elements(html(form["text"]), lambda e: e.name == "label")
    assert attr(label, "class") == "govuk-label"
    (label,) = elements(html(form["big"]), lambda e: e.name == "label")
    assert attr(label, "class") == "govuk-label govuk-label--l"
    (legend,) = elements(html(form["question"]), lambda e: e.name == "legend")
    assert attr(legend, "class") == "govuk-fieldset__legend"


def test_the_hint_label_and_errors_are_escaped():
    class Risky(forms.Form):
        text = forms.CharField(label="<b>Label</b>", help_text="<script>hint</script>")

        def clean_text(self):
            raise forms.ValidationError("<i>bad</i>")

    rendered = Risky({"text": "x"})["text"].as_field_group()
    assert "<script>" not in rendered and "<b>" not in rendered and "<i>" not in rendered
    assert "&lt;script&gt;hint&lt;/script&gt;" in rendered


def test_a_hidden_field_is_only_its_input():
    assert html(EveryKind()["version"]) == parse_html(
        '<input type="hidden" name="version" id="id_version">'
    )


def test_the_whole_form_is_its_hidden_fields_then_a_group_per_field():
    root = parse_html(str(EveryKind()))
    groups = [e for e in root.children if isinstance(e, Element)]
    assert attr(groups[0], "type") == "hidden"
    assert [attr(g, "class") for g in groups[1:]] == ["govuk-form-group"] * 9


def test_the_bare_widget_stays_djangos():
    """{{ form.field }} outside a field group is Django's widget, as the admin expects."""
    assert str(EveryKind()["name"]) == (
        '<input type="text" name="name" required aria-describedby="id_name_helptext" id="id_name">'
    )


class DateForm(forms.Form):
    date = GovukDateField(label="Date", min_year=2000, max_year=2100)
    optional = GovukDateField(label="Optional date", required=False)


def date_errors(day, month, year, name="date"):
    form = DateForm({f"{name}_day": day, f"{name}_month": month, f"{name}_year": year})
    return form.errors.get(name)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "This field is required."),
        ("  ", " ", "", "This field is required."),
        ("31", "", "2022", "Enter a day, month and year"),
        ("", "3", "", "Enter a day, month and year"),
        ("31", "2", "2022", "Enter a real date"),
        ("29", "2", "2023", "Enter a real date"),
        ("0", "1", "2022", "Enter a real date"),
        ("1", "13", "2022", "Enter a real date"),
        ("2147483648", "1", "2022", "Enter a real date"),
        ("1", "99999999999999999999", "2022", "Enter a real date"),
        ("9" * 5000, "1", "2022", "Enter a real date"),
        ("1", "1", "2147483648", "Enter the year as 4 digits, for example 2022"),
        ("1", "1", "22", "Enter the year as 4 digits, for example 2022"),
        ("1", "1", "1999", "Enter a year from 2000 to 2100"),
        ("1", "1", "2101", "Enter a year from 2000 to 2100"),
        ("²", "1", "2022", "Enter the day as a number"),
        ("٣١", "1", "2022", "Enter the day as a number"),  # Arabic-Indic 31: int() would take it
        ("1", "３", "2022", "Enter the month as a number"),  # full-width 3
        ("1", "1", "２０２２", "Enter the year as a number"),
        ("-1", "1", "2022", "Enter the day as a number"),
        ("1.5", "1", "2022", "Enter the day as a number"),
        ("x", "1", "2022", "Enter the day as a number"),
    ],
)
def test_a_bad_date_gets_one_clear_message(day, month, year, message):
    assert date_errors(day, month, year) == [message]


@pytest.mark.parametrize(
    ("day", "month", "year", "date"),
    [
        ("29", "2", "2024", datetime.date(2024, 2, 29)),
        ("01", "03", "2022", datetime.date(2022, 3, 1)),
        (" 7 ", "7", " 2021", datetime.date(2021, 7, 7)),
        ("31", "12", "2100", datetime.date(2100, 12, 31)),
    ],
)
def test_a_real_date_is_a_date(day, month, year, date):
    form = DateForm({"date_day": day, "date_month": month, "date_year": year})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"date": date, "optional": None}


def test_an_optional_date_left_empty_is_none_and_half_filled_is_an_error():
    assert date_errors("1", "1", "2022", name="optional") is None
    form = DateForm({"date_day": "1", "date_month": "1", "date_year": "2022", "optional_year": "2022"})
    assert form.errors == {"optional": ["Enter a day, month and year"]}


def test_without_limits_any_four_digit_year_is_allowed():
    form = DateForm({"date_day": "1", "date_month": "1", "date_year": "2022",
                     "optional_day": "1", "optional_month": "1", "optional_year": "1066"})
    assert form.is_valid()
    assert form.cleaned_data["optional"] == datetime.date(1066, 1, 1)


def test_what_was_typed_is_shown_back_and_an_unchanged_date_is_unchanged():
    form = DateForm({"date_day": "31", "date_month": "2", "date_year": "2022"})
    values = [attr(i, "value") for i in elements(html(form["date"]), lambda e: e.name == "input")]
    assert values == ["31", "2", "2022"]
    initial = DateForm(initial={"date": datetime.date(2022, 3, 1)})
    values = [attr(i, "value") for i in elements(html(initial["date"]), lambda e: e.name == "input")]
    assert values == ["1", "3", "2022"]
    same = DateForm({"date_day": "1", "date_month": "3", "date_year": "2022"},
                    initial={"date": datetime.date(2022, 3, 1)})
    assert not same.has_changed()

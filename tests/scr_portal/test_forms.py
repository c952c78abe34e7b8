import datetime

import pytest
from django import forms

from scr_portal.forms import GovukDateField, GovukForm
from scr_portal.models import Agency


class DateForm(GovukForm):
    date_of_birth = GovukDateField(label="Date of birth")


@pytest.mark.parametrize(
    ("day", "month", "year", "error"),
    [
        ("", "", "", "Enter date of birth"),
        ("31", "2", "2020", "Date of birth must be a real date"),
        ("1", "", "2020", "Date of birth must include a month"),
        ("", "", "2020", "Date of birth must include a day and month"),
        ("1", "1", "20", "Date of birth must be a real date"),
        ("a", "1", "2020", "Date of birth must be a real date"),
    ],
)
def test_date_input_errors_say_what_is_wrong(day, month, year, error):
    form = DateForm({"date_of_birth_0": day, "date_of_birth_1": month, "date_of_birth_2": year})
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [error]
    assert form.error_summary_items() == [("id_date_of_birth_0", error)]


def test_date_input_accepts_a_real_date_and_renders_three_boxes():
    form = DateForm({"date_of_birth_0": "29", "date_of_birth_1": "2", "date_of_birth_2": "2024"})
    assert form.is_valid()
    assert form.cleaned_data["date_of_birth"] == datetime.date(2024, 2, 29)
    html = str(form)
    assert html.count("govuk-date-input__input") == 3
    assert "<legend" in html and "Day" in html and "Month" in html and "Year" in html


def test_invalid_date_keeps_what_was_typed_and_marks_inputs():
    form = DateForm({"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2020"})
    form.is_valid()
    html = str(form)
    assert 'value="31"' in html and 'value="2020"' in html
    assert "govuk-input--error" in html and "govuk-form-group--error" in html


class ChoosingForm(GovukForm):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("", "---------"), ("a", "A")], required=False)


def test_an_empty_choice_says_choose_never_dashes(db):
    """Issue 19: "---------" (Django's default) offered as an empty choice."""
    from reviews.forms.plans import PersonChoiceField

    html = str(ChoosingForm())
    assert "---------" not in html
    assert html.count(">Choose one</option>") == 2
    assert PersonChoiceField(queryset=Agency.objects.none()).empty_label == "Choose a person"

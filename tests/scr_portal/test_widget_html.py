"""The Python versions of Django's widget templates (scr_portal/widget_html.py) give the templates' HTML."""

import datetime

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from scr_portal.forms import GovukDateField, GovukForm, GovukFormRenderer
from scr_portal.widget_html import FAST


class Everything(GovukForm):
    text = forms.CharField(label="Text", max_length=10, help_text="A <hint>")
    number = forms.IntegerField(label="Number", required=False)
    email = forms.EmailField(label="Email", required=False)
    flag = forms.BooleanField(label="Flag", required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    pick = forms.ChoiceField(
        label="Pick", choices=[("", "Any"), ("a", "A & <b>"), (3, 3), ("q", 'Say "hi"')], required=False
    )
    grouped = forms.ChoiceField(
        label="Grouped",
        choices=[("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("none", "None")],
        required=False,
    )
    many = forms.MultipleChoiceField(label="Many", choices=[("x", "X"), ("y", "Y")], required=False)
    day = GovukDateField(label="Day", required=False)
    file = forms.FileField(label="File", required=False)
    when = forms.DateField(
        label="When", required=False, widget=forms.DateInput(attrs={"data-x": mark_safe("&amp;")})
    )


DATA = {
    "text": 'too long "quoted" <value>',
    "number": "x",
    "flag": "on",
    "hidden": "h&",
    "pick": "a",
    "grouped": "pear",
    "many": ["x", "y"],
    "day_0": "31",
    "day_1": "2",
    "day_2": "2024",
    "when": datetime.date(2024, 1, 2),
}


class TemplatesOnly(TemplatesSetting):
    form_template_name = GovukFormRenderer.form_template_name
    field_template_name = GovukFormRenderer.field_template_name


@pytest.mark.parametrize("data", [None, DATA], ids=["unbound", "bound-with-errors"])
def test_a_form_renders_the_same_as_through_the_templates(data):
    from django.http import QueryDict

    query = None
    if data is not None:
        query = QueryDict(mutable=True)
        for name, value in data.items():
            query.setlist(name, value if isinstance(value, list) else [value])
    fast = Everything(query)
    slow = Everything(query, renderer=TemplatesOnly())
    if data is not None:
        assert not fast.is_valid() and not slow.is_valid()
    assert str(fast) == str(slow)
    assert "selected" in str(fast) or data is None


def test_each_fast_template_matches_the_engine():
    widgets = [
        forms.TextInput(attrs={"class": "govuk-input", "required": True, "disabled": False}),
        forms.CheckboxInput(),
        forms.NumberInput(attrs={"min": 0}),
        forms.HiddenInput(),
        forms.Select(choices=[("1", "One"), ("2", "<Two>")]),
        forms.SelectMultiple(choices=[("1", "One"), ("2", "Two")]),
    ]
    fast, slow = GovukFormRenderer(), TemplatesOnly()
    for widget in widgets:
        for value in (None, "", "2", ["1", "2"], True):
            assert widget.template_name in FAST
            assert widget.render("f", value, renderer=fast) == widget.render("f", value, renderer=slow)

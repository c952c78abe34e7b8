"""Wording a business manager edits is rendered in a sandbox: only documented fields, only a few safe
tags and filters, and markup in any value comes out as text."""

import pytest

from scr_portal.documents.sandbox import WordingError, flatten_variables, text_to_html, validate_wording

SAMPLE = {
    "child": {"name": "Child A", "age": "6 years"},
    "agencies": [{"name": "Police"}],
    "reply_by": "Tuesday 30 December 2026",
}


def test_wording_renders_with_the_documented_fields_and_the_three_conventions():
    text = validate_wording(
        "Dear colleague,\n\nAbout {{ child.name }}, please reply by {{ reply_by }}.\n\n## Agencies\n"
        "{% for agency in agencies %}- {{ agency.name|upper }}\n{% endfor %}",
        sample=SAMPLE,
    )
    assert str(text_to_html(text)) == (
        "<p>Dear colleague,</p>\n<p>About Child A, please reply by Tuesday 30 December 2026.</p>\n"
        "<h2>Agencies</h2>\n<ul><li>POLICE</li></ul>"
    )


def test_unknown_fields_are_refused_with_every_unknown_name_listed():
    with pytest.raises(WordingError) as error:
        validate_wording(
            "{{ child.nmae }} {{ chlid.name }} {% for a in agencies %}{{ a.nam }}{% endfor %}"
            "{% if reply_byy %}{% endif %}{{ reply_by|default:child.dob }}",
            sample=SAMPLE,
        )
    assert error.value.messages == [
        "The wording uses fields this document does not have: {{ child.nmae }}, {{ chlid.name }}, "
        "{{ a.nam }}, {{ reply_byy }}, {{ child.dob }}. Use only the fields listed for this document."
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{% load static %}", "Line 1: the tag '{% load %}' cannot be used in wording."),
        ("{% include 'base.html' %}", "Line 1: the tag '{% include %}' cannot be used in wording."),
        ("{% debug %}", "Line 1: the tag '{% debug %}' cannot be used in wording."),
        ("{% autoescape off %}x{% endautoescape %}", "Line 1: the tag '{% autoescape %}' cannot be used"),
        ("{{ child.name|safe }}", "The filter '|safe' cannot be used in wording."),
        ("x\n{% if child.name %}", "Line 2: the '{% if %}' tag is not closed."),
        ("{% endif %}", "Line 1: '{% endif %}' does not match an opening tag."),
        ("{{ child.name.upper }}", "{{ child.name.upper }}"),  # no method calls on values
        ("{{ child.__class__ }}", "could not be read"),
    ],
)
def test_a_broken_or_unsafe_template_is_refused_with_a_clear_message(body, message):
    with pytest.raises(WordingError) as error:
        validate_wording(body, sample=SAMPLE)
    assert message in error.value.messages[0]


def test_markup_in_values_and_in_the_wording_comes_out_as_text():
    text = validate_wording(
        "<b>Hello</b> {{ child.name }}", sample={**SAMPLE, "child": {"name": '<script>alert("x")</script>'}}
    )
    html = str(text_to_html(text))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_documented_fields_are_listed_as_typed_in_wording():
    assert flatten_variables(SAMPLE) == [
        "child.name",
        "child.age",
        "agencies",
        "agencies[each].name",
        "reply_by",
    ]

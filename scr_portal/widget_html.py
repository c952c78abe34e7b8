"""Django's stock widget templates (input, select and its options, attrs) written out in Python.

Rendering a widget through the template engine costs a template per widget, one more for its attributes and,
for a <select>, two more per option: most of the time a form takes to render (a filter form on a list page
took 1.5–2 ms). These functions give the same HTML, byte for byte, as Django 5.2's templates in
django/forms/templates/django/forms/widgets/ (tests/test_widget_html.py renders both ways and compares);
`GovukFormRenderer` uses them for the templates named in FAST and the engine for every other one."""

from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import escape
from django.utils.safestring import SafeData, SafeString, mark_safe

_CONTEXT = Context(autoescape=True)
WIDGETS = "django/forms/widgets/"
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"


def _out(value) -> str:
    """`{{ value }}`."""
    return render_value_in_context(value, _CONTEXT)


def _string(value) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe string safe, everything else is escaped."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return text if isinstance(value, SafeData) else escape(text)


def attrs_html(attrs: dict) -> str:
    """attrs.html: ` name="value"` for each attribute, the bare name for True, nothing for False."""
    return "".join(
        f" {_out(name)}" if value is True else f' {_out(name)}="{_string(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_html(widget: dict) -> str:
    value = f' value="{_string(widget["value"])}"' if widget["value"] is not None else ""
    attrs = attrs_html(widget["attrs"])
    return f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"{value}{attrs}>\n'


def option_html(option: dict) -> str:
    attrs = attrs_html(option["attrs"])
    return f'<option value="{_string(option["value"])}"{attrs}>{_out(option["label"])}</option>\n'


def select_html(widget: dict) -> str | None:
    parts = [f'<select name="{_out(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None  # a custom option template: leave the whole select to the engine
            parts.append(f"\n  {option_html(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _input_template(widget: dict) -> str:
    return input_html(widget) + "\n"  # text.html and the others include input.html and end with a newline


# Each of these is `{% include "django/forms/widgets/input.html" %}` and a newline in Django 5.2.
_INPUTS = ("text", "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password")
FAST = {f"{WIDGETS}{name}.html": _input_template for name in (*_INPUTS, "search", "tel", "time", "url")}
FAST[f"{WIDGETS}input.html"] = input_html
FAST[f"{WIDGETS}select.html"] = select_html


def widget_html(template_name: str, widget: dict, *, strip: bool = False) -> SafeString | None:
    """The widget's HTML as `template_name` renders it (stripped, as a form renderer returns it), or None
    when it has no Python version here."""
    render = FAST.get(template_name)
    html = render(widget) if render else None
    if html is None:
        return None
    return mark_safe(html.strip() if strip else html)  # noqa: S308 - every value in it is escaped above

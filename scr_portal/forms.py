"""GOV.UK Design System markup for Django forms: labels, hints, inline errors, an error summary that links
to each field, and dates as day/month/year inputs. Every form in the portal inherits `GovukForm` or
`GovukModelForm`; the templates live in templates/components/forms/."""

import datetime
import re

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from .widget_html import widget_html

INPUT_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input govuk-input--width-5",
    "url": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


def textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def not_in_future(value: datetime.date | None, today: datetime.date, label: str) -> datetime.date | None:
    """A form's `clean_<date>` for something already done, against the form's own `today`."""
    if value and value > today:
        raise forms.ValidationError(f"{label} must be today or in the past")
    return value


def posted_data(request):
    """The submitted data, or None on GET. (`request.POST or None` would treat an empty POST — nothing
    ticked, nothing typed — as a GET and save nothing without saying why.)"""
    return request.POST if request.method == "POST" else None


def initial_from_query(request, names) -> dict:
    """A form's starting values from the link that opened it (the people page sends the person's email
    and name to the page that gives a role needing its own declaration)."""
    return {name: request.GET[name] for name in names if request.GET.get(name)}


YES_NO = (("yes", "Yes"), ("no", "No"))


def yes_no_field(
    label: str, *, required: bool = True, required_message: str = "", inline: bool = False, **kwargs
) -> forms.TypedChoiceField:
    """A yes/no question as two radios, cleaned to True/False (None when optional and unanswered)."""
    field = forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=required,
        widget=forms.RadioSelect(attrs={"inline": True}) if inline else forms.RadioSelect,
        **kwargs,
    )
    if required_message:
        field.error_messages["required"] = required_message
    return field


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "components/forms/form.html"
    field_template_name = "components/forms/field.html"

    def render(self, template_name, context, request=None):
        # Django's own input and select templates are written out in Python (scr_portal/widget_html.py).
        html = widget_html(template_name, context["widget"], strip=True) if "widget" in context else None
        return super().render(template_name, context, request) if html is None else html


class GovukDateWidget(forms.MultiWidget):
    """Three inputs, day, month and year, as the GOV.UK date input pattern asks."""

    template_name = "components/forms/date_widget.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for label, sub in zip(("Day", "Month", "Year"), context["widget"]["subwidgets"], strict=True):
            sub["label"] = label
            width = "govuk-input--width-4" if label == "Year" else "govuk-input--width-2"
            sub["attrs"]["class"] = f"{sub['attrs'].get('class', '')} {width}".strip()
            sub["html"] = widget_html(sub["template_name"], sub)
        return context


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK error messages for each way it can be wrong.
    `required_message` replaces "Enter <label>", which reads badly for labels like "Date of the meeting";
    `not_future` refuses a date after today (for things already done)."""

    widget = GovukDateWidget

    def __init__(self, *args, required_message: str = "", not_future: bool = False, **kwargs):
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields, *args, require_all_fields=False, **kwargs)
        if required_message:
            self.error_messages["required"] = required_message
        self.not_future = not_future

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        label = self.label or "Date"
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"{label} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(f"{label} must be a real date")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{label} must be a real date") from None

    def clean(self, value):
        if self.required and (not value or not any(value)):
            message = self.error_messages["required"]
            if message == forms.Field.default_error_messages["required"]:
                message = f"Enter {str(self.label or 'the date').lower()}"
            raise forms.ValidationError(message, code="required")
        day = super().clean(value)
        if day and self.not_future and day > timezone.localdate():
            raise forms.ValidationError(f"{self.label} must be today or in the past")
        return day


# Django's "---------" for "nothing chosen yet", where a form does not name its own "Choose …" option.
DJANGO_EMPTY_CHOICE = "---------"
EMPTY_CHOICE = "Choose one"


def _name_the_empty_choice(field) -> None:
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_CHOICE:
            field.empty_label = EMPTY_CHOICE
    elif isinstance(field, forms.ChoiceField) and not isinstance(field.widget, forms.RadioSelect):
        choices = list(field.choices)
        if ("", DJANGO_EMPTY_CHOICE) in choices:
            field.choices = [("", EMPTY_CHOICE) if c == ("", DJANGO_EMPTY_CHOICE) else c for c in choices]


class GovukFormMixin:
    """Adds the GOV.UK classes and the aria-describedby links between a field, its hint and its error.
    `required_errors` name the message for a required field left blank, where "Enter <label>" would not do."""

    required_errors: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.required_errors.items():
            self.fields[name].error_messages["required"] = message
        self.govuk_prepare_fields()

    def govuk_prepare_fields(self) -> None:
        """Set classes and hint links. Call again after changing fields; touches no BoundField, so labels
        a subclass sets after this still show."""
        for name, field in self.fields.items():
            _name_the_empty_choice(field)
            widget_type = re.sub(r"widget$|input$", "", field.widget.__class__.__name__.lower())
            css = INPUT_CLASSES.get(widget_type)
            if css and css not in field.widget.attrs.get("class", "").split():
                field.widget.attrs["class"] = f"{css} {field.widget.attrs.get('class', '')}".strip()
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                field.error_messages["required"] = f"Enter {str(field.label or name).lower()}"
            if field.help_text:
                self._describe(field, f"{self._field_id(name)}-hint")

    def _field_id(self, name: str) -> str:
        auto_id = self.auto_id or "id_%s"
        html_name = self.add_prefix(name)
        return auto_id % html_name if "%s" in str(auto_id) else html_name

    @staticmethod
    def _describe(field, element_id: str) -> None:
        described = field.widget.attrs.get("aria-describedby", "").split()
        if element_id not in described:
            field.widget.attrs["aria-describedby"] = " ".join([*described, element_id])

    def full_clean(self):
        super().full_clean()
        self.mark_errors()

    def add_service_error(self, error) -> None:
        """Put a service's ValidationError on the form: at its field where it names one, else form-wide."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)
        self.mark_errors()

    def mark_errors(self) -> None:
        """GOV.UK error styling and aria-describedby for every field that has an error."""
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            self._describe(field, f"{self[name].auto_id}-error")
            css = field.widget.attrs.get("class", "")
            for base, error_css in ERROR_CLASSES.items():
                if base in css.split() and error_css not in css:
                    field.widget.attrs["class"] = f"{css} {error_css}"
            if isinstance(field.widget, GovukDateWidget):
                for sub in field.widget.widgets:
                    if "govuk-input--error" not in sub.attrs["class"]:
                        sub.attrs["class"] += " govuk-input--error"

    def error_summary_items(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the error summary: the anchor is the first input of the field."""
        items = []
        for name, errors in self.errors.items():
            if name in self.fields:
                bound = self[name]
                anchor = f"{bound.auto_id}_0" if isinstance(bound.field.widget, GovukDateWidget) else ""
                anchor = anchor or (
                    f"{bound.auto_id}_0"
                    if bound.widget_type in {"radioselect", "checkboxselectmultiple"}
                    else bound.auto_id
                )
            else:
                anchor = ""
            items.extend((anchor, str(message)) for message in errors)
        return items


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass

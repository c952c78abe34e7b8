"""Fields and helpers the referral forms share."""

from django import forms

from scr_portal.forms import GovukDateField, yes_no_field  # noqa: F401 (the referral forms' yes/no questions)

UNKNOWN_AGENCY = "Select an agency from the list"


def as_yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


class DateField(GovukDateField):
    """A GOV.UK date whose "missing" message is the form's own (for example "Enter the child's date of
    birth", or `required_message`), not the "Enter <label>" GovukDateField builds from the label, which
    reads badly for labels like "Date of the meeting"."""

    def __init__(self, *args, required_message: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if required_message:
            self.error_messages["required"] = required_message

    def clean(self, value):
        if self.required and (not value or not any(str(part or "").strip() for part in value)):
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return super().clean(value)


def limit_length_messages(form: forms.Form) -> None:
    for field in form.fields.values():
        max_length = getattr(field, "max_length", None)
        if max_length:
            field.error_messages["max_length"] = f"{field.label} must be {max_length} characters or fewer"


def textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def optional_text(label: str, rows: int, help_text: str = "") -> forms.CharField:
    """A free-text answer that may be left blank, in a box of `rows` lines."""
    return forms.CharField(label=label, required=False, widget=textarea(rows), help_text=help_text)

"""Fields and helpers the referral forms share."""

from django import forms

from scr_portal.forms import GovukDateField, textarea, yes_no_field  # noqa: F401 (shared with the referral forms)

UNKNOWN_AGENCY = "Select an agency from the list"


def as_yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


class DateField(GovukDateField):
    """A GOV.UK date where a date typed as blank spaces only counts as missing."""

    def clean(self, value):
        if self.required and (not value or not any(str(part or "").strip() for part in value)):
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return super().clean(value)


def limit_length_messages(form: forms.Form) -> None:
    for field in form.fields.values():
        max_length = getattr(field, "max_length", None)
        if max_length:
            field.error_messages["max_length"] = f"{field.label} must be {max_length} characters or fewer"


def optional_text(label: str, rows: int, help_text: str = "") -> forms.CharField:
    """A free-text answer that may be left blank, in a box of `rows` lines."""
    return forms.CharField(label=label, required=False, widget=textarea(rows), help_text=help_text)

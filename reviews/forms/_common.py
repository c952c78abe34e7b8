"""What the review forms share: GOV.UK dates that may refuse the future, yes/no radios and text areas."""

from django import forms

from scr_portal.forms import GovukDateField as DateField
from scr_portal.forms import textarea, yes_no_field

__all__ = ["DateField", "textarea", "yes_no"]


def yes_no(label: str, *, required: bool = True, help_text: str = "") -> forms.TypedChoiceField:
    return yes_no_field(
        label,
        required=required,
        help_text=help_text,
        inline=True,
        required_message=f"Select yes or no: {label[0].lower()}{label[1:].rstrip('?')}",
    )

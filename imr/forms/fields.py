"""The field builders and the base forms the IMR forms share."""

from django import forms

from scr_portal.forms import GovukDateField, GovukForm


def _requiring(field: forms.Field, message: str) -> forms.Field:
    if message:
        field.error_messages["required"] = message
    return field


def date_field(label: str, *, required: bool = True, required_message: str = "", help_text: str = ""):
    field = GovukDateField(label=label, required=required, help_text=help_text or "For example, 27 3 2026")
    return _requiring(field, required_message)


def text(
    label: str,
    *,
    required: bool = True,
    required_message: str = "",
    rows: int = 0,
    max_length: int | None = None,
    **kwargs,
):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    field = forms.CharField(label=label, required=required, widget=widget, max_length=max_length, **kwargs)
    return _requiring(field, required_message)


def radios(label: str, choices, *, required_message: str = "", inline: bool = False, **kwargs):
    """A choice as radios (side by side when `inline`)."""
    widget = forms.RadioSelect(attrs={"inline": True}) if inline else forms.RadioSelect
    field = forms.ChoiceField(label=label, choices=choices, widget=widget, **kwargs)
    return _requiring(field, required_message)


def file_field(label: str, help_text: str) -> forms.FileField:
    return forms.FileField(label=label, required=False, help_text=help_text)


class ItemForm(GovukForm):
    """The form of something the author keeps in their workspace: when it changes `item`, its fields start
    from it."""

    def __init__(self, *args, item=None, **kwargs):
        if item is not None and kwargs.get("initial") is None:
            kwargs["initial"] = self.initial_of(item)
        super().__init__(*args, **kwargs)

    def initial_of(self, item) -> dict:
        return {name: getattr(item, name) for name in self.base_fields}

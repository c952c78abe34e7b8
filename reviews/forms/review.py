"""Forms of the review page: the methodology, an extension of the completion date, and the notes,
reasons and comments several pages ask for."""

from django import forms

from scr_portal.forms import GovukForm
from scr_portal.models.clock import ExtensionReason

from ..models import Methodology
from ._common import DateField, textarea


class NoteForm(GovukForm):
    reason = forms.CharField(label="Note (optional)", required=False, widget=textarea(3))


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", widget=textarea())

    def __init__(self, *args, label: str = "Reason", message: str = "Enter the reason", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = message


class CommentForm(GovukForm):
    text = forms.CharField(label="Your comment", widget=textarea())

    required_errors = {"text": "Enter your comment"}


class MethodologyForm(GovukForm):
    methodology = forms.ChoiceField(
        label="Which methodology does the review follow?",
        choices=Methodology.choices,
        widget=forms.RadioSelect,
    )
    detail = forms.CharField(
        label="How it is applied (required for other)",
        required=False,
        widget=textarea(),
        help_text="Whichever is used must meet Working Together's five principles.",
    )

    required_errors = {"methodology": "Select the methodology"}


class ExtendForm(GovukForm):
    new_due_date = DateField(label="New completion date", required_message="Enter the new completion date")
    reason_category = forms.ChoiceField(
        label="Why is more time needed?", choices=ExtensionReason.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Explain the reason",
        widget=textarea(),
        help_text="Ofsted and the family are told the reason for the extension.",
    )
    approved_by = forms.CharField(label="Who agreed the extension", max_length=200, initial="The LSCB")
    approved_on = DateField(
        label="Date the LSCB agreed it",
        required_message="Enter the date the LSCB agreed the extension",
        not_future=True,
    )
    ofsted_told_on = DateField(
        label="Date Ofsted was told",
        required_message="Enter the date Ofsted was told of the extension",
        not_future=True,
    )

    required_errors = {
        "reason_category": "Select why more time is needed",
        "reason": "Give the reason for the extension",
        "approved_by": "Enter who agreed the extension",
    }

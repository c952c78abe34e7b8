"""Forms of the report pages: an upload, and the IMR authors' answers on the final draft."""

from django import forms

from scr_portal.forms import GovukForm

from ._common import textarea


class UploadForm(GovukForm):
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, Word (DOCX) or OpenDocument text (ODT) file, smaller than 25MB.",
    )
    final_draft = forms.BooleanField(
        label="This is the final draft for the IMR authors to confirm", required=False
    )
    note = forms.CharField(label="What changed (optional)", required=False, widget=textarea(3))

    required_errors = {"file": "Select a file"}

    def __init__(self, *args, final_draft: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not final_draft:
            del self.fields["final_draft"]


class RespondForm(GovukForm):
    confirmed = forms.TypedChoiceField(
        label="Does the final draft represent your agency fully and fairly?",
        choices=(("yes", "Yes, fully and fairly represented"), ("no", "No, I dispute it")),
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment (required if you dispute it)",
        required=False,
        widget=textarea(5),
        help_text="Say what does not represent your agency fully and fairly.",
    )

    required_errors = {"confirmed": "Select whether the final draft represents your agency fully and fairly"}


class ResolveForm(GovukForm):
    resolution = forms.CharField(label="How was the dispute resolved?", widget=textarea(5))

    required_errors = {"resolution": "Describe how the dispute was resolved"}

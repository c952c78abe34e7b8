"""Forms of the review's end: adoption, the submission to Ofsted, its evaluation, publication and closure."""

from django import forms

from scr_portal.forms import GovukForm

from ..models import Grade, OtherRecipient, PublishedItem, SubmissionItem
from ._common import DateField, textarea


class AdoptForm(GovukForm):
    adopted_on = DateField(
        label="Date adopted", required_message="Enter the date the LSCB adopted the review", not_future=True
    )
    meeting = forms.CharField(
        label="LSCB meeting that adopted it", max_length=200, help_text="For example, LSCB Board, 12 March"
    )
    dissemination = forms.CharField(label="Dissemination and media arrangements agreed", widget=textarea())

    required_errors = {
        "meeting": "Enter the LSCB meeting that adopted the review",
        "dissemination": "Describe the dissemination and media arrangements agreed",
    }

    def in_words(self, words: dict[str, str]) -> None:
        """The labels in the review framework's words."""
        self.fields["meeting"].label = words["adopting_meeting"]


class SubmitForm(GovukForm):
    submitted_on = DateField(
        label="Date sent to Ofsted", required_message="Enter the date it was sent to Ofsted", not_future=True
    )
    items = forms.MultipleChoiceField(
        label="What was sent", choices=SubmissionItem.choices, widget=forms.CheckboxSelectMultiple
    )
    other_items = forms.CharField(label="Anything else sent (optional)", required=False, widget=textarea(2))
    also_sent_to = forms.MultipleChoiceField(
        label="Also sent to (optional)",
        choices=OtherRecipient.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    required_errors = {"items": "Select what was sent to Ofsted"}

    def in_words(self, words: dict[str, str]) -> None:
        """The labels in the review framework's words."""
        self.fields["submitted_on"].label = f"Date sent to {words['national_body']}"


class EvaluationForm(GovukForm):
    letter_date = DateField(
        label="Date of Ofsted's letter", required_message="Enter the date of Ofsted's letter", not_future=True
    )
    inspector = forms.CharField(label="Inspector", max_length=200)
    regional_manager = forms.CharField(label="Regional manager (optional)", max_length=200, required=False)
    overall_grade = forms.ChoiceField(label="Overall grade", choices=Grade.choices, widget=forms.RadioSelect)

    required_errors = {
        "inspector": "Enter the name of the inspector",
        "overall_grade": "Select the overall grade",
    }

    def __init__(self, *args, elements, **kwargs):
        super().__init__(*args, **kwargs)
        self.elements = list(elements)
        for element in self.elements:
            self.fields[f"element_{element.code}"] = forms.ChoiceField(
                label=element.name,
                choices=[("", "Not graded"), *Grade.choices],
                required=False,
                help_text=element.descriptor,
            )
        self.govuk_prepare_fields()

    def element_grades(self) -> dict[str, str]:
        return {e.code: self.cleaned_data[f"element_{e.code}"] for e in self.elements}


class PublishForm(GovukForm):
    published_on = DateField(
        label="Date published", required_message="Enter the date it was published", not_future=True
    )
    items = forms.MultipleChoiceField(
        label="What was published", choices=PublishedItem.choices, widget=forms.CheckboxSelectMultiple
    )
    where = forms.CharField(label="Where it was published (optional)", required=False, max_length=300)
    overview_withheld_reason = forms.CharField(
        label="Why the overview report was not published (if it was not)",
        required=False,
        widget=textarea(3),
        help_text="Withhold it only where publishing it would harm children.",
    )
    evaluation_override_reason = forms.CharField(
        label="Why it is published before Ofsted's evaluation (if it is)",
        required=False,
        widget=textarea(3),
        help_text="Where the board waits for Ofsted's evaluation, only the LSCB Chair can publish before "
        "it, with a reason.",
    )
    process_override_reason = forms.CharField(
        label="Why it is published while a blocking parallel process is open (if it is)",
        required=False,
        widget=textarea(3),
        help_text="Only the LSCB Chair can publish while a process the panel marked as blocking is open.",
    )
    summary_sent_on = DateField(
        label="Date the published summary was sent to Ofsted (optional)", required=False, not_future=True
    )

    required_errors = {"items": "Select what was published"}


class SummarySentForm(GovukForm):
    sent_on = DateField(
        label="Date sent to Ofsted", required_message="Enter the date it was sent", not_future=True
    )


class CloseForm(GovukForm):
    closed_on = DateField(
        label="Date the LSCB signed it off",
        required_message="Enter the date the LSCB signed it off",
        not_future=True,
    )
    reason = forms.CharField(label="How the action plan was signed off as complete", widget=textarea())

    required_errors = {"reason": "Record how the action plan was signed off as complete"}


class ReturnToDraftingForm(GovukForm):
    reason = forms.CharField(
        label="Why the overview report goes back to drafting",
        widget=textarea(),
        help_text="For example, an IMR author's dispute, or what the panel's quality assurance found.",
    )

    required_errors = {"reason": "Give the reason the overview report goes back to drafting"}


class StandDownForm(GovukForm):
    reason = forms.CharField(label="Why the review is stood down", widget=textarea())

    required_errors = {"reason": "Give the reason the review is stood down"}

"""Forms of the author's workspace: the sections, the report and appendices, the genogram, the
interviews and the action plan."""

from django import forms

from scr_portal.forms import GovukForm

from ..models import RelationshipKind, Sex
from ..sections import Section
from .fields import ItemForm, date_field, file_field, radios, text


class SectionForm(GovukForm):
    def __init__(self, *args, section: Section, imr, **kwargs):
        super().__init__(*args, **kwargs)
        for item in section.fields:
            self.fields[item.name] = forms.CharField(
                label=item.label,
                required=False,
                help_text=item.hint,
                initial=getattr(imr, item.name),
                widget=forms.Textarea(attrs={"rows": 10}),
            )
        self.govuk_prepare_fields()


class ReportUploadForm(GovukForm):
    file = file_field(
        "Upload the IMR report",
        "A PDF, Word (DOCX) or OpenDocument (ODT) file, smaller than 25MB. Earlier versions are kept.",
    )


class AppendixForm(GovukForm):
    title = text(
        "Title of the appendix",
        max_length=200,
        help_text="For example, Glossary of names.",
        required_message="Enter a title for the appendix",
    )
    file = file_field("Upload the appendix", "A PDF, DOCX or ODT file, smaller than 25MB.")


# --- Genogram -----------------------------------------------------------------------------------------


class GenogramPersonForm(ItemForm):
    label = text(
        "Name used in the report",
        max_length=100,
        help_text="The anonymised name, as in the glossary.",
        required_message="Enter the name used in the report",
    )
    relationship_to_child = text(
        "Relationship to the child (optional)",
        required=False,
        max_length=100,
        help_text="For example, Mother.",
    )
    sex = radios("Sex", Sex.choices)
    date_of_birth = date_field("Date of birth (optional)", required=False)
    deceased = forms.BooleanField(label="Deceased", required=False)
    date_of_death = date_field("Date of death (optional)", required=False)
    pregnancy_loss = forms.BooleanField(label="A miscarriage or abortion", required=False)
    household = text(
        "Household (optional)",
        required=False,
        max_length=50,
        help_text="People with the same household label are drawn inside one dotted line, for example H1.",
    )
    subject_child = forms.BooleanField(label="This is the child the review is about", required=False)
    birth_order = forms.IntegerField(
        label="Birth order among siblings (optional)",
        required=False,
        min_value=1,
        max_value=50,
        help_text="1 for the eldest.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].error_messages["required"] = "Select the person's sex, or ‘Not known’"
        self.fields["birth_order"].widget.attrs["class"] = "govuk-input govuk-input--width-3"


class GenogramRelationshipForm(GovukForm):
    person_a = forms.ModelChoiceField(
        label="First person",
        queryset=None,
        help_text="For parent and child, the parent.",
        empty_label="Choose a person",
    )
    person_b = forms.ModelChoiceField(label="Second person", queryset=None, empty_label="Choose a person")
    kind = radios("Relationship", RelationshipKind.choices)

    def __init__(self, *args, imr, **kwargs):
        super().__init__(*args, **kwargs)
        people = imr.genogram_people.order_by("label")
        for name in ("person_a", "person_b"):
            self.fields[name].queryset = people
            self.fields[name].empty_label = "Select a person"
            self.fields[name].error_messages["required"] = "Select a person"
        self.fields["kind"].error_messages["required"] = "Select the kind of relationship"


# --- Interviews ---------------------------------------------------------------------------------------


class InterviewForm(GovukForm):
    interviewee_name = text(
        "Interviewee's full name", max_length=200, required_message="Enter the interviewee's full name"
    )
    job_title = text("Job title", max_length=200)
    qualifications = text("Qualifications (optional)", required=False, max_length=300)
    time_in_post = text("Time in post (optional)", required=False, max_length=100)
    employer = text("Employing body (optional)", required=False, max_length=200)
    role_in_case = text("Role in relation to the case (optional)", required=False, rows=3)
    invited_on = date_field("Date of the invitation", required_message="Enter the date of the invitation")
    interview_date = date_field("Date of the interview", required_message="Enter the date of the interview")
    venue = text(
        "Venue", max_length=200, help_text="A confidential and soundproofed room (Solihull §11.1.5)."
    )
    supporter = text(
        "Supporter (optional)",
        required=False,
        max_length=200,
        help_text="A colleague, or a trade union or professional association representative, who may attend "
        "but not speak for the interviewee.",
    )
    supporter_not_involved = forms.BooleanField(
        label="The supporter is not directly involved in the review", required=False
    )
    files_access_arranged = forms.BooleanField(
        label="The interviewee has access to the case files during the notice period", required=False
    )
    shorter_notice_agreed = forms.BooleanField(
        label="The interviewee agreed to less than 2 weeks' notice", required=False
    )


class InterviewHeldForm(GovukForm):
    held_on = date_field(
        "Date the interview was held", required_message="Enter the date the interview was held"
    )


class InterviewSummaryForm(GovukForm):
    summary = text(
        "Summary of the interview",
        rows=12,
        help_text="Only you and your agency see this summary. It is never shared with the panel.",
        required_message="Enter the summary of the interview",
    )
    sent_on = date_field("Date sent for signature", required_message="Enter the date the summary was sent")


class InterviewOutcomeForm(GovukForm):
    outcome = radios(
        "What did the interviewee do with the summary?",
        (("signed", "Signed both copies"), ("disagreement", "Disagreed with part of it")),
        required_message="Select whether the interviewee signed or disagreed",
    )
    on = date_field("Date", required_message="Enter the date")
    disagreement = text("What the interviewee disagrees with", required=False, rows=4)


class InterviewWithdrawForm(GovukForm):
    outcome = radios(
        "What happened to the invitation?",
        (("cancelled", "The interview was cancelled"), ("declined", "The interviewee declined")),
        required_message="Select whether the interview was cancelled or declined",
    )
    on = date_field("Date", required_message="Enter the date")
    reason = text("Reason", rows=3, required_message="Give the reason")


# --- Action plan (Solihull App 13) ---------------------------------------------------------------------


class PlanRecommendationForm(ItemForm):
    outcome = text("Outcome", rows=3, help_text="What the recommendation should achieve.")
    recommendation = text(
        "Recommendation",
        rows=4,
        help_text="Address it to a post with the authority to ensure it is carried out.",
    )
    audit_information = text(
        "Information for audit (optional)",
        required=False,
        rows=3,
        help_text="The evidence agreed now that will show the action was done and made a difference.",
    )


class PlanActionForm(ItemForm):
    action = text("Action", rows=3)
    by_whom = text(
        "By whom",
        max_length=200,
        help_text="A post, for example Head of Police Training.",
        required_message="Enter who is responsible",
    )
    by_when = date_field(
        "By when", required=False, help_text="For example, 27 3 2027. Leave blank if ongoing."
    )
    ongoing = forms.BooleanField(label="The action is ongoing", required=False)
    actions_taken = text("Actions taken so far (optional)", required=False, rows=3)

"""Forms of the review pages. They check the input; the services in `reviews.services` enforce the rules
and may still refuse (their errors go back on the form through `add_service_error`)."""

from django import forms
from django.utils import timezone

from scr_portal.forms import GovukDateField, GovukForm
from scr_portal.models import User
from scr_portal.models.clock import ExtensionReason

from .. import independence
from ..models import (
    INDEPENDENT_ROLES,
    AttendanceStatus,
    Competence,
    FamilyMethod,
    Grade,
    MeetingKind,
    Methodology,
    NotificationRoute,
    OtherRecipient,
    PanelRole,
    ParallelProcessKind,
    PublishedItem,
    SubmissionItem,
)

YES_NO = (("yes", "Yes"), ("no", "No"))


class DateField(GovukDateField):
    """A GOV.UK date with a message of our choosing when it is left blank, and optionally refused when in
    the future (for things already done)."""

    def __init__(self, *args, required_message: str = "", not_future: bool = False, **kwargs):
        self.required_message = required_message
        self.not_future = not_future
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if self.required and self.required_message and (not value or not any(value)):
            raise forms.ValidationError(self.required_message, code="required")
        day = super().clean(value)
        if day and self.not_future and day > timezone.localdate():
            raise forms.ValidationError(f"{self.label} must be today or in the past")
        return day


def yes_no(label: str, *, required: bool = True, help_text: str = "") -> forms.TypedChoiceField:
    field = forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=required,
        help_text=help_text,
        widget=forms.RadioSelect(attrs={"inline": True}),
    )
    field.error_messages["required"] = f"Select yes or no: {label[0].lower()}{label[1:].rstrip('?')}"
    return field


def textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def required_messages(form: forms.Form, **messages: str) -> None:
    for name, message in messages.items():
        form.fields[name].error_messages["required"] = message


class NoteForm(GovukForm):
    reason = forms.CharField(label="Note (optional)", required=False, widget=textarea(3))


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(self, methodology="Select the methodology")


class AppointForm(GovukForm):
    """An appointment and its conflict declaration (domain brief §2.2, §6.11)."""

    email = forms.EmailField(
        label="Email address of the person appointed",
        help_text="They need an account on the portal.",
    )
    role = forms.ChoiceField(label="Role on the panel", choices=PanelRole.choices, widget=forms.RadioSelect)
    post = forms.CharField(label="Post", max_length=200, help_text="For example, Head of Safeguarding")
    organisation = forms.CharField(label="Organisation", max_length=200)
    declared_on = DateField(
        label="Date of the declaration", required_message="Enter the date of the declaration", not_future=True
    )
    other_interests = forms.CharField(
        label="Any other interest declared (optional)", required=False, widget=textarea(3)
    )
    competences = forms.MultipleChoiceField(
        label="App 16 competences met (panel chair and overview author)",
        choices=Competence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The author needs 1 to 4, the panel chair 2 to 5.",
    )
    competence_evidence = forms.CharField(
        label="Evidence of the competences (panel chair and overview author)",
        required=False,
        widget=textarea(3),
        help_text="Earlier anonymised reports or a reference from a commissioning LSCB Chair.",
    )
    indemnity_confirmed = forms.BooleanField(label="Professional indemnity confirmed", required=False)
    supervision_confirmed = forms.BooleanField(label="Supervision confirmed", required=False)
    data_protection_confirmed = forms.BooleanField(
        label="Data-protection compliance confirmed", required=False
    )
    contract_issued_on = DateField(
        label="Date the contract was issued (optional)", required=False, not_future=True
    )
    override_reason = forms.CharField(
        label="LSCB Chair only: reason for overriding a 'should' rule (optional)",
        required=False,
        widget=textarea(3),
        help_text="Leave blank unless the portal says a rule needs the LSCB Chair's reason.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, question in independence.QUESTIONS:
            self.fields[f"q_{code}"] = yes_no(question)
        self.govuk_prepare_fields()
        required_messages(
            self,
            email="Enter the email address of the person appointed",
            role="Select the role on the panel",
            post="Enter their post",
            organisation="Enter the organisation they come from",
        )
        self.user = None

    def question_fields(self):
        return [self[f"q_{code}"] for code, _ in independence.QUESTIONS]

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.user = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.user is None:
            raise forms.ValidationError(
                "There is no portal account with that email address. Ask the business manager to create one"
            )
        return email

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        independent = data["role"] in INDEPENDENT_ROLES
        return {
            "user": self.user,
            "role": data["role"],
            "post": data["post"],
            "organisation": data["organisation"],
            "declared_on": data["declared_on"],
            "other_interests": data["other_interests"],
            "answers": {code: data[f"q_{code}"] for code, _ in independence.QUESTIONS},
            "competences": data["competences"] if independent else [],
            "competence_evidence": data["competence_evidence"] if independent else "",
            "indemnity_confirmed": data["indemnity_confirmed"],
            "supervision_confirmed": data["supervision_confirmed"],
            "data_protection_confirmed": data["data_protection_confirmed"],
            "contract_issued_on": data["contract_issued_on"],
            "override_reason": data["override_reason"],
        }


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", widget=textarea())

    def __init__(self, *args, label: str = "Reason", message: str = "Enter the reason", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        required_messages(self, reason=message)


class ToRForm(GovukForm):
    period_from = DateField(label="Review period: from (optional)", required=False)
    period_to = DateField(label="Review period: to (optional)", required=False)
    scope = forms.CharField(label="Scope of the review", widget=textarea(5))
    key_issues = forms.CharField(
        label="Key learning issues and questions", required=False, widget=textarea(5)
    )
    agencies = forms.CharField(label="Agencies and contributors", required=False, widget=textarea())
    family_involvement = forms.CharField(
        label="How the family will contribute", required=False, widget=textarea()
    )
    parallel_processes = forms.CharField(
        label="Parallel processes and liaison with the coroner and CPS", required=False, widget=textarea()
    )
    methodology = forms.CharField(label="Methodology", required=False, widget=textarea(3))
    other = forms.CharField(
        label="Other matters (diversity, media, staff interviews)", required=False, widget=textarea()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(self, scope="Enter the scope of the review")


class ConsultForm(GovukForm):
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies to consult", queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies
        required_messages(self, agencies="Select at least one agency to consult")


class ResponseForm(GovukForm):
    response = forms.CharField(label="The agency's response", widget=textarea())
    responded_on = DateField(
        label="Date of the response", required_message="Enter the date of the response", not_future=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(self, response="Enter the agency's response")


class CommentForm(GovukForm):
    text = forms.CharField(label="Your comment", widget=textarea())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(self, text="Enter your comment")


class UploadForm(GovukForm):
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, Word (DOCX) or OpenDocument text (ODT) file, smaller than 25MB.",
    )
    final_draft = forms.BooleanField(
        label="This is the final draft for the IMR authors to confirm", required=False
    )
    note = forms.CharField(label="What changed (optional)", required=False, widget=textarea(3))

    def __init__(self, *args, final_draft: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not final_draft:
            del self.fields["final_draft"]
        required_messages(self, file="Select a file")


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(
            self, confirmed="Select whether the final draft represents your agency fully and fairly"
        )


class ResolveForm(GovukForm):
    resolution = forms.CharField(label="How was the dispute resolved?", widget=textarea(5))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(self, resolution="Describe how the dispute was resolved")


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(
            self,
            reason_category="Select why more time is needed",
            reason="Give the reason for the extension",
            approved_by="Enter who agreed the extension",
        )


class ParallelProcessForm(GovukForm):
    kind = forms.ChoiceField(
        label="Type of process", choices=ParallelProcessKind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(label="Which process (required for other)", required=False, max_length=200)
    lead_body = forms.CharField(
        label="Lead body", max_length=200, help_text="For example, Northshire Police or HM Coroner"
    )
    started_on = DateField(label="Date it started (optional)", required=False)
    key_dates = forms.CharField(
        label="Key dates (optional)", required=False, widget=textarea(3), help_text="Hearings, trial dates"
    )
    next_key_date = DateField(label="Next key date (optional)", required=False)
    outcome = forms.CharField(
        label="Outcome (optional until it concludes)", required=False, widget=textarea(3)
    )
    concluded_on = DateField(label="Date it concluded (optional)", required=False, not_future=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(self, kind="Select the type of process", lead_body="Enter the body that leads it")


class FamilyForm(GovukForm):
    who = forms.CharField(
        label="Who", max_length=200, help_text="By their relationship to the child, for example mother"
    )
    is_victim = forms.BooleanField(
        label="A victim (for example an adult survivor), notified personally", required=False
    )
    method = forms.ChoiceField(
        label="Method of involvement (optional until decided)",
        choices=[("", "Not decided yet"), *FamilyMethod.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    timing = forms.CharField(label="Timing agreed (optional)", required=False, widget=textarea(2))
    police_consulted = forms.TypedChoiceField(
        label="Were the method and timing decided with the police?",
        choices=(("yes", "Yes"), ("no", "No"), ("", "Not applicable")),
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"inline": True}),
        help_text="Required where a criminal investigation or trial is running.",
    )
    decided_on = DateField(label="Date decided (optional)", required=False, not_future=True)
    notified_on = DateField(label="Date notified (optional)", required=False, not_future=True)
    notification_route = forms.ChoiceField(
        label="How they were notified (optional)",
        choices=[("", "Not yet notified"), *NotificationRoute.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    invited_on = DateField(label="Date invited to contribute (optional)", required=False, not_future=True)
    contributed_on = DateField(label="Date they contributed (optional)", required=False, not_future=True)
    contribution = forms.CharField(label="Their contribution (optional)", required=False, widget=textarea(3))
    declined = forms.BooleanField(label="They could not be, or were not, involved", required=False)
    no_involvement_reason = forms.CharField(
        label="Why not (required if not involved)", required=False, widget=textarea(3)
    )
    feedback_on = DateField(
        label="Date of feedback after completion (optional)", required=False, not_future=True
    )
    feedback_note = forms.CharField(label="Feedback given (optional)", required=False, widget=textarea(3))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(self, who="Enter who this is, by their relationship to the child")


class DoneForm(GovukForm):
    done_on = DateField(label="Date done", required_message="Enter the date it was done", not_future=True)
    note = forms.CharField(label="Note (optional)", required=False, widget=textarea(3))


class MeetingForm(GovukForm):
    kind = forms.ChoiceField(label="Meeting", choices=MeetingKind.choices, widget=forms.RadioSelect)
    meeting_date = DateField(label="Date of the meeting", required_message="Enter the date of the meeting")
    venue = forms.CharField(label="Venue (optional)", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(self, kind="Select which meeting")


class MeetingHeldForm(GovukForm):
    held_on = DateField(
        label="Date it was held", required_message="Enter the date it was held", not_future=True
    )
    other_attendees = forms.CharField(label="Others present (optional)", required=False, widget=textarea(2))
    notes = forms.CharField(label="Notes (optional)", required=False, widget=textarea(3))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for membership in self.members:
            self.fields[f"member_{membership.pk}"] = forms.ChoiceField(
                label=f"{membership.user.full_name}, {membership.get_role_display().lower()}",
                choices=[("", "Not recorded"), *AttendanceStatus.choices],
                required=False,
                widget=forms.RadioSelect(attrs={"inline": True}),
            )
        self.govuk_prepare_fields()

    def attendance(self) -> dict[int, str]:
        return {
            m.pk: self.cleaned_data[f"member_{m.pk}"]
            for m in self.members
            if self.cleaned_data[f"member_{m.pk}"]
        }


class CirculationForm(GovukForm):
    circulated_on = DateField(
        label="Date the IMRs were circulated",
        required_message="Enter the date the IMRs were circulated",
        not_future=True,
    )


class AdoptForm(GovukForm):
    adopted_on = DateField(
        label="Date adopted", required_message="Enter the date the LSCB adopted the review", not_future=True
    )
    meeting = forms.CharField(
        label="LSCB meeting that adopted it", max_length=200, help_text="For example, LSCB Board, 12 March"
    )
    dissemination = forms.CharField(label="Dissemination and media arrangements agreed", widget=textarea())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(
            self,
            meeting="Enter the LSCB meeting that adopted the review",
            dissemination="Describe the dissemination and media arrangements agreed",
        )


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(self, items="Select what was sent to Ofsted")


class EvaluationForm(GovukForm):
    letter_date = DateField(
        label="Date of Ofsted's letter", required_message="Enter the date of Ofsted's letter", not_future=True
    )
    inspector = forms.CharField(label="Inspector", max_length=200)
    regional_manager = forms.CharField(label="Regional manager (optional)", max_length=200, required=False)
    overall_grade = forms.ChoiceField(label="Overall grade", choices=Grade.choices, widget=forms.RadioSelect)

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
        required_messages(
            self, inspector="Enter the name of the inspector", overall_grade="Select the overall grade"
        )

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
        help_text="Where the board waits for Ofsted's evaluation, publishing first needs a reason.",
    )
    summary_sent_on = DateField(
        label="Date the published summary was sent to Ofsted (optional)", required=False, not_future=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(self, items="Select what was published")


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(self, reason="Record how the action plan was signed off as complete")

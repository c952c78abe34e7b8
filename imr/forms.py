"""Forms of the IMR pages. They check the input; the services in `imr.services` enforce the rules and may
still refuse (their errors go back on the form through `add_service_error`)."""

from django import forms

from scr_portal.forms import GovukDateField, GovukForm

from .chronology_io import CHILD_SEEN_MESSAGE, TIME_MESSAGE, parse_time
from .models import ChronologyEntry, GenogramPerson, IMRState, RelationshipKind, Sex
from .quality import QA_POINTS
from .sections import Section
from .selectors import ChronologyFilters

YES_NO = (("yes", "Yes"), ("no", "No"))


def yes_no(label: str, *, help_text: str = "", required_message: str = "") -> forms.TypedChoiceField:
    field = forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        help_text=help_text,
        widget=forms.RadioSelect,
    )
    field.error_messages["required"] = required_message or "Select yes or no"
    return field


def date_field(label: str, *, required: bool = True, required_message: str = "", help_text: str = ""):
    field = GovukDateField(label=label, required=required, help_text=help_text or "For example, 27 3 2026")
    if required_message:
        field.error_messages["required"] = required_message
    return field


def text(label: str, *, required: bool = True, rows: int = 0, max_length: int | None = None, **kwargs):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(label=label, required=required, widget=widget, max_length=max_length, **kwargs)


class ConfirmForm(GovukForm):
    """A transition's confirmation page: nothing to fill in."""


# --- Commissioning and the agency's answer ------------------------------------------------------------


class AgencyChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, involved: set[int] = frozenset(), **kwargs):
        self.involved = involved
        super().__init__(*args, **kwargs)

    def label_from_instance(self, agency) -> str:
        notes = []
        if agency.pk in self.involved:
            notes.append("confirmed involvement")
        if agency.out_of_area:
            notes.append("outside the area")
        return f"{agency.name} ({', '.join(notes)})" if notes else agency.name


class CommissionForm(GovukForm):
    agencies = AgencyChoiceField(
        label="Which agencies should write an IMR?",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="The agencies that confirmed their involvement are selected. Think about agencies from "
        "outside the area too (Solihull App 5).",
    )
    nominate_by = date_field(
        "Date by which each agency names its author",
        required_message="Enter the date by which each agency names its author",
    )

    def __init__(self, *args, agencies, involved: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agencies"]
        field.queryset = agencies
        field.involved = involved
        field.initial = [agency.pk for agency in agencies if agency.pk in involved]
        field.error_messages["required"] = "Select at least one agency to commission an IMR from"


class NilReturnForm(GovukForm):
    reason = text(
        "Why is the agency making a nil return?",
        rows=4,
        help_text="For example, the agency had no involvement with the child or family in the period of the "
        "review, or has nothing to contribute.",
    )
    reason_required = "Give the reason for the nil return"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = self.reason_required


class NominationForm(GovukForm):
    """The author and their independence declaration (domain brief §2.2; Cambridgeshire §8; Solihull
    §9.1.1–9.1.2, §10.1.5)."""

    full_name = text("Author's full name", max_length=200)
    email = forms.EmailField(
        label="Author's email address", help_text="They are sent a link to set a password."
    )
    job_title = text("Author's job title", max_length=200)
    author_role = text(
        "Author's role within the organisation",
        max_length=200,
        help_text="Shown at the top of the IMR (Solihull App 6).",
    )
    external_author = yes_no(
        "Is the author bought in from outside the agency?",
        required_message="Select whether the author is bought in from outside the agency",
    )
    directly_involved = yes_no(
        "Has the author been directly involved with the child or family?",
        required_message="Select whether the author has been directly involved with the child or family",
    )
    line_manager_of_practitioners = yes_no(
        "Is the author the immediate line manager of any practitioner involved?",
        required_message="Select whether the author is the immediate line manager of a practitioner involved",
    )
    senior_enough = yes_no(
        "Is the author a senior member of staff?",
        required_message="Select whether the author is a senior member of staff",
    )
    knows_cp_practice = yes_no(
        "Does the author know child protection practice?",
        required_message="Select whether the author knows child protection practice",
    )
    should_reason = text(
        "If you answered no to either of the last two questions, explain why this author is suitable",
        required=False,
        rows=3,
    )
    confirm = forms.BooleanField(
        label="I confirm that these answers are true to the best of my knowledge",
        error_messages={"required": "Confirm that the answers are true"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter the author's email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )


class StartForm(GovukForm):
    records_secured_on = date_field(
        "Date the agency's records were secured",
        required_message="Enter the date the agency's records were secured",
    )

    def __init__(self, *args, imr, **kwargs):
        super().__init__(*args, initial={"records_secured_on": imr.records_secured_on}, **kwargs)
        if imr.records_secured_on and imr.state == IMRState.RETURNED_FOR_REWORK:
            self.fields["records_secured_on"].required = False


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
    file = forms.FileField(
        label="Upload the IMR report",
        required=False,
        help_text="A PDF, Word (DOCX) or OpenDocument (ODT) file, smaller than 25MB. Earlier versions "
        "are kept.",
    )


class AppendixForm(GovukForm):
    title = text("Title of the appendix", max_length=200, help_text="For example, Glossary of names.")
    file = forms.FileField(
        label="Upload the appendix", required=False, help_text="A PDF, DOCX or ODT file, smaller than 25MB."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Enter a title for the appendix"


# --- Chronology ---------------------------------------------------------------------------------------


class TimeField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        moment = parse_time(value)
        if moment is None:
            raise forms.ValidationError(TIME_MESSAGE)
        return moment


class ChronologyEntryForm(GovukForm):
    event_no = forms.IntegerField(label="Event number", min_value=1, max_value=2_000_000_000)
    date = date_field("Date of the event", required_message="Enter the date of the event")
    time = TimeField(label="Time (optional)", required=False, help_text="24-hour clock, for example 14:30")
    family_member = text(
        "Family member (optional)", required=False, max_length=50, help_text="The agreed abbreviation."
    )
    child_seen = forms.ChoiceField(
        label="Was the child seen, or their wishes sought or expressed?",
        choices=(("Y", "Yes (Y)"), ("N", "No (N)")),
        widget=forms.RadioSelect,
        error_messages={"required": CHILD_SEEN_MESSAGE},
    )
    event = text("Event", rows=5)
    agency_source = text(
        "Agency source (optional)", required=False, max_length=200, help_text="For example, Education."
    )
    action_taken = text("Action taken (optional)", required=False, rows=3)
    note = text("Note (optional)", required=False, rows=3)

    def __init__(self, *args, entry: ChronologyEntry | None = None, **kwargs):
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {
                    "event_no": entry.event_no,
                    "date": entry.date,
                    "time": entry.time.strftime("%H:%M") if entry.time else "",
                    "family_member": entry.family_member,
                    "child_seen": "Y" if entry.child_seen else "N",
                    "event": entry.event,
                    "agency_source": entry.agency_source,
                    "action_taken": entry.action_taken,
                    "note": entry.note,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["event_no"].widget.attrs["class"] = "govuk-input govuk-input--width-5"
        self.fields["time"].widget.attrs["class"] = "govuk-input govuk-input--width-5"
        self.fields["event_no"].error_messages.update(
            required="Enter the event number", invalid="Event number must be a whole number, like 12"
        )
        self.fields["event"].error_messages["required"] = "Enter what happened"

    def clean_child_seen(self) -> bool:
        return self.cleaned_data["child_seen"] == "Y"


class ChronologyImportForm(GovukForm):
    file = forms.FileField(
        label="Upload a chronology file",
        required=False,
        help_text="A CSV or Excel (XLSX) file in the columns of the template, smaller than 5MB and with at "
        "most 5,000 rows. Formulas are kept as text and never calculated.",
    )


# --- Genogram -----------------------------------------------------------------------------------------


class GenogramPersonForm(GovukForm):
    label = text(
        "Name used in the report", max_length=100, help_text="The anonymised name, as in the glossary."
    )
    relationship_to_child = text(
        "Relationship to the child (optional)",
        required=False,
        max_length=100,
        help_text="For example, Mother.",
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect)
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

    def __init__(self, *args, person: GenogramPerson | None = None, **kwargs):
        if person is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(person, name) for name in self.base_fields},
            )
        super().__init__(*args, **kwargs)
        self.fields["sex"].error_messages["required"] = "Select the person's sex, or ‘Not known’"
        self.fields["label"].error_messages["required"] = "Enter the name used in the report"
        self.fields["birth_order"].widget.attrs["class"] = "govuk-input govuk-input--width-3"


class GenogramRelationshipForm(GovukForm):
    person_a = forms.ModelChoiceField(
        label="First person", queryset=None, help_text="For parent and child, the parent."
    )
    person_b = forms.ModelChoiceField(label="Second person", queryset=None)
    kind = forms.ChoiceField(label="Relationship", choices=RelationshipKind.choices, widget=forms.RadioSelect)

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
    interviewee_name = text("Interviewee's full name", max_length=200)
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewee_name"].error_messages["required"] = "Enter the interviewee's full name"


class InterviewHeldForm(GovukForm):
    held_on = date_field(
        "Date the interview was held", required_message="Enter the date the interview was held"
    )


class InterviewSummaryForm(GovukForm):
    summary = text(
        "Summary of the interview",
        rows=12,
        help_text="Only you and your agency see this summary. It is never shared with the panel.",
    )
    sent_on = date_field("Date sent for signature", required_message="Enter the date the summary was sent")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].error_messages["required"] = "Enter the summary of the interview"


class InterviewOutcomeForm(GovukForm):
    outcome = forms.ChoiceField(
        label="What did the interviewee do with the summary?",
        choices=(("signed", "Signed both copies"), ("disagreement", "Disagreed with part of it")),
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the interviewee signed or disagreed"},
    )
    on = date_field("Date", required_message="Enter the date")
    disagreement = text("What the interviewee disagrees with", required=False, rows=4)


# --- Action plan (Solihull App 13) ---------------------------------------------------------------------


class PlanRecommendationForm(GovukForm):
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


class PlanActionForm(GovukForm):
    action = text("Action", rows=3)
    by_whom = text("By whom", max_length=200, help_text="A post, for example Head of Police Training.")
    by_when = date_field(
        "By when", required=False, help_text="For example, 27 3 2027. Leave blank if ongoing."
    )
    ongoing = forms.BooleanField(label="The action is ongoing", required=False)
    actions_taken = text("Actions taken so far (optional)", required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by_whom"].error_messages["required"] = "Enter who is responsible"


# --- Sign-off, quality assurance, further information -------------------------------------------------


class SignOffForm(GovukForm):
    author_signature = text(
        "Author's signature", max_length=200, help_text="The author types their full name to sign."
    )
    author_signed_on = date_field(
        "Date the author signed", required_message="Enter the date the author signed"
    )
    head_name = text("Head of agency's name", max_length=200, help_text="Chief executive or director.")
    head_title = text("Head of agency's job title", max_length=200)
    head_signature = text(
        "Head of agency's signature", max_length=200, help_text="The head of agency's full name, as above."
    )
    head_signed_on = date_field(
        "Date the head of agency signed", required_message="Enter the date the head of agency signed"
    )


MET_CHOICES = (("met", "Met"), ("not_met", "Not met"))


class QualityAssuranceForm(GovukForm):
    """One pair of fields per checklist point (met or not, and guidance), then the decision."""

    decision = forms.ChoiceField(
        label="Decision",
        choices=(("accept", "Accept the IMR"), ("return", "Return it for rework with guidance")),
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to accept the IMR or return it for rework"},
    )
    new_due_date = date_field("New date for the reworked IMR", required=False)
    comments = text("Other comments (optional)", required=False, rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for point in QA_POINTS:
            self.fields[f"met_{point.code}"] = forms.ChoiceField(
                label=point.text,
                choices=MET_CHOICES,
                widget=forms.RadioSelect(attrs={"inline": True}),
                help_text=f"Source: Solihull guidance, {point.source}",
                error_messages={"required": "Say whether the IMR meets this point"},
            )
            self.fields[f"guidance_{point.code}"] = forms.CharField(
                label="Guidance on how to improve it",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.order_fields([name for p in QA_POINTS for name in (f"met_{p.code}", f"guidance_{p.code}")])
        self.govuk_prepare_fields()

    def point_fields(self):
        return [(point, self[f"met_{point.code}"], self[f"guidance_{point.code}"]) for point in QA_POINTS]

    def points(self) -> dict:
        data = self.cleaned_data
        return {
            point.code: (
                {"met": True, "not_met": False}.get(data.get(f"met_{point.code}")),
                data.get(f"guidance_{point.code}", ""),
            )
            for point in QA_POINTS
        }


class FurtherInformationRequestForm(GovukForm):
    request = text("What further information is needed?", rows=6)
    due_date = date_field("Date needed by", required_message="Enter the date the information is needed by")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].error_messages["required"] = "Say what further information is needed"


class FurtherInformationResponseForm(GovukForm):
    response = text(
        "Addendum",
        rows=8,
        help_text="Explain what was added to the IMR and why (Solihull App 14 §5). Update the sections, "
        "chronology or report as needed before sending.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response"].error_messages["required"] = "Explain what was added and why"


# --- Lists and filters --------------------------------------------------------------------------------


class IMRFilterForm(GovukForm):
    state = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any"), ("open", "Not yet complete"), *IMRState.choices],
    )
    case = forms.CharField(label="Review reference", required=False, max_length=40)


class IntegratedFilterForm(GovukForm):
    agency = forms.TypedChoiceField(label="Agency", required=False, coerce=int, empty_value=None)
    family_member = forms.ChoiceField(label="Family member", required=False)
    date_from = date_field("From", required=False, help_text="For example, 1 1 2019")
    date_to = date_field("To", required=False, help_text="For example, 31 12 2019")
    child_seen = forms.ChoiceField(
        label="Child seen or wishes sought",
        required=False,
        choices=(("", "Any"), ("Y", "Yes"), ("N", "No")),
    )

    def __init__(self, *args, agencies, family_members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "All agencies"), *agencies]
        self.fields["family_member"].choices = [("", "Everyone"), *((m, m) for m in family_members)]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the period must be the same as or after the start")
        return data

    def filters(self) -> ChronologyFilters:
        if not self.is_valid():
            return ChronologyFilters()
        data = self.cleaned_data
        seen = {"Y": True, "N": False}.get(data.get("child_seen") or "")
        return ChronologyFilters(
            agency=data.get("agency"),
            family_member=data.get("family_member") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            child_seen=seen,
        )

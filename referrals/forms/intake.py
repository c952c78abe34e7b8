"""Forms of the referral question flow (domain brief §6.1, Part 1) and of the business unit's referral list.

Each section form takes the draft and `today`, starts from what the draft holds, and can be `strict`
("Save and continue": required answers are required) or not ("Save and come back later": anything may be
missing, but what is typed must still be valid). Required-answer messages are the ones
`referrals.services.part1_problems` uses, so the page and the submit guard say the same thing.
Forms only validate; the views save through `referral_update` and `referral_replace_rows`."""

import datetime as dt

from django import forms

from scr_portal.forms import GovukDateField, GovukForm
from scr_portal.models import Agency

from ..frameworks import side
from ..models import Advice, CpPlan, CriterionGroup, ReferralState, Trigger
from ..services.intake import AWARE_IN_FUTURE, AWARE_REQUIRED
from .fields import UNKNOWN_AGENCY, DateField, as_yes_no, limit_length_messages, yes_no_field

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
DOB_IN_FUTURE = "Date of birth must be in the past"
DEATH_BEFORE_BIRTH = "Date of death must be the same as or after the date of birth"
DEATH_IN_FUTURE = "Date of death must be today or in the past"
INCIDENT_BEFORE_BIRTH = "Date of the incident must be the same as or after the date of birth"
INCIDENT_IN_FUTURE = "Date of the incident must be today or in the past"
INCIDENT_AFTER_RECEIPT = (
    "Date of the incident must be the same as or before the date the referral was received"
)
RECEIVED_IN_FUTURE = "Date the referral was received must be today or in the past"
RECEIVED_BEFORE_INCIDENT = (
    "Date the referral was received must be the same as or after the date of the incident"
)
LEAD_BOARD_NAME_REQUIRED = "Enter the name of the board that should lead"
FILTER_DATES_REVERSED = "Received to must be the same as or after received from"


class SectionForm(GovukForm):
    """One page of the question flow. `required_messages` name the answers Part 1 needs."""

    required_messages: dict[str, str] = {}

    def __init__(self, data=None, *, referral, today: dt.date, strict: bool = True, **kwargs):
        self.referral, self.today, self.strict = referral, today, strict
        super().__init__(data, initial=self.initial_from(referral), **kwargs)
        for name, message in self.required_messages.items():
            if name in self.fields:
                self.fields[name].required = strict
                self.fields[name].error_messages["required"] = message
        limit_length_messages(self)

    def initial_from(self, referral) -> dict:
        return {name: getattr(referral, name) for name in self.base_fields if hasattr(referral, name)}

    def values(self) -> dict:
        """The answers to save, as Referral fields. After `is_valid()` only the answers without errors are
        in `cleaned_data`, so this also serves "save what is valid"."""
        return dict(self.cleaned_data)


class ReferrerForm(SectionForm):
    referrer_name = forms.CharField(label="Full name", max_length=200)
    referrer_agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), empty_label="Select an agency"
    )
    referrer_job_title = forms.CharField(label="Job title", max_length=200)
    referrer_email = forms.EmailField(label="Email address", max_length=254)
    referrer_phone = forms.CharField(label="Telephone number", max_length=40)
    referrer_line_manager = forms.CharField(label="Line manager's name", max_length=200)
    received_on = DateField(
        label="Date the referral was received",
        help_text="The date the business unit received it by secure email, for example 23 11 2026. "
        "The clock starts from this date.",
    )

    required_messages = {
        "referrer_name": "Enter the referrer's name",
        "referrer_agency": "Select the referrer's agency",
        "referrer_email": "Enter the referrer's email address",
        "received_on": "Enter the date the referral was received",
    }

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, referral=referral, **kwargs)
        for name in ("referrer_job_title", "referrer_phone", "referrer_line_manager"):
            self.fields[name].required = False
        agency = self.fields["referrer_agency"]
        agency.queryset = Agency.objects.filter(board_id=referral.board_id).order_by("name")
        agency.error_messages["invalid_choice"] = UNKNOWN_AGENCY
        self.fields["referrer_email"].error_messages["invalid"] = EMAIL_FORMAT
        if not referral.entered_on_behalf:
            del self.fields["received_on"]

    def initial_from(self, referral) -> dict:
        initial = super().initial_from(referral)
        initial["referrer_agency"] = referral.referrer_agency_id
        return initial

    def clean_received_on(self):
        received = self.cleaned_data.get("received_on")
        incident = self.referral.incident_date
        if received and received > self.today:
            raise forms.ValidationError(RECEIVED_IN_FUTURE)
        if received and incident and received < incident:
            raise forms.ValidationError(RECEIVED_BEFORE_INCIDENT)
        return received


class ChildForm(SectionForm):
    child_name = forms.CharField(label="Child's full name", max_length=200)
    child_date_of_birth = DateField(label="Date of birth", help_text="For example, 27 3 2019")
    child_date_of_death = DateField(
        label="Date of death", required=False, help_text="Leave this blank if the child has not died."
    )
    incident_date = DateField(
        label="Date of the incident",
        help_text="The date of the critical incident that led to this referral.",
    )
    # England 2023: the local authority's five working days to notify the Panel run from this date.
    aware_on = DateField(
        label="Date the local authority became aware of the incident",
        help_text="The Panel and the safeguarding partners are told within 5 working days of it.",
    )
    child_address = forms.CharField(
        label="Home address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    child_ethnicity = forms.CharField(label="Ethnic origin", required=False, max_length=100)
    child_cp_plan = forms.ChoiceField(
        label="Has the child been the subject of a child protection plan?",
        choices=CpPlan.choices,
        widget=forms.RadioSelect,
    )
    child_whereabouts = forms.CharField(
        label="Where was the child at the time of the incident?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    child_carer = forms.CharField(
        label="Who was caring for the child at the time of the incident?", required=False, max_length=200
    )

    required_messages = {
        "child_name": "Enter the child's name",
        "child_date_of_birth": "Enter the child's date of birth",
        "incident_date": "Enter the date of the critical incident",
        "aware_on": AWARE_REQUIRED,
        "child_cp_plan": "Select whether the child has been on a child protection plan",
    }

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, referral=referral, **kwargs)
        if not side(referral).needs_aware_on:
            del self.fields["aware_on"]

    def clean_aware_on(self):
        aware = self.cleaned_data.get("aware_on")
        if aware and aware > self.today:
            raise forms.ValidationError(AWARE_IN_FUTURE)
        return aware

    def clean_child_date_of_birth(self):
        born = self.cleaned_data.get("child_date_of_birth")
        if born and born > self.today:
            raise forms.ValidationError(DOB_IN_FUTURE)
        return born

    def clean_child_date_of_death(self):
        died = self.cleaned_data.get("child_date_of_death")
        if died and died > self.today:
            raise forms.ValidationError(DEATH_IN_FUTURE)
        return died

    def clean_incident_date(self):
        incident = self.cleaned_data.get("incident_date")
        received = self.referral.received_on if self.referral.entered_on_behalf else None
        if incident and incident > self.today:
            raise forms.ValidationError(INCIDENT_IN_FUTURE)
        if incident and received and incident > received:
            raise forms.ValidationError(INCIDENT_AFTER_RECEIPT)
        return incident

    def clean(self):
        cleaned = super().clean()
        born = cleaned.get("child_date_of_birth")
        died = cleaned.get("child_date_of_death")
        incident = cleaned.get("incident_date")
        if born and died and died < born:
            self.add_error("child_date_of_death", DEATH_BEFORE_BIRTH)
        if born and incident and incident < born:
            self.add_error("incident_date", INCIDENT_BEFORE_BIRTH)
        return cleaned


class CircumstancesForm(SectionForm):
    brief_account = forms.CharField(
        label="Brief account of the facts",
        help_text="Include who is in the family and what happened.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    triggers = forms.MultipleChoiceField(
        label="Which triggering circumstances apply?",
        help_text="Select all that apply.",
        choices=Trigger.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    trigger_account = forms.CharField(
        label="Describe the triggering circumstances", widget=forms.Textarea(attrs={"rows": 5})
    )
    other_children_at_risk = forms.CharField(
        label="Are other children at risk?",
        help_text="For example brothers and sisters, or children in the same school or home. "
        "Write 'None known' if you know of none.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    designated_professional_consulted = forms.BooleanField(
        label="I have consulted my agency's designated professional or Board member about this referral",
        required=False,
    )
    csc_referral_made = forms.BooleanField(
        label="I have made a referral to children's social care",
        help_text="A serious case review referral does not replace a referral to children's social care.",
        required=False,
    )
    media_interest = yes_no_field("Is there actual or likely media interest?", required=False)
    lead_board = forms.ChoiceField(
        label="Which board should lead?",
        help_text="The board for the area where the child normally lives, or that looks after the child, "
        "leads the review (Solihull §1.3.2).",
        choices=[("this", "This board"), ("another", "Another board")],
        widget=forms.RadioSelect,
    )
    lead_board_name = forms.CharField(
        label="Name of the other board",
        help_text="Only if another board should lead.",
        required=False,
        max_length=200,
    )

    required_messages = {
        "brief_account": "Enter a brief account of the facts",
        "triggers": "Select at least one triggering circumstance",
        "trigger_account": "Describe the triggering circumstances",
        "other_children_at_risk": "Say whether other children may be at risk",
        "lead_board": "Say which board should lead",
    }

    def initial_from(self, referral) -> dict:
        initial = super().initial_from(referral)
        initial["media_interest"] = as_yes_no(referral.media_interest)
        initial["lead_board"] = {True: "this", False: "another"}.get(referral.lead_board_is_this_board)
        return initial

    def clean(self):
        cleaned = super().clean()
        if self.strict and cleaned.get("lead_board") == "another" and not cleaned.get("lead_board_name"):
            self.add_error("lead_board_name", LEAD_BOARD_NAME_REQUIRED)
        return cleaned

    def values(self) -> dict:
        values = dict(self.cleaned_data)
        if "lead_board" in values:
            lead = values.pop("lead_board")
            values["lead_board_is_this_board"] = {"this": True, "another": False}.get(lead)
            if lead == "this":
                values["lead_board_name"] = ""
        return values


class CriteriaForm(SectionForm):
    """The §3 checklist: one yes/no question per criterion of the draft's framework, stored as
    {code: bool} in `criteria_answers`."""

    PREFIX = "criterion_"

    def __init__(self, *args, referral, questions, **kwargs):
        self.questions = list(questions)
        super().__init__(*args, referral=referral, **kwargs)
        for question in self.questions:
            field = yes_no_field(
                f"{question.code}: {question.text}", required=False, help_text=f"Source: {question.source}"
            )
            field.required = self.strict
            field.error_messages["required"] = f"Select yes or no for question {question.code}"
            self.fields[self.PREFIX + question.code] = field
        self.govuk_prepare_fields()

    def initial_from(self, referral) -> dict:
        answers = referral.criteria_answers or {}
        return {self.PREFIX + code: as_yes_no(value) for code, value in answers.items()}

    def groups(self) -> list[tuple[str, list]]:
        """(group label, bound fields) in the order the questions come."""
        labels = dict(CriterionGroup.choices)
        grouped: dict[str, list] = {}
        for question in self.questions:
            grouped.setdefault(question.group, []).append(self[self.PREFIX + question.code])
        return [(labels.get(group, group), fields) for group, fields in grouped.items()]

    def values(self) -> dict:
        answers = dict(self.referral.criteria_answers or {})
        for name, value in self.cleaned_data.items():
            if name.startswith(self.PREFIX) and value is not None:
                answers[name.removeprefix(self.PREFIX)] = value
        return {"criteria_answers": answers}


# --- Starting a referral, and the list's filters ------------------------------------------------------


class StartForm(GovukForm):
    on_behalf = forms.BooleanField(
        label="I am entering a referral received by secure email on someone's behalf",
        help_text="You will enter the referrer's details and the date the business unit received it.",
        required=False,
    )

    def __init__(self, *args, may_enter_on_behalf: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_enter_on_behalf:
            del self.fields["on_behalf"]


class ReferralFilterForm(GovukForm):
    reference = forms.CharField(label="Reference", required=False, max_length=40)
    state = forms.ChoiceField(
        label="State",
        required=False,
        choices=[("", "Any state")]
        + [(value, label) for value, label in ReferralState.choices if value != ReferralState.DRAFT],
    )
    advice = forms.ChoiceField(label="Advice", required=False, choices=[("", "Any advice"), *Advice.choices])
    overdue = forms.BooleanField(label="Overdue only", required=False)
    received_from = GovukDateField(label="Received from", required=False)
    received_to = GovukDateField(label="Received to", required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", FILTER_DATES_REVERSED)
            del cleaned["received_from"]  # a reversed range filters nothing rather than half of it
        return cleaned

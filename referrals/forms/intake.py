"""Forms of the referral question flow (domain brief §6.1, Part 1) and of the business unit's referral list.

Each section form takes the draft and `today`, starts from what the draft holds, and can be `strict`
("Save and continue": required answers are required) or not ("Save and come back later": anything may be
missing, but what is typed must still be valid). Required-answer messages are the ones
`referrals.services.part1_problems` uses, so the page and the submit guard say the same thing.
Forms only validate; the views save through `referral_update` and `referral_replace_rows`."""

import datetime as dt
import re

from django import forms

from scr_portal.forms import GovukDateField, GovukForm
from scr_portal.forms import yes_no_field as govuk_yes_no
from scr_portal.models import Agency

from ..models import Advice, CpPlan, CriterionGroup, ReferralState, Trigger

UNKNOWN_AGENCY = "Select an agency from the list"
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


def yes_no_field(label: str, **kwargs) -> forms.TypedChoiceField:
    return govuk_yes_no(label, required=False, **kwargs)


def as_yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


class IntakeDateField(GovukDateField):
    """A GOV.UK date whose "missing" message is the form's own (for example "Enter the child's date of
    birth"), not the generic "Enter date of birth"."""

    def clean(self, value):
        if self.required and (not value or not any(str(part or "").strip() for part in value)):
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return super().clean(value)


def _limit_length_messages(form: forms.Form) -> None:
    for field in form.fields.values():
        max_length = getattr(field, "max_length", None)
        if max_length:
            field.error_messages["max_length"] = f"{field.label} must be {max_length} characters or fewer"


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
        _limit_length_messages(self)

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
    received_on = IntakeDateField(
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
    child_date_of_birth = IntakeDateField(label="Date of birth", help_text="For example, 27 3 2019")
    child_date_of_death = IntakeDateField(
        label="Date of death", required=False, help_text="Leave this blank if the child has not died."
    )
    incident_date = IntakeDateField(
        label="Date of the incident",
        help_text="The date of the critical incident that led to this referral.",
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
        "child_cp_plan": "Select whether the child has been on a child protection plan",
    }

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
    media_interest = yes_no_field("Is there actual or likely media interest?")
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
            field = yes_no_field(f"{question.code}: {question.text}", help_text=f"Source: {question.source}")
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


# --- Repeatable rows ----------------------------------------------------------------------------------


class RowForm(GovukForm):
    """One row of a repeatable section. Labels and messages carry the row number ("Name (person 2)") so
    every label, id and error-summary line is unique on the page."""

    noun = "row"
    labels: dict[str, str] = {}
    required_messages: dict[str, str] = {}

    def __init__(self, *args, number: int, referral, today: dt.date, **kwargs):
        self.number, self.referral, self.today = number, referral, today
        super().__init__(*args, **kwargs)
        suffix = f" ({self.noun} {number})"
        for name, field in self.fields.items():
            field.label = f"{self.labels.get(name, field.label)}{suffix}"
        for name, message in self.required_messages.items():
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message.format(n=number)
        _limit_length_messages(self)
        self.govuk_prepare_fields()

    @property
    def legend(self) -> str:
        return f"{self.noun.capitalize()} {self.number}"

    def row(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "DELETE"}


class FamilyMemberForm(RowForm):
    noun = "person"
    name = forms.CharField(label="Name", max_length=200)
    relationship = forms.CharField(
        label="Relationship to the child", max_length=100, help_text="For example, mother or uncle."
    )
    date_of_birth = IntakeDateField(label="Date of birth", required=False)
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    legal_status = forms.CharField(label="Legal status", required=False, max_length=200)
    ethnicity = forms.CharField(label="Ethnic origin", required=False, max_length=100)
    cp_plan = forms.ChoiceField(
        label="Child protection plan", choices=CpPlan.choices, widget=forms.RadioSelect, required=False
    )
    required_messages = {
        "name": "Enter the name of person {n}",
        "relationship": "Enter the relationship of person {n} to the child",
    }

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born and born > self.today:
            raise forms.ValidationError(f"Date of birth (person {self.number}) must be in the past")
        return born


class InvolvedAgencyForm(RowForm):
    noun = "agency"
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), empty_label="Select an agency"
    )
    worker_name = forms.CharField(label="Worker's name", required=False, max_length=200)
    contact_details = forms.CharField(
        label="Worker's contact details", required=False, max_length=300, help_text="Email or telephone."
    )
    still_involved = yes_no_field("Is the agency still involved?")
    required_messages = {"agency": "Select agency {n} from the list"}

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, referral=referral, **kwargs)
        agency = self.fields["agency"]
        agency.queryset = Agency.objects.filter(board_id=referral.board_id).order_by("name")
        agency.error_messages["invalid_choice"] = UNKNOWN_AGENCY


class KeyDateForm(RowForm):
    noun = "event"
    date = IntakeDateField(label="Date")
    time = forms.CharField(
        label="Time (optional)", required=False, max_length=5, help_text="24-hour clock, for example 14:30."
    )
    event = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 2}))
    labels = {"time": "Time"}
    required_messages = {"date": "Enter the date of event {n}", "event": "Enter what happened at event {n}"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time"].widget.attrs["class"] += " govuk-input--width-5"

    def clean_time(self):
        typed = self.cleaned_data.get("time", "").strip()
        if not typed:
            return None
        match = re.fullmatch(r"([01]?\d|2[0-3])[:.]([0-5]\d)", typed)
        if not match:
            raise forms.ValidationError(
                f"Time (event {self.number}) must be a real time in the 24-hour clock, like 09:30 or 14:45"
            )
        return dt.time(int(match[1]), int(match[2]))


class RowFormSet(forms.BaseFormSet):
    """Rows already saved, then `extra` blank ones. A blank extra row is ignored; a saved row can be
    removed with its 'Remove' checkbox."""

    def __init__(self, data=None, *, referral, today: dt.date, rows: list[dict], extra: int = 1, **kwargs):
        self.extra = extra
        super().__init__(data, initial=rows, form_kwargs={"referral": referral, "today": today}, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["number"] = (index or 0) + 1
        return kwargs

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = f"Remove {form.noun} {form.number}"
            form.govuk_prepare_fields()

    def kept_forms(self) -> list:
        """Forms whose row stays: not removed, and not a blank extra row."""
        return [
            form
            for form in self.forms
            if not (form.empty_permitted and not form.has_changed())
            and not (self.can_delete and self._should_delete_form(form))
        ]

    def rows(self) -> list[dict]:
        """The rows to save: every kept row without errors (all of them once the formset is valid)."""
        return [form.row() for form in self.kept_forms() if form.is_valid()]

    def error_summary_items(self) -> list[tuple[str, str]]:
        items = [("", str(error)) for error in self.non_form_errors()]
        for form in self.forms:
            items.extend(form.error_summary_items())
        return items


class FamilyFormSet(RowFormSet):
    @staticmethod
    def rows_of(referral) -> list[dict]:
        return list(
            referral.family.values(
                "name", "relationship", "date_of_birth", "address", "legal_status", "ethnicity", "cp_plan"
            )
        )


class InvolvedAgencyFormSet(RowFormSet):
    @staticmethod
    def rows_of(referral) -> list[dict]:
        return [
            {**row, "still_involved": as_yes_no(row["still_involved"])}
            for row in referral.involved_agencies.values(
                "agency", "worker_name", "contact_details", "still_involved"
            )
        ]

    def clean(self):
        super().clean()
        seen = set()
        for form in self.kept_forms():
            agency = form.cleaned_data.get("agency") if hasattr(form, "cleaned_data") else None
            if agency is None:
                continue
            if agency.pk in seen:
                form.add_error("agency", f"{agency.name} is already in the list: remove agency {form.number}")
            seen.add(agency.pk)


class KeyDateFormSet(RowFormSet):
    @staticmethod
    def rows_of(referral) -> list[dict]:
        return [
            {**row, "time": row["time"].strftime("%H:%M") if row["time"] else ""}
            for row in referral.key_dates.values("date", "time", "event")
        ]


def _row_formset(form, formset):
    return forms.formset_factory(form, formset=formset, extra=1, can_delete=True, can_delete_extra=False)


FamilyRows = _row_formset(FamilyMemberForm, FamilyFormSet)
InvolvedAgencyRows = _row_formset(InvolvedAgencyForm, InvolvedAgencyFormSet)
KeyDateRows = _row_formset(KeyDateForm, KeyDateFormSet)


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

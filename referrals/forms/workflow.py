"""Forms of the referral workflow after submission: agency checks, screening, the recommendation, the
Chair's decision (Part 2), closing without a decision and external notifications. They check the input;
the services in `referrals.services` enforce the rules and may still refuse (their errors go back on the
form through `add_service_error`)."""

import datetime as dt
import re

from django import forms
from django.utils import timezone

from scr_portal.forms import GovukDateField, GovukForm, not_in_future

from .. import services
from ..frameworks import outcome_choices, side
from ..models import AlternativeType, ExternalBody, NotificationEvent, Recommendation, Referral
from ..selectors import duplicate_candidates, subcommittee_members
from .fields import optional_text, textarea, yes_no_field


def _messages(form: forms.Form, **required: str) -> None:
    for name, message in required.items():
        form.fields[name].error_messages["required"] = message


def _alternative_choices() -> list[tuple[str, str]]:
    return [("", "Select the type of review"), *AlternativeType.choices]


class AlternativeTypeMixin:
    """A recommendation or decision of an alternative review names its type (Cambridgeshire §2, Solihull
    App 1 Part 2); the type is dropped for any other outcome."""

    outcome_field = "recommendation"

    def clean(self):
        data = super().clean()
        if data.get(self.outcome_field) == Recommendation.ALTERNATIVE:
            if not data.get("alternative_type"):
                self.add_error("alternative_type", services.ALTERNATIVE_TYPE_REQUIRED)
        else:
            data["alternative_type"] = ""
        return data


# --- Agency checks ------------------------------------------------------------------------------------


class AgencyChoiceField(forms.ModelMultipleChoiceField):
    """Agencies as checkboxes, each with what the user should know when choosing it. The form gives the
    queryset (the board's agencies)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset, **kwargs)

    def notes(self, agency) -> list[str]:
        return ["core LSCB member"] if agency.core_member else []

    def label_from_instance(self, agency) -> str:
        notes = self.notes(agency)
        if agency.out_of_area:
            notes.append("outside the area")
        return f"{agency.name} ({', '.join(notes)})" if notes else agency.name


class SendChecksForm(GovukForm):
    agencies = AgencyChoiceField(
        label="Which agencies should be asked whether they were involved?",
        help_text="Core LSCB members and the agencies named on the referral are selected. Include any "
        "agency that may have been involved, even outside the area.",
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = referral.board.agencies.order_by("name")
        self.fields["agencies"].queryset = agencies
        named = set(referral.involved_agencies.values_list("agency_id", flat=True))
        asked = set(referral.agency_checks.values_list("agency_id", flat=True))
        self.fields["agencies"].initial = [
            agency.pk
            for agency in agencies
            if (agency.core_member or agency.pk in named) and agency.pk not in asked
        ]
        if asked:
            self.fields["agencies"].help_text = (
                "Agencies already asked are not asked twice: one still waiting is reminded, one that "
                "replied is left alone. Select any agency found since."
            )
        _messages(self, agencies=services.NO_AGENCIES)


class CheckAnswerForm(GovukForm):
    """The App 2 reply: involved (with records secured, a copy of an open file and an outline of what the
    agency knew) or a nil return (Solihull §5.1.1, App 2)."""

    involved = yes_no_field("Was your agency involved with the child or family?")
    records_secured_on = GovukDateField(
        label="Date the records were secured",
        required=False,
        help_text="Paper and electronic records. For example, 23 11 2026",
    )
    open_file_copied = yes_no_field(
        "If the case is still open, has a copy of the file been made?",
        required=False,
        help_text="Leave this unanswered if the case is closed.",
    )
    outline = optional_text(
        "Briefly outline what your agency knew of the child and family",
        6,
        "When you were involved, with whom, and why. The review will ask for the detail later.",
    )
    staff_told = yes_no_field("Have the staff who worked with the family been told?", required=False)
    respondent_name = forms.CharField(
        label="Name of the person who replied",
        max_length=200,
        help_text="You are recording a reply the agency sent by email. Give the name of the person who "
        "sent it; the email itself goes on the case file.",
    )

    def __init__(self, *args, by_business_unit: bool, today: dt.date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
        if not by_business_unit:
            del self.fields["respondent_name"]
        else:
            self.fields["involved"].label = "Was the agency involved with the child or family?"
            _messages(self, respondent_name="Enter the name of the person who replied")
        _messages(self, involved="Select yes if the agency was involved, or no to send a nil return")

    def clean_records_secured_on(self):
        return not_in_future(
            self.cleaned_data.get("records_secured_on"), self.today, "Date the records were secured"
        )

    def clean(self):
        data = super().clean()
        if data.get("involved"):
            if not data.get("records_secured_on") and "records_secured_on" not in self.errors:
                self.add_error("records_secured_on", "Enter the date the records were secured")
            if not data.get("outline", "").strip():
                self.add_error("outline", "Outline what your agency knew of the child and family")
        elif data.get("involved") is False:
            # A nil return keeps none of the "involved" answers typed before the person changed their mind.
            data.update(records_secured_on=None, open_file_copied=None, outline="", staff_told=None)
        return data


# --- Screening and recommendation ---------------------------------------------------------------------


class ScheduleScreeningForm(GovukForm):
    meeting_date = GovukDateField(
        label="Date of the sub-committee meeting",
        required_message="Enter the date of the sub-committee meeting",
        help_text="The sub-committee should meet within 3 weeks of the referral. For example, 7 12 2026",
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        self.referral = referral
        super().__init__(*args, **kwargs)

    def clean_meeting_date(self):
        meeting = self.cleaned_data["meeting_date"]
        received = self.referral.received_at
        if meeting and received and meeting < timezone.localtime(received).date():
            raise forms.ValidationError(
                "Date of the sub-committee meeting must be on or after the date the referral was received"
            )
        return meeting


class RecommendationForm(AlternativeTypeMixin, GovukForm):
    """The sub-committee's recommendation to the Chair, with who attended (Cambridgeshire §2, §7)."""

    members_present = forms.ModelMultipleChoiceField(
        label="Sub-committee members present",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deputies = optional_text(
        "Deputies attending for absent members (optional)",
        3,
        "One a line: name, agency and the member they stood in for.",
    )
    written_reports = optional_text(
        "Written reports accepted (optional)",
        3,
        "From absent members, at the chair's discretion. One a line.",
    )
    recommendation = forms.ChoiceField(
        label="What does the sub-committee recommend?",
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
    )
    alternative_type = forms.ChoiceField(
        label="Type of alternative review", choices=_alternative_choices(), required=False
    )
    reasons = forms.CharField(label="Reasons for the recommendation", widget=textarea(6))
    draft_tor_notes = optional_text(
        "Notes for draft terms of reference (optional)",
        4,
        "Period to cover, agencies to submit IMRs, key questions.",
    )
    suggested_author = forms.CharField(
        label="Suggested independent overview author (optional)", required=False, max_length=200
    )
    # The rapid review's findings, for a framework that holds one (England 2023, domain brief §10).
    immediate_actions = optional_text(
        "Immediate safety actions (optional)", 4, "Taken or agreed to keep children safe."
    )
    learning = optional_text(
        "Learning identified so far (optional)", 4, "What the agencies' summaries and the meeting show."
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        if not side(referral).rapid_review:
            del self.fields["immediate_actions"], self.fields["learning"]
        self.fields["recommendation"].choices = outcome_choices(referral)
        self.fields["members_present"].queryset = subcommittee_members(referral.board)
        self.fields["members_present"].label_from_instance = lambda user: user.full_name or user.email
        _messages(
            self,
            recommendation="Select what the sub-committee recommends",
            reasons="Give the reasons for the recommendation",
        )

    def clean(self):
        data = super().clean()
        if (
            not (data.get("members_present") or data.get("deputies", "").strip())
            and not data.get("written_reports", "").strip()
        ):
            self.add_error(
                "members_present", "Record who took part: members present, deputies or written reports"
            )
        return data


class DecisionForm(AlternativeTypeMixin, GovukForm):
    """Part 2 of the referral form, completed by the LSCB Chair (Solihull App 1 Part 2)."""

    outcome_field = "outcome"

    outcome = forms.ChoiceField(
        label="What have you decided?", choices=Recommendation.choices, widget=forms.RadioSelect
    )
    alternative_type = forms.ChoiceField(
        label="Type of alternative review", choices=_alternative_choices(), required=False
    )
    reasons = forms.CharField(label="Reasons for your decision", required=False, widget=textarea(6))
    members_consulted = forms.CharField(
        label="LSCB members consulted", widget=textarea(3), help_text="One a line: name and agency."
    )
    legal_advice_sought = yes_no_field("Was legal advice sought?")
    suggested_author = forms.CharField(
        label="Suggested independent overview author (optional)", required=False, max_length=200
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        self.referral = referral
        super().__init__(*args, **kwargs)
        self.fields["members_consulted"].label = side(referral).members_consulted_label
        self.fields["outcome"].choices = outcome_choices(referral)
        advice = referral.get_advice_display() or "not recorded"
        self.fields["reasons"].help_text = (
            "Required if you decide that no review is held, or if your decision departs from the advice "
            f"of the criteria. The advice is: {advice.lower()}."
        )
        _messages(
            self,
            outcome="Select your decision",
            members_consulted="Enter the LSCB members consulted",
            legal_advice_sought="Select yes if legal advice was sought",
        )
        self.govuk_prepare_fields()

    def clean(self):
        data = super().clean()
        outcome, reasons = data.get("outcome"), data.get("reasons", "").strip()
        if outcome and not reasons:
            if outcome == Recommendation.NFA:
                self.add_error("reasons", services.REASONS_REQUIRED_NFA)
            elif services.departs_from_advice(self.referral.advice, outcome):
                self.add_error("reasons", services.REASONS_REQUIRED_DEPART)
        return data


# --- Closing without a decision -----------------------------------------------------------------------


class ClosingForm(GovukForm):
    """A form that closes a referral without a decision; it is built for that referral."""

    def __init__(self, *args, referral: Referral, **kwargs):
        self.referral = referral
        super().__init__(*args, **kwargs)


class WithdrawForm(ClosingForm):
    reason = forms.CharField(label="Why is the referral being withdrawn?", widget=textarea(4))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, reason="Enter why the referral is being withdrawn")


class RescindForm(ClosingForm):
    reason = forms.CharField(label="Why is the decision being rescinded?", widget=textarea(4))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, reason="Enter why the decision is being rescinded")


class TransferForm(ClosingForm):
    lead_board = forms.CharField(
        label="Board that will lead",
        max_length=200,
        help_text="The board of the area where the child normally lives (Solihull §1.3.2).",
    )
    reason = forms.CharField(label="Why is the referral being transferred?", widget=textarea(4))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(
            self,
            lead_board="Enter the name of the board that will lead",
            reason="Enter why the referral is being transferred",
        )


class ReferralChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, referral) -> str:
        return f"{referral.reference}: {referral.child_name}" if referral.child_name else referral.reference


class DuplicateForm(ClosingForm):
    original = ReferralChoiceField(
        label="Which referral is this a duplicate of?",
        queryset=None,
        empty_label="Select the original referral",
        help_text="A referral about the same child or the same incident. This one closes and points to it.",
    )
    reason = forms.CharField(label="Why is it a duplicate?", widget=textarea(4))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"].queryset = duplicate_candidates(self.referral)
        self.fields["original"].error_messages["invalid_choice"] = (
            "Select the original referral from the list"
        )
        _messages(self, original="Select the original referral", reason="Enter why it is a duplicate")


# --- External notifications ---------------------------------------------------------------------------

NAME_FOUND = "The text contains a name from this referral: remove it before recording"
# Words the hint tells people to write ("Child A"), or that stand in for a name not yet known.
NOT_NAMES = frozenset({"child", "baby", "unknown"})


def names_in(text: str, names) -> list[str]:
    """The words of `names` (three letters or more) that appear in `text` as whole words, any case.
    A first safeguard only: the anonymisation of documents is a later piece of work."""
    found = []
    for name in names:
        # Every run of letters is a word: "Mary-Jane O'Brien" gives Mary, Jane and Brien (O is too short).
        for word in re.findall(r"[^\W\d_]+", name or ""):
            if len(word) < 3 or word.lower() in NOT_NAMES:
                continue
            if re.search(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", text, re.IGNORECASE):
                found.append(word)
    return found


class NotificationForm(GovukForm):
    """What went to Ofsted, the DfE or the National Panel (Solihull §1.6.2, §2.3)."""

    body = forms.ChoiceField(label="Who was told?", choices=ExternalBody.choices, widget=forms.RadioSelect)
    event = forms.ChoiceField(
        label="What were they told of?", choices=NotificationEvent.choices, widget=forms.RadioSelect
    )
    sent_on = GovukDateField(
        label="Date it was sent",
        required_message="Enter the date it was sent",
        help_text="For example, 24 11 2026",
    )
    method = forms.CharField(label="How was it sent?", max_length=100, help_text="For example, secure email")
    their_reference = forms.CharField(label="Their reference (optional)", required=False, max_length=100)
    anonymised_text = forms.CharField(
        label="The anonymised text that was sent",
        widget=textarea(8),
        help_text="No names: write 'Child A', 'Mother', 'Agency 1'. Give ages, not dates of birth.",
    )

    def __init__(self, *args, referral: Referral, today: dt.date, **kwargs):
        self.referral, self.today = referral, today
        super().__init__(*args, **kwargs)
        bodies = side(referral).notified_bodies
        self.fields["body"].choices = [choice for choice in ExternalBody.choices if choice[0] in bodies]
        _messages(
            self,
            body="Select who was told",
            event="Select what they were told of",
            method="Enter how it was sent",
            anonymised_text="Enter the anonymised text that was sent",
        )

    def clean_sent_on(self):
        return not_in_future(self.cleaned_data.get("sent_on"), self.today, "Date it was sent")

    def clean_anonymised_text(self):
        text = self.cleaned_data["anonymised_text"]
        names = [self.referral.child_name, *self.referral.family.values_list("name", flat=True)]
        if names_in(text, names):
            raise forms.ValidationError(NAME_FOUND)
        return text

"""Forms of what runs alongside the stages: meetings, parallel processes, the family's involvement."""

from django import forms

from scr_portal.forms import GovukForm

from ..models import AttendanceStatus, FamilyMethod, MeetingKind, NotificationRoute, ParallelProcessKind
from ._common import DateField, textarea


class MeetingForm(GovukForm):
    kind = forms.ChoiceField(label="Meeting", choices=MeetingKind.choices, widget=forms.RadioSelect)
    meeting_date = DateField(label="Date of the meeting", required_message="Enter the date of the meeting")
    venue = forms.CharField(label="Venue (optional)", required=False, max_length=200)

    required_errors = {"kind": "Select which meeting"}


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
    blocks_publication = forms.BooleanField(
        label="The panel decided the review is not published while this process is open",
        required=False,
        help_text="Only the LSCB Chair can then publish before it concludes, with a reason.",
    )

    required_errors = {"kind": "Select the type of process", "lead_body": "Enter the body that leads it"}


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

    required_errors = {"who": "Enter who this is, by their relationship to the child"}


class DoneForm(GovukForm):
    done_on = DateField(label="Date done", required_message="Enter the date it was done", not_future=True)
    note = forms.CharField(label="Note (optional)", required=False, widget=textarea(3))

import datetime as dt

from django import forms

from scr_portal.forms import GovukDateField, GovukForm, not_in_future
from scr_portal.models.clock import ExtensionReason, NotificationPreference

KIND_CHOICES = [
    ("", "All kinds"),
    ("referral", "Referrals"),
    ("agency_check", "Agency checks"),
    ("review", "Reviews"),
    ("imr", "IMRs"),
    ("interview", "Interviews"),
    ("action", "Actions"),
]


class DeadlineFilterForm(GovukForm):
    kind = forms.ChoiceField(label="Kind", choices=KIND_CHOICES, required=False)
    case = forms.CharField(label="Case reference", required=False, max_length=60)
    responsible = forms.ModelChoiceField(
        label="Responsible person", queryset=None, required=False, empty_label="Anyone"
    )
    statutory = forms.BooleanField(label="Statutory deadlines only", required=False)
    closed = forms.BooleanField(label="Include met and cancelled deadlines", required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people


class DeadlineMeetForm(GovukForm):
    """Record as done by hand: only for rules whose work happens outside the portal (issue 15)."""

    met_on = GovukDateField(label="Date it was done", help_text="For example, 27 3 2026")
    done_by_name = forms.CharField(
        label="Who did it", max_length=200, help_text="Name and role, for example Jo Smith, business support"
    )
    evidence = forms.CharField(
        label="Evidence that it was done",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the date and reference of the letter, or where the record is kept",
    )

    def __init__(self, *args, deadline, today: dt.date, **kwargs):
        self.deadline, self.today = deadline, today
        super().__init__(*args, **kwargs)
        self.fields["done_by_name"].error_messages["required"] = "Enter who did it"
        self.fields["evidence"].error_messages["required"] = "Enter the evidence that it was done"

    def clean_met_on(self):
        met_on = not_in_future(self.cleaned_data["met_on"], self.today, "Date it was done")
        if met_on and met_on < self.deadline.trigger_at.date():
            raise forms.ValidationError("Date it was done must be on or after the date the deadline started")
        return met_on


class DeadlineExtendForm(GovukForm):
    new_due_date = GovukDateField(label="New due date")
    reason_category = forms.ChoiceField(
        label="Why is more time needed?", choices=ExtensionReason.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Explain the reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ofsted and the family are told the reason for a review's extension.",
    )
    approved_by = forms.CharField(
        label="Who agreed the extension", max_length=200, help_text="For example, the LSCB at its meeting"
    )
    approved_on = GovukDateField(label="Date it was agreed")
    ofsted_told_on = GovukDateField(label="Date Ofsted was told (optional)", required=False)

    def __init__(self, *args, deadline, today: dt.date, **kwargs):
        self.deadline, self.today = deadline, today
        super().__init__(*args, **kwargs)
        self.fields["reason_category"].error_messages["required"] = "Select why more time is needed"
        self.fields["reason"].error_messages["required"] = "Explain the reason for the extension"
        self.fields["approved_by"].error_messages["required"] = "Enter who agreed the extension"
        if deadline.rule.extension_needs_ofsted:
            # The six-month completion: the LSCB agrees and Ofsted is told (domain brief §9).
            told = self.fields["ofsted_told_on"]
            told.required, told.label = True, "Date Ofsted was told"
            told.error_messages["required"] = "Enter the date Ofsted was told of the extension"

    def clean_new_due_date(self):
        new_due = self.cleaned_data["new_due_date"]
        if new_due and new_due <= self.deadline.due_date:
            raise forms.ValidationError(
                f"New due date must be after the current due date, {self.deadline.due_date:%d/%m/%Y}"
            )
        return new_due

    def clean_approved_on(self):
        return not_in_future(self.cleaned_data["approved_on"], self.today, "Date it was agreed")

    def clean_ofsted_told_on(self):
        return not_in_future(self.cleaned_data["ofsted_told_on"], self.today, "Date Ofsted was told")


class DeadlineCancelForm(GovukForm):
    reason = forms.CharField(
        label="Why does this deadline no longer apply?", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why the deadline no longer applies"


class NotificationPreferenceForm(GovukForm):
    reminder_delivery = forms.ChoiceField(
        label="How do you want deadline reminders?",
        choices=NotificationPreference.choices,
        widget=forms.RadioSelect,
    )

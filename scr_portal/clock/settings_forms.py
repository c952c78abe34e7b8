"""Forms of the board's clock settings page. The rules (ranges, weekends, bank holidays, amounts) live in
scr_portal.clock.settings_services; the forms ask the same functions so a page shows every problem at
once, and the views put any error the service still raises back on the form with `add_service_error`
(the statutory reason, a closure day another manager added a moment ago)."""

from django import forms
from django.core.exceptions import ValidationError

from scr_portal.forms import GovukDateField, GovukForm, GovukModelForm
from scr_portal.models import Board, DeadlineRule
from scr_portal.models.clock import DurationUnit

from . import settings_services as svc
from .switches import switch_choices

WHOLE_NUMBER = "{label} must be a whole number"
REASON_MAX = 1000


def _number_input(*, numeric: bool = True, width: int = 3) -> forms.TextInput:
    # GOV.UK asks for a text input with inputmode="numeric" rather than type="number". Mobile numeric
    # keyboards have no minus sign, so a field that takes negative numbers leaves inputmode out.
    attrs = {"class": f"govuk-input--width-{width}", "spellcheck": "false"}
    if numeric:
        attrs["inputmode"] = "numeric"
    return forms.TextInput(attrs=attrs)


def _working_days_field(
    label: str, help_text: str, low: int, high: int, range_message: str
) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=low,
        max_value=high,
        widget=_number_input(width=3),
        error_messages={
            "required": f"Enter the number of {label[0].lower()}{label[1:]}",
            "invalid": WHOLE_NUMBER.format(label=label),
            "min_value": range_message,
            "max_value": range_message,
        },
    )


class ServiceArgumentsMixin:
    def service_arguments(self) -> dict:
        """The keyword arguments of the settings service the page calls (settings_views._board_form_page)."""
        return dict(self.cleaned_data)


class ReminderScheduleForm(ServiceArgumentsMixin, GovukModelForm):
    remind_working_days_before = _working_days_field(
        "Working days before the due date",
        "A reminder this many working days before a deadline is due. Enter 0 for no such reminder.",
        svc.REMIND_DAYS_BEFORE_MIN,
        svc.REMIND_DAYS_BEFORE_MAX,
        svc.REMIND_DAYS_BEFORE_RANGE,
    )
    escalation_interval_working_days = _working_days_field(
        "Working days between overdue escalations",
        "Once a deadline is missed, the business unit is told on the next working day, then the "
        "panel chair and then the LSCB Chair, each this many working days later.",
        svc.ESCALATION_MIN,
        svc.ESCALATION_MAX,
        svc.ESCALATION_RANGE,
    )

    class Meta:
        model = Board
        fields = list(svc.REMINDER_SETTINGS)
        labels = {
            "remind_at_half_time": "Send a reminder when half the time has gone",
            "remind_on_due_day": "Send a reminder on the due date",
        }


class ClosureDayForm(ServiceArgumentsMixin, GovukForm):
    day = GovukDateField(label="Closure date", help_text="For example, 29 12 2025")
    reason = forms.CharField(
        label="Reason",
        help_text="For example, office closed between Christmas and New Year",
        max_length=svc.CLOSURE_REASON_MAX,
        error_messages={
            "required": svc.CLOSURE_REASON_REQUIRED,
            "max_length": svc.CLOSURE_REASON_TOO_LONG,
        },
    )

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.board = board

    def clean_day(self):
        day = self.cleaned_data["day"]
        if message := svc.closure_day_error(self.board, day):
            raise ValidationError(message)
        return day


class TimescaleForm(GovukForm):
    """A board's own timescale for one rule. The reminders box only shows for rules that send reminders;
    the reason only for statutory rules, where the service requires it for any departure from the
    default."""

    amount = forms.IntegerField(
        label="Amount of time allowed",
        error_messages={
            "required": "Enter the amount of time allowed",
            "invalid": WHOLE_NUMBER.format(label="Amount of time allowed"),
        },
    )
    unit = forms.ChoiceField(
        label="Unit of time",
        choices=[(value, label.capitalize()) for value, label in DurationUnit.choices],
        widget=forms.RadioSelect,
        error_messages={"required": svc.TIMESCALE_UNIT_INVALID, "invalid_choice": svc.TIMESCALE_UNIT_INVALID},
    )
    reminders = forms.BooleanField(
        label="Send reminders for this deadline",
        help_text="The board's reminder schedule: before the due date, on it, and escalation when missed.",
        required=False,
    )
    reason = forms.CharField(
        label="Reason for the change",
        help_text="Needed for any change from the default. Kept in the change history with your name.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        required=False,
        error_messages={"max_length": f"Reason for the change must be {REASON_MAX} characters or fewer"},
    )

    def __init__(self, *args, rule: DeadlineRule, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        negative = rule.amount < 0
        self.fields["amount"].widget = _number_input(numeric=not negative, width=4)
        if negative:
            self.fields["amount"].help_text = (
                "This deadline falls before the event that starts it: enter a negative number, "
                "for example -2 for 2 weeks before."
            )
        if not rule.reminders:
            del self.fields["reminders"]
        if not rule.statutory:
            del self.fields["reason"]
        self.govuk_prepare_fields()

    def clean(self):
        data = super().clean()
        if "amount" in data and "unit" in data:
            if message := svc.timescale_amount_error(self.rule, data["amount"], data["unit"]):
                self.add_error("amount", message)
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "amount": data["amount"],
            "unit": data["unit"],
            "reminders": data.get("reminders", False),
            "reason": data.get("reason", ""),
        }


# The process settings of domain brief §9 in page order: (label, help text giving the sources). A setting
# with choices is radios, or checkboxes where the board keeps a list; one without is a yes/no box.
SWITCH_FIELDS: dict[str, tuple[str, str]] = {
    "governance_model": (
        "Who recommends to the Chair",
        "Two tiers: Cambridgeshire §2, §7. One tier: Solihull §1.3.1.",
    ),
    "decision_notify_bodies": (
        "Who is told of the Chair's decision",
        "Ofsted and the National Panel: Cambridgeshire §5. The DfE: Solihull §1.6.3. The "
        "regulators' prompts: Solihull §5.1.3.",
    ),
    "publish_requires_evaluation": (
        "Publish only after Ofsted's evaluation (an override then needs a reason)",
        "Solihull §8.1.9; “where possible”, §13.3.6.",
    ),
    "publish_overview_report": (
        "Publish the overview report as well as the executive summary",
        "Solihull §8.1.9 and Cambridgeshire §13; summary only under DCSF 2009 ¶3.9.",
    ),
    "named_roles": (
        "Who the published report names",
        "DCSF 2009 ¶3.10: the LSCB Chair, the panel chair and the author; the panel by post.",
    ),
    "staff_review_scope": (
        "What staff who took part see",
        "Extracts: Solihull §9.1.9. The whole IMR and final report: Bolton's leaflet.",
    ),
    "review_framework": (
        "Review framework",
        "The process the board's new cases follow (docs/frameworks.md). Cases already open keep the "
        "framework they were opened under until they close.",
    ),
}
_LIST_SWITCHES = {"decision_notify_bodies", "named_roles"}
_SELECT_SWITCHES = {"review_framework"}


def _switch_field(name: str) -> forms.Field:
    label, help_text = SWITCH_FIELDS[name]
    choices = switch_choices(name)
    if choices is None:
        return forms.BooleanField(label=label, required=False, help_text=help_text)
    if name in _LIST_SWITCHES:
        widget = forms.CheckboxSelectMultiple
        return forms.MultipleChoiceField(
            label=label, choices=choices, widget=widget, required=False, help_text=help_text
        )
    widget = forms.Select if name in _SELECT_SWITCHES else forms.RadioSelect
    return forms.ChoiceField(label=label, choices=choices, widget=widget, help_text=help_text)


class BoardSwitchesForm(ServiceArgumentsMixin, GovukForm):
    """The process settings of domain brief §9 (SWITCH_FIELDS), with the reason the change history keeps."""

    reason = forms.CharField(
        label="Why are you changing these settings?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=REASON_MAX,
        help_text="Kept in the change history.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {**{name: _switch_field(name) for name in SWITCH_FIELDS}, **self.fields}
        self.govuk_prepare_fields()

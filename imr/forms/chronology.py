"""Forms of an agency's chronology and of the review's integrated chronology."""

from django import forms

from scr_portal.forms import GovukForm

from ..chronology_io import CHILD_SEEN_MESSAGE, TIME_MESSAGE, parse_time
from ..models import ChronologyEntry
from ..selectors import ChronologyFilters
from .fields import ItemForm, date_field, file_field, radios, text


class TimeField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        moment = parse_time(value)
        if moment is None:
            raise forms.ValidationError(TIME_MESSAGE)
        return moment


class ChronologyEntryForm(ItemForm):
    event_no = forms.IntegerField(label="Event number", min_value=1, max_value=2_000_000_000)
    date = date_field("Date of the event", required_message="Enter the date of the event")
    time = TimeField(label="Time (optional)", required=False, help_text="24-hour clock, for example 14:30")
    family_member = text(
        "Family member (optional)", required=False, max_length=50, help_text="The agreed abbreviation."
    )
    child_seen = radios(
        "Was the child seen, or their wishes sought or expressed?",
        (("Y", "Yes (Y)"), ("N", "No (N)")),
        required_message=CHILD_SEEN_MESSAGE,
    )
    event = text("Event", rows=5, required_message="Enter what happened")
    agency_source = text(
        "Agency source (optional)", required=False, max_length=200, help_text="For example, Education."
    )
    action_taken = text("Action taken (optional)", required=False, rows=3)
    note = text("Note (optional)", required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_no"].widget.attrs["class"] = "govuk-input govuk-input--width-5"
        self.fields["time"].widget.attrs["class"] = "govuk-input govuk-input--width-5"
        self.fields["event_no"].error_messages.update(
            required="Enter the event number", invalid="Event number must be a whole number, like 12"
        )

    def initial_of(self, entry: ChronologyEntry) -> dict:
        return {
            **super().initial_of(entry),
            "time": entry.time.strftime("%H:%M") if entry.time else "",
            "child_seen": "Y" if entry.child_seen else "N",
        }

    def clean_child_seen(self) -> bool:
        return self.cleaned_data["child_seen"] == "Y"


class ChronologyImportForm(GovukForm):
    file = file_field(
        "Upload a chronology file",
        "A CSV or Excel (XLSX) file in the columns of the template, smaller than 5MB and with at "
        "most 5,000 rows. Formulas are kept as text and never calculated.",
    )


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

"""The repeatable rows of the referral form (domain brief §6.1, Part 1): the family, the agencies involved
and the key dates. Each formset holds the rows already saved and blank ones to add; the views save them
through `referral_replace_rows`."""

import datetime as dt
import re

from django import forms

from scr_portal.forms import GovukForm
from scr_portal.models import Agency

from ..models import CpPlan
from .fields import UNKNOWN_AGENCY, DateField, as_yes_no, limit_length_messages, yes_no_field


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
        limit_length_messages(self)
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
    date_of_birth = DateField(label="Date of birth", required=False)
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
    still_involved = yes_no_field("Is the agency still involved?", required=False)
    required_messages = {"agency": "Select agency {n} from the list"}

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, referral=referral, **kwargs)
        agency = self.fields["agency"]
        agency.queryset = Agency.objects.filter(board_id=referral.board_id).order_by("name")
        agency.error_messages["invalid_choice"] = UNKNOWN_AGENCY


class KeyDateForm(RowForm):
    noun = "event"
    date = DateField(label="Date")
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

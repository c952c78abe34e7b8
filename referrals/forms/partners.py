"""England 2023's forms on the referral: the Panel's response to the rapid review (domain brief §10)."""

import datetime as dt

from django import forms

from scr_portal.forms import GovukDateField, GovukForm, not_in_future

from ..models import PanelResponseKind
from .fields import optional_text


class PanelResponseForm(GovukForm):
    kind = forms.ChoiceField(
        label="What did the Panel say?", choices=PanelResponseKind.choices, widget=forms.RadioSelect
    )
    received_on = GovukDateField(
        label="Date the response arrived",
        required_message="Enter the date the response arrived",
        help_text="For example, 24 11 2026",
    )
    notes = optional_text("Notes (optional)", 4, "What the Panel asked for or said, in brief.")

    def __init__(self, *args, today: dt.date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = "Select what the Panel said"

    def clean_received_on(self):
        return not_in_future(self.cleaned_data.get("received_on"), self.today, "Date the response arrived")

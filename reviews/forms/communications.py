"""Forms of the communications plan (Solihull App 9): the plan, and what one audience is told."""

from django import forms

from scr_portal.forms import GovukForm

from ..models import Audience, Timing
from ._common import DateField, textarea


def _text(label: str, help_text: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=textarea(rows), help_text=help_text)


class CommunicationsPlanForm(GovukForm):
    owner_name = forms.CharField(
        label="Person responsible for the plan", max_length=200, help_text="Their full name."
    )
    owner_post = forms.CharField(
        label="Their post and organisation (optional)", required=False, max_length=200
    )
    media_lead = forms.CharField(
        label="Agency leading media work (optional)",
        required=False,
        max_length=200,
        help_text="It issues the press releases on the board's behalf.",
    )
    press_contact = forms.CharField(label="Press officer (optional)", required=False, max_length=200)
    planned_publication_on = DateField(label="Planned publication date (optional)", required=False)
    embargo_until = DateField(
        label="Embargo ends (optional)",
        required=False,
        help_text="Copies given to the press before publication may not be reported before this date.",
    )
    key_messages = _text("Key messages (optional)", rows=5)
    holding_statement = _text(
        "Holding statement (optional)", "What is said if the press asks before publication.", rows=4
    )
    channels = _text("Communication channels (optional)", "How the lessons are made public.")
    family_support = _text("Support offered to the family (optional)")
    resources = _text("Resources available for publication (optional)")
    debriefing = _text("Debriefing arrangements for those involved (optional)")
    media_training = _text("The need for media training (optional)")

    required_errors = {"owner_name": "Enter the name of the person responsible for the plan"}


class CommunicationItemForm(GovukForm):
    audience = forms.ChoiceField(label="Audience", choices=Audience.choices, widget=forms.RadioSelect)
    audience_detail = forms.CharField(
        label="Which (required for other)",
        required=False,
        max_length=200,
        help_text="For example the ward councillors, or the school's governors.",
    )
    message = forms.CharField(label="What they are told", widget=textarea(4))
    delivered_by = forms.CharField(label="Who tells them", max_length=200, help_text="A name or a post.")
    method = forms.CharField(
        label="How", max_length=200, help_text="For example a meeting, a letter or a press release."
    )
    timing = forms.ChoiceField(
        label="When, against publication", choices=Timing.choices, widget=forms.RadioSelect
    )
    due_on = DateField(label="Planned date (optional)", required=False)
    done_on = DateField(label="Date they were told (optional)", required=False, not_future=True)

    required_errors = {
        "audience": "Select the audience",
        "message": "Enter what this audience is told",
        "delivered_by": "Enter who tells them",
        "method": "Enter how they are told",
        "timing": "Select when they are told, against publication",
    }

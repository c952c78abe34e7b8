"""Forms of the document pages: the options some documents need (who a letter is to, which event a
notification is about), the anonymisation key, the override reason, recording a document as sent, and
the wording editor. Forms check the input; `scr_portal.documents.services` enforces the rules."""

from django import forms

from scr_portal.forms import GovukDateField, GovukForm, not_in_future
from scr_portal.models import KeyRole

PHONE_HELP = "For example, 0121 496 0000"


def pick_one(label: str, required: str) -> forms.TypedChoiceField:
    """Radios for one of the owner's rows, by number or pk; the form's __init__ fills the choices."""
    return forms.TypedChoiceField(
        label=label, coerce=int, widget=forms.RadioSelect, error_messages={"required": required}
    )


class OptionsForm(GovukForm):
    """A document's options; `options()` gives them as plain data for the stored version."""

    def __init__(self, *args, owner, **kwargs):
        self.owner = owner
        super().__init__(*args, **kwargs)

    def options(self) -> dict:
        return dict(self.cleaned_data)


class FamilyLetterOptionsForm(OptionsForm):
    recipient = pick_one("Who is the letter to?", "Select the family member the letter is to")
    contact_name = forms.CharField(
        label="Personal contact's name (optional)",
        required=False,
        max_length=200,
        help_text="The person the family can talk to about the review. Leave blank to give the business "
        "unit's number.",
    )
    contact_phone = forms.CharField(
        label="Personal contact's telephone number (optional)",
        required=False,
        max_length=40,
        help_text=PHONE_HELP,
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, owner=owner, **kwargs)
        self.fields["recipient"].choices = [
            (member.pk, f"{member.name} ({member.relationship})") for member in owner.family.exclude(name="")
        ]
        self.govuk_prepare_fields()

    def clean(self):
        data = super().clean()
        if data.get("contact_phone") and not data.get("contact_name"):
            self.add_error("contact_name", "Enter the personal contact's name, or leave the number blank")
        return data


class NotificationOptionsForm(OptionsForm):
    event = forms.ChoiceField(
        label="What is the notification about?",
        choices=[("incident", "The serious incident"), ("decision", "The LSCB Chair's decision")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the notification is about"},
    )

    def clean_event(self):
        event = self.cleaned_data["event"]
        if event == "decision" and getattr(self.owner, "decision", None) is None:
            raise forms.ValidationError(
                "The LSCB Chair has not decided yet, so there is no decision to notify"
            )
        return event


class KeyPersonForm(GovukForm):
    real_name = forms.CharField(label="Real name", max_length=200)
    pseudonym = forms.CharField(
        label="Pseudonym",
        max_length=100,
        help_text="What anonymised documents call this person, for example Child A, Mother, Practitioner 3.",
    )
    role = forms.ChoiceField(label="Role", choices=KeyRole.choices)
    aliases = forms.CharField(
        label="Other names (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Nicknames, maiden names or other spellings, one a line.",
    )
    date_of_birth = GovukDateField(
        label="Date of birth (optional)", required=False, help_text="For example, 27 3 2019"
    )
    address = forms.CharField(
        label="Address (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    school = forms.CharField(label="School (optional)", required=False, max_length=200)

    def __init__(self, *args, filled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.filled = filled
        if filled:  # these come from the case record and are kept up to date from it
            for name in ("real_name", "date_of_birth", "address"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def clean_pseudonym(self):
        return " ".join(self.cleaned_data["pseudonym"].split())

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if self.filled:
            for name in ("real_name", "date_of_birth", "address"):
                data.pop(name, None)
        return data


class OverrideForm(GovukForm):
    reason = forms.CharField(
        label="Why may this version leave the board as it is?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="For example: the name found is the LSCB Chair's, who is named in every report. "
        "The reason is kept with the document.",
        error_messages={
            "required": "Enter the reason for releasing this version despite what the check found"
        },
    )


class MarkSentForm(GovukForm):
    sent_to = forms.CharField(
        label="Who was it sent to?", max_length=300, error_messages={"required": "Enter who it was sent to"}
    )
    sent_on = GovukDateField(label="Date sent", help_text="For example, 27 11 2026")

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def clean_sent_on(self):
        return not_in_future(self.cleaned_data["sent_on"], self.today, "Date sent")


class WordingForm(GovukForm):
    body = forms.CharField(
        label="Wording",
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
        error_messages={"required": "Enter the wording"},
        help_text="A blank line starts a new paragraph. A line starting ## is a heading; lines starting "
        "- are a list. Fields go in double curly brackets, for example {{ child.name }}.",
    )
    note = forms.CharField(
        label="What did you change? (optional)",
        required=False,
        max_length=300,
        help_text="Kept with this version.",
    )

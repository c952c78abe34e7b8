"""Forms of the IMR's state changes: commissioning, the agency's answer, starting work, sign-off, the
panel's quality assurance and further information, and the list of IMRs."""

from django import forms

from referrals.forms.workflow import AgencyChoiceField
from scr_portal.forms import GovukForm, yes_no_field

from ..models import IMRState
from ..parts import PART_TITLES
from ..quality import QA_POINTS
from .fields import date_field, radios, text


class ConfirmForm(GovukForm):
    """A transition's confirmation page: nothing to fill in."""


# --- Commissioning and the agency's answer ------------------------------------------------------------


class InvolvedAgencyField(AgencyChoiceField):
    def __init__(self, *args, involved: set[int] = frozenset(), **kwargs):
        self.involved = involved
        super().__init__(*args, **kwargs)

    def notes(self, agency) -> list[str]:
        return ["confirmed involvement"] if agency.pk in self.involved else []


class CommissionForm(GovukForm):
    agencies = InvolvedAgencyField(
        label="Which agencies should write an IMR?",
        help_text="The agencies that confirmed their involvement are selected. Think about agencies from "
        "outside the area too (Solihull App 5).",
    )
    nominate_by = date_field(
        "Date by which each agency names its author",
        required_message="Enter the date by which each agency names its author",
    )

    def __init__(self, *args, agencies, involved: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agencies"]
        field.queryset = agencies
        field.involved = involved
        field.initial = [agency.pk for agency in agencies if agency.pk in involved]
        field.error_messages["required"] = "Select at least one agency to commission an IMR from"


class NilReturnForm(GovukForm):
    reason = text(
        "Why is the agency making a nil return?",
        rows=4,
        help_text="For example, the agency had no involvement with the child or family in the period of the "
        "review, or has nothing to contribute.",
        required_message="Give the reason for the nil return",
    )


class NominationForm(GovukForm):
    """The author and their independence declaration (domain brief §2.2; Cambridgeshire §8; Solihull
    §9.1.1–9.1.2, §10.1.5)."""

    full_name = text("Author's full name", max_length=200)
    email = forms.EmailField(
        label="Author's email address", help_text="They are sent a link to set a password."
    )
    job_title = text("Author's job title", max_length=200)
    author_role = text(
        "Author's role within the organisation",
        max_length=200,
        help_text="Shown at the top of the IMR (Solihull App 6).",
    )
    external_author = yes_no_field(
        "Is the author bought in from outside the agency?",
        required_message="Select whether the author is bought in from outside the agency",
    )
    directly_involved = yes_no_field(
        "Has the author been directly involved with the child or family?",
        required_message="Select whether the author has been directly involved with the child or family",
    )
    line_manager_of_practitioners = yes_no_field(
        "Is the author the immediate line manager of any practitioner involved?",
        required_message="Select whether the author is the immediate line manager of a practitioner involved",
    )
    senior_enough = yes_no_field(
        "Is the author a senior member of staff?",
        required_message="Select whether the author is a senior member of staff",
    )
    knows_cp_practice = yes_no_field(
        "Does the author know child protection practice?",
        required_message="Select whether the author knows child protection practice",
    )
    should_reason = text(
        "If you answered no to either of the last two questions, explain why this author is suitable",
        required=False,
        rows=3,
    )
    confirm = forms.BooleanField(
        label="I confirm that these answers are true to the best of my knowledge",
        error_messages={"required": "Confirm that the answers are true"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter the author's email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )


class StartForm(GovukForm):
    records_secured_on = date_field(
        "Date the agency's records were secured",
        required_message="Enter the date the agency's records were secured",
    )

    def __init__(self, *args, imr, **kwargs):
        super().__init__(*args, initial={"records_secured_on": imr.records_secured_on}, **kwargs)
        if imr.records_secured_on:
            # Known already (the agency's answer to the referral's check, or the first start): prefilled,
            # and the service keeps it when the field is left empty (issue 19).
            self.fields["records_secured_on"].required = False


# --- Sign-off, quality assurance, further information -------------------------------------------------


class SignatureForm(GovukForm):
    """A signature from the signer's own account: typing one's full name is the signature."""

    signature = text(
        "Your signature",
        max_length=200,
        help_text="Type your full name to sign.",
        required_message="Enter your signature (your full name)",
    )
    signed_on = date_field("Date you signed", required_message="Enter the date you signed")


class AuthorSignForm(SignatureForm):
    no_recommendations_reason = text(
        "The IMR makes no recommendations because",
        required=False,
        rows=4,
        help_text="Only when the action plan is empty: record that the IMR makes no recommendations and why.",
    )


def reason_form(label: str, required_message: str, hint: str = "") -> type[GovukForm]:
    """A form asking only for a reason (returning the IMR to its author, cancelling it)."""
    return type(
        "ReasonForm",
        (GovukForm,),
        {"reason": text(label, rows=4, help_text=hint, required_message=required_message)},
    )


MET_CHOICES = (("met", "Met"), ("not_met", "Not met"))


class QualityAssuranceForm(GovukForm):
    """One pair of fields per checklist point (met or not, and guidance), then the decision."""

    decision = radios(
        "Decision",
        (("accept", "Accept the IMR"), ("return", "Return it for rework with guidance")),
        required_message="Select whether to accept the IMR or return it for rework",
    )
    new_due_date = date_field("New date for the reworked IMR", required=False)
    comments = text("Other comments (optional)", required=False, rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for point in QA_POINTS:
            self.fields[f"met_{point.code}"] = radios(
                point.text,
                MET_CHOICES,
                inline=True,
                help_text=f"Source: Solihull guidance, {point.source}",
                required_message="Say whether the IMR meets this point",
            )
            self.fields[f"guidance_{point.code}"] = forms.CharField(
                label="Guidance on how to improve it",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.order_fields([name for p in QA_POINTS for name in (f"met_{p.code}", f"guidance_{p.code}")])
        self.govuk_prepare_fields()

    def point_fields(self):
        return [(point, self[f"met_{point.code}"], self[f"guidance_{point.code}"]) for point in QA_POINTS]

    def points(self) -> dict:
        data = self.cleaned_data
        return {
            point.code: (
                {"met": True, "not_met": False}.get(data.get(f"met_{point.code}")),
                data.get(f"guidance_{point.code}", ""),
            )
            for point in QA_POINTS
        }


class FurtherInformationRequestForm(GovukForm):
    parts = forms.MultipleChoiceField(
        label="Which parts of the IMR does the author need to change?",
        choices=list(PART_TITLES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Only these parts are opened for changes. The author and the head of agency sign the IMR "
        "again before the panel has it back.",
        error_messages={"required": "Select the parts of the IMR the author needs to change"},
    )
    request = text(
        "What further information is needed?",
        rows=6,
        required_message="Say what further information is needed",
    )
    due_date = date_field("Date needed by", required_message="Enter the date the information is needed by")


class FurtherInformationResponseForm(GovukForm):
    response = text(
        "Addendum",
        rows=8,
        help_text="Explain what was added to the IMR and why (Solihull App 14 §5). Change the parts the "
        "panel asked for before sending: they close when you send, and you then sign the IMR again.",
        required_message="Explain what was added and why",
    )


# --- Lists and filters --------------------------------------------------------------------------------


class IMRFilterForm(GovukForm):
    state = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any"), ("open", "Not yet complete"), *IMRState.choices],
    )
    case = forms.CharField(label="Review reference", required=False, max_length=40)

"""The panel member's appointment and conflict declaration."""

from django import forms

from scr_portal.forms import GovukForm
from scr_portal.models import User

from .. import independence
from ..models import INDEPENDENT_ROLES, Competence, PanelRole
from ._common import DateField, textarea, yes_no


class AppointForm(GovukForm):
    """An appointment and its conflict declaration (domain brief §2.2, §6.11)."""

    email = forms.EmailField(
        label="Email address of the person appointed",
        help_text="They need an account on the portal.",
    )
    role = forms.ChoiceField(label="Role on the panel", choices=PanelRole.choices, widget=forms.RadioSelect)
    post = forms.CharField(label="Post", max_length=200, help_text="For example, Head of Safeguarding")
    organisation = forms.CharField(label="Organisation", max_length=200)
    declared_on = DateField(
        label="Date of the declaration", required_message="Enter the date of the declaration", not_future=True
    )
    other_interests = forms.CharField(
        label="Any other interest declared (optional)", required=False, widget=textarea(3)
    )
    competences = forms.MultipleChoiceField(
        label="App 16 competences met (panel chair and overview author)",
        choices=Competence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The author needs 1 to 4, the panel chair 2 to 5.",
    )
    competence_evidence = forms.CharField(
        label="Evidence of the competences (panel chair and overview author)",
        required=False,
        widget=textarea(3),
        help_text="Earlier anonymised reports or a reference from a commissioning LSCB Chair.",
    )
    indemnity_confirmed = forms.BooleanField(label="Professional indemnity confirmed", required=False)
    supervision_confirmed = forms.BooleanField(label="Supervision confirmed", required=False)
    data_protection_confirmed = forms.BooleanField(
        label="Data-protection compliance confirmed", required=False
    )
    # Not required of every role, but the "contract-issued" rule (reviews/independence.py) asks it of the
    # panel chair and the overview author: the label says so rather than "(optional)".
    contract_issued_on = DateField(
        label="Date the contract was issued",
        required=False,
        not_future=True,
        help_text="Needed for an independent panel chair or overview author; leave blank for other roles.",
    )
    override_reason = forms.CharField(
        label="LSCB Chair only: reason for overriding a 'should' rule (optional)",
        required=False,
        widget=textarea(3),
        help_text="Leave blank unless the portal says a rule needs the LSCB Chair's reason.",
    )

    required_errors = {
        "email": "Enter the email address of the person appointed",
        "role": "Select the role on the panel",
        "post": "Enter their post",
        "organisation": "Enter the organisation they come from",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, question in independence.QUESTIONS:
            self.fields[f"q_{code}"] = yes_no(question)
        self.govuk_prepare_fields()
        self.user = None

    def question_fields(self):
        return [self[f"q_{code}"] for code, _ in independence.QUESTIONS]

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.user = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.user is None:
            raise forms.ValidationError(
                "There is no portal account with that email address. Ask the business manager to create one"
            )
        return email

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        independent = data["role"] in INDEPENDENT_ROLES
        return {
            "user": self.user,
            "role": data["role"],
            "post": data["post"],
            "organisation": data["organisation"],
            "declared_on": data["declared_on"],
            "other_interests": data["other_interests"],
            "answers": {code: data[f"q_{code}"] for code, _ in independence.QUESTIONS},
            "competences": data["competences"] if independent else [],
            "competence_evidence": data["competence_evidence"] if independent else "",
            "indemnity_confirmed": data["indemnity_confirmed"],
            "supervision_confirmed": data["supervision_confirmed"],
            "data_protection_confirmed": data["data_protection_confirmed"],
            "contract_issued_on": data["contract_issued_on"],
            "override_reason": data["override_reason"],
        }

"""The business manager's forms: inviting a person and giving them a role."""

from django import forms

from imr.models import IMR
from imr.models.imr import ENDED_STATES
from reviews.models import FINAL_STATES, PanelRole, Review
from scr_portal.forms import GovukForm
from scr_portal.models import AGENCY_ROLES, Board, Role

IMR_AUTHOR = "imr_author"
PANEL_ROLES = (PanelRole.INDEPENDENT_CHAIR, PanelRole.OVERVIEW_AUTHOR)
ROLE_CHOICES = [
    *Role.choices,
    (PanelRole.INDEPENDENT_CHAIR, "Independent panel chair of a review"),
    (PanelRole.OVERVIEW_AUTHOR, "Independent overview author of a review"),
    (IMR_AUTHOR, "Author of an IMR"),
]
AGENCY_NEEDED = "Choose the agency this person answers for"
REVIEW_NEEDED = "Choose the review"
IMR_NEEDED = "Choose the IMR"


class InviteForm(GovukForm):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(
        label="Email address",
        help_text="They are sent a link to choose a password. Someone who already has an account keeps it.",
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        required=False,
        help_text="Leave blank for an independent reviewer who works for no organisation.",
    )
    job_title = forms.CharField(label="Job title", max_length=200, required=False)

    required_errors = {
        "full_name": "Enter the person's full name",
        "email": "Enter the person's email address",
    }


def _optional_choice(label: str, empty_label: str, help_text: str = "") -> forms.ModelChoiceField:
    """A choice the form's __init__ fills from the board."""
    return forms.ModelChoiceField(
        label=label, queryset=None, required=False, empty_label=empty_label, help_text=help_text
    )


class RoleForm(GovukForm):
    """A role on the board, with the agency, review or IMR it is held for."""

    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES, widget=forms.RadioSelect)
    agency = _optional_choice("Agency (agency contacts and heads of agency)", "Choose the agency")
    review = _optional_choice(
        "Review (panel chair and overview author)",
        "Choose the review",
        "You then record their independence declaration on the review's panel page.",
    )
    imr = _optional_choice(
        "IMR (authors)",
        "Choose the IMR",
        "You then record the author's independence declaration on the IMR's page.",
    )

    required_errors = {"role": "Select the role"}

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = board.agencies.order_by("name")
        self.fields["review"].queryset = Review.objects.filter(board=board).exclude(state__in=FINAL_STATES)
        imrs = IMR.objects.filter(review__board=board).exclude(state__in=ENDED_STATES)
        self.fields["imr"].queryset = imrs.select_related("review", "agency").order_by(
            "review__reference", "pk"
        )
        self.fields["imr"].label_from_instance = lambda imr: f"{imr.case_reference}, {imr.agency.name}"

    def clean(self):
        data = super().clean()
        role = data.get("role")
        needs = [
            (role in AGENCY_ROLES, "agency", AGENCY_NEEDED),
            (role in PANEL_ROLES, "review", REVIEW_NEEDED),
            (role == IMR_AUTHOR, "imr", IMR_NEEDED),
        ]
        for needed, name, message in needs:
            if needed and not data.get(name):
                self.add_error(name, message)
        return data

"""Forms of the action-plan pages. Most fields are optional here so that the services' own refusals ("Select
who owns the action", "Enter the date by when…") are the single source of the rules and messages."""

from django import forms

from scr_portal.forms import GovukForm
from scr_portal.models import Agency, User

from ..models import ActionState, LearningTheme, RecommendationSource, ReviewType
from ._common import DateField, textarea


def board_agencies(board):
    return Agency.objects.filter(board=board).order_by("name")


def board_people(board):
    return User.objects.filter(memberships__board=board, is_active=True).distinct().order_by("full_name")


def active_themes(board):
    return LearningTheme.objects.filter(board=board, active=True).order_by("name")


class ThemeForm(GovukForm):
    name = forms.CharField(label="New theme", required=False)


class TagThemesForm(GovukForm):
    themes = forms.ModelMultipleChoiceField(
        label="Learning themes",
        queryset=LearningTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = active_themes(board)


class PersonChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, empty_label="Choose a person", **kwargs):
        super().__init__(*args, empty_label=empty_label, **kwargs)

    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class RecommendationFieldsForm(GovukForm):
    """One recommendation, added on the action plan or with an alternative review's accepted output."""

    text = forms.CharField(label="Recommendation", widget=textarea(), required=False)
    outcome = forms.CharField(
        label="Outcome it should achieve (optional)", widget=textarea(3), required=False
    )
    agency = forms.ModelChoiceField(
        label="Organisation it is addressed to (optional)",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Choose an organisation",
    )
    addressed_to = forms.CharField(
        label="Person with authority to act",
        help_text="Their post, for example Director of Children's Services.",
        required=False,
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = board_agencies(board)


class RecommendationForm(RecommendationFieldsForm):
    source = forms.ChoiceField(
        label="Where the recommendation comes from", choices=RecommendationSource.choices
    )
    themes = forms.ModelMultipleChoiceField(
        label="Learning themes (optional)",
        queryset=LearningTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["source"]

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, board=board, **kwargs)
        self.fields["themes"].queryset = active_themes(board)


class ActionForm(GovukForm):
    text = forms.CharField(label="Action", widget=textarea(3), required=False)
    agency = forms.ModelChoiceField(
        label="By whom: organisation",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Choose an organisation",
    )
    owner = PersonChoiceField(label="By whom: owner", queryset=User.objects.none(), required=False)
    due_date = DateField(label="By when", required=False)
    audit_information = forms.CharField(
        label="Information for audit", help_text="Agreed up front.", widget=textarea(3), required=False
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = board_agencies(board)
        self.fields["owner"].queryset = board_people(board)


class SignUpForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), empty_label="Choose an agency"
    )
    name = forms.CharField(label="Senior manager's name", required=False)
    post = forms.CharField(label="Senior manager's post", required=False)
    signed_on = DateField(label="Date signed", required_message="Enter the date signed")

    required_errors = {"agency": "Select the agency"}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class DayForm(GovukForm):
    day = DateField(label="Date", required_message="Enter the date")

    def __init__(self, *args, label: str = "Date", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].label = label


class CompleteForm(GovukForm):
    completed_on = DateField(label="Date the board signed off the plan", required_message="Enter the date")
    note = forms.CharField(label="How the board signed it off", widget=textarea(3), required=False)


class EvidenceForm(GovukForm):
    note = forms.CharField(label="Evidence note", widget=textarea(3), required=False)
    upload = forms.FileField(
        label="Upload a document (optional)",
        help_text="A PDF, Word (DOCX) or OpenDocument text (ODT) file, smaller than 25MB.",
        required=False,
    )


class DoneForm(GovukForm):
    actions_taken = forms.CharField(label="Actions taken", widget=textarea(4), required=False)


class VerdictForm(GovukForm):
    verdict = forms.ChoiceField(
        label="Verdict",
        choices=(("verify", "Verified: the evidence shows it is done"), ("send_back", "Not yet done")),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note", widget=textarea(3), required=False)

    required_errors = {"verdict": "Select a verdict"}


class CloseActionForm(GovukForm):
    reason = forms.CharField(label="Why the action is closed", widget=textarea(3), required=False)


class ReauditForm(GovukForm):
    reaudit_on = DateField(label="Re-audit date", required_message="Enter the re-audit date")
    note = forms.CharField(
        label="What the re-audit will check (optional)", widget=textarea(3), required=False
    )


class ConvertForm(GovukForm):
    to_type = forms.ChoiceField(label="Convert to", choices=ReviewType.choices)
    reason = forms.CharField(label="Reason", widget=textarea(3), required=False)


class ActionFilterForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), required=False, empty_label="Choose an agency"
    )
    review = forms.CharField(label="Review reference", required=False)
    owner = PersonChoiceField(label="Owner", queryset=User.objects.none(), required=False)
    status = forms.ChoiceField(label="Status", choices=[("", "Any"), *ActionState.choices], required=False)

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = board_agencies(board)
        self.fields["owner"].queryset = board_people(board)

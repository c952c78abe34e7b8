"""Forms of the alternative-review pages and the key-themes page. Fields are mostly optional so that the
services' own refusals are the single source of the rules and their messages."""

from django import forms

from scr_portal.forms import GovukForm
from scr_portal.models import Agency

from ..models import AcceptedBy, ReviewType
from ..models.alternative import STEP_LABELS
from ._common import DateField, textarea
from .plans import PersonChoiceField, RecommendationFieldsForm, board_agencies, board_people


class AppointForm(GovukForm):
    lead_agency = forms.ModelChoiceField(
        label="Agency that writes the IMR",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Choose an agency",
    )
    lead_user = PersonChoiceField(
        label="A person of the board",
        queryset=None,
        required=False,
        help_text="Leave blank if the person is from outside the board.",
    )
    lead_name = forms.CharField(label="Or the name of someone from outside the board", required=False)
    lead_organisation = forms.CharField(label="Their organisation", required=False)
    lead_independent = forms.BooleanField(
        label="Independent of the agencies involved in the case", required=False
    )
    planned_completion = DateField(
        label="Planned completion date (optional)",
        required=False,
        help_text="Set by the business unit: the guidance gives no timescale for this type of review.",
    )

    def __init__(self, *args, alternative, **kwargs):
        super().__init__(*args, **kwargs)
        board = alternative.review.board
        if alternative.review_type == ReviewType.SINGLE_AGENCY:
            for name in ("lead_user", "lead_name", "lead_organisation", "lead_independent"):
                del self.fields[name]
            self.fields["lead_agency"].queryset = board_agencies(board)
        else:
            del self.fields["lead_agency"]
            self.fields["lead_user"].queryset = board_people(board)
            self.fields["lead_user"].label = f"{alternative.lead_role_label}: a person of the board"
        self.step_fields = []
        from ..services.alternative import current_steps

        for step in current_steps(alternative):
            if step.is_done:
                continue
            name = f"planned_{step.code}"
            self.fields[name] = DateField(
                label=f"Planned date: {STEP_LABELS.get(step.code, step.label).lower()} (optional)",
                required=False,
                initial=step.planned_on,
            )
            self.step_fields.append((step.code, name))
        self.govuk_prepare_fields()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        planned = {code: data.pop(name, None) for code, name in self.step_fields}
        return data | {"planned_dates": planned}


class StepForm(GovukForm):
    done_on = DateField(
        label="Date it was done", not_future=True, required_message="Enter the date the step was done."
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=textarea(3))


class OutputForm(GovukForm):
    file = forms.FileField(
        label="Upload the output document",
        help_text="A PDF, Word (DOCX) or OpenDocument text (ODT) file, smaller than 25MB.",
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=textarea(3))

    required_errors = {"file": "Select a file"}


class AcceptForm(RecommendationFieldsForm):
    accepted_by = forms.ChoiceField(
        label="Who accepted the output?", choices=AcceptedBy.choices, widget=forms.RadioSelect, required=False
    )
    accepted_on = DateField(label="Date it was accepted", required=False, not_future=True)
    note = forms.CharField(label="Note of the acceptance (optional)", required=False, widget=textarea(3))
    text = forms.CharField(
        label="Recommendation",
        widget=textarea(),
        required=False,
        help_text="One recommendation of the output. Add any others on the action plan page afterwards.",
    )

    field_order = ["accepted_by", "accepted_on", "note"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        recommendation = {key: data[key] for key in ("text", "outcome", "agency", "addressed_to")}
        return {
            "accepted_by": data["accepted_by"],
            "accepted_on": data["accepted_on"],
            "note": data["note"],
            "recommendations": [recommendation],
        }


class AnyIdsField(forms.TypedMultipleChoiceField):
    """Checkboxes of the referrals on the page; any whole number posted is passed on, so the service can
    say exactly what is wrong with an id that is not one of this board's referrals."""

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class KeyThemesForm(GovukForm):
    referrals = AnyIdsField(
        label="Referrals to consider together",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select two or more.",
    )
    reason = forms.CharField(
        label="Why are these referrals considered together?", widget=textarea(), required=False
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referrals"].choices = choices


class CancelAlternativeForm(GovukForm):
    reason = forms.CharField(label="Why the alternative review is cancelled", widget=textarea())

    required_errors = {"reason": "Give the reason the alternative review is cancelled"}

"""Forms of the terms-of-reference pages: a version, the consultation and the responses."""

from django import forms

from scr_portal.forms import GovukForm

from ._common import DateField, textarea


class ToRForm(GovukForm):
    period_from = DateField(label="Review period: from (optional)", required=False)
    period_to = DateField(label="Review period: to (optional)", required=False)
    scope = forms.CharField(label="Scope of the review", widget=textarea(5))
    key_issues = forms.CharField(
        label="Key learning issues and questions", required=False, widget=textarea(5)
    )
    agencies = forms.CharField(label="Agencies and contributors", required=False, widget=textarea())
    family_involvement = forms.CharField(
        label="How the family will contribute", required=False, widget=textarea()
    )
    parallel_processes = forms.CharField(
        label="Parallel processes and liaison with the coroner and CPS", required=False, widget=textarea()
    )
    methodology = forms.CharField(label="Methodology", required=False, widget=textarea(3))
    other = forms.CharField(
        label="Other matters (diversity, media, staff interviews)", required=False, widget=textarea()
    )

    required_errors = {"scope": "Enter the scope of the review"}


class ConsultForm(GovukForm):
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies to consult", queryset=None, widget=forms.CheckboxSelectMultiple
    )

    required_errors = {"agencies": "Select at least one agency to consult"}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies


class ResponseForm(GovukForm):
    response = forms.CharField(label="The agency's response", widget=textarea())
    responded_on = DateField(
        label="Date of the response", required_message="Enter the date of the response", not_future=True
    )

    required_errors = {"response": "Enter the agency's response"}

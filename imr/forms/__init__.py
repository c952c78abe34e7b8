"""Forms of the IMR pages, one module per part of the IMR. They check the input; the services in
`imr.services` enforce the rules and may still refuse (their errors go back on the form through
`add_service_error`)."""

from .chronology import ChronologyEntryForm, ChronologyImportForm, IntegratedFilterForm, TimeField
from .workflow import (
    AuthorSignForm,
    CommissionForm,
    ConfirmForm,
    FurtherInformationRequestForm,
    FurtherInformationResponseForm,
    IMRFilterForm,
    NilReturnForm,
    NominationForm,
    QualityAssuranceForm,
    SignatureForm,
    StartForm,
    reason_form,
)
from .workspace import (
    AppendixForm,
    GenogramPersonForm,
    GenogramRelationshipForm,
    InterviewForm,
    InterviewHeldForm,
    InterviewOutcomeForm,
    InterviewSummaryForm,
    InterviewWithdrawForm,
    PlanActionForm,
    PlanRecommendationForm,
    ReportUploadForm,
    SectionForm,
)

__all__ = [
    "AppendixForm",
    "AuthorSignForm",
    "ChronologyEntryForm",
    "ChronologyImportForm",
    "CommissionForm",
    "ConfirmForm",
    "FurtherInformationRequestForm",
    "FurtherInformationResponseForm",
    "GenogramPersonForm",
    "GenogramRelationshipForm",
    "IMRFilterForm",
    "IntegratedFilterForm",
    "InterviewForm",
    "InterviewHeldForm",
    "InterviewOutcomeForm",
    "InterviewSummaryForm",
    "InterviewWithdrawForm",
    "NilReturnForm",
    "NominationForm",
    "PlanActionForm",
    "PlanRecommendationForm",
    "QualityAssuranceForm",
    "ReportUploadForm",
    "SectionForm",
    "SignatureForm",
    "StartForm",
    "TimeField",
    "reason_form",
]

"""Forms of the IMR pages, one module per part of the IMR. They check the input; the services in
`imr.services` enforce the rules and may still refuse (their errors go back on the form through
`add_service_error`)."""

from .chronology import ChronologyEntryForm, ChronologyImportForm, IntegratedFilterForm, TimeField
from .workflow import (
    CommissionForm,
    ConfirmForm,
    FurtherInformationRequestForm,
    FurtherInformationResponseForm,
    IMRFilterForm,
    NilReturnForm,
    NominationForm,
    QualityAssuranceForm,
    SignOffForm,
    StartForm,
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
    "SignOffForm",
    "StartForm",
    "TimeField",
]

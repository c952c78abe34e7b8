"""The imr app's records, one module per aggregate: the IMR and its sign-off and quality assurance, the
chronology, the genogram, the interviews and the action plan."""

from scr_portal.models.tracking import track_changes

from .chronology import ChronologyEntry, ChronologyImport, ImportStatus
from .genogram import GenogramPerson, GenogramRelationship, RelationshipKind, Sex
from .imr import (
    AUTHOR_REPLACEABLE_STATES,
    AUTHOR_WRITES_STATES,
    COMPLETE_STATES,
    IMR,
    INTEGRATED_STATES,
    Appendix,
    AuthorDeclaration,
    FurtherInformationRequest,
    IMRState,
    QADecision,
    QualityAssurance,
    SignOff,
)
from .interviews import Interview, InterviewState
from .plan import ActionPlanAction, ActionPlanRecommendation

__all__ = [
    "AUTHOR_REPLACEABLE_STATES",
    "AUTHOR_WRITES_STATES",
    "COMPLETE_STATES",
    "IMR",
    "INTEGRATED_STATES",
    "ActionPlanAction",
    "ActionPlanRecommendation",
    "Appendix",
    "AuthorDeclaration",
    "ChronologyEntry",
    "ChronologyImport",
    "FurtherInformationRequest",
    "GenogramPerson",
    "GenogramRelationship",
    "IMRState",
    "ImportStatus",
    "Interview",
    "InterviewState",
    "QADecision",
    "QualityAssurance",
    "RelationshipKind",
    "Sex",
    "SignOff",
]

# Change history (scr_portal/history.py): IMRs, chronologies, genograms, interviews, IMR action plans.
track_changes(
    IMR,
    SignOff,
    QualityAssurance,
    FurtherInformationRequest,
    ChronologyEntry,
    GenogramPerson,
    GenogramRelationship,
    Interview,
    ActionPlanRecommendation,
    ActionPlanAction,
    Appendix,
)

from .clock import (
    BoardClosureDay,
    BoardSettingChange,
    BoardTimescale,
    CalendarFeed,
    Deadline,
    DeadlineExtension,
    DeadlineRule,
    DeadlineStatus,
    DurationUnit,
    ReminderStep,
    SentReminder,
)
from .documents import (
    AnonymisationCheck,
    CaseKeyPerson,
    CheckOutcome,
    DocumentDownload,
    DocumentStatus,
    DocumentTemplateVersion,
    GeneratedDocument,
    KeyRole,
)
from .files import ScanStatus, StoredFile
from .people import (
    BUSINESS_UNIT_ROLES,
    Agency,
    AgencyKind,
    Board,
    Membership,
    Nation,
    NotificationPreference,
    Role,
    TransitionLog,
    User,
    UserManager,
)
from .tracking import track_changes

__all__ = [
    "BUSINESS_UNIT_ROLES",
    "AccessAction",
    "AccessLog",
    "Agency",
    "AgencyKind",
    "AnonymisationCheck",
    "Board",
    "BoardClosureDay",
    "BoardSettingChange",
    "BoardTimescale",
    "CalendarFeed",
    "CaseKeyPerson",
    "CheckOutcome",
    "Deadline",
    "DeadlineExtension",
    "DeadlineRule",
    "DeadlineStatus",
    "DocumentDownload",
    "DocumentStatus",
    "DocumentTemplateVersion",
    "DurationUnit",
    "GeneratedDocument",
    "InformationRequest",
    "KeyRole",
    "LegalHold",
    "Membership",
    "Nation",
    "NotificationPreference",
    "ReminderStep",
    "RequestKind",
    "Role",
    "ScanStatus",
    "SentReminder",
    "StoredFile",
    "Tombstone",
    "TransitionLog",
    "User",
    "UserManager",
]

# Last: these import the models above.
from ..audit.models import (  # noqa: E402
    AccessAction,
    AccessLog,
    InformationRequest,
    LegalHold,
    RequestKind,
    Tombstone,
)

# Deadlines, documents' and files' metadata (each app tracks its own models the same way).
track_changes(
    Deadline,
    DeadlineExtension,
    GeneratedDocument,
    CaseKeyPerson,
    StoredFile,
)

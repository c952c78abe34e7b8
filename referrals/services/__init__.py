"""Every write to a referral, one module a stage: intake, agency checks, screening, the Chair's decision,
closure and external notifications. Each state change locks the row, checks the permission and the guard,
calls the django-fsm transition, saves, writes the transition log and opens or meets deadlines through the
clock, in one transaction; emails go after commit. Domain errors are ValidationError or PermissionDenied with
messages the pages show as they are. Everything is importable from here."""

from .checks import agency_check_answer, referral_send_agency_checks  # noqa: F401
from .closure import referral_mark_duplicate, referral_transfer, referral_withdraw  # noqa: F401
from .common import (  # noqa: F401
    AGENCY_OF_OTHER_BOARD,
    ALL_REPLIED,
    ALREADY_DECIDED,
    ALTERNATIVE_TYPE_REQUIRED,
    CANNOT_NOW,
    CHECK_AFTER_DECISION,
    CHECK_CLOSED,
    DECISION_NOTICE_TASKS,
    DUPLICATE_OF_CLOSED,
    DUPLICATE_OF_ITSELF,
    DUPLICATE_OTHER_BOARD,
    LEAD_BOARD_REQUIRED,
    NO_AGENCIES,
    NO_DECISION_YET,
    NOT_A_DRAFT,
    NOT_READY_TO_DECIDE,
    NOT_SUBCOMMITTEE,
    ONLY_CHAIR_DECIDES,
    POST_DECISION_TASKS,
    REASON_REQUIRED,
    REASONS_REQUIRED_DEPART,
    REASONS_REQUIRED_NFA,
    REVIEW_TYPE_FOR,
)
from .decision import _close_open_work, decision_take_effect, departs_from_advice, referral_decide  # noqa: F401
from .intake import (  # noqa: F401
    part1_problems,
    referral_create_draft,
    referral_replace_rows,
    referral_submit,
    referral_update,
)
from .notifications import external_notification_record  # noqa: F401
from .partners import (  # noqa: F401
    ALREADY_CONFIRMED,
    NOT_A_PARTNER_LEAD,
    NOT_SENT_TO_PANEL,
    NOTHING_TO_CONFIRM,
    panel_response_record,
    partners_decision_confirm,
)
from .rescind import NOT_DECIDED, ONLY_CHAIR_RESCINDS, referral_rescind_decision, rescind_refusal  # noqa: F401
from .screening import referral_record_recommendation, referral_schedule_screening  # noqa: F401

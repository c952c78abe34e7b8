"""The IMR page and the author's workspace, one module a part: the page, sections and files, the genogram, the
interviews and the single-agency action plan."""

from .files import (  # noqa: F401
    imr_appendix_add,
    imr_file_download,
    imr_report_check_override,
    imr_report_upload,
    imr_section,
)
from .genogram import (  # noqa: F401
    imr_genogram,
    imr_genogram_person,
    imr_genogram_person_delete,
    imr_genogram_relationship,
    imr_genogram_relationship_delete,
)
from .interviews import (  # noqa: F401
    imr_interview_add,
    imr_interview_detail,
    imr_interview_step,
    imr_interviews,
)
from .page import imr_detail  # noqa: F401
from .plan import (  # noqa: F401
    imr_action_plan,
    imr_plan_action,
    imr_plan_action_delete,
    imr_plan_recommendation,
    imr_plan_recommendation_delete,
)

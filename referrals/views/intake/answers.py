"""Check your answers, submission and the confirmation (domain brief §4.1 DRAFT to SUBMITTED)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ...criteria import referral_advice
from ...frameworks import side
from ...models import (
    Advice,
    CpPlan,
    CriterionGroup,
    Referral,
    ReferralState,
    Trigger,
)
from ...permissions import (
    get_referral_for_user,
)
from ...selectors import (
    ADVICE_TAGS,
)
from ...services import (
    part1_problems,
    referral_submit,
)
from .sections import PROBLEM_ANCHORS, ErrorSummary, _editable_draft, section_url

# --- Check your answers, submission and confirmation ---------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    key: str
    value: str
    anchor: str = ""


@dataclass
class AnswerSection:
    slug: str
    title: str
    rows: list = field(default_factory=list)
    head: list = field(default_factory=list)
    table: list = field(default_factory=list)
    empty: str = ""
    groups: list = field(default_factory=list)
    change_url: str = ""


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _yes_no(value) -> str:
    return {True: "Yes", False: "No"}.get(value, "")


def answer_sections(referral: Referral, *, change: bool, checklist: bool = True) -> list[AnswerSection]:
    """Part 1 as summary lists and tables, for check your answers (with Change links) and the referral
    page. Four queries (rows of three relations and the checklist) whatever the number of rows."""
    cp = dict(CpPlan.choices)
    triggers = dict(Trigger.choices)

    def url(slug: str, anchor: str = "") -> str:
        return section_url(referral, slug, change=True, anchor=anchor) if change else ""

    referrer = AnswerSection("referrer", "Referrer", change_url=url("referrer"))
    referrer.rows = [
        AnswerRow("Name", referral.referrer_name, "id_referrer_name"),
        AnswerRow(
            "Agency", referral.referrer_agency.name if referral.referrer_agency else "", "id_referrer_agency"
        ),
        AnswerRow("Job title", referral.referrer_job_title, "id_referrer_job_title"),
        AnswerRow("Email address", referral.referrer_email, "id_referrer_email"),
        AnswerRow("Telephone number", referral.referrer_phone, "id_referrer_phone"),
        AnswerRow("Line manager", referral.referrer_line_manager, "id_referrer_line_manager"),
    ]
    if referral.entered_on_behalf:
        referrer.rows.append(AnswerRow("Date received", _date(referral.received_on), "id_received_on_0"))

    child = AnswerSection("child", "Child", change_url=url("child"))
    child.rows = [
        AnswerRow("Name", referral.child_name, "id_child_name"),
        AnswerRow("Date of birth", _date(referral.child_date_of_birth), "id_child_date_of_birth_0"),
        AnswerRow("Date of death", _date(referral.child_date_of_death), "id_child_date_of_death_0"),
        AnswerRow("Date of the incident", _date(referral.incident_date), "id_incident_date_0"),
        *(
            [AnswerRow("Local authority aware", _date(referral.aware_on), "id_aware_on_0")]
            if side(referral).needs_aware_on
            else []
        ),
        AnswerRow("Home address", referral.child_address, "id_child_address"),
        AnswerRow("Ethnic origin", referral.child_ethnicity, "id_child_ethnicity"),
        AnswerRow("Child protection plan", cp.get(referral.child_cp_plan, ""), "id_child_cp_plan_0"),
        AnswerRow("Where the child was", referral.child_whereabouts, "id_child_whereabouts"),
        AnswerRow("Who was caring for the child", referral.child_carer, "id_child_carer"),
    ]

    family = AnswerSection(
        "family",
        "Family and significant others",
        head=["Name", "Relationship", "Date of birth", "Address", "Legal status", "Ethnic origin", "CP plan"],
        empty="No one has been added.",
        change_url=url("family"),
    )
    family.table = [
        [
            m.name,
            m.relationship,
            _date(m.date_of_birth),
            m.address,
            m.legal_status,
            m.ethnicity,
            cp.get(m.cp_plan, ""),
        ]
        for m in referral.family.all()
    ]

    agencies = AnswerSection(
        "agencies",
        "Other agencies involved",
        head=["Agency", "Worker", "Contact details", "Still involved"],
        empty="No agency has been added.",
        change_url=url("agencies"),
    )
    agencies.table = [
        [row.agency.name, row.worker_name, row.contact_details, _yes_no(row.still_involved)]
        for row in referral.involved_agencies.select_related("agency")
    ]

    if referral.lead_board_is_this_board is None:
        lead = ""
    else:
        lead = (
            "This board"
            if referral.lead_board_is_this_board
            else f"Another board: {referral.lead_board_name}"
        )
    circumstances = AnswerSection("circumstances", "What happened", change_url=url("circumstances"))
    circumstances.rows = [
        AnswerRow("Brief account", referral.brief_account, "id_brief_account"),
        AnswerRow(
            "Triggering circumstances",
            "\n".join(triggers.get(code, code) for code in referral.triggers or []),
            "id_triggers_0",
        ),
        AnswerRow("Account of the triggering circumstances", referral.trigger_account, "id_trigger_account"),
        AnswerRow("Other children at risk", referral.other_children_at_risk, "id_other_children_at_risk"),
        AnswerRow(
            "Designated professional or Board member consulted",
            _yes_no(referral.designated_professional_consulted),
            "id_designated_professional_consulted",
        ),
        AnswerRow(
            "Referral made to children's social care",
            _yes_no(referral.csc_referral_made),
            "id_csc_referral_made",
        ),
        AnswerRow("Media interest", _yes_no(referral.media_interest), "id_media_interest_0"),
        AnswerRow("Board that should lead", lead, "id_lead_board_0"),
    ]

    sections = [referrer, child, family, agencies, circumstances]
    if checklist:
        criteria = AnswerSection("criteria", "Screening checklist", change_url=url("criteria"))
        labels = dict(CriterionGroup.choices)
        answers = referral.criteria_answers or {}
        grouped: dict[str, list] = {}
        questions = referral.framework.questions.all() if referral.framework_id else []
        for question in questions:
            grouped.setdefault(question.group, []).append(
                AnswerRow(
                    f"{question.code}: {question.text}",
                    _yes_no(answers.get(question.code)),
                    f"id_criterion_{question.code}_0",
                )
            )
        criteria.groups = [(labels.get(group, group), rows) for group, rows in grouped.items()]
        sections.append(criteria)

    key_dates = AnswerSection(
        "key-dates",
        "Chronology of key dates",
        head=["Date", "Time", "What happened"],
        empty="No key dates have been added.",
        change_url=url("key-dates"),
    )
    key_dates.table = [
        [_date(row.date), row.time.strftime("%H:%M") if row.time else "", row.event]
        for row in referral.key_dates.all()
    ]
    sections.append(key_dates)
    return sections


@require_http_methods(["GET", "POST"])
def referral_check_answers(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _editable_draft(request, pk)
    if isinstance(referral, HttpResponse):
        return referral
    submit_errors: list[str] = []
    if request.method == "POST":
        try:
            referral_submit(referral=referral, actor=request.user)
        except ValidationError as error:
            submit_errors = list(error.messages)
        else:
            return redirect("referral_confirmation", pk=referral.pk)
    referral = Referral.objects.select_related("board", "referrer_agency", "framework").get(pk=referral.pk)
    problems = part1_problems(referral, today=timezone.localdate())
    items = [
        (section_url(referral, section, change=True, anchor=PROBLEM_ANCHORS.get(message, "")), message)
        for section, message in problems
    ]
    known = {message for _, message in problems}
    items += [("", message) for message in submit_errors if message not in known]
    advice = referral_advice(referral)
    return render(
        request,
        "referrals/intake/check_answers.html",
        {
            "referral": referral,
            "problems": ErrorSummary(items),
            "tried": request.method == "POST",
            "sections": answer_sections(referral, change=True),
            "advice": advice,
            "advice_label": Advice(advice.advice).label,
            "advice_tag": ADVICE_TAGS.get(advice.advice, ""),
        },
    )


@require_GET
def referral_confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk)
    if referral.state == ReferralState.DRAFT:
        return redirect("referral_check_answers", pk=referral.pk)
    return render(request, "referrals/intake/confirmation.html", {"referral": referral})

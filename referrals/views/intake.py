"""Referral intake pages: starting a referral, the Part 1 question flow with "save and come back later",
check your answers and submission (domain brief §6.1, §4.1 DRAFT → SUBMITTED); the business unit's
referral list; the referral page with its timeline; and the user's own referrals.

Views are thin: they fetch through `referrals.permissions`, validate with the forms of
`referrals.forms.intake`, write only through `referrals.services`, and read lists through
`referrals.selectors`, in a number of queries that does not depend on how many rows there are."""

import logging
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from scr_portal.clock.schedule import describe_due
from scr_portal.clock.selectors import closures_by_board
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.permissions import WORK_CASES, user_has_board_perm

from ..criteria import compute_advice
from ..forms.intake import (
    ChildForm,
    CircumstancesForm,
    CriteriaForm,
    FamilyRows,
    InvolvedAgencyRows,
    KeyDateRows,
    ReferralFilterForm,
    ReferrerForm,
    StartForm,
)
from ..models import (
    Advice,
    CpPlan,
    CriterionGroup,
    Referral,
    ReferralState,
    Trigger,
)
from ..permissions import (
    can_create_referral,
    get_referral_for_user,
    referrals_visible_to,
    sees_all_referrals,
    user_may,
)
from ..selectors import (
    ADVICE_TAGS,
    STATE_TAGS,
    available_actions,
    referral_page,
    referral_timeline,
    referrals_for_list,
)
from ..services import (
    NOT_A_DRAFT,
    part1_problems,
    referral_create_draft,
    referral_replace_rows,
    referral_submit,
    referral_update,
)

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
MAX_EXTRA_ROWS = 10


# --- The sections of Part 1 ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    kind: str  # "form", "criteria" or "rows"
    form: type
    relation: str = ""
    add_label: str = ""
    intro: str = ""


SECTIONS = [
    Section("referrer", "About the person making the referral", "form", ReferrerForm),
    Section("child", "About the child", "form", ChildForm),
    Section(
        "family",
        "Family and significant others",
        "rows",
        FamilyRows,
        relation="family",
        add_label="Add another person",
        intro="Add one row for each parent, carer, brother or sister, and anyone else significant in the "
        "child's life. Leave the last row blank if you have no one more to add.",
    ),
    Section(
        "agencies",
        "Other agencies involved",
        "rows",
        InvolvedAgencyRows,
        relation="involved_agencies",
        add_label="Add another agency",
        intro="Add one row for each agency that has worked with the child or family. Leave the last row "
        "blank if you have no more to add.",
    ),
    Section("circumstances", "What happened", "form", CircumstancesForm),
    Section(
        "criteria",
        "Screening checklist",
        "criteria",
        CriteriaForm,
        intro="Answer every question. From your answers the portal suggests whether the case meets the "
        "threshold for a serious case review. This is advice only: the LSCB Chair decides.",
    ),
    Section(
        "key-dates",
        "Chronology of key dates",
        "rows",
        KeyDateRows,
        relation="key_dates",
        add_label="Add another event",
        intro="Add the key events that led to the referral, oldest first. Leave the last row blank if you "
        "have no more to add.",
    ),
]
SECTION_BY_SLUG = {section.slug: section for section in SECTIONS}

# Where each of part1_problems' messages is answered, so the error summary links to the question itself.
PROBLEM_ANCHORS = {
    "Enter the referrer's name": "id_referrer_name",
    "Select the referrer's agency": "id_referrer_agency",
    "Enter the referrer's email address": "id_referrer_email",
    "Enter the date the referral was received": "id_received_on_0",
    "Enter the child's name": "id_child_name",
    "Enter the child's date of birth": "id_child_date_of_birth_0",
    "Enter the date of the critical incident": "id_incident_date_0",
    "Select whether the child has been on a child protection plan": "id_child_cp_plan_0",
    "Date of birth must be in the past": "id_child_date_of_birth_0",
    "Date of death must be the same as or after the date of birth": "id_child_date_of_death_0",
    "Date of the incident must be the same as or after the date of birth": "id_incident_date_0",
    "Date of the incident must be today or in the past": "id_incident_date_0",
    "Enter a brief account of the facts": "id_brief_account",
    "Select at least one triggering circumstance": "id_triggers_0",
    "Describe the triggering circumstances": "id_trigger_account",
    "Say whether other children may be at risk": "id_other_children_at_risk",
    "Confirm that the designated professional or your agency's Board member was consulted": (
        "id_designated_professional_consulted"
    ),
    "Confirm that a referral to children's social care was made": "id_csc_referral_made",
    "Say which board should lead": "id_lead_board_0",
}


@dataclass
class ErrorSummary:
    """What the error summary include needs, for pages whose errors come from more than one form."""

    items: list = field(default_factory=list)

    @property
    def errors(self) -> bool:
        return bool(self.items)

    def error_summary_items(self) -> list[tuple[str, str]]:
        return self.items


def section_url(referral: Referral, slug: str, *, change: bool = False, anchor: str = "") -> str:
    url = reverse("referral_section", args=[referral.pk, slug])
    return f"{url}{'?change=1' if change else ''}{f'#{anchor}' if anchor else ''}"


def _editable_draft(request: HttpRequest, pk: int):
    """The draft, if the user is its author; a redirect to the referral page once it is submitted. A POST
    by anyone else is refused (403) whatever the state, never answered with a redirect that looks like
    success."""
    referral = get_referral_for_user(request.user, pk)
    if request.method == "POST" and not user_may(request.user, referral, "edit_draft"):
        raise PermissionDenied("Only the person who started this referral can change it.")
    if referral.state != ReferralState.DRAFT:
        messages.info(request, NOT_A_DRAFT)
        return redirect("referral_detail", pk=referral.pk)
    if not user_may(request.user, referral, "edit_draft"):
        raise PermissionDenied("Only the person who started this referral can change it.")
    return referral


def _bind(section: Section, referral: Referral, data, *, strict: bool, today, extra: int):
    if section.kind == "rows":
        return section.form(
            data,
            referral=referral,
            today=today,
            rows=section.form.rows_of(referral),
            extra=extra,
            prefix=section.slug,
        )
    if section.kind == "criteria":
        questions = referral.framework.questions.all() if referral.framework_id else []
        return section.form(data, referral=referral, today=today, strict=strict, questions=questions)
    return section.form(data, referral=referral, today=today, strict=strict)


def _save(section: Section, referral: Referral, actor, bound) -> None:
    if section.kind == "rows":
        referral_replace_rows(referral=referral, actor=actor, relation=section.relation, rows=bound.rows())
    else:
        referral_update(referral=referral, actor=actor, **bound.values())


def _extra_rows(value: str | None) -> int:
    return min(int(value), MAX_EXTRA_ROWS) if value and value.isdigit() and int(value) > 0 else 1


@require_http_methods(["GET", "POST"])
def referral_start(request: HttpRequest) -> HttpResponse:
    board = request.board
    if not can_create_referral(request.user, board):
        raise PermissionDenied("Your role on this board does not include making referrals.")
    may_enter_on_behalf = user_has_board_perm(request.user, board, WORK_CASES)
    form = StartForm(
        request.POST if request.method == "POST" else None, may_enter_on_behalf=may_enter_on_behalf
    )
    if request.method == "POST" and form.is_valid():
        referral = referral_create_draft(
            board=board, actor=request.user, on_behalf=form.cleaned_data.get("on_behalf", False)
        )
        return redirect("referral_section", pk=referral.pk, section=SECTIONS[0].slug)
    return render(
        request,
        "referrals/intake/start.html",
        {"board": board, "form": form, "sections": SECTIONS, "may_enter_on_behalf": may_enter_on_behalf},
    )


@require_http_methods(["GET", "POST"])
def referral_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    spec = SECTION_BY_SLUG.get(section)
    if spec is None:
        raise Http404("No such part of the referral.")
    referral = _editable_draft(request, pk)
    if isinstance(referral, HttpResponse):
        return referral
    posted = request.method == "POST"
    later = posted and request.POST.get("action") == "later"
    adding = posted and "add" in request.POST
    changing = request.GET.get("change") == "1"
    bound = _bind(
        spec,
        referral,
        request.POST if posted else None,
        strict=not later,
        today=timezone.localdate(),
        extra=_extra_rows(request.GET.get("extra")),
    )
    service_errors: list[str] = []
    saved_partially = False
    if posted:
        valid = bound.is_valid()
        # "Save and come back later" keeps every answer without an error, even when others have one (but
        # never replaces the rows with nothing because the formset's management data did not arrive).
        partial_ok = later and (spec.kind != "rows" or bound.management_form.is_valid())
        if valid or partial_ok:
            try:
                _save(spec, referral, request.user, bound)
            except ValidationError as error:
                if spec.kind == "rows":
                    service_errors = list(error.messages)
                else:
                    bound.add_service_error(error)
            else:
                if valid:
                    return _after_save(request, spec, referral, bound, later, adding, changing)
                saved_partially = True
    index = SECTIONS.index(spec)
    if changing:
        back_url = reverse("referral_check_answers", args=[referral.pk])
    elif index:
        back_url = section_url(referral, SECTIONS[index - 1].slug)
    else:
        back_url = reverse("my_referrals")
    summary = ErrorSummary([*(("", message) for message in service_errors), *bound.error_summary_items()])
    return render(
        request,
        "referrals/intake/section.html",
        {
            "referral": referral,
            "section": spec,
            "number": index + 1,
            "total": len(SECTIONS),
            "form": summary,
            "section_form": bound,
            "back_url": back_url,
            "saved_partially": saved_partially,
        },
    )


def _after_save(request, spec: Section, referral: Referral, bound, later: bool, adding: bool, changing: bool):
    if later:
        messages.success(
            request,
            f"Your answers have been saved. You can come back to referral {referral.reference} at any time.",
        )
        return redirect("my_referrals")
    if adding:
        blank = sum(1 for form in bound.extra_forms if not form.has_changed())
        extra = min(blank + 1, MAX_EXTRA_ROWS)
        number = len(bound.rows()) + extra
        query = f"?extra={extra}{'&change=1' if changing else ''}"
        return redirect(f"{section_url(referral, spec.slug)}{query}#{spec.slug}-row-{number}")
    if changing:
        return redirect("referral_check_answers", pk=referral.pk)
    index = SECTIONS.index(spec)
    if index + 1 < len(SECTIONS):
        return redirect("referral_section", pk=referral.pk, section=SECTIONS[index + 1].slug)
    return redirect("referral_check_answers", pk=referral.pk)


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
    advice = compute_advice(referral.criteria_answers or {})
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


# --- Lists --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    state_tag: str
    advice_tag: str
    decision_text: str


@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    board = request.board
    if board is None or not sees_all_referrals(request.user, board):
        raise PermissionDenied(
            "Only the board's business unit, chairs, sub-committee and auditors see all referrals."
        )
    form = ReferralFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()  # the filters without an error still apply; the others are shown as errors
        filters = form.cleaned_data
    referrals = referrals_for_list(user=request.user, board=board, now=timezone.now(), **filters)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    closures = closures_by_board([board.pk]).get(board.pk, ())
    rows = []
    for referral in page.object_list:
        decision_text = ""
        if referral.decision_due and referral.decision_status in ACTIVE_STATUSES:
            decision_text = describe_due(
                due_date=referral.decision_due, today=today, nation=board.nation, closures=closures
            )
        elif referral.decision_status:
            decision_text = "Closed"
        rows.append(
            ReferralRow(
                referral=referral,
                state_tag=STATE_TAGS.get(referral.state, ""),
                advice_tag=ADVICE_TAGS.get(referral.advice, ""),
                decision_text=decision_text,
            )
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/list.html",
        {"board": board, "form": form, "rows": rows, "page": page, "query": query.urlencode()},
    )


@require_GET
def my_referrals(request: HttpRequest) -> HttpResponse:
    board = request.board
    referrals = (
        referrals_visible_to(request.user, board)
        .filter(created_by=request.user)
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        ReferralRow(
            referral=referral, state_tag=STATE_TAGS.get(referral.state, ""), advice_tag="", decision_text=""
        )
        for referral in page.object_list
    ]
    return render(
        request,
        "referrals/intake/mine.html",
        {"board": board, "rows": rows, "page": page, "can_start": can_create_referral(request.user, board)},
    )


# --- The referral page ---------------------------------------------------------------------------------


def _actions(user, referral: Referral) -> list:
    try:
        return available_actions(user, referral)
    except NoReverseMatch:
        logger.warning("A referral workflow page is not installed; no actions offered on %s", referral)
        return []


@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The referral page, at the level of access the person has (referrals.selectors.referral_page)."""
    page = referral_page(request.user, get_referral_for_user(request.user, pk), today=timezone.localdate())
    referral, full_view, level = page.referral, page.full_view, page.level
    screening, notifications = page.screening, page.notifications
    context = {
        "referral": referral,
        "level": level,
        "full_view": full_view,
        "state_tag": STATE_TAGS.get(referral.state, ""),
        "advice_tag": ADVICE_TAGS.get(referral.advice, ""),
        "actions": _actions(request.user, referral),
        "decision": getattr(referral, "decision", None),
        "decision_due": page.decision_due,
        "review": getattr(referral, "review", None) if full_view else None,
        "screening": screening,
        "members_present": list(screening.members_present.all()) if screening else [],
        "checks": page.checks,
        "notifications": notifications,
        "deadlines": page.deadlines,
        "sections": answer_sections(referral, change=False, checklist=full_view) if level != "status" else [],
        "timeline": referral_timeline(referral=referral, checks=page.raw_checks, notifications=notifications)
        if full_view
        else [],
    }
    return render(request, "referrals/detail.html", context)

"""Starting a referral and the Part 1 question flow, one page a section, with "save and come back later"
(domain brief §6.1)."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from scr_portal.permissions import WORK_CASES, user_has_board_perm

from ...forms.intake import (
    ChildForm,
    CircumstancesForm,
    CriteriaForm,
    ReferrerForm,
    StartForm,
)
from ...forms.rows import FamilyRows, InvolvedAgencyRows, KeyDateRows
from ...models import (
    Referral,
    ReferralState,
)
from ...permissions import (
    can_create_referral,
    get_referral_for_user,
    user_may,
)
from ...services import (
    NOT_A_DRAFT,
    referral_create_draft,
    referral_replace_rows,
    referral_update,
)

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
    "Enter the date the local authority became aware of the incident": "id_aware_on_0",
    "Date the local authority became aware must be today or in the past": "id_aware_on_0",
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

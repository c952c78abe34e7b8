"""The author's workspace: the standard-format sections, the report and its appendices, the genogram, the
interviews and the single-agency action plan. Only the nominated author writes, and only while the IMR is
open for changes (`_common.writable` locks the IMR row, so a change never races the sign-off)."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_fsm import can_proceed

from scr_portal.clock.services import deadline_meet_for, deadlines_of
from scr_portal.documents.owners import senior_may
from scr_portal.documents.services import (
    NOTHING_TO_OVERRIDE,
    anonymisation_override,
    case_key_fill,
    uploaded_file_check,
)
from scr_portal.services import refuse_problems
from scr_portal.transitions import state_change
from scr_portal.uploads import DOCUMENT_TYPES, check_upload, store_file

from ..models import (
    IMR,
    ActionPlanAction,
    ActionPlanRecommendation,
    Appendix,
    GenogramPerson,
    GenogramRelationship,
    Interview,
    RelationshipKind,
)
from ..parts import ACTION_PLAN, APPENDICES, GENOGRAM, INTERVIEWS, PART_OF_FIELD, REPORT
from ..sections import SECTION_FIELDS
from ..selectors import APPENDIX_KIND, REPORT_KIND, report_checks, report_versions
from ._common import CANNOT_NOW, cancel_deadlines, now_or, open_deadline, touch, writable

UNKNOWN_FIELD = "That is not a section of the IMR."
TITLE_REQUIRED = "Enter a title for the appendix."
SAME_PERSON = "Choose two different people."
PERSON_OF_OTHER_IMR = "Choose people from this IMR's genogram."
LINE_EXISTS = "That relationship is already on the genogram."
ONLY_MANAGER_OVERRIDES = (
    "Only the business manager can release an IMR report the anonymisation check blocked."
)
DEATH_BEFORE_BIRTH = "The date of death must be the same as or after the date of birth."
DEATH_WITHOUT_DECEASED = "Tick ‘Deceased’ if you give a date of death."
NOTICE_TOO_SHORT = (
    "Give at least {notice}’ notice of the interview (Solihull §11.1.3): the interview must be on or after "
    "{earliest}. If the interviewee agreed to a shorter notice, say so."
)
SUPPORTER_INVOLVED = (
    "A supporter must not be directly involved in the review. Confirm that the supporter is not, or leave "
    "the supporter out."
)
INTERVIEW_BEFORE_INVITE = "The interview date must be after the date of the invitation."
HELD_BEFORE_INVITATION = "The interview must have been held after the invitation of {invited}."
HELD_BEFORE_NOTICE = (
    "The interview cannot have been held before its notice period ended on {earliest} (Solihull §11.1.3). "
    "Check the date: the interviewee did not agree to a shorter notice."
)
WITHDRAWN_DATE_REQUIRED = "Enter the date."
WITHDRAW_REASON = "Give the reason."
WITHDRAWN_BEFORE_INVITATION = "The date must be on or after the date of the invitation."
SUMMARY_REQUIRED = "Enter the summary of the interview."
DISAGREEMENT_REQUIRED = "Say what the interviewee disagrees with."
TIMESCALE_REQUIRED = "Enter the date the action is due by, or say that it is ongoing."


def _writable_with(imr: IMR, actor, part: str, *imr_ids: int, refusal: str = CANNOT_NOW) -> IMR:
    """`writable` for `part`, refusing with `refusal` unless every one of `imr_ids` (the IMRs of the items
    changed) is this IMR."""
    current = writable(imr, actor, part)
    if any(imr_id != current.pk for imr_id in imr_ids):
        raise ValidationError(refusal)
    return current


def _saved(item, imr: IMR):
    item.full_clean()
    item.save()
    touch(imr)
    return item


def _deleted(item, imr: IMR) -> None:
    item.delete()
    touch(imr)


def _no_future(value: dt.date | None, field: str, now) -> None:
    if value and value > timezone.localtime(now).date():
        raise ValidationError({field: "The date must be today or in the past."})


# --- Sections and files -------------------------------------------------------------------------------


@transaction.atomic
def imr_update_section(*, imr: IMR, actor, now=None, **fields) -> IMR:
    """Save the text of one section of the standard format (Solihull App 6)."""
    now = now_or(now)
    unknown = set(fields) - set(SECTION_FIELDS)
    if unknown:
        raise ValidationError(UNKNOWN_FIELD)
    current = writable(imr, actor, *sorted({PART_OF_FIELD[name] for name in fields}))
    for name, value in fields.items():
        setattr(current, name, (value or "").strip())
    current.updated_at = now
    current.save(update_fields=[*fields, "updated_at"])
    return current


@transaction.atomic
def imr_report_upload(*, imr: IMR, actor, upload, now=None):
    """A new version of the IMR report (PDF, DOCX or ODT, checked by content). Every version is kept."""
    current = writable(imr, actor, REPORT)
    checked = check_upload(upload, allowed=DOCUMENT_TYPES)
    stored = store_file(
        checked=checked, board=current.review.board, owner=current, kind=REPORT_KIND, actor=actor
    )
    # Checked at once, as the overview report is: a report the check blocks does not go to Ofsted.
    case_key_fill(owner=current, actor=actor, now=now)
    uploaded_file_check(stored_file=stored, owner=current, actor=actor, now=now)
    touch(current, now)
    return stored


@transaction.atomic
def imr_report_check_override(*, imr: IMR, version_pk: int, actor, reason: str, now=None):
    """The business manager releases a version of the IMR report the anonymisation check blocked, for a
    recorded reason, so the IMRs can go to Ofsted (domain brief §8.1; issue 16). As for the overview report,
    the reason is kept with the check and written to the transition log."""
    if not senior_may(actor, imr.review.board, "override"):
        raise PermissionDenied(ONLY_MANAGER_OVERRIDES)
    version = report_versions(imr).filter(pk=version_pk).first()
    check = report_checks([version]).get(version.pk) if version else None
    if check is None or check.releases:
        raise ValidationError(NOTHING_TO_OVERRIDE)
    return anonymisation_override(check=check, actor=actor, reason=reason, now=now)


@transaction.atomic
def imr_appendix_add(*, imr: IMR, actor, title: str, upload, now=None) -> Appendix:
    now = now_or(now)
    current = writable(imr, actor, APPENDICES)
    if not (title or "").strip():
        raise ValidationError({"title": TITLE_REQUIRED})
    checked = check_upload(upload, allowed=DOCUMENT_TYPES)
    stored = store_file(
        checked=checked, board=current.review.board, owner=current, kind=APPENDIX_KIND, actor=actor
    )
    touch(current, now)
    return Appendix.objects.create(
        imr=current, title=title.strip(), file=stored, added_by=actor, added_at=now
    )


# --- Genogram -----------------------------------------------------------------------------------------


@transaction.atomic
def genogram_person_save(
    *, imr: IMR, actor, person: GenogramPerson | None = None, **fields
) -> GenogramPerson:
    current = _writable_with(
        imr, actor, GENOGRAM, *([person.imr_id] if person else []), refusal=PERSON_OF_OTHER_IMR
    )
    born, died = fields.get("date_of_birth"), fields.get("date_of_death")
    if died and not fields.get("deceased"):
        raise ValidationError({"date_of_death": DEATH_WITHOUT_DECEASED})
    if born and died and died < born:
        raise ValidationError({"date_of_death": DEATH_BEFORE_BIRTH})
    person = person or GenogramPerson(imr=current)
    for name, value in fields.items():
        setattr(person, name, value)
    return _saved(person, current)


@transaction.atomic
def genogram_person_delete(*, imr: IMR, actor, person: GenogramPerson) -> None:
    current = _writable_with(imr, actor, GENOGRAM, person.imr_id, refusal=PERSON_OF_OTHER_IMR)
    _deleted(person, current)  # their relationship lines go with them


@transaction.atomic
def genogram_relationship_add(
    *, imr: IMR, actor, person_a: GenogramPerson, person_b: GenogramPerson, kind: str
) -> GenogramRelationship:
    current = _writable_with(
        imr, actor, GENOGRAM, person_a.imr_id, person_b.imr_id, refusal=PERSON_OF_OTHER_IMR
    )
    if person_a.pk == person_b.pk:
        raise ValidationError({"person_b": SAME_PERSON})
    if kind not in RelationshipKind.values:
        raise ValidationError({"kind": "Select the kind of relationship."})
    symmetric = kind != RelationshipKind.PARENT_CHILD
    pairs = [(person_a, person_b), (person_b, person_a)] if symmetric else [(person_a, person_b)]
    if any(GenogramRelationship.objects.filter(person_a=a, person_b=b, kind=kind).exists() for a, b in pairs):
        raise ValidationError(LINE_EXISTS)
    line = GenogramRelationship.objects.create(imr=current, person_a=person_a, person_b=person_b, kind=kind)
    touch(current)
    return line


@transaction.atomic
def genogram_relationship_delete(*, imr: IMR, actor, line: GenogramRelationship) -> None:
    _deleted(line, _writable_with(imr, actor, GENOGRAM, line.imr_id, refusal=PERSON_OF_OTHER_IMR))


# --- Interviews (Solihull §11.1, App 8) ----------------------------------------------------------------


@contextmanager
def _interview_step(
    interview: Interview, actor, transition: str, *fields: str, reason: str = ""
) -> Iterator[Interview]:
    """The interview, locked, for the block to run `transition` on; saved with the state and `fields` after
    it, with its transition log row on the review's board. Only the author writes interview records (the
    agency reads them; the panel never sees them), and only when `transition` can run now."""
    imr = writable(interview.imr, actor, INTERVIEWS)
    locked = Interview.objects.select_for_update().get(pk=interview.pk)
    if not can_proceed(getattr(locked, transition)):
        raise ValidationError(CANNOT_NOW)
    with state_change(
        locked, transition, actor=actor, reason=reason, board=imr.review.board, update_fields=fields
    ):
        yield locked


@transaction.atomic
def interview_invite(
    *,
    imr: IMR,
    actor,
    interviewee_name: str,
    job_title: str,
    invited_on: dt.date,
    interview_date: dt.date,
    venue: str,
    supporter: str = "",
    supporter_not_involved: bool = False,
    files_access_arranged: bool = False,
    shorter_notice_agreed: bool = False,
    qualifications: str = "",
    time_in_post: str = "",
    employer: str = "",
    role_in_case: str = "",
    now=None,
) -> Interview:
    """An invitation with at least two weeks' notice (the 'interview-notice' deadline, at the board's
    timescale), a supporter who is not directly involved, and access to the files during the notice period
    (Solihull §11.1.3–11.1.4; domain brief §2.2)."""
    now = now_or(now)
    current = writable(imr, actor, INTERVIEWS)
    if interview_date <= invited_on:
        raise ValidationError({"interview_date": INTERVIEW_BEFORE_INVITE})
    if supporter.strip() and not supporter_not_involved:
        raise ValidationError({"supporter_not_involved": SUPPORTER_INVOLVED})
    interview = Interview.objects.create(
        imr=current,
        interviewee_name=interviewee_name.strip(),
        job_title=job_title.strip(),
        qualifications=qualifications.strip(),
        time_in_post=time_in_post.strip(),
        employer=employer.strip(),
        role_in_case=role_in_case.strip(),
        invited_on=invited_on,
        interview_date=interview_date,
        venue=venue.strip(),
        supporter=supporter.strip(),
        supporter_not_involved=supporter_not_involved,
        files_access_arranged=files_access_arranged,
        shorter_notice_agreed=shorter_notice_agreed,
        created_by=actor,
        created_at=now,
    )
    trigger = timezone.make_aware(dt.datetime.combine(invited_on, dt.time(9, 0)))
    notice = open_deadline(
        current,
        "interview-notice",
        actor=actor,
        now=now,
        responsible_users=[actor],
        subject=interview,
        trigger_at=trigger,
        title="Interview notice period ends (earliest interview date)",
    )
    if interview_date < notice.due_date and not shorter_notice_agreed:
        raise ValidationError(
            {
                "interview_date": NOTICE_TOO_SHORT.format(
                    notice=f"{notice.amount} {notice.get_unit_display()}",
                    earliest=f"{notice.due_date:%d/%m/%Y}",
                )
            }
        )
    touch(current, now)
    return interview


def _notice_ends(interview: Interview) -> dt.date | None:
    notice = deadlines_of(interview).filter(rule__code="interview-notice").first()
    return notice.due_date if notice is not None else None


@transaction.atomic
def interview_record_held(*, interview: Interview, actor, held_on: dt.date, now=None) -> Interview:
    """Held after the invitation and, unless the interviewee agreed to shorter notice, not before the
    notice period has run (Solihull §11.1.3)."""
    now = now_or(now)
    with _interview_step(interview, actor, "record_held", "held_on") as step:
        _no_future(held_on, "held_on", now)
        if held_on and held_on <= step.invited_on:
            raise ValidationError(
                {"held_on": HELD_BEFORE_INVITATION.format(invited=f"{step.invited_on:%d/%m/%Y}")}
            )
        earliest = _notice_ends(step)
        if held_on and earliest and held_on < earliest and not step.shorter_notice_agreed:
            raise ValidationError({"held_on": HELD_BEFORE_NOTICE.format(earliest=f"{earliest:%d/%m/%Y}")})
        step.record_held(held_on=held_on)
    deadline_meet_for(subject=step, rule_code="interview-notice", actor=actor, at=now)
    return step


@transaction.atomic
def interview_withdraw(
    *, interview: Interview, actor, declined: bool, on: dt.date | None, reason: str, now=None
) -> Interview:
    """An invitation that falls through: the author cancels it, or records that the interviewee declined.
    The notice deadline no longer applies."""
    now = now_or(now)
    transition = "decline" if declined else "cancel"
    reason = (reason or "").strip()
    with _interview_step(
        interview, actor, transition, "withdrawn_on", "withdrawn_reason", reason=reason
    ) as step:
        problems = {
            "on": None if on else WITHDRAWN_DATE_REQUIRED,
            "reason": None if reason else WITHDRAW_REASON,
        }
        refuse_problems(problems)
        _no_future(on, "on", now)
        if on < step.invited_on:
            raise ValidationError({"on": WITHDRAWN_BEFORE_INVITATION})
        getattr(step, transition)(on=on, reason=reason)
    cancel_deadlines(step, actor=actor, reason=f"Interview {step.get_state_display().lower()}.", now=now)
    return step


@transaction.atomic
def interview_send_summary(
    *, interview: Interview, actor, summary: str, sent_on: dt.date, now=None
) -> Interview:
    """The written summary goes to the interviewee to sign (Solihull §11.1.6, App 8)."""
    now = now_or(now)
    with _interview_step(interview, actor, "send_summary", "summary", "summary_sent_on") as step:
        if not (summary or "").strip():
            raise ValidationError({"summary": SUMMARY_REQUIRED})
        _no_future(sent_on, "sent_on", now)
        step.send_summary(summary=summary.strip(), sent_on=sent_on)
    return step


@transaction.atomic
def interview_record_outcome(
    *, interview: Interview, actor, signed: bool, on: dt.date, disagreement: str = "", now=None
) -> Interview:
    """Both copies signed, or the interviewee's disagreement noted (App 8)."""
    now = now_or(now)
    if signed:
        with _interview_step(interview, actor, "record_signed", "signed_on") as step:
            _no_future(on, "on", now)
            step.record_signed(signed_on=on)
        return step
    with _interview_step(interview, actor, "note_disagreement", "disagreement", "signed_on") as step:
        _no_future(on, "on", now)
        if not (disagreement or "").strip():
            raise ValidationError({"disagreement": DISAGREEMENT_REQUIRED})
        step.note_disagreement(disagreement=disagreement.strip(), noted_on=on)
    return step


# --- The single-agency action plan (Solihull App 13) ---------------------------------------------------


@transaction.atomic
def plan_recommendation_save(
    *, imr: IMR, actor, item: ActionPlanRecommendation | None = None, **fields
) -> ActionPlanRecommendation:
    """Add a recommendation (numbered next) or change `item`. `fields`: outcome, recommendation (the
    text), audit_information."""
    current = _writable_with(imr, actor, ACTION_PLAN, *([item.imr_id] if item else []))
    if item is None:
        number = (current.plan_recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
        item = ActionPlanRecommendation(imr=current, number=number)
    for name in ("outcome", "recommendation", "audit_information"):
        if name in fields:
            setattr(item, name, (fields[name] or "").strip())
    return _saved(item, current)


@transaction.atomic
def plan_recommendation_delete(*, imr: IMR, actor, recommendation: ActionPlanRecommendation) -> None:
    _deleted(recommendation, _writable_with(imr, actor, ACTION_PLAN, recommendation.imr_id))


@transaction.atomic
def plan_action_save(
    *,
    imr: IMR,
    actor,
    recommendation: ActionPlanRecommendation,
    item: ActionPlanAction | None = None,
    **fields,
) -> ActionPlanAction:
    """Add an action (numbered next within its recommendation) or change `item`. `fields`: action (the
    text), by_whom, by_when, ongoing, actions_taken."""
    current = writable(imr, actor, ACTION_PLAN)
    if recommendation.imr_id != current.pk or (
        item is not None and item.recommendation_id != recommendation.pk
    ):
        raise ValidationError(CANNOT_NOW)
    if not fields.get("ongoing") and not fields.get("by_when"):
        raise ValidationError({"by_when": TIMESCALE_REQUIRED})
    if item is None:
        number = (recommendation.actions.aggregate(n=Max("number"))["n"] or 0) + 1
        item = ActionPlanAction(recommendation=recommendation, number=number)
    for name in ("action", "by_whom", "by_when", "ongoing", "actions_taken"):
        if name in fields:
            value = fields[name]
            setattr(item, name, value.strip() if isinstance(value, str) else value)
    if item.ongoing:
        item.by_when = None
    return _saved(item, current)


@transaction.atomic
def plan_action_delete(*, imr: IMR, actor, action: ActionPlanAction) -> None:
    _deleted(action, _writable_with(imr, actor, ACTION_PLAN, action.recommendation.imr_id))

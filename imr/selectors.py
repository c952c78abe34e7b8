"""Reads about IMRs: the three the reviews app relies on (same names and meaning as before), and the rows
the IMR pages show — in a number of queries that does not depend on how many IMRs or chronology rows
there are."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, QuerySet

from reviews.agency_reports import AgencyReports
from scr_portal.clock.selectors import RAG_LABELS, RAG_TAGS, DeadlineRow, deadline_rows
from scr_portal.documents.selectors import latest_file_checks
from scr_portal.models import (
    AnonymisationCheck,
    Board,
    CheckOutcome,
    Deadline,
    Membership,
    Role,
    StoredFile,
    TransitionLog,
)
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.viewhelpers import TemplateRow, pk_url, short_date

from .chronology_io import ExportRow, child_age
from .models import (
    COMPLETE_STATES,
    IMR,
    INTEGRATED_STATES,
    ActionPlanRecommendation,
    ChronologyEntry,
    GenogramPerson,
    GenogramRelationship,
    IMRState,
    SignOff,
)

REPORT_KIND = "imr_report"
ENDED_WITHOUT_REPORT = (IMRState.NIL_RETURN, IMRState.CANCELLED)
APPENDIX_KIND = "imr_appendix"
IMPORT_KIND = "chronology_import"

STATE_TAGS = {
    IMRState.REQUESTED: "govuk-tag--grey",
    IMRState.NIL_RETURN: "govuk-tag--grey",
    IMRState.AUTHOR_NOMINATED: "govuk-tag--light-blue",
    IMRState.IN_PREPARATION: "govuk-tag--blue",
    IMRState.FACTUAL_CHECK: "govuk-tag--blue",
    IMRState.AGENCY_QA: "govuk-tag--blue",
    IMRState.AUTHOR_SIGNED: "govuk-tag--blue",
    IMRState.SIGNED_OFF: "govuk-tag--turquoise",
    IMRState.SUBMITTED: "govuk-tag--purple",
    IMRState.ACCEPTED: "govuk-tag--green",
    IMRState.RETURNED_FOR_REWORK: "govuk-tag--orange",
    IMRState.PRESENTED: "govuk-tag--green",
    IMRState.FURTHER_INFO_REQUESTED: "govuk-tag--yellow",
    IMRState.FURTHER_INFO_PROVIDED: "govuk-tag--yellow",
    IMRState.FURTHER_INFO_AUTHOR_SIGNED: "govuk-tag--blue",
    IMRState.FINAL: "govuk-tag--green",
    IMRState.CANCELLED: "govuk-tag--grey",
}


def imr_authors(review) -> list:
    """(author, agency) of every IMR of the review that has a nominated author."""
    return [
        (imr.author, imr.agency)
        for imr in IMR.objects.filter(review=review, author__isnull=False).select_related("author", "agency")
    ]


def is_imr_author_for_review(user, review) -> bool:
    return IMR.objects.filter(review=review, author=user).exists()


# (agency pk, state) of each of a review's IMRs, when read for many reviews at once (load_imr_states).
STATES_ATTR = "_imr_states"


def load_imr_states(reviews) -> None:
    """Each review's IMRs' (agency, state) in one query, for the questions below."""
    states: dict[int, list[tuple[int, str]]] = {review.pk: [] for review in reviews}
    if states:
        rows = IMR.objects.filter(review_id__in=list(states)).order_by()
        for review_id, agency_id, state in rows.values_list("review_id", "agency_id", "state"):
            states[review_id].append((agency_id, state))
    for review in reviews:
        setattr(review, STATES_ATTR, states[review.pk])


def review_imrs_complete(review) -> bool:
    """True when the review has IMRs and every one is accepted (or later) or a nil return."""
    loaded = getattr(review, STATES_ATTR, None)
    if loaded is not None:
        return bool(loaded) and all(state in COMPLETE_STATES for _, state in loaded)
    imrs = IMR.objects.filter(review=review)
    return imrs.exists() and not imrs.exclude(state__in=COMPLETE_STATES).exists()


def review_agency_ids(review):
    loaded = getattr(review, STATES_ATTR, None)
    if loaded is not None:
        return [agency_id for agency_id, _ in loaded]
    return IMR.objects.filter(review=review).values_list("agency_id", flat=True)


def review_any_accepted(review) -> bool:
    loaded = getattr(review, STATES_ATTR, None)
    if loaded is not None:
        return any(state in INTEGRATED_STATES for _, state in loaded)
    return IMR.objects.filter(review=review, state__in=INTEGRATED_STATES).exists()


def review_agency_reports():
    """What the reviews app asks of a review's IMRs (reviews.agency_reports), answered by this app."""
    return AgencyReports(
        authors=imr_authors,
        all_complete=review_imrs_complete,
        is_author=is_imr_author_for_review,
        for_review_page=lambda review: (
            IMR.objects.filter(review=review).select_related("agency", "author").order_by("agency__name")
        ),
        is_complete=lambda imr: imr.state in COMPLETE_STATES,
        agency_ids=review_agency_ids,
        release_problems=ofsted_release_problems,
        any_accepted=review_any_accepted,
        load_many=load_imr_states,
    )


REPORT_BLOCKED = (
    "The IMR of {agency}: version {number} of its report names people or holds other personal details "
    "(the anonymisation check lists them). Ask the author for a corrected version, or the business manager "
    "to override the check with a reason, before the IMRs go to Ofsted."
)
REPORT_NOT_CHECKED = (
    "The IMR of {agency}: version {number} of its report has not been through the anonymisation check. "
    "Ask the author to upload it again, so it is checked, before the IMRs go to Ofsted."
)


def ofsted_release_problems(review) -> list[str]:
    """The IMRs go to Ofsted only when each one's latest report passed the anonymisation check, or the
    business manager overrode it (domain brief §8.1; issue 16): as the overview report does."""
    problems = []
    for imr in (
        IMR.objects.filter(review=review).exclude(state__in=ENDED_WITHOUT_REPORT).select_related("agency")
    ):
        latest = report_versions(imr).first()
        if latest is None:
            continue
        check = report_checks([latest]).get(latest.pk)
        if check is None:
            problems.append(REPORT_NOT_CHECKED.format(agency=imr.agency.name, number=latest.version))
        elif check.outcome == CheckOutcome.BLOCKED and check.overridden_at is None:
            problems.append(REPORT_BLOCKED.format(agency=imr.agency.name, number=latest.version))
    return problems


# --- Lists of IMRs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IMRRow(TemplateRow):
    imr: IMR
    state_tag: str
    due: DeadlineRow | None
    # The table's cells (imr/_imr_table.html), worked out once here rather than looked up cell by cell.
    url: str = ""
    review_reference: str = ""
    agency_name: str = ""
    out_of_area: bool = False
    author_name: str = ""
    state_label: str = ""
    due_text: str = ""

    @property
    def complete(self) -> bool:
        return self.imr.state in COMPLETE_STATES

    @property
    def rag_tag(self) -> str:
        return self.due.rag_tag if self.due else RAG_TAGS["closed"]

    @property
    def rag_label(self) -> str:
        return self.due.rag_label if self.due else RAG_LABELS["closed"]


def active_deadlines_by_imr(imrs) -> dict[int, Deadline]:
    """The soonest open deadline of each IMR, and their boards by id: two queries. Joined to the deadlines,
    the boards table may be read whole (the growth check, issue 21)."""
    imrs = {imr.pk: imr for imr in imrs}
    found: dict[int, Deadline] = {}
    deadlines = (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(IMR),
            object_id__in=list(imrs),
            status__in=ACTIVE_STATUSES,
        )
        .select_related("rule")
        .order_by("due_at", "pk")
    )
    for deadline in deadlines:
        found.setdefault(deadline.object_id, deadline)
    boards = Board.objects.in_bulk({deadline.board_id for deadline in found.values()})
    for deadline in found.values():
        deadline.board = boards[deadline.board_id]
    return found


def imr_rows(imrs, *, today: dt.date) -> list[IMRRow]:
    imrs = list(imrs)
    deadlines = active_deadlines_by_imr(imrs)
    due_rows = {row.deadline.object_id: row for row in deadline_rows(deadlines.values(), today=today)}
    detail_url = pk_url("imr_detail")
    rows = []
    for imr in imrs:
        due = due_rows.get(imr.pk)
        rows.append(
            IMRRow(
                imr=imr,
                state_tag=STATE_TAGS[imr.state],
                due=due,
                url=detail_url(imr.pk),
                review_reference=imr.review.reference,
                agency_name=imr.agency.name,
                out_of_area=imr.agency.out_of_area,
                author_name=imr.author.full_name if imr.author else "",
                state_label=imr.get_state_display(),
                due_text=f"{due.deadline.title}: {short_date(due.deadline.due_date)}" if due else "",
            )
        )
    return rows


def with_list_relations(imrs: QuerySet[IMR]) -> QuerySet[IMR]:
    # Not the reviews' boards: the rows do not show them, and the join made PostgreSQL look up one board per
    # IMR of the page at national size (the growth check, issue 21).
    return imrs.select_related("review", "agency", "author")


def review_imrs(review) -> QuerySet[IMR]:
    return with_list_relations(IMR.objects.filter(review=review)).order_by("agency__name")


def filter_imrs(imrs: QuerySet[IMR], *, state: str = "", case: str = "") -> QuerySet[IMR]:
    if state == "open":
        imrs = imrs.exclude(state__in=COMPLETE_STATES)
    elif state:
        imrs = imrs.filter(state=state)
    if case:
        imrs = imrs.filter(review__reference__icontains=case.strip())
    return with_list_relations(imrs).order_by("review__reference", "agency__name", "pk")


def imrs_for_home(user) -> QuerySet[IMR]:
    """The commissions a user writes (home page: "Your IMR commissions")."""
    from .permissions import authored_imrs

    return with_list_relations(authored_imrs(user)).order_by("review__reference", "pk")


def imrs_to_sign_off(user, board) -> QuerySet[IMR]:
    """The IMRs the author has signed (before submission, or with further information) that wait for this
    head of agency (home page: "IMRs to sign off")."""
    heads = Membership.objects.filter(user=user, board=board, role=Role.HEAD_OF_AGENCY)
    return with_list_relations(
        IMR.objects.filter(
            review__board=board,
            state__in=(IMRState.AUTHOR_SIGNED, IMRState.FURTHER_INFO_AUTHOR_SIGNED),
            agency_id__in=heads.values("agency_id"),
        )
    ).order_by("review__reference", "pk")


# --- One IMR ------------------------------------------------------------------------------------------


def report_versions(imr: IMR) -> QuerySet[StoredFile]:
    return StoredFile.objects.filter(
        content_type=ContentType.objects.get_for_model(IMR), object_id=imr.pk, kind=REPORT_KIND
    ).order_by("-version")


def report_checks(files) -> dict[int, AnonymisationCheck]:
    """The newest anonymisation check of each report version, in one query: {file pk: check}."""
    return latest_file_checks(file.pk for file in files)


def current_sign_off(imr: IMR) -> SignOff | None:
    return imr.sign_offs.filter(superseded_at__isnull=True).order_by("-recorded_at").first()


TRANSITION_LABELS = {
    "commission": "Commissioned",
    "nil_return": "Nil return recorded",
    "nominate": "Author named",
    "start_preparation": "Preparation started",
    "send_for_factual_check": "Sent for factual check",
    "send_for_agency_qa": "Sent for the agency's quality assurance",
    "author_sign": "Signed by the author",
    "sign_off": "Signed off by the head of agency",
    "return_to_author": "Returned to the author by the agency",
    "replace_author": "Author replaced",
    "cancel": "Cancelled",
    "submit": "Submitted to the panel",
    "accept": "Accepted by the panel",
    "return_for_rework": "Returned for rework",
    "present": "Presented to the panel",
    "request_further_information": "Further information requested",
    "provide_further_information": "Further information sent",
    "finalise": "Marked final",
}


def imr_history(imr: IMR) -> list[tuple[TransitionLog, str, str]]:
    """(log row, what happened, the status after it), oldest first."""
    entries = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(IMR), object_id=imr.pk
    ).select_related("actor")
    states = dict(IMRState.choices)
    return [
        (
            entry,
            TRANSITION_LABELS.get(entry.transition, entry.transition),
            states.get(entry.to_state, entry.to_state),
        )
        for entry in entries
    ]


def recommendations_without_actions(imr: IMR) -> list[int]:
    return list(
        imr.plan_recommendations.annotate(n=Count("actions")).filter(n=0).values_list("number", flat=True)
    )


def plan_with_gaps(imr: IMR) -> tuple[list[ActionPlanRecommendation], list[int]]:
    """The action plan's recommendations with their actions, and the numbers of those without an action
    (as `recommendations_without_actions` says), in two queries."""
    recommendations = list(imr.plan_recommendations.prefetch_related("actions"))
    return recommendations, [rec.number for rec in recommendations if not rec.actions.all()]


@dataclass(frozen=True)
class EntryRow:
    entry: ChronologyEntry
    age: str


def chronology_page(imr: IMR, *, page: int | str, per_page: int = 100) -> tuple[Page, list[EntryRow]]:
    dob = imr.review.referral.child_date_of_birth if imr.review.referral_id else None
    entries = imr.chronology.order_by("date", F("time").asc(nulls_first=True), "event_no")
    paginated = Paginator(entries, per_page).get_page(page)
    return paginated, [EntryRow(entry, child_age(dob, entry.date)) for entry in paginated.object_list]


def genogram(imr: IMR) -> tuple[list[GenogramPerson], list[GenogramRelationship]]:
    people = list(imr.genogram_people.all())
    lines = list(imr.genogram_relationships.select_related("person_a", "person_b"))
    return people, lines


def review_genogram(review) -> dict[str, tuple[list[GenogramPerson], list[GenogramRelationship]]]:
    """Each accepted IMR's genogram, by agency name, for the overview report (domain brief §6.9)."""
    people = GenogramPerson.objects.filter(
        imr__review=review, imr__state__in=INTEGRATED_STATES
    ).select_related("imr__agency")
    lines = GenogramRelationship.objects.filter(
        imr__review=review, imr__state__in=INTEGRATED_STATES
    ).select_related("imr__agency", "person_a", "person_b")
    found: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for person in people:
        found[person.imr.agency.name][0].append(person)
    for line in lines:
        found[line.imr.agency.name][1].append(line)
    return dict(sorted(found.items()))


# --- The integrated chronology ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChronologyFilters:
    agency: int | None = None
    family_member: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    child_seen: bool | None = None


@dataclass(frozen=True)
class IntegratedRow(TemplateRow):
    entry: ChronologyEntry
    agency: str
    age: str
    several_agencies: bool
    first_of_day: bool
    date_text: str = ""  # 31/01/2024
    time_text: str = ""  # 09:30
    child_seen_text: str = ""  # Y or N


@dataclass
class IntegratedChronology:
    page: Page
    rows: list[IntegratedRow]
    contacts_by_agency: list[tuple[str, int]]
    child_seen_count: int
    total: int
    several_agency_days: int


def integrated_entries(review, filters: ChronologyFilters) -> QuerySet[ChronologyEntry]:
    """Every row of the review's accepted IMRs, sorted by date and time (rows without a time first on their
    day), then agency."""
    entries = ChronologyEntry.objects.filter(imr__review=review, imr__state__in=INTEGRATED_STATES)
    if filters.agency:
        entries = entries.filter(imr__agency_id=filters.agency)
    if filters.family_member:
        entries = entries.filter(family_member__iexact=filters.family_member)
    if filters.date_from:
        entries = entries.filter(date__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(date__lte=filters.date_to)
    if filters.child_seen is not None:
        entries = entries.filter(child_seen=filters.child_seen)
    return entries


def chronology_filter_options(review) -> tuple[list[tuple[int, str]], list[str]]:
    """The agencies and family-member abbreviations of the integrated chronology, for its filters."""
    agencies = list(
        IMR.objects.filter(review=review, state__in=INTEGRATED_STATES)
        .order_by("agency__name")
        .values_list("agency_id", "agency__name")
    )
    members = list(
        ChronologyEntry.objects.filter(imr__review=review, imr__state__in=INTEGRATED_STATES)
        .exclude(family_member="")
        .order_by("family_member")
        .values_list("family_member", flat=True)
        .distinct()
    )
    return agencies, members


def _ordered(entries: QuerySet[ChronologyEntry]) -> QuerySet[ChronologyEntry]:
    return entries.order_by("date", F("time").asc(nulls_first=True), "imr__agency__name", "event_no", "pk")


def several_agency_dates(entries: QuerySet[ChronologyEntry]) -> set[dt.date]:
    """Days on which more than one agency recorded an event (in the filtered rows), in one query."""
    return set(
        entries.order_by()
        .values("date")
        .annotate(agencies=Count("imr__agency", distinct=True))
        .filter(agencies__gt=1)
        .values_list("date", flat=True)
    )


def integrated_chronology(review, filters: ChronologyFilters, *, page: int | str, per_page: int = 100):
    entries = integrated_entries(review, filters)
    shared_days = several_agency_dates(entries)
    paginated = Paginator(
        _ordered(entries).select_related("imr__agency").defer("imr__agency__address"), per_page
    ).get_page(page)
    dob = review.referral.child_date_of_birth if review.referral_id else None
    rows, previous = [], None
    for entry in paginated.object_list:
        rows.append(
            IntegratedRow(
                entry=entry,
                agency=entry.imr.agency.name,
                age=child_age(dob, entry.date),
                several_agencies=entry.date in shared_days,
                first_of_day=entry.date != previous,
                date_text=f"{entry.date:%d/%m/%Y}" if entry.date else "",
                time_text=f"{entry.time:%H:%M}" if entry.time else "",
                child_seen_text="Y" if entry.child_seen else "N",
            )
        )
        previous = entry.date
    counts = list(
        entries.order_by()
        .values_list("imr__agency__name")
        .annotate(n=Count("pk"))
        .order_by("imr__agency__name")
    )
    return IntegratedChronology(
        page=paginated,
        rows=rows,
        contacts_by_agency=counts,
        child_seen_count=entries.filter(child_seen=True).count(),
        total=paginated.paginator.count,
        several_agency_days=len(shared_days),
    )


def integrated_export_rows(review, filters: ChronologyFilters):
    """Rows for the CSV and XLSX exports, read in chunks: three queries whatever the number of rows."""
    entries = integrated_entries(review, filters)
    shared_days = several_agency_dates(entries)
    dob = review.referral.child_date_of_birth if review.referral_id else None
    for entry in _ordered(entries).select_related("imr__agency").iterator(chunk_size=2000):
        yield ExportRow(
            agency=entry.imr.agency.name,
            event_no=entry.event_no,
            date=entry.date,
            time=entry.time,
            age=child_age(dob, entry.date),
            family_member=entry.family_member,
            child_seen=entry.child_seen,
            event=entry.event,
            agency_source=entry.agency_source,
            action_taken=entry.action_taken,
            note=entry.note,
            several_agencies=entry.date in shared_days,
        )

"""The machinery of the URL sweep (test_url_sweep.py): every URL pattern of the project from the resolver,
the pages exempt from it and why, filling each pattern with an object of board A's case, and telling a
refusal from a leak."""

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from imr.models import (
    IMR,
    ActionPlanAction,
    ActionPlanRecommendation,
    ChronologyEntry,
    ChronologyImport,
    GenogramPerson,
    GenogramRelationship,
    Interview,
)
from referrals.models import AgencyCheck, FamilyMember, Referral
from reviews.models import (
    AuthorConfirmation,
    CommunicationItem,
    CommunicationsPlan,
    FamilyInvolvement,
    FamilyPrompt,
    Meeting,
    PanelMembership,
    ParallelProcess,
    ProgressReport,
    ReportVersion,
    Review,
    ToRConsultation,
    ToRVersion,
)
from reviews.models.plans import Action as PlanAction
from reviews.models.plans import ActionEvidence, ActionPlan, PlanSignUp
from reviews.models.plans import Recommendation as PlanRecommendation
from scr_portal.models import (
    BoardClosureDay,
    CaseKeyPerson,
    Deadline,
    DeadlineRule,
    GeneratedDocument,
    InformationRequest,
    KeyRole,
    Membership,
    SentReminder,
    StoredFile,
)

from ..reviews.factories import NOW, Journey, decided_review

SECRET_CHILD = "Zebedee Secretchild"
SECRET_MOTHER = "Marigold Secretmother"
SECRET_EVENT = "Secret chronology event of agency X"
# Confidential parts of the review that the monitoring group, who reads the review, must not see either
# (docs/security.md, "The monitoring group's view of a review").
SECRET_PROCESS = "Operation Secretfalcon"
SECRET_FAMILY = "Great-aunt Secretfamily"
CONFIDENTIAL = (SECRET_CHILD, SECRET_MOTHER, SECRET_EVENT, SECRET_PROCESS, SECRET_FAMILY)

# Public pages, or pages about the signed-in person only: they may answer 200 to anyone.
EXEMPT = {
    "healthz": "health check for the load balancer; no data",
    "accessibility": "public accessibility statement",
    "privacy": "public privacy notice",
    "calendar_feed": "token-authenticated calendar feed; the sweep's token is checked separately below",
    "dev_mailbox": "development-only outbox viewer, refused outside DEBUG (scr_portal.views.dev_mailbox)",
    "admin:login": "the admin's sign-in page (sends to allauth's)",
    "admin:logout": "signing out",
    "admin:jsi18n": "the admin's translation catalogue; no data",
}
# Every allauth page is public (sign in, sign up, password reset) or about the signed-in user's own account.
EXEMPT_PREFIXES = {
    "account_": "allauth account pages",
    "mfa_": "allauth second-factor pages",
    "socialaccount_": "",
}
ALLAUTH_ROUTE = "accounts/"

# Pages that are not about one case (lists, dashboards, the board's own public details, the user's own
# settings): a persona may get 200, but never with board A's case in it. They are not POSTed to, as a
# persona may rightly act on them (start their own referral, save their own notification settings).
NOT_CASE_PAGES = {
    "home": "the user's own start page",
    "board_switch": "the user's own boards",
    "board_detail": "the board's name and contact details, seen by its members",
    "referral_list": "list, filtered to the user's referrals",
    "referral_start": "starts the user's own draft",
    "my_referrals": "the user's own referrals",
    "check_list": "the user's agency's checks",
    "decisions_awaiting": "list, filtered by board role",
    "review_list": "list, filtered to the user's reviews",
    "imr_list": "list, filtered to the user's IMRs",
    "deadline_dashboard": "list, filtered by board role",
    "undelivered_notifications": "list, filtered by board role",
    "notification_settings": "the user's own settings",
    "calendar_feed_create": "the user's own calendar feed",
    "calendar_feed_revoke": "the user's own calendar feed",
    "document_wordings": "the board's letter wording, business unit only",
    "document_wording_edit": "the board's letter wording, business unit only",
    "report_index": "board statistics, counts only",
    "report_annual": "board statistics, counts only",
    "report": "board statistics, counts only",
    "themes": "learning themes across the user's reviews",
    "action_list": "list, filtered to the user's actions",
    "search": "results within the list pages' selectors (test_url_sweep searches for the case by name)",
    "key_themes_new": "the board's referrals for a key-themes report, LSCB Chair only",
}

# Pages of a case that every agency contact of the board may open, by design of their owning issue, for
# the agency-contact persona only and never with the case's personal data in them. Each is a decision to
# confirm with the page's owner, not a blanket exemption.
# Pages a contact of an agency not involved in the case may open. None: the action plan is open only to
# agencies with an action or recommendation in it, or an IMR in the review.
BOARD_AGENCY_PAGES: dict[str, str] = {}
AGENCY_PERSONA = "contact of an uninvolved agency"

# The pages of a case its monitoring group opens (docs/security.md, "The monitoring group's view of a
# review"): the review's own page, without its confidential parts, and the action plan's pages.
MONITOR_PAGES = {"review_detail", "review_plan", "review_themes"}
MONITOR_PREFIXES = ("plan_", "recommendation_", "action_", "evidence_")
# The pages about the review and its IMRs. The sub-committee's screening role opens the referral, its
# documents and deadlines by design (referrals.permissions); those are not the review's.
REVIEW_ROUTES = ("reviews/", "imr/", "actions/")
# What the review's page never shows its monitoring group, beside what no page of theirs may show.
REVIEW_CONFIDENTIAL = (SECRET_EVENT, SECRET_PROCESS, SECRET_FAMILY)


def about_the_review(pattern) -> bool:
    return pattern.route.startswith(REVIEW_ROUTES) or "review_pk" in pattern.kwargs


def shows_any(response, secrets) -> bool:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return any(secret in body.decode("utf-8", "replace") for secret in secrets)


LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


@dataclass
class Pattern:
    name: str
    route: str
    kwargs: tuple[str, ...]
    defaults: dict


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}{entry.name}" if entry.name else f"<unnamed {route}>"
            kwargs = tuple(entry.pattern.regex.groupindex) + tuple(
                re.findall(r"\(\?P<(\w+)>", prefix) if "(?P<" in prefix else ()
            )
            kwargs = tuple(dict.fromkeys(list(re.findall(r"<(?:\w+:)?(\w+)>", route)) + list(kwargs)))
            yield Pattern(name, route, kwargs, dict(entry.default_args))


def all_patterns() -> list[Pattern]:
    return list(_walk(get_resolver().url_patterns))


def exempt_reason(pattern: Pattern) -> str | None:
    if pattern.name in EXEMPT:
        return EXEMPT[pattern.name]
    if pattern.route.startswith(ALLAUTH_ROUTE):
        return "allauth: public pages or the signed-in user's own account"
    return None


def _first(model, **filters):
    obj = model.objects.filter(**filters).order_by("pk").first()
    return obj.pk if obj else None


# kwarg → (model, the filter naming its case): the first such row of board A's case. The filter's last part
# names what it points at (review, imr, referral or board); None: the first row of all.
FIRST_OF = {
    "check:pk": (AgencyCheck, "referral"),
    "deadline:pk": (Deadline, "board"),
    "case_key_person:pk": (CaseKeyPerson, None),
    "report_pk": (ProgressReport, "review"),
    "member_pk": (PanelMembership, "review"),
    "consultation_pk": (ToRConsultation, "version__review"),
    "version_pk": (ReportVersion, "review"),
    "confirmation_pk": (AuthorConfirmation, "version__review"),
    "meeting_pk": (Meeting, "review"),
    "process_pk": (ParallelProcess, "review"),
    "involvement_pk": (FamilyInvolvement, "review"),
    "prompt_pk": (FamilyPrompt, "review"),
    "audience_pk": (CommunicationItem, "plan__review"),
    "file_pk": (StoredFile, None),
    "entry_pk": (ChronologyEntry, "imr"),
    "import_pk": (ChronologyImport, "imr"),
    "person_pk": (GenogramPerson, "imr"),
    "line_pk": (GenogramRelationship, "imr"),
    "interview_pk": (Interview, "imr"),
    "rec_pk": (ActionPlanRecommendation, "imr"),
    "action_pk": (ActionPlanAction, "recommendation__imr"),
    "closure_pk": (BoardClosureDay, "board"),
    "membership_pk": (Membership, "board"),
    "request_pk": (InformationRequest, "board"),
    "action:pk": (PlanAction, "board"),
    "evidence_pk": (ActionEvidence, "action__board"),
}


def _firsts(scope) -> dict[str, object]:
    values = {}
    for kwarg, (model, path) in FIRST_OF.items():
        filters = {path: scope[path.rsplit("__", 1)[-1]]} if path else {}
        values[kwarg] = _first(model, **filters)
    return values


def object_values(review) -> dict[str, object]:
    """kwarg name (or 'url-name prefix:kwarg') → value pointing at board A's case."""
    referral = review.referral
    imr = IMR.objects.filter(review=review).order_by("pk").first()
    version = ToRVersion.objects.filter(review=review).order_by("-number").first()
    document = GeneratedDocument.objects.order_by("pk").first()
    return {
        **_firsts({"review": review, "imr": imr, "referral": referral, "board": review.board}),
        "review_pk": review.pk,
        "referral:pk": referral.pk,
        "review:pk": review.pk,
        "imr:pk": imr.pk,
        "integrated:pk": review.pk,
        "document:pk": document.pk if document else None,
        "board:pk": review.board_id,
        "undelivered:pk": _first(SentReminder) or 1,
        "number": version.number,
        # The board's people pages (issue 19): its business manager's (its memberships: FIRST_OF).
        "user_pk": review.created_by_id,
        "plan:pk": review.pk,
        "rule_code": DeadlineRule.objects.order_by("pk").values_list("code", flat=True).first(),
        "fmt": "csv",
        # The admin's own pages: staff only, whatever the object.
        "object_id": review.board_id,
        "content_type_id": ContentType.objects.get_for_model(Referral).pk,
        "id": review.created_by_id,
        "app_label": "scr_portal",
        "url": "scr_portal/",
        "token": "not-a-real-token",
    }


def slug_value(pattern: Pattern, kwarg: str):
    if kwarg == "section":
        from referrals.views.intake import SECTION_BY_SLUG

        return next(iter(SECTION_BY_SLUG))
    if pattern.name.startswith("imr_section"):
        from imr.sections import SECTIONS

        return SECTIONS[0].slug
    if pattern.name == "imr_confirm":
        from imr.views.workflow import CONFIRMATIONS

        return next(iter(CONFIRMATIONS))
    if pattern.name == "review_step":
        from reviews.services import STEPS_BY_SLUG

        return next(iter(STEPS_BY_SLUG))
    if pattern.name.startswith("review_report"):
        from reviews.views.documents import REPORT_SLUGS

        return next(iter(REPORT_SLUGS))
    if pattern.name == "review_alternative_step":
        return "scope_agreed"
    if pattern.name in ("plan_step", "action_step"):
        return {"plan_step": "agree", "action_step": "start"}[pattern.name]
    if pattern.name == "report":
        from portal_site.reports.views import REPORTS

        return next(iter(REPORTS))
    if kwarg == "code":
        from scr_portal.documents import registry

        if pattern.name == "document_wording_edit":
            return registry.wordings()[0].code
        return registry.kinds(owner_type=pattern.defaults.get("owner_type"))[0].code
    return None


PK_PREFIXES = [
    # The action-plan pages (reviews/urls/plans.py): the plan's pages take the review's pk.
    ("plan_", "plan"),
    ("recommendation_", "plan"),
    ("action_new", "plan"),
    ("action_", "action"),
    ("evidence_", "action"),
    ("case_key_person", "case_key_person"),
    ("integrated_chronology", "integrated"),
    ("undelivered", "undelivered"),
    ("referral", "referral"),
    ("check", "check"),
    ("review", "review"),
    ("imr", "imr"),
    ("deadline", "deadline"),
    ("document", "document"),
    ("board", "board"),
]


def fill(pattern: Pattern, values: dict) -> dict | None:
    """The kwargs for `pattern` pointing at board A's case, or None when one cannot be filled."""
    kwargs = {}
    for kwarg in pattern.kwargs:
        if kwarg in pattern.defaults:
            continue
        value = None
        if kwarg == "pk":
            prefix = next((key for start, key in PK_PREFIXES if pattern.name.startswith(start)), None)
            value = values.get(f"{prefix}:pk") if prefix else None
        elif kwarg in ("slug", "section", "step", "code"):
            value = slug_value(pattern, kwarg)
        else:
            value = values.get(kwarg)
        if value is None:
            return None
        kwargs[kwarg] = value
    return kwargs


def url_for(pattern: Pattern, kwargs: dict) -> str:
    try:
        return reverse(pattern.name, kwargs=kwargs)
    except NoReverseMatch:
        # Regex patterns (the admin's): substitute the route's named groups by hand.
        route = pattern.route
        for key, value in kwargs.items():
            route = re.sub(rf"\(\?P<{key}>[^)]*\)", str(value), route)
            route = re.sub(rf"<(?:\w+:)?{key}>", str(value), route)
        return "/" + route.lstrip("^").rstrip("$").replace("\\", "")


def to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PATHS)


def leaks(response) -> bool:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    return any(secret in text for secret in CONFIDENTIAL)


def sweep_targets(case) -> list[tuple[Pattern, str]]:
    values = object_values(case)
    patterns = all_patterns()
    unfilled, targets = [], []
    for pattern in patterns:
        if exempt_reason(pattern):
            continue
        kwargs = fill(pattern, values)
        if kwargs is None:
            unfilled.append(f"{pattern.name} ({pattern.route}) kwargs {pattern.kwargs}")
            continue
        targets.append((pattern, url_for(pattern, kwargs)))
    assert not unfilled, "URL patterns the sweep cannot fill with a board-A object:\n" + "\n".join(unfilled)
    # 100% coverage: every pattern is either exempt (with a reason) or requested.
    assert len(targets) + sum(1 for p in patterns if exempt_reason(p)) == len(patterns)
    return targets


def sign_in_as(client, client_as, user):
    client.logout()
    if user is not None:
        client_as(user)


def case_counts(review) -> dict:
    return {
        "referral state": Referral.objects.get(pk=review.referral_id).state,
        "review": Review.objects.filter(pk=review.pk).values_list("state", "methodology").get(),
        "referrals": Referral.objects.count(),
        "family": FamilyMember.objects.count(),
        "checks": list(AgencyCheck.objects.order_by("pk").values_list("state", flat=True)),
        "panel": PanelMembership.objects.filter(removed_at__isnull=True).count(),
        "tor": list(ToRVersion.objects.order_by("pk").values_list("state", flat=True)),
        "imrs": list(IMR.objects.order_by("pk").values_list("state", flat=True)),
        "chronology": ChronologyEntry.objects.count(),
        "genogram": GenogramPerson.objects.count(),
        "interviews": Interview.objects.count(),
        "meetings": Meeting.objects.count(),
        "reports": ReportVersion.objects.count(),
        "deadlines": list(Deadline.objects.order_by("pk").values_list("status", flat=True)),
        "documents": list(GeneratedDocument.objects.order_by("pk").values_list("status", flat=True)),
        "key people": CaseKeyPerson.objects.count(),
        "closures": BoardClosureDay.objects.count(),
        "files": StoredFile.objects.count(),
        "plan sign-ups": PlanSignUp.objects.count(),
        "plan actions": list(PlanAction.objects.order_by("pk").values_list("state", flat=True)),
        "communications plan": list(CommunicationsPlan.objects.values_list("owner_name", "key_messages")),
        "communications": list(CommunicationItem.objects.order_by("pk").values_list("audience", "message")),
    }


def build_case(*, board_a, chair_a, manager_a, agency_x, agency_y):
    """A full board-A case: a decided referral with family rows and agency checks, its review walked to
    closure (panel, ToR, meetings, reports, fair representation), IMRs with chronology, genogram,
    interview and action plan, a deadline, stored files and a generated document."""
    review = decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x, agency_y])
    Referral.objects.filter(pk=review.referral_id).update(child_name=SECRET_CHILD)
    FamilyMember.objects.create(referral=review.referral, name=SECRET_MOTHER, relationship="Mother")
    journey = Journey(review, manager=manager_a, chair=chair_a, agencies=[agency_x, agency_y])
    review = journey.to("published")
    imr = IMR.objects.filter(review=review).order_by("pk").first()
    ChronologyEntry.objects.create(
        imr=imr, event_no=1, date=dt.date(2021, 1, 1), child_seen=True, event=SECRET_EVENT
    )
    recommendation = ActionPlanRecommendation.objects.create(
        imr=imr, number=1, outcome="Neglect recognised.", recommendation="Train staff."
    )
    ActionPlanAction.objects.create(
        recommendation=recommendation, number=1, action="Train.", by_whom="Head", ongoing=True
    )
    person = GenogramPerson.objects.create(imr=imr, label="Mother M", sex="female")
    child = GenogramPerson.objects.create(imr=imr, label="Child C", sex="male", subject_child=True)
    GenogramRelationship.objects.create(imr=imr, person_a=person, person_b=child, kind="enduring")
    Interview.objects.create(
        imr=imr,
        interviewee_name="Priya Practitioner",
        job_title="Social worker",
        invited_on=dt.date(2027, 1, 4),
        interview_date=dt.date(2027, 1, 25),
        venue="Alpha House",
        created_by=manager_a,
        created_at=NOW,
    )
    ProgressReport.objects.create(
        review=review, month=dt.date(2027, 2, 1), generated_at=NOW, text="Progress."
    )
    ToRConsultation.objects.create(
        version=ToRVersion.objects.filter(review=review).order_by("-number").first(),
        agency=agency_x,
        sent_on=dt.date(2027, 1, 4),
        recorded_by=manager_a,
        recorded_at=NOW,
    )
    ParallelProcess.objects.create(
        review=review,
        kind="criminal_investigation",
        lead_body="Alpha Police",
        description=SECRET_PROCESS,
        recorded_by=manager_a,
        recorded_at=NOW,
    )
    FamilyInvolvement.objects.create(review=review, who=SECRET_FAMILY, recorded_by=manager_a, updated_at=NOW)
    FamilyPrompt.objects.create(review=review, text="Tell the family.", created_at=NOW, created_by=manager_a)
    communications = CommunicationsPlan.objects.create(
        review=review, owner_name="Casey Comms", recorded_by=manager_a, recorded_at=NOW
    )
    CommunicationItem.objects.create(
        plan=communications,
        audience="ofsted",
        message=f"The findings about {SECRET_CHILD}.",
        delivered_by="Business manager",
        method="Secure email",
        timing="before",
        recorded_by=manager_a,
        recorded_at=NOW,
    )
    stored = StoredFile.objects.filter(kind__isnull=False).order_by("pk").first()
    ChronologyImport.objects.create(imr=imr, file=stored, row_count=1, created_by=manager_a, created_at=NOW)
    InformationRequest.objects.create(
        board=board_a,
        kind="sar",
        requester="Marigold's solicitor",
        subject_name=SECRET_MOTHER,
        received_on=dt.date(2027, 3, 1),
        due_on=dt.date(2027, 4, 1),
        recorded_by=manager_a,
        recorded_at=NOW,
    )
    plan = ActionPlan.objects.create(review=review, created_at=NOW, created_by=manager_a)
    recommendation_row = PlanRecommendation.objects.create(
        plan=plan,
        number=1,
        source=PlanRecommendation._meta.get_field("source").choices[0][0],
        text="Train staff on neglect.",
        addressed_to="Director of children's services",
        created_at=NOW,
        created_by=manager_a,
    )
    action = PlanAction.objects.create(
        recommendation=recommendation_row,
        board=board_a,
        text="Deliver the training.",
        agency=agency_x,
        owner=manager_a,
        due_date=dt.date(2027, 9, 1),
        audit_information="Attendance records.",
        created_at=NOW,
        created_by=manager_a,
    )
    ActionEvidence.objects.create(
        action=action, note="Register of attendance.", added_by=manager_a, added_at=NOW
    )
    BoardClosureDay.objects.create(board=board_a, day=dt.date(2027, 12, 27), reason="Office closed")
    referral_type = ContentType.objects.get_for_model(Referral)
    CaseKeyPerson.objects.create(
        board=board_a,
        content_type=referral_type,
        object_id=review.referral_id,
        real_name=SECRET_MOTHER,
        pseudonym="Mother",
        role=KeyRole.choices[0][0],
        updated_at=NOW,
    )
    GeneratedDocument.objects.create(
        board=board_a,
        content_type=referral_type,
        object_id=review.referral_id,
        code="referral-form",
        title="Referral form",
        version=1,
        data_fingerprint="0" * 64,
        requested_by=manager_a,
        requested_at=NOW,
    )
    return review

"""The reminder emails: one per sent-reminder row, or one daily digest listing several.

What an email may say (domain brief §8, and the issue): the case reference, what is due, the due date
and a link into the portal. Never a name: not the child's, not a family member's, not even the
recipient's own (a forwarded or misaddressed email then gives nothing away). The subject object of the
deadline is never read here; only the deadline's own case reference, framework and title are. Plain text.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from hashlib import sha256

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from scr_portal.models import Deadline, SentReminder
from scr_portal.models.clock import ReminderAudience
from scr_portal.viewhelpers import long_date

from . import schedule as sched

MESSAGE_ID_DOMAIN = "scr-portal.invalid"
AUDIENCE_LABELS = {
    ReminderAudience.RESPONSIBLE: "the people responsible",
    ReminderAudience.BUSINESS_UNIT: "the board's business unit",
    ReminderAudience.PANEL_CHAIR: "the panel chair",
    ReminderAudience.LSCB_CHAIR: "the LSCB Chair",
}


@dataclass(frozen=True)
class StepKey:
    """A reminder step's key, for example "half-time", "before-2", "due-day", "overdue-3", or one of
    them with "@YYYYMMDD" appended when an extension planned it again (see deadline_extend)."""

    base: str
    level: int | None  # the escalation level of an "overdue-N" step
    suffix: str  # "" or "@YYYYMMDD"


def parse_step_key(key: str) -> StepKey:
    base, at, suffix = key.partition("@")
    level = None
    if base.startswith("overdue-") and base.removeprefix("overdue-").isdigit():
        level = int(base.removeprefix("overdue-"))
    return StepKey(base=base, level=level, suffix=f"{at}{suffix}")


def step_label(key: str) -> str:
    """Which reminder this is, in words."""
    step = parse_step_key(key)
    if step.level is not None:
        return f"Overdue escalation {step.level}"
    if step.base == "half-time":
        return "Half the time allowed has gone"
    if step.base == "due-day":
        return "Due today"
    if step.base.startswith("before-") and step.base.removeprefix("before-").isdigit():
        days = int(step.base.removeprefix("before-"))
        return f"{days} working day{'s' if days != 1 else ''} before the due date"
    return "Reminder"


def portal_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def deadline_link(deadline: Deadline) -> str:
    return portal_url(reverse("deadline_detail", args=[deadline.pk]))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _item(row: SentReminder, *, now: dt.datetime, closures: Iterable[dt.date]) -> dict:
    deadline = row.deadline
    today = timezone.localdate(now)
    overdue = now > deadline.due_at
    return {
        "case_reference": deadline.case_reference,
        "review_short": deadline.review_short,
        "what": _one_line(deadline.title),
        "board": deadline.board.name,
        "due": sched.describe_due(
            due_date=deadline.due_date, today=today, nation=deadline.board.nation, closures=tuple(closures)
        ),
        "due_date": long_date(deadline.due_date),
        "overdue": overdue,
        "reminder": step_label(row.step.key),
        "audience": AUDIENCE_LABELS.get(row.step.audience, ""),
        "link": deadline_link(deadline),
    }


def reminder_subject(item: Mapping) -> str:
    """ "[NLSCB-2026-0003] Due Wednesday 30 December 2026: LSCB Chair's decision on holding a review", or
    "Overdue since …" once the due time has passed."""
    when = "Overdue since" if item["overdue"] else "Due"
    return _one_line(f"[{item['case_reference']}] {when} {item['due_date']}: {item['what']}")


def _headers(message_id: str) -> dict[str, str]:
    # A fixed Message-ID per row lets a mail client drop the rare duplicate (see deliver_pending);
    # Auto-Submitted keeps out-of-office replies away from the no-reply address (RFC 3834).
    return {"Message-ID": f"<{message_id}@{MESSAGE_ID_DOMAIN}>", "Auto-Submitted": "auto-generated"}


def reminder_message(
    row: SentReminder, *, now: dt.datetime, closures: Iterable[dt.date] = ()
) -> EmailMessage:
    """The email of one sent-reminder row. `row` needs deadline, deadline.board, step and recipient."""
    item = _item(row, now=now, closures=closures)
    body = render_to_string(
        "emails/reminder.txt", {"item": item, "settings_link": portal_url(reverse("notification_settings"))}
    )
    return EmailMessage(
        subject=reminder_subject(item),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.recipient.email],
        headers=_headers(f"reminder-{row.pk}"),
    )


def digest_message(
    rows: Sequence[SentReminder], *, now: dt.datetime, closures: Mapping[int, Iterable[dt.date]]
) -> EmailMessage:
    """One email listing every reminder in `rows` (all for the same recipient). `closures` maps a board's
    id to its closure days."""
    items = [_item(row, now=now, closures=closures.get(row.deadline.board_id, ())) for row in rows]
    count = len(items)
    today = timezone.localdate(now)
    subject = f"SCR portal: {count} reminder{'s' if count != 1 else ''} for {long_date(today)}"
    body = render_to_string(
        "emails/digest.txt",
        {
            "items": items,
            "count": count,
            "today": long_date(today),
            "settings_link": portal_url(reverse("notification_settings")),
        },
    )
    # The same rows give the same Message-ID, so a digest sent again after a lost acknowledgement can be
    # recognised as the same email.
    ids = ",".join(str(row.pk) for row in sorted(rows, key=lambda row: row.pk))
    digest_id = sha256(ids.encode()).hexdigest()[:16]
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[rows[0].recipient.email],
        headers=_headers(f"digest-{rows[0].recipient_id}-{digest_id}"),
    )

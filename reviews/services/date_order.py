"""Dates that must follow one another (issue 16 clause 5): the Chair's decision, then the IMRs' circulation,
then the presentation meeting (Solihull §12.1.1); the authors' briefing after the IMRs are commissioned
and on a working day of the board's calendar (its nation's bank holidays and closure days, as the clock
counts them). Each refusal names both dates, against the form field that holds the wrong one."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Min
from django.utils import timezone

from scr_portal.clock.services import board_is_working_day
from scr_portal.viewhelpers import long_date

from ..models import Meeting, MeetingKind, Review

CIRCULATED_BEFORE_DECISION = (
    "The IMRs cannot have been circulated on {day}: that is before the decision to hold the review on "
    "{decided}."
)
CIRCULATED_AFTER_PRESENTATION = (
    "The IMRs cannot have been circulated on {day}: that is after the presentation meeting on {meeting}. "
    "Move the meeting first."
)
PRESENTATION_BEFORE_DECISION = (
    "The presentation meeting cannot be on {day}: that is before the decision to hold the review on "
    "{decided}."
)
PRESENTATION_BEFORE_CIRCULATION = (
    "The presentation meeting cannot be on {day}: that is before the IMRs were circulated on {circulated}."
)
BRIEFING_BEFORE_COMMISSIONING = (
    "The authors' briefing cannot be on {day}: that is before the IMRs were commissioned on {commissioned}."
)
BRIEFING_NOT_WORKING_DAY = (
    "The authors' briefing cannot be on {day}: that is not a working day for the board (weekends, bank "
    "holidays and the board's closure days are not). Choose another date."
)


def commissioned_on(review: Review) -> dt.date | None:
    """The day the first IMR of the review was commissioned (the App 5 letters), if any has been."""
    first = review.imrs.aggregate(first=Min("commissioned_at"))["first"]
    return timezone.localtime(first).date() if first else None


def _refuse(field: str, message: str, **dates: dt.date) -> None:
    raise ValidationError({field: message.format(**{name: long_date(day) for name, day in dates.items()})})


def check_meeting_date(review: Review, meeting: Meeting | None, kind: str, day: dt.date, field: str) -> None:
    """A meeting set for, or held on, `day`: the presentation after the decision and the circulation; the
    authors' briefing after the commissioning, on a working day."""
    if kind == MeetingKind.PRESENTATION:
        if day < review.decision_date:
            _refuse(field, PRESENTATION_BEFORE_DECISION, day=day, decided=review.decision_date)
        circulated = meeting.imrs_circulated_on if meeting else None
        if circulated and day < circulated:
            _refuse(field, PRESENTATION_BEFORE_CIRCULATION, day=day, circulated=circulated)
    elif kind == MeetingKind.AUTHORS_BRIEFING:
        commissioned = commissioned_on(review)
        if commissioned and day < commissioned:
            _refuse(field, BRIEFING_BEFORE_COMMISSIONING, day=day, commissioned=commissioned)
        if not board_is_working_day(review.board, day):
            _refuse(field, BRIEFING_NOT_WORKING_DAY, day=day)


def check_circulation(review: Review, meeting: Meeting, day: dt.date) -> None:
    if day < review.decision_date:
        _refuse("circulated_on", CIRCULATED_BEFORE_DECISION, day=day, decided=review.decision_date)
    if day > meeting.meeting_date:
        _refuse("circulated_on", CIRCULATED_AFTER_PRESENTATION, day=day, meeting=meeting.meeting_date)

"""iCalendar (RFC 5545) feed of a user's deadlines, for Outlook and other calendar programs. Each event
carries the case reference with its framework's short name ("SCR", "LCSPR") and what is due, never a name."""

import datetime as dt

from django.conf import settings

from scr_portal.models import Deadline


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF and a space (RFC 5545 §3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def deadlines_ics(deadlines: list[Deadline], *, now: dt.datetime) -> str:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SCR portal//Deadlines//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:SCR portal deadlines",
    ]
    for deadline in deadlines:
        due = deadline.due_date
        link = f"{settings.PORTAL_BASE_URL}/deadlines/{deadline.pk}/"
        lines += [
            "BEGIN:VEVENT",
            f"UID:deadline-{deadline.pk}@scr-portal",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{due + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(f'[{deadline.case_reference} {deadline.review_short}] {deadline.title}')}",
            f"DESCRIPTION:{_escape(f'Due {due:%A %-d %B %Y}. {link}')}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"

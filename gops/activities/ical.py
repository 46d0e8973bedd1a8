"""An iCalendar (RFC 5545) feed of public activities, written by hand: CRLF line ends, text
escaped, lines folded at 75 octets, times in UTC."""

from collections.abc import Iterable
from datetime import UTC, datetime

from .models import ActivitySession


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        limit = 75 if not out else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_feed(*, sessions: Iterable[ActivitySession], host: str, name: str) -> str:
    now = _utc(datetime.now(UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//GOPS//Cultural activities//PL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for session in sessions:
        activity = session.activity
        lines += [
            "BEGIN:VEVENT",
            f"UID:activity-session-{session.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(session.starts_at)}",
            f"DTEND:{_utc(session.ends_at)}",
            f"SUMMARY:{escape(activity.title)}",
            f"LOCATION:{escape(activity.place)}",
        ]
        description = "\n\n".join(
            part for part in (activity.description, activity.accessibility_notes) if part
        )
        if description:
            lines.append(f"DESCRIPTION:{escape(description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

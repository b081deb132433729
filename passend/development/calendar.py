"""An iCalendar file (RFC 5545) for one event, written by hand: no dependency needed.

- Lines end in CRLF and are folded at 75 octets (a CRLF followed by one space), never inside a
  UTF-8 character (§3.1).
- TEXT values escape backslash, semicolon, comma and newlines (§3.3.11); other control
  characters are dropped.
- Times are in UTC (``…Z``), so no VTIMEZONE is needed (§3.3.5, form #2).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from django.utils import timezone

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//passend//deskundigheidsbevordering//NL"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT value: ``\\``, ``;``, ``,`` and newlines escaped; other control characters gone."""
    value = str(value).replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def format_utc(moment: datetime) -> str:
    """A DATE-TIME in UTC: ``20260115T140000Z``."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """One content line folded into pieces of at most 75 octets, joined by CRLF + space."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
            # A continuation line starts with a space, which counts towards its 75 octets.
            limit = MAX_OCTETS - 1
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _uri(value: str) -> str:
    """A URI value is not TEXT-escaped; it may not contain control characters or spaces."""
    return _CONTROL.sub("", str(value)).replace("\n", "").replace("\r", "").replace(" ", "%20")


def event_calendar(event, *, page_url: str = "", host: str = "passend", now=None) -> str:
    """The VCALENDAR with one VEVENT for ``event`` (a PdEvent), as a string with CRLF endings.

    ``page_url`` (the event's page in passend) goes into the description, and into URL when
    the event has no online link.
    """
    stamp = now or timezone.now()
    location = event.location or event.online_url
    description_parts = [event.get_kind_display()]
    if event.description:
        description_parts.append(event.description)
    if event.online_url:
        description_parts.append(event.online_url)
    if page_url:
        description_parts.append(page_url)
    url = event.online_url or page_url
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.code}@{escape_text(host)}",
        f"DTSTAMP:{format_utc(stamp)}",
        f"DTSTART:{format_utc(event.starts_at)}",
        f"DTEND:{format_utc(event.ends_at)}",
        f"SUMMARY:{escape_text(event.title)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if url:
        lines.append(f"URL:{_uri(url)}")
    lines += [
        f"DESCRIPTION:{escape_text(chr(10).join(description_parts))}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines)

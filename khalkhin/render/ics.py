"""iCalendar (RFC 5545) for timelines: one all-day VEVENT per event, coarse dates as spans."""

from __future__ import annotations

import os
import re
import time
from datetime import date
from typing import Any

from khalkhin import dates
from khalkhin.render import Ctx
from khalkhin.text import clean
from khalkhin.views.records import citations

PRODID = "-//khalkhin//khalkhin timeline//EN"
UID_DOMAIN = "khalkhin.invalid"


def escape(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): control characters out, \\ ; , and newlines escaped."""
    value = clean(value, one_line=False).replace("\r", "")
    value = value.replace("\t", " ")
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets (3.1), never inside a UTF-8 sequence; CRLF ends it."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with one space
        current.append(ch)
        size += n
    out.append("".join(current))
    return "\r\n ".join(out) + "\r\n"


def span(edtf_text: str) -> tuple[date, date]:
    """First day and the day after the last (DTEND is exclusive) for an EDTF date.

    A year is the whole year, a month the whole month; an open or unknown end keeps the
    span of the known end alone.
    """
    d = dates.parse(edtf_text)
    lower, upper = d.lower, d.upper
    if d.end is not None:
        if d.start.precision == dates.OPEN:
            lower, upper = d.end.lower, d.end.upper
        elif d.end.precision == dates.OPEN:
            lower, upper = d.start.lower, d.start.upper
    return date.fromordinal(lower), date.fromordinal(upper + 1)


def _day(d: date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def _stamp() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(epoch) if epoch.isdigit() else int(time.time())
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(seconds))


def _uid(event_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "-", event_id) + "@" + UID_DOMAIN


def _description(r: dict[str, Any], ctx: Ctx) -> str:
    parts = []
    if r.get("summary"):
        parts.append(r["summary"])
    parts.append(f"Date: {r['date']} ({r['when']})")
    if r.get("note"):
        parts.append(f"Note: {r['note']}")
    refs = citations(ctx.chron, r.get("sources") or [])
    if refs:
        parts.append("Sources: " + "; ".join(refs))
    return "\n".join(parts)


def timeline(rows: list[dict[str, Any]], ctx: Ctx) -> None:
    w = ctx.out.write
    stamp = _stamp()
    w(fold("BEGIN:VCALENDAR"))
    w(fold("VERSION:2.0"))
    w(fold(f"PRODID:{PRODID}"))
    w(fold("CALSCALE:GREGORIAN"))
    for r in rows:
        start, end = span(r["date"])
        w(fold("BEGIN:VEVENT"))
        w(fold(f"UID:{_uid(r['id'])}"))
        w(fold(f"DTSTAMP:{stamp}"))
        w(fold(f"DTSTART;VALUE=DATE:{_day(start)}"))
        w(fold(f"DTEND;VALUE=DATE:{_day(end)}"))
        w(fold(f"SUMMARY:{escape(r['title'])}"))
        w(fold(f"DESCRIPTION:{escape(_description(r, ctx))}"))
        if r.get("tags"):
            w(fold("CATEGORIES:" + ",".join(escape(t) for t in r["tags"])))
        if r.get("place") and ctx.chron is not None:
            w(fold(f"LOCATION:{escape(ctx.chron.label_of(r['place']))}"))
        w(fold("TRANSP:TRANSPARENT"))
        w(fold("END:VEVENT"))
    w(fold("END:VCALENDAR"))

"""iCalendar (RFC 5545) for timelines: one all-day VEVENT each, a coarse date on its day one."""

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


def entry(edtf_text: str) -> tuple[date, int, bool]:
    """(first day, days, exact) of the calendar entry for an EDTF date.

    A date known to the day (one day, or a span of days) is an entry over those days. A
    coarser date — a year, a month, a season, a decade, an open or unknown end — is one
    all-day entry on its first known day (``exact`` False), so that calendars do not fill
    every day of a year with it; the title then says the real precision.
    """
    d = dates.parse(edtf_text)
    parts = [d.start] if d.end is None else [d.start, d.end]
    exact = all(p.precision >= dates.DAY and p.precision != dates.OPEN for p in parts)
    if exact:
        return date.fromordinal(d.lower), d.upper - d.lower + 1, True
    known = d.start if d.start.precision != dates.OPEN else d.end
    assert known is not None  # an interval has at least one known end
    return date.fromordinal(known.lower), 1, False


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
    exact = entry(r["date"])[2]
    shown = "" if exact else "; shown on its first day"
    parts.append(f"Date: {r['when']} (EDTF {r['date']}{shown})")
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
        start, days, exact = entry(r["date"])
        title = r["title"] if exact else f"{r['title']} ({r['when']})"
        w(fold("BEGIN:VEVENT"))
        w(fold(f"UID:{_uid(r['id'])}"))
        w(fold(f"DTSTAMP:{stamp}"))
        w(fold(f"DTSTART;VALUE=DATE:{_day(start)}"))
        if start.toordinal() + days <= dates.MAX_DAY:
            w(fold(f"DTEND;VALUE=DATE:{_day(date.fromordinal(start.toordinal() + days))}"))
        else:  # the day after 9999-12-31 has no DATE form
            w(fold(f"DURATION:P{days}D"))
        w(fold(f"SUMMARY:{escape(title)}"))
        w(fold(f"DESCRIPTION:{escape(_description(r, ctx))}"))
        if r.get("tags"):
            w(fold("CATEGORIES:" + ",".join(escape(t) for t in r["tags"])))
        if r.get("place") and ctx.chron is not None:
            w(fold(f"LOCATION:{escape(ctx.chron.label_of(r['place']))}"))
        w(fold("TRANSP:TRANSPARENT"))
        w(fold("END:VEVENT"))
    w(fold("END:VCALENDAR"))

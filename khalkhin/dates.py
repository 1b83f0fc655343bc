"""EDTF dates (levels 0 and 1): parse, day bounds, ordering and human-readable form.

A date parses to an :class:`Edtf`: the canonical EDTF text, the first and last day it
may mean (as proleptic Gregorian ordinals, ``datetime.date.toordinal``), and a
precision. Approximate (``~``) and uncertain (``?``) dates keep the bounds of the date
as written: the qualifier is shown, never used to widen a range.

Seasons (level 1, ``1904-21`` to ``1904-24``) take the northern-hemisphere meteorological
bounds, since the specification gives none: spring March–May, summer June–August,
autumn September–November, winter 1 December to the end of the next February (the winter
that begins in that year). A date-time (level 0, ``1945-08-09T00:10`` or with seconds, and
``Z`` or a ``±hh:mm`` / ``±hh`` shift kept in the text) covers its day; the time only orders
it within that day, by the clock time as written (the shift is shown, not applied).

Years are 0001–9999. Valid EDTF beyond them (``0000``, ``-0044``, ``Y170000002``) raises
:class:`EdtfRangeError`, a kind of :class:`EdtfError`, saying so.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from khalkhin.errors import UsageError

__all__ = [
    "DAY",
    "MONTH",
    "YEAR",
    "DECADE",
    "CENTURY",
    "SEASON",
    "OPEN",
    "SEASONS",
    "Edtf",
    "EdtfError",
    "EdtfRangeError",
    "parse",
    "parse_bound",
    "human",
    "iso",
    "MIN_DAY",
    "MAX_DAY",
    "OPEN_START",
    "OPEN_END",
]

# Precision, finest last. Sorting puts coarser dates first on the same first day.
OPEN, CENTURY, DECADE, YEAR, SEASON, MONTH, DAY = 0, 1, 2, 3, 4, 5, 6

#: Level 1 season codes: name, first month, last month (a winter ends in the next year).
SEASONS: dict[int, tuple[str, int, int]] = {
    21: ("Spring", 3, 5),
    22: ("Summer", 6, 8),
    23: ("Autumn", 9, 11),
    24: ("Winter", 12, 2),
}

MIN_DAY = date(1, 1, 1).toordinal()
MAX_DAY = date(9999, 12, 31).toordinal()
# The bounds of an open or unknown end: beyond every real day, so that 0001-01-01 and
# 9999-12-31 stay days like any other.
OPEN_START = MIN_DAY - 1
OPEN_END = MAX_DAY + 1

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_PART = re.compile(
    r"(?P<year>[0-9]{2}(?:[0-9]{2}|[0-9]X|XX))"
    r"(?:-(?P<month>[0-9]{2}|XX)(?:-(?P<day>[0-9]{2}|XX)"
    r"(?:T(?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2})?)(?P<zone>Z|[+-][0-9]{2}(?::[0-9]{2})?)?)?)?)?"
    r"(?P<q>[?~%])?"
)
# Valid EDTF for years this tool does not handle: year 0, negative years (level 1), years
# of more than four digits (level 1, 'Y' prefix) and exponential years (level 2).
_BEYOND = re.compile(r"(?:0000|-[0-9]{4}|Y-?[0-9]{5,}|Y-?[0-9]+E[0-9]+(?:S[0-9]+)?)"
                     r"(?:-[0-9X]{2}){0,2}[?~%]?")
_RANGE = "0001–9999"


class EdtfError(UsageError, ValueError):
    """Text that is not a valid EDTF date of the supported levels (a usage error, exit 2,
    when it comes from the command line; a data file's is reported as a problem)."""


class EdtfRangeError(EdtfError):
    """Valid EDTF, but for a year outside the years this tool handles (0001–9999)."""


class Part(NamedTuple):
    """One end of a date: a single EDTF date, or an open or unknown end."""

    text: str  # canonical text; "" = unknown end, ".." = open end
    lower: int
    upper: int
    precision: int
    approximate: bool = False
    uncertain: bool = False
    time: int = -1  # seconds after midnight for a date-time; -1: none


class Edtf(NamedTuple):
    """A parsed EDTF date or interval."""

    text: str
    lower: int
    upper: int
    precision: int
    start: Part
    end: Part | None = None  # None for a single date

    @property
    def is_interval(self) -> bool:
        return self.end is not None

    @property
    def start_date(self) -> date | None:
        return None if self.lower < MIN_DAY else date.fromordinal(self.lower)

    @property
    def end_date(self) -> date | None:
        return None if self.upper > MAX_DAY else date.fromordinal(self.upper)

    @property
    def time(self) -> int | None:
        """Seconds after midnight of a single date-time, as written; else None."""
        return None if self.end is not None or self.start.time < 0 else self.start.time

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """First day, coarser first, then a whole day before its times, times in order."""
        return (self.lower, self.precision, self.start.time)

    @property
    def known_day(self) -> tuple[int, int] | None:
        """(month, day) when the date is one day exactly known (for "on this day")."""
        if self.end is not None or self.precision != DAY:
            return None
        d = date.fromordinal(self.lower)
        return (d.month, d.day)

    def __str__(self) -> str:
        return self.text


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def _beyond(text: str, whole: str) -> EdtfRangeError:
    if text.startswith("-") or text.startswith("Y-"):
        what = "a year before 1 CE"
    elif text.startswith("0000"):
        what = "year 0000, 1 BCE"
    else:
        what = "a year after 9999"
    return EdtfRangeError(f"'{whole}' is valid EDTF ({what}) but outside the years this tool "
                          f"handles ({_RANGE})")


def _parse_part(text: str, whole: str) -> Part:
    m = _PART.fullmatch(text)
    if m is None:
        if _BEYOND.fullmatch(text):
            raise _beyond(text, whole)
        if re.fullmatch(r"[0-9]{5,}(?:-.*)?", text):
            raise EdtfError(f"'{whole}': a year of more than four digits is written with a "
                            f"'Y' (Y{text.split('-')[0]}), and is outside the years this "
                            f"tool handles ({_RANGE})")
        if re.fullmatch(r"Y-?[0-9]{1,4}", text):
            raise EdtfError(f"'{whole}': 'Y' marks only years of more than four digits; "
                            f"write the year as four digits")
        if "T" in text:
            raise EdtfError(f"'{whole}' is not an EDTF date-time (expected YYYY-MM-DDThh:mm, "
                            "YYYY-MM-DDThh:mm:ss, optionally with Z or ±hh:mm)")
        raise EdtfError(f"'{whole}' is not an EDTF date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    ytext, mtext, dtext, q = m.group("year", "month", "day", "q")
    ttext, zone = m.group("time", "zone")
    if ttext is not None and q is not None:
        raise EdtfError(f"'{whole}': a date-time cannot be qualified with '{q}'; qualify "
                        "the date alone")
    if ttext is not None and "X" in text:
        raise EdtfError(f"'{whole}': a time needs a known day")
    approximate = q in ("~", "%")
    uncertain = q in ("?", "%")
    if "X" in ytext:
        if mtext is not None:
            raise EdtfError(f"'{whole}': a year with unspecified digits cannot have a month")
        xs = ytext.count("X")
        base = int(ytext.replace("X", "0"))
        span = 10**xs
        if base == 0 and xs == 2:
            raise _beyond("0000", whole)
        lo, hi = date(max(base, 1), 1, 1), date(base + span - 1, 12, 31)
        return Part(text, lo.toordinal(), hi.toordinal(), DECADE if xs == 1 else CENTURY,
                    approximate, uncertain)
    year = int(ytext)
    if year == 0:
        raise _beyond("0000", whole)
    if mtext is None or mtext == "XX":
        if dtext is not None and dtext != "XX":
            raise EdtfError(f"'{whole}': a day cannot follow an unspecified month")
        return Part(text, date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal(), YEAR,
                    approximate, uncertain)
    month = int(mtext)
    if not 1 <= month <= 12:
        if month in SEASONS:
            if dtext is not None:
                raise EdtfError(f"'{whole}': a season ({mtext}) cannot have a day")
            _, first, final = SEASONS[month]
            end_year = year + 1 if final < first else year
            if end_year > 9999:
                raise EdtfRangeError(f"'{whole}': the winter of 9999 ends after the years "
                                     f"this tool handles ({_RANGE})")
            begins = date(year, first, 1).toordinal()
            ends = date(end_year, final, _days_in_month(end_year, final)).toordinal()
            return Part(text, begins, ends, SEASON, approximate, uncertain)
        if 25 <= month <= 41:
            raise EdtfError(f"'{whole}': seasons and quarters 25–41 are EDTF level 2, not "
                            "supported (use 21–24: spring, summer, autumn, winter)")
        raise EdtfError(f"'{whole}': month {mtext} is out of range (01–12)")
    last = _days_in_month(year, month)
    if dtext is None or dtext == "XX":
        return Part(text, date(year, month, 1).toordinal(), date(year, month, last).toordinal(),
                    MONTH, approximate, uncertain)
    day = int(dtext)
    if not 1 <= day <= last:
        raise EdtfError(f"'{whole}': day {dtext} is out of range ({_MONTHS[month - 1]} {year} "
                        f"has {last} days)")
    o = date(year, month, day).toordinal()
    if ttext is None:
        return Part(text, o, o, DAY, approximate, uncertain)
    h, mi, sec = (int(x) for x in (ttext + ":00")[:8].split(":"))
    if h > 23 or mi > 59 or sec > 59:
        raise EdtfError(f"'{whole}': time {ttext} is out of range (00:00:00–23:59:59)")
    if zone is not None and zone != "Z":
        shift = int(zone[1:3]) * 60 + int(zone[4:] or 0)
        if int(zone[4:] or 0) > 59 or shift > (14 * 60 if zone[0] == "+" else 12 * 60):
            raise EdtfError(f"'{whole}': time shift {zone} is out of range (-12:00 to +14:00)")
    return Part(text, o, o, DAY, time=h * 3600 + mi * 60 + sec)


_CACHE: dict[str, Edtf] = {}


def parse(text: str) -> Edtf:
    """Parse EDTF text; raise :class:`EdtfError` with a clear message when invalid."""
    hit = _CACHE.get(text)
    if hit is not None:
        return hit
    if not isinstance(text, str):
        raise EdtfError(f"{text!r} is not an EDTF date")
    s = text.strip()
    if not s:
        raise EdtfError("empty date")
    if "/" in s:
        a, sep, b = s.partition("/")
        if "/" in b:
            raise EdtfError(f"'{s}' has more than one '/'")
        if a in ("", "..") and b in ("", ".."):
            raise EdtfError(f"'{s}': an interval needs at least one known end")
        start = Part(a, OPEN_START, OPEN_START, OPEN) if a in ("", "..") else _parse_part(a, s)
        end = Part(b, OPEN_END, OPEN_END, OPEN) if b in ("", "..") else _parse_part(b, s)
        if start.time >= 0 or end.time >= 0:
            raise EdtfError(f"'{s}': an EDTF interval runs between dates, not times of day; "
                            "give the days")
        if start.precision != OPEN and end.precision != OPEN and end.upper < start.lower:
            raise EdtfError(f"'{s}': the interval ends before it starts")
        lower = start.lower
        upper = end.upper
        precision = start.precision if start.precision != OPEN else end.precision
        result = Edtf(s, lower, upper, precision, start, end)
    else:
        part = _parse_part(s, s)
        result = Edtf(s, part.lower, part.upper, part.precision, part)
    if len(_CACHE) < 100_000:
        _CACHE[text] = result
    return result


def parse_bound(text: str, *, end: bool) -> int:
    """A ``--from`` / ``--to`` value as a day ordinal: the first (or last) day it covers."""
    d = parse(text)
    if d.is_interval:
        raise EdtfError(f"'{text}': give a single date here, not an interval")
    return d.upper if end else d.lower


def from_yaml_value(value: object) -> str:
    """Normalise what a YAML loader may produce for a date (int, date, str) to EDTF text."""
    if isinstance(value, bool):
        raise EdtfError(f"{value!r} is a boolean, not a date")
    if isinstance(value, int):
        if 0 < value <= 9999:
            return f"{value:04d}"
        raise EdtfRangeError(f"{value} is outside the years this tool handles ({_RANGE})")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    raise EdtfError(f"{value!r} is not an EDTF date")


def iso(ordinal: int) -> str | None:
    """ISO date for a bound, or None for an open end."""
    if ordinal < MIN_DAY or ordinal > MAX_DAY:
        return None
    return date.fromordinal(ordinal).isoformat()


def _human_part(p: Part, *, with_year: bool = True, with_month: bool = True) -> str:
    if p.precision == OPEN:
        return ""
    d = date.fromordinal(p.lower)
    if p.precision == CENTURY:
        body = f"{d.year}s"
    elif p.precision == DECADE:
        body = f"{d.year}s"
    elif p.precision == YEAR:
        body = str(d.year)
    elif p.precision == SEASON:
        body = f"{SEASONS[int(p.text[5:7])][0]} {d.year}"
    elif p.precision == MONTH:
        body = f"{_MONTHS[d.month - 1]} {d.year}" if with_year else _MONTHS[d.month - 1]
    else:
        bits = [str(d.day)]
        if with_month:
            bits.append(_MONTHS[d.month - 1])
        if with_year:
            bits.append(str(d.year))
        body = " ".join(bits)
        if p.time >= 0:
            body += ", " + clock(p.text)
    if p.approximate:
        body = "c. " + body
    if p.uncertain:
        body += "?"
    return body


def clock(text: str) -> str:
    """The time of an EDTF date-time as shown: "00:10", "23:20:30 UTC", "10:15 UTC+04:00"."""
    t = text.partition("T")[2]
    for i, ch in enumerate(t):
        if ch in "Z+-":
            return f"{t[:i]} UTC{t[i + 1:] if ch == 'Z' else t[i:]}"
    return t


def human(d: Edtf) -> str:
    """Human form: "20 Aug 1939", "Aug 1939", "c. 1939", "29 Jul – 11 Aug 1938".

    Also "Spring 1904" for a season and "9 Aug 1945, 00:10" for a date-time.
    """
    if d.end is None:
        return _human_part(d.start)
    a, b = d.start, d.end
    if a.precision == OPEN:
        return f"until {_human_part(b)}" if a.text == ".." else f"? – {_human_part(b)}"
    if b.precision == OPEN:
        return f"from {_human_part(a)}" if b.text == ".." else f"{_human_part(a)} – ?"
    qa = a.approximate or a.uncertain
    qb = b.approximate or b.uncertain
    da, db = date.fromordinal(a.lower), date.fromordinal(b.lower)
    if not (qa or qb) and a.precision == b.precision and a.precision in (DAY, MONTH):
        if da.year == db.year:
            if a.precision == DAY and da.month == db.month:
                return f"{da.day}–{_human_part(b)}"
            return f"{_human_part(a, with_year=False)} – {_human_part(b)}"
    return f"{_human_part(a)} – {_human_part(b)}"


def duration_days(d: Edtf) -> int | None:
    """Days covered by a date with both ends known (inclusive)."""
    if d.lower < MIN_DAY or d.upper > MAX_DAY:
        return None
    return d.upper - d.lower + 1

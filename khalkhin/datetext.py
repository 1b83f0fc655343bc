"""Dates as people write them, read as EDTF: "9 June 1940", "S14.8.20", "27 Jan 1904 O.S.".

:func:`parse_input` takes EDTF and the written forms listed in docs/data.md and returns the
canonical EDTF text of the Gregorian date meant. Numbers written ``9.6.1940`` are day,
month, year (the European order); with a four-digit year first (``1940.6.9``,
``1940-6-9``) they are year, month, day, and after an era (``S14.8.20``) era year, month,
day. An era year that runs only part of a Gregorian year reads as its days.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

from khalkhin import dates

__all__ = ["ACCEPTED", "DateInputError", "parse_input"]

#: The forms :func:`parse_input` reads, as listed in its errors.
ACCEPTED = ("1939-08-20, 20 Aug 1939, Aug 20, 1939, 20.8.1939, Aug 1939, Spring 1904, "
            "Shōwa 14, S14.8.20, 昭和14年8月20日, 民國28年, 康德6年, 27 Jan 1904 O.S.")


class DateInputError(dates.EdtfError):
    """A typed date that cannot be read; the message lists the forms and a nearest reading."""


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH = {**{m: i + 1 for i, m in enumerate(_MONTHS)},
          **{m[:3]: i + 1 for i, m in enumerate(_MONTHS)}, "sept": 9}
_SEASON = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_OS = re.compile(r"[\s,]*(?:\(\s*|\b)(?:o\.?\s?s\.?|old\s+style)\s*\)?$", re.I)
_NS = re.compile(r"[\s,]*(?:\(\s*|\b)(?:n\.?\s?s\.?|new\s+style)\s*\)?$", re.I)
_CIRCA = re.compile(r"^(?:c\.?|ca\.?|circa|about)\s+", re.I)
_TIME = re.compile(r"(?:,\s*|\s+|T)(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)"
                   r"(?:\s*(?P<zone>Z|UTC(?:[+-]\d{2}(?::\d{2})?)?|[+-]\d{2}(?::\d{2})?))?$",
                   re.I)
_WORD = r"(?P<mon>[^\W\d_]+)\.?"
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_GREGORIAN = (
    re.compile(rf"{_DAY}\s+(?:of\s+)?{_WORD},?\s+(?P<y>\d{{4}})", re.I),  # 9 June 1940
    re.compile(rf"{_WORD}\s+{_DAY},?\s+(?P<y>\d{{4}})", re.I),  # June 9, 1940
    re.compile(rf"{_WORD},?\s+(?P<y>\d{{4}})", re.I),  # June 1940, Spring 1904
    re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?"),  # 1940-6-9
    re.compile(r"(?P<y>\d{4})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})"),  # 1940.6.9
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"),  # 9.6.1940
)
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_N = r"\d{1,3}|[〇一二三四五六七八九十]+"
_NATIVE = re.compile(rf"(?P<era>[^\W\d_]{{2,4}}?)\s*(?P<y>{_N}|元)\s*年"
                     rf"(?:\s*(?P<m>{_N})\s*月(?:\s*(?P<d>{_N})\s*日)?)?")
_LATIN_ERA = re.compile(
    r"(?P<era>[^\W\d_]+(?:[ '’-][^\W\d_]+)*)\.?\s*(?P<y>\d{1,3})"
    r"(?:\s*\((?P<native>[^)]*)\))?"
    r"(?:[./-](?P<m>\d{1,2})(?:[./-](?P<d>\d{1,2}))?"
    r"|\s*(?P<m2>\d{1,2})\s*月(?:\s*(?P<d2>\d{1,2})\s*日)?)?")


class _Unread(Exception):
    """Not this form (a suggestion may say what was probably meant)."""


class _Span(NamedTuple):
    lo: date
    hi: date


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            _KANJI_DIGITS[ones] if ones else 0)
    return int("".join(str(_KANJI_DIGITS[c]) for c in text))


def _bad(reason: str) -> DateInputError:
    return DateInputError(reason)


def _month_number(word: str) -> int:
    n = _MONTH.get(word.lower())
    if n is None:
        raise _Unread(word)
    return n


def _gregorian_parts(text: str) -> tuple[int, int | None, int | None] | str:
    """(year, month, day) of a Gregorian-style form, or an EDTF season text."""
    for pattern in _GREGORIAN:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        groups = m.groupdict()
        y = int(groups["y"])
        if groups.get("mon") is not None:
            word = groups["mon"].lower()
            if word in _SEASON and groups.get("d") is None:
                return f"{y:04d}-{_SEASON[word]}"
            month: int | None = _month_number(word)
        else:
            month = int(groups["m"]) if groups.get("m") else None
        day = int(groups["d"]) if groups.get("d") else None
        return y, month, day
    raise _Unread(text)


def _check_day(y: int, m: int | None, d: int | None) -> None:
    if not 1 <= y <= 9999:
        raise _bad(f"year {y} is outside the years this tool handles (0001–9999)")
    if m is not None and not 1 <= m <= 12:
        raise _bad(f"month {m} is out of range (1–12)")
    if m is not None and d is not None:
        import calendar

        last = calendar.monthrange(y, m)[1]
        if not 1 <= d <= last:
            raise _bad(f"day {d} is out of range ({_ABBR[m - 1]} {y} has {last} days)")


def _edtf_of(y: int, m: int | None, d: int | None) -> str:
    _check_day(y, m, d)
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _julian(y: int, m: int | None, d: int | None) -> _Span:
    from khalkhin.calendars import CalendarError, from_julian

    try:
        if d is not None and m is not None:
            one = from_julian(y, m, d)
            return _Span(one, one)
        first = from_julian(y, m or 1, 1)
        end_y, end_m = (y, m + 1) if m is not None and m < 12 else (y + 1, 1)
        return _Span(first, from_julian(end_y, end_m, 1) - timedelta(days=1))
    except CalendarError as e:
        raise _bad(str(e)) from None


def _era(text: str) -> _Span | str:
    """The Gregorian days of an era date (native or romanised), or EDTF text for Mongolian."""
    from khalkhin.calendars import CalendarError, Era, era_named, from_era

    def resolve(name: str, y: str, m: str | None, d: str | None) -> tuple[Era, int,
                                                                             int | None,
                                                                             int | None]:
        era = era_named(name)
        if era is None:
            raise _Unread(name)
        return (era, 1 if y == "元" else _number(y), _number(m) if m else None,
                _number(d) if d else None)

    m = _NATIVE.fullmatch(text)
    if m is not None:
        era, y, mo, d = resolve(m.group("era"), m.group("y"), m.group("m"), m.group("d"))
    else:
        m = _LATIN_ERA.fullmatch(text)
        if m is None:
            raise _Unread(text)
        era, y, mo, d = resolve(m.group("era"), m.group("y"), m.group("m") or m.group("m2"),
                                m.group("d") or m.group("d2"))
        native = m.group("native")
        if native:
            n = _NATIVE.fullmatch(native.strip() + ("" if native.strip().endswith("年")
                                                    else "年"))
            if n is None or resolve(n.group("era"), n.group("y"), None, None)[:2] != (era, y):
                raise _bad(f"'{native}' is not {era.name} {y}")
    if era.calendar == "mongolian":
        if mo is not None:
            raise _bad("Mongolian era years are read as years only (their months were lunar)")
        g = era.first_year + y - 1
        if era.span(y) is None:
            raise _bad(f"{era.name} {y} is not a year of that era ({era.name} ran from year "
                       f"1 to {era.year_of(era.last) if era.last else '…'})")
        return f"{g:04d}~"  # a lunar year: about this Gregorian year
    try:
        lo, hi = from_era(era, y, mo, d)
    except CalendarError as e:
        raise _bad(str(e)) from None
    return _Span(lo, hi)


def _span_text(span: _Span) -> str:
    """The coarsest EDTF text that covers exactly these days."""
    lo, hi = span
    if lo == hi:
        return lo.isoformat()
    whole_months = lo.day == 1 and (hi + timedelta(days=1)).day == 1
    if whole_months and lo.month == 1 and hi.month == 12:
        return f"{lo.year:04d}" if lo.year == hi.year else f"{lo.year:04d}/{hi.year:04d}"
    if whole_months:
        a, b = f"{lo.year:04d}-{lo.month:02d}", f"{hi.year:04d}-{hi.month:02d}"
        return a if a == b else f"{a}/{b}"
    return f"{lo.isoformat()}/{hi.isoformat()}"


def _qualify(text: str, q: str) -> str:
    if not q:
        return text
    if text.endswith("~"):  # already approximate (a Mongolian lunar year)
        return text[:-1] + ("~" if q == "~" else "%")
    if "/" in text:
        return "/".join(part + q for part in text.split("/"))
    return text + q


def _read(text: str) -> str:
    """EDTF text of one written date; raise _Unread (not this) or DateInputError (invalid)."""
    s = " ".join(text.split())
    approx = uncertain = False
    c = _CIRCA.match(s)
    if c is not None:
        approx, s = True, s[c.end():]
    if s.endswith("?"):
        uncertain, s = True, s[:-1].rstrip()
    q = "%" if approx and uncertain else "~" if approx else "?" if uncertain else ""
    clock = zone = None
    t = _TIME.search(s)
    if t is not None:
        clock, zone = t.group("clock"), t.group("zone")
        s = s[:t.start()].rstrip(", ")
    old = _OS.search(s)
    if old is not None:
        s = s[:old.start()]
    else:
        new = _NS.search(s)
        if new is not None:
            s = s[:new.start()]
    if not s:
        raise _Unread(text)
    if re.fullmatch(r"\d{3}0s", s) and q == "" and clock is None and old is None:
        if s.endswith("00s"):
            raise _bad(f"'{s}' may be a decade or a century: write {s[:3]}X (the decade) or "
                       f"{s[:2]}XX (the century)")
        return s[:3] + "X"
    span: _Span | None = None
    out: str | None = None
    try:
        parts = _gregorian_parts(s)
    except _Unread:
        if old is not None:
            raise
        era = _era(s)
        if isinstance(era, str):
            out = era
        else:
            span = era
    else:
        if isinstance(parts, str):  # a season
            if old is not None:
                raise _bad("a season has no Old Style form") from None
            dates.parse(parts)
            out = parts
        elif old is not None:
            span = _julian(*parts)
        else:
            out = _edtf_of(*parts)
    if out is None:
        assert span is not None
        out = _span_text(span)
    if clock is not None:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", out) is None:
            raise _bad("a time of day needs a day")
        h, _, rest = clock.partition(":")
        out += f"T{int(h):02d}:{rest}" + _zone(zone)
    out = _qualify(out, q)
    try:
        return dates.parse(out).text
    except dates.EdtfError as e:
        raise _bad(str(e).replace(f"'{out}'", f"'{text}'", 1)) from None


def _zone(zone: str | None) -> str:
    if not zone:
        return ""
    z = zone.upper()
    if z in ("Z", "UTC"):
        return "Z"
    return z.removeprefix("UTC")


def _nearest(text: str) -> str | None:
    """A reading of the text with one word corrected (a month, season or era name), if any."""
    import difflib

    from khalkhin.calendars import ERAS

    vocabulary: dict[str, str] = {}
    for name in _MONTHS:
        vocabulary[name] = name.capitalize()
    for i, name in enumerate(_MONTHS):
        vocabulary[name[:3]] = _ABBR[i]
    for name in _SEASON:
        vocabulary[name] = name.capitalize()
    for era in ERAS:
        vocabulary[era.ascii.lower()] = era.name
    words = re.findall(r"[^\W\d_]{2,}", text)
    for word in words:
        if word.lower() in vocabulary or word.upper() in ("OS", "NS"):
            continue
        for close in difflib.get_close_matches(word.lower(), list(vocabulary), n=3, cutoff=0.6):
            replacement = vocabulary[close]
            if len(word) <= 4 and len(close) > 4 and close[:3] in vocabulary:
                replacement = vocabulary[close[:3]]  # keep an abbreviation an abbreviation
            candidate = re.sub(rf"\b{re.escape(word)}\b", replacement, text, count=1)
            try:
                _read(candidate)
            except (_Unread, dates.EdtfError):
                continue
            return candidate
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", text)
    if m is not None:
        candidate = f"{m.group(1)}.{m.group(2)}.{m.group(3)}"
        try:
            _read(candidate)
            return candidate
        except (_Unread, dates.EdtfError):
            return None
    return None


def parse_input(text: str) -> str:
    """The canonical EDTF text of a date as typed: EDTF or one of the written forms.

    Raises :class:`DateInputError` (a :class:`dates.EdtfError`) for what it cannot read,
    with the nearest reading where one word is probably mistyped, and
    :class:`dates.EdtfRangeError` for valid EDTF outside the years handled.
    """
    import unicodedata

    if not isinstance(text, str):
        raise DateInputError(f"{text!r} is not a date")
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        raise DateInputError("empty date")
    try:
        return dates.parse(s).text
    except dates.EdtfRangeError:
        raise
    except dates.EdtfError as e:
        edtf_error = e
    try:
        return _read(s)
    except _Unread:
        pass
    except DateInputError as e:
        raise DateInputError(f"'{s}': {e}" if not str(e).startswith(f"'{s}'") else str(e)
                             ) from None
    if re.fullmatch(r"[0-9X?~%/.:TZ+-]+", s) and re.match(r"[0-9X]{4}-", s):
        raise DateInputError(str(edtf_error)) from None  # EDTF with a mistake: say which
    near = _nearest(s)
    if near is not None:
        raise DateInputError(f"'{s}': did you mean '{near}'? (dates are written like {ACCEPTED})")
    raise DateInputError(f"'{s}' is not a date this tool reads; write it like {ACCEPTED}")

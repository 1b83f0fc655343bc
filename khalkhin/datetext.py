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
from typing import TYPE_CHECKING, NamedTuple

from khalkhin import dates

if TYPE_CHECKING:
    from khalkhin.calendars import Era

__all__ = ["ACCEPTED", "DAY_FORMS", "DateInputError", "OldStyle", "day_of_year", "find_dates",
           "from_calendar", "old_style_dates", "old_style_problems", "parse_input",
           "written_dates_agree"]

#: The forms :func:`parse_input` reads, as listed in its errors.
ACCEPTED = ("1939-08-20, 1939-08, Aug 1939, August 1939, 20 Aug 1939, Aug 20, 1939, "
            "20.8.1939 (day.month.year), Spring 1904, c. 1939, Shōwa 14, S14, S14.8.20, "
            "明治37年, 昭和14年8月20日, 民國28年, 康德6年, 1904-01-27 O.S., 27 Jan 1904 (O.S.)")


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
    return _era_reading(text)[1]


def _era_reading(text: str) -> tuple[Era, _Span | str]:
    """The era of an era date and its Gregorian days (EDTF text for a Mongolian year)."""
    from khalkhin.calendars import CalendarError, era_named, from_era

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
        return era, f"{g:04d}~"  # a lunar year: about this Gregorian year
    try:
        lo, hi = from_era(era, y, mo, d)
    except CalendarError as e:
        raise _bad(str(e)) from None
    return era, _Span(lo, hi)


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


# --- a calendar's own dates in data -----------------------------------------------------------

_JULIAN_PART = r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[?~%])?"


def from_calendar(calendar: str, text: str) -> str:
    """The Gregorian EDTF of a date written in another calendar, as a data file gives it.

    ``julian``: EDTF in the Julian calendar (``1904-01-27``, ``1904-01``,
    ``1904-06-01/1904-06-02``, a qualifier ``?`` ``~`` ``%`` on an end, ``..`` for an open
    end); a Julian month or year is the run of Gregorian days it covers. ``japanese``,
    ``minguo``, ``manchukuo``, ``mongolian``: an era date of that calendar as
    :func:`parse_input` reads it (``昭和14年8月20日``, ``Kangde 6``). ``gregorian``: EDTF.
    Raises :class:`DateInputError`.
    """
    import unicodedata

    s = unicodedata.normalize("NFKC", text).strip()
    if calendar == "gregorian":
        try:
            return dates.parse(s).text
        except dates.EdtfError as e:
            raise DateInputError(str(e)) from None
    if calendar == "julian":
        return _julian_edtf(s)
    from khalkhin.calendars import CALENDARS

    if calendar not in CALENDARS:
        raise DateInputError(f"unknown calendar '{calendar}'")
    try:
        era, span = _era_reading(s)
    except _Unread:
        raise DateInputError(f"'{s}' is not a date of the {calendar} calendar (write it like "
                             f"{_ERA_EXAMPLES[calendar]})") from None
    except DateInputError as e:
        raise DateInputError(f"'{s}': {e}") from None
    if era.calendar != calendar:
        raise DateInputError(f"'{s}' is a date of the {era.calendar} calendar, not of the "
                             f"{calendar} one")
    out = span if isinstance(span, str) else _span_text(span)
    return dates.parse(out).text


_ERA_EXAMPLES = {"japanese": "昭和14年8月20日 or Shōwa 14.8.20", "minguo": "民國28年 or Minguo 28",
                 "manchukuo": "康德6年 or Kangde 6", "mongolian": "Olnoo Örgögdsön 2"}


def _julian_edtf(s: str) -> str:
    parts = s.split("/")
    if len(parts) > 2:
        raise DateInputError(f"'{s}' has more than one '/'")
    spans: list[tuple[_Span, str] | None] = []
    for part in parts:
        if part in ("", ".."):
            spans.append(None)
            continue
        m = re.fullmatch(_JULIAN_PART, part)
        if m is None:
            raise DateInputError(f"'{s}' is not a Julian date: write it as EDTF in the Julian "
                                 "calendar (1904-01-27, 1904-01, 1904-06-01/1904-06-02)")
        y, mo, d = int(m.group("y")), m.group("m"), m.group("d")
        if y < 1:
            raise DateInputError(f"'{s}': year {y} is outside the years this tool handles")
        try:
            span = _julian(y, int(mo) if mo else None, int(d) if d else None)
        except DateInputError as e:
            raise DateInputError(f"'{s}': {e}") from None
        spans.append((span, m.group("q") or ""))
    if len(parts) == 1:
        only = spans[0]
        if only is None:
            raise DateInputError("empty date")
        out = _qualify(_span_text(only[0]), only[1])
    else:
        if spans[0] is None and spans[1] is None:
            raise DateInputError(f"'{s}': an interval needs at least one known end")
        ends = []
        for i, (part, got) in enumerate(zip(parts, spans, strict=True)):
            if got is None:
                ends.append(part)
            else:
                day = got[0].lo if i == 0 else got[0].hi
                ends.append(day.isoformat() + got[1])
        out = "/".join(ends)
    try:
        return dates.parse(out).text
    except dates.EdtfError as e:
        raise DateInputError(f"'{s}' (Julian): {e}") from None


# --- a day of the year -------------------------------------------------------------------------

_DAYS_IN = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Compiled on first use (re caches them), so that importing this module stays cheap.
_DAY_FORMS = (
    r"(?P<m>\d{1,2})-(?P<d>\d{1,2})",  # 08-20
    rf"{_DAY}\.?\s+(?:of\s+)?{_WORD}(?:,?\s+\d{{4}})?",  # 20 Aug, 20 Aug 1939
    rf"{_WORD}\s+{_DAY}(?:,?\s+\d{{4}})?",  # Aug 20, Aug 20, 1939
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.?(?:\d{4})?",  # 20.8., 20.8.1939
    r"(?:\d{4}-)(?P<m>\d{1,2})-(?P<d>\d{1,2})",  # 1939-08-20
    r"(?:\d{4}\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日",  # 8月20日
)
DAY_FORMS = "08-20, 20 Aug, Aug 20, 20.8., 8月20日, 27 Jan O.S."


def day_of_year(text: str) -> tuple[int, int, str | None]:
    """A day of the year as typed: (month, day, calendar).

    Takes ``08-20``, ``20 Aug``, ``20 August``, ``Aug 20``, ``20.8.`` (day, month),
    ``8月20日``, and a whole date (its year is left aside); ``O.S.`` or ``Old Style`` after
    it makes the calendar ``"julian"``, ``N.S.`` ``"gregorian"``, nothing None. 29 February
    is a day of the year. Raises :class:`DateInputError`, with the nearest reading when a
    month name is mistyped.
    """
    import unicodedata

    s = " ".join(unicodedata.normalize("NFKC", text).split())
    calendar: str | None = None
    old = _OS.search(s)
    if old is not None:
        calendar, s = "julian", s[:old.start()]
    else:
        new = _NS.search(s)
        if new is not None:
            calendar, s = "gregorian", s[:new.start()]
    for pattern in _DAY_FORMS:
        m = re.fullmatch(pattern, s, re.I)
        if m is None:
            continue
        groups = m.groupdict()
        try:
            month = _month_number(groups["mon"]) if groups.get("mon") else int(groups["m"])
        except _Unread:
            break
        day = int(groups["d"])
        if not 1 <= month <= 12:
            raise DateInputError(f"'{text.strip()}': month {month} is out of range (1–12)")
        if not 1 <= day <= _DAYS_IN[month - 1]:
            raise DateInputError(f"'{text.strip()}': day {day} is out of range ("
                                 f"{_MONTHS[month - 1].capitalize()} has at most "
                                 f"{_DAYS_IN[month - 1]} days)")
        return month, day, calendar
    near = None
    for word in re.findall(r"[^\W\d_]{3,}", s):
        import difflib

        close = difflib.get_close_matches(word.lower(), [*_MONTHS, *(m[:3] for m in _MONTHS)],
                                          n=1, cutoff=0.6)
        if close and word.lower() not in _MONTH:
            name = close[0].capitalize() if len(close[0]) > 3 else _ABBR[_MONTH[close[0]] - 1]
            near = re.sub(rf"\b{re.escape(word)}\b", name, text.strip(), count=1)
            break
    if near:
        raise DateInputError(f"'{text.strip()}' is not a day of the year; did you mean "
                             f"'{near}'? (give it like {DAY_FORMS})")
    raise DateInputError(f"'{text.strip()}' is not a day of the year; give it like {DAY_FORMS}")


# --- dates inside free text ---------------------------------------------------------------------

_FOUND: list[tuple[re.Pattern[str], str]] | None = None


def _finders() -> list[tuple[re.Pattern[str], str]]:
    """The patterns of :func:`find_dates`, compiled on first use: (pattern, kind)."""
    global _FOUND
    if _FOUND is not None:
        return _FOUND
    from khalkhin.calendars import _ALIASES, ERAS

    names = {n for e in ERAS for n in (e.name, e.ascii)} | {
        k for k in _ALIASES if not re.search(r"[\u3000-\u9fff]", k)}
    names |= {"Min-kuo", "Ming-kuo", "Kang-te", "Ta-tung", "Olnoo Orgogdson"}
    latin = "|".join(sorted((re.escape(n).replace(r"\ ", r"\s+") for n in names), key=len,
                            reverse=True))
    native = "|".join(sorted({re.escape(n) for e in ERAS if e.native for n in (e.native,)} | {
        re.escape(k) for k in _ALIASES if re.search(r"[\u3000-\u9fff]", k)}, key=len,
        reverse=True))
    month = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
             r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
    season = r"(?:spring|summer|autumn|fall|winter)"
    year = r"[12][0-9]{3}"
    digit = r"[0-9０-９]"
    kanji = r"(?:[0-9０-９]{1,3}|[〇一二三四五六七八九十]+)"
    day = r"(?:[0-3]?[0-9])(?:st|nd|rd|th)?"
    style = (r"(?:\s*,?\s*\(\s*(?:o\.\s?s\.|old\s+style|n\.\s?s\.|new\s+style)\s*\)"
             r"|\s*,?\s+(?:o\.\s?s\.|old\s+style|n\.\s?s\.|new\s+style)"
             r"|\s+(?-i:OS|NS)\b)?")
    circa = r"(?:(?:c\.|ca\.|circa)\s*)?"
    start = r"(?<![\w.\-/])"
    end = r"(?![\w\-/]|\.[0-9])"
    part = r"[12][0-9]{3}(?:-[0-9]{2}(?:-[0-9]{2})?)?[?~%]?"
    found = [
        (rf"{start}(?:{part}|\.\.)?/(?:{part}|\.\.)?{end}", "edtf"),  # 1939-05-11/1939-09-16
        (rf"{start}(?P<d1>{day})\s*[–-]\s*(?P<d2>{day})\s+(?P<m>{month}),?\s+(?P<y>{year})"
         rf"{end}", "days"),  # 20–31 August 1939
        (rf"{start}(?P<m1>{month})\s*[–-]\s*(?P<m2>{month}),?\s+(?P<y>{year}){end}",
         "months"),  # May–September 1939
        (rf"{start}{circa}{day}\s+(?:of\s+)?{month},?\s+{year}{style}{end}", "written"),
        (rf"{start}{circa}{month}\s+{day},?\s+{year}{style}{end}", "written"),
        (rf"{start}{circa}(?:{month}|{season}),?\s+{year}{style}{end}", "written"),
        (rf"{start}{year}-[0-9]{{1,2}}(?:-[0-9]{{1,2}})?[?~%]?{style}{end}", "written"),
        (rf"{start}[0-9]{{1,2}}\.[0-9]{{1,2}}\.{year}{style}{end}", "written"),
        (rf"{start}{year}\.[0-9]{{1,2}}\.[0-9]{{1,2}}{style}{end}", "written"),
        (rf"(?:{native})\s*(?:{kanji}|元)\s*年(?:\s*{kanji}\s*月(?:\s*{kanji}\s*日)?)?", "written"),
        (rf"{start}(?:{latin})\.?\s*{digit}{{1,2}}(?:\s*\([^)]{{1,12}}\))?"
         rf"(?:[./-][0-9]{{1,2}}(?:[./-][0-9]{{1,2}})?|\s*[0-9]{{1,2}}\s*月"
         rf"(?:\s*[0-9]{{1,2}}\s*日)?)?{end}", "written"),
        (rf"{start}(?-i:[MTSHR])\.?{digit}{{1,2}}(?:\.[0-9]{{1,2}}(?:\.[0-9]{{1,2}})?)?{end}",
         "written"),
        (rf"{start}(?P<a>{year})\s*(?:–|—|-|to)\s*(?P<b>{year}|[0-9]{{2}}){end}", "years"),
        (rf"{start}{circa}(?:1[89]|20)[0-9]0s{end}", "written"),
        (rf"{start}{circa}(?:1[89]|20)[0-9]{{2}}[?~%]?{style}{end}", "written"),
    ]
    _FOUND = [(re.compile(p, re.I), kind) for p, kind in found]
    return _FOUND


def find_dates(text: str) -> list[tuple[str, int, int, str]]:
    """Every date written inside a free-text query, in order, none overlapping another.

    Each is ``(EDTF, first day, last day, the text matched)``, the days as proleptic
    Gregorian ordinals (``date.toordinal``; an open end beyond the years handled). Found:
    the forms :func:`parse_input` reads when they stand as words — ``9 June 1940``,
    ``June 9, 1940``, ``Aug 1939``, ``Spring 1904``, ``1939-08``, ``1939-08-20``, ``9.6.1940``
    (day, month, year), ``1904-01-27 O.S.``, ``27 Jan 1904 (O.S.)``, ``昭和14年``,
    ``Shōwa 14``, ``S14``, ``民国28年``, ``康德6年`` — EDTF intervals (``1939-05-11/1939-09-16``,
    ``1941/..``), runs of days and months (``20–31 August 1939``, ``May–September 1939``) and
    spans of years (``1904–05``, ``1937-1945``; ``1904-05`` with a hyphen is EDTF, May 1904).
    A bare number is a year only
    from 1800 to 2099 and as a word of its own: ``57th``, ``11th Tank Brigade``, ``-n 5``,
    ``T-34``, ids such as ``battle-of-khalkhin-gol`` or ``raid-1939-05`` hold no date.
    """
    if not text or not any(c.isdigit() or c == "年" for c in text):
        return []
    found: list[tuple[int, int, str, str]] = []
    for pattern, kind in _finders():
        for m in pattern.finditer(text):
            edtf = _found(m, kind)
            if edtf is not None:
                found.append((m.start(), m.end(), edtf, m.group().strip()))
    found.sort(key=lambda f: (f[0], -f[1]))
    out: list[tuple[str, int, int, str]] = []
    last = -1
    for a, b, edtf, matched in found:
        if a < last:
            continue
        d = dates.parse(edtf)
        out.append((edtf, d.lower, d.upper, matched))
        last = b
    return out


def _found(m: re.Match[str], kind: str) -> str | None:
    try:
        if kind == "edtf":
            return dates.parse(m.group()).text if m.group().strip("/.") else None
        if kind == "days":
            ends = [parse_input(f"{m.group(d)} {m.group('m')} {m.group('y')}")
                    for d in ("d1", "d2")]
            return dates.parse("/".join(ends)).text
        if kind == "months":
            ends = [parse_input(f"{m.group(x)} {m.group('y')}") for x in ("m1", "m2")]
            return dates.parse("/".join(ends)).text
    except dates.EdtfError:
        return None
    if kind == "years":
        a, b = m.group("a"), m.group("b")
        if len(b) == 2:
            b = a[:2] + b
            if m.group()[4:5] == "-":  # 1904-05 is EDTF's May 1904, found by its pattern
                return None
        if int(b) <= int(a):
            return None
        return f"{a}/{b}"
    try:
        return parse_input(m.group())
    except dates.EdtfError:
        return None


# --- Old Style dates in prose -------------------------------------------------------------------

_MONTH_WORD = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
               r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_PROSE: re.Pattern[str] | None = None


def _prose() -> re.Pattern[str]:
    """A day or run of days in prose, day first or month first, the year optional."""
    global _PROSE
    if _PROSE is None:
        mon = _MONTH_WORD
        day_first = (rf"(?P<d1>\d{{1,2}})(?:\s*[–-]\s*(?P<d2>\d{{1,2}}))?\s+(?P<m1>{mon})"
                     rf"(?:\s+(?P<y1>\d{{4}}))?(?:\s*[–-]\s*(?P<d3>\d{{1,2}})\s+(?P<m2>{mon})"
                     rf"(?:\s+(?P<y2>\d{{4}}))?)?")
        month_first = (rf"(?P<m3>{mon})\s+(?P<d4>\d{{1,2}})(?:\s*[–-]\s*(?P<d5>\d{{1,2}}))?"
                       rf"(?:,?\s+(?P<y3>\d{{4}}))?")
        _PROSE = re.compile(rf"(?<![\w/])(?:{day_first}|{month_first})(?![\w/])", re.I)
    return _PROSE


_LEAD = r"(?:Old Style|O\.\s?S\.)(?:\s*\(Julian\))?\s*:\s*$"
_OLD = r"(?:Old Style(?:\s*\(Julian\))?|O\.\s?S\.|in the (?:Julian|Russian) calendar)"
_MARK = rf"^(?:\s*,)?\s*(?:\(\s*{_OLD}\s*\)|{_OLD})"
_NEW_MARK = r"^\s*(?:N\.\s?S\.|New Style)"

Day = tuple[int | None, int, int]  # (year or None, month, day) as written


class OldStyle(NamedTuple):
    """An Old Style date in prose: the text, its first and last day as written, and the New
    Style date it is paired with there ("27 January O.S. = 9 February 1904"), if any."""

    text: str
    first: Day
    last: Day
    partner: tuple[Day, Day] | None = None
    partner_text: str = ""


def _days(m: re.Match[str]) -> tuple[Day, Day]:
    g = m.groupdict()
    if g.get("m3"):
        mon = _month_number(g["m3"].rstrip("."))
        y = int(g["y3"]) if g.get("y3") else None
        d1 = int(g["d4"])
        return (y, mon, d1), (y, mon, int(g["d5"]) if g.get("d5") else d1)
    m1 = _month_number(g["m1"].rstrip("."))
    y1 = int(g["y1"]) if g.get("y1") else None
    d1 = int(g["d1"])
    if g.get("d3"):
        y2 = int(g["y2"]) if g.get("y2") else y1
        return (y1 if y1 is not None else y2, m1, d1), (y2, _month_number(
            g["m2"].rstrip(".")), int(g["d3"]))
    return (y1, m1, d1), (y1, m1, int(g["d2"]) if g.get("d2") else d1)


def old_style_dates(text: str) -> list[OldStyle]:
    """The Old Style dates a note gives: "Old Style (Julian): 27 January 1904",
    "2 December 1904 Old Style", "23 August (Old Style)", "25 October 1917 in the Julian
    calendar", "in the Russian calendar", "27 January O.S.". A New Style date it is paired
    with — after ``=`` or in parentheses marked N.S. ("23 February O.S. (8 March N.S.)"), or
    just before, with the Old Style date in parentheses ("5 September (23 August Old
    Style)") — is its ``partner``."""
    out: list[OldStyle] = []
    found = list(_prose().finditer(text))
    for i, m in enumerate(found):
        before, after = text[:m.start()], text[m.end():]
        lead = re.search(_LEAD, before, re.I)
        mark = re.match(_MARK, after, re.I) if lead is None else None
        if lead is None and mark is None:
            continue
        try:
            first, last = _days(m)
        except _Unread:
            continue
        end = m.end() + (mark.end() if mark is not None else 0)
        partner: tuple[Day, Day] | None = None
        partner_text = ""
        nxt = found[i + 1] if i + 1 < len(found) else None
        gap = text[end:nxt.start()] if nxt is not None else ""
        if nxt is not None and (re.fullmatch(r"\s*=\s*", gap) or (
                re.fullmatch(r"\s*\(\s*", gap) and re.match(_NEW_MARK, text[nxt.end():], re.I))):
            partner, partner_text = _days(nxt), nxt.group()
        elif i > 0:
            head = before if lead is None else before[:lead.start()]
            prev = found[i - 1]
            if prev.end() <= len(head) and re.fullmatch(r"\s*\(\s*", head[prev.end():]):
                partner, partner_text = _days(prev), prev.group()
        start = lead.start() if lead is not None else m.start()
        out.append(OldStyle(text[start:end].strip(), first, last, partner, partner_text))
    return out


def old_style_problems(note: str, spans: list[tuple[int, int]]) -> list[str]:
    """What is wrong with the Old Style dates a note gives, one message each.

    An Old Style date paired with a New Style one must be the same day in the other
    calendar; one that stands alone must fall within one of ``spans`` (the first and last
    days, as ordinals, of the dates it may be about: an event's date, an entity's
    ``dates`` ends or signature). A year left out is the year of the date it is about.
    """
    from khalkhin.calendars import CalendarError, from_julian, to_julian

    problems = []
    years = sorted({to_julian(date.fromordinal(o))[0] for span in spans for o in span
                    if dates.MIN_DAY <= o <= dates.MAX_DAY})

    def gregorian(d: Day, year: int) -> int | None:
        try:
            return from_julian(d[0] if d[0] is not None else year, d[1], d[2]).toordinal()
        except CalendarError:
            return None

    def twin(d: Day, year: int) -> str:
        o = gregorian(d, year)
        return dates.human(dates.parse(date.fromordinal(o).isoformat())) if o else "no day"

    for os_ in old_style_dates(note):
        given = os_.first[0] or os_.last[0]
        if os_.partner is not None:
            p_first, p_last = os_.partner
            p_year = p_first[0] or p_last[0]
            candidates = [given] if given else [p_year] if p_year else years
            ok = False
            for y in candidates:
                a, b = gregorian(os_.first, y), gregorian(os_.last, y)
                for py in (p_year,) if p_year else (y, y + 1):
                    if a is not None and (a, b) == (_ordinal(p_first, py),
                                                    _ordinal(p_last, py)):
                        ok = True
            if not ok and candidates:
                y = candidates[0]
                problems.append(f"'{os_.text}' and '{os_.partner_text}' are not the same day: "
                                f"{_written(os_.first, y)} O.S. is {twin(os_.first, y)}")
            continue
        candidates = [given] if given else years
        ok = False
        for y in candidates:
            a, b = gregorian(os_.first, y), gregorian(os_.last, y)
            if a is not None and b is not None and any(lo <= a and b <= hi for lo, hi in spans):
                ok = True
        if not ok:
            shown = "; ".join(_old_style_of(lo, hi) for lo, hi in spans) or "unknown"
            problems.append(f"'{os_.text}' is not the Old Style date of {_spans_text(spans)} "
                            f"({shown})")
    return problems


def _ordinal(d: Day, year: int) -> int | None:
    try:
        return date(d[0] if d[0] is not None else year, d[1], d[2]).toordinal()
    except ValueError:
        return None


def _written(d: Day, year: int) -> str:
    return f"{d[2]} {_ABBR[d[1] - 1]} {d[0] if d[0] is not None else year}"


def _spans_text(spans: list[tuple[int, int]]) -> str:
    """Runs of days as the coarsest EDTF for each: "1857 or 1904-12-15"."""
    texts = []
    for lo, hi in spans:
        if dates.MIN_DAY <= lo <= hi <= dates.MAX_DAY:
            texts.append(_span_text(_Span(date.fromordinal(lo), date.fromordinal(hi))))
        else:
            texts.append(f"{dates.iso(lo) or '..'}/{dates.iso(hi) or '..'}")
    return " or ".join(texts)


def _old_style_of(lo: int, hi: int) -> str:
    from khalkhin.calendars import calendars_for

    if not dates.MIN_DAY <= lo <= hi <= dates.MAX_DAY:
        return "?"
    text = _spans_text([(lo, hi)])
    return calendars_for(dates.parse(text), ["julian"]).get("julian", "after Old Style")


def written_dates_agree(text: str, lower: int, upper: int) -> bool | None:
    """Whether the dates inside a source's own form of a date (``as_written``) agree with
    the date it stands for: None when it holds none; True when one of them, read as written
    or (for days before 14 Feb 1918) as an Old Style date, overlaps [lower, upper]."""
    found = find_dates(text)
    if not found:
        return None
    from khalkhin.calendars import FIRST_NEW_STYLE

    for edtf, lo, hi, _ in found:
        if lo <= upper and hi >= lower:
            return True
        plain = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", edtf)
        if plain is not None and lo < FIRST_NEW_STYLE.toordinal():
            y, m, d = (int(g) if g else None for g in plain.groups())
            try:
                span = _julian(y or 1, m, d)
            except DateInputError:
                continue
            if span.lo.toordinal() <= upper and span.hi.toordinal() >= lower:
                return True
    return False

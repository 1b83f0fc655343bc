"""The calendars of the period's sources: Julian (Old Style) days and era years.

Every date in a chronology is Gregorian (see docs/data.md); this module reads a Gregorian
day in the other calendars its sources use, and back. The Julian calendar comes from
``convertdate`` (imported only when a Julian day is converted); the era calendars are a
small table, below, counting years over the Gregorian calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from khalkhin import dates

if TYPE_CHECKING:
    from khalkhin.model import Chronology, Entity, Event

__all__ = [
    "CALENDARS",
    "ERAS",
    "FIRST_NEW_STYLE",
    "PARTY_CALENDARS",
    "LABELS",
    "CalendarDate",
    "CalendarError",
    "CalendarForm",
    "Era",
    "EraYear",
    "applicable",
    "calendar_forms",
    "calendars_for",
    "era_at",
    "era_named",
    "entity_calendars",
    "era_year",
    "event_calendars",
    "from_era",
    "from_julian",
    "in_use",
    "japanese_era",
    "to_julian",
]

#: Calendar names, in the order their forms are listed.
CALENDARS = ("julian", "japanese", "minguo", "manchukuo", "mongolian")

#: What each calendar is called where its forms are listed.
LABELS = {
    "julian": "Julian (Old Style)",
    "japanese": "Japanese era",
    "minguo": "Republic of China (Minguo)",
    "manchukuo": "Manchukuo era",
    "mongolian": "Bogd Khan era",
}

#: Russia's first New Style day: the day after 31 January 1918 O.S. was 14 February 1918
#: (decree of the Council of People's Commissars of 24 January 1918 O.S.).
FIRST_NEW_STYLE = date(1918, 2, 14)


class CalendarError(ValueError):
    """A day that does not exist in a calendar, or lies outside the years it counts."""


class Era(NamedTuple):
    """A named era: year 1 is the Gregorian year ``first_year``; days from ``first``."""

    calendar: str
    name: str  # romanised, with macrons: "Shōwa"
    ascii: str  # the same without them: "Showa"
    native: str  # in its own script: "昭和" ("" for none)
    letter: str  # the one-letter abbreviation ("S"), "" for none
    first: date  # first day counted in the era
    last: date | None  # last day counted in it (None: still counted)
    first_year: int  # the Gregorian year of year 1

    def year_of(self, day: date) -> int:
        """The era year of a Gregorian day."""
        return day.year - self.first_year + 1

    def native_year(self, year: int) -> str:
        """"明治37年"; the first year is 元年 ("the first year"), as it is written."""
        if not self.native:
            return ""
        return f"{self.native}{'元' if year == 1 else year}年"

    def span(self, year: int) -> tuple[date, date] | None:
        """The first and last Gregorian day of an era year, or None outside the era."""
        g = self.first_year + year - 1
        if year < 1 or g > 9999:
            return None
        lo = max(date(g, 1, 1), self.first)
        hi = date(g, 12, 31) if self.last is None else min(date(g, 12, 31), self.last)
        return (lo, hi) if lo <= hi else None


# Japanese eras. Start days from the Japanese government's era instruments as listed by
# the National Astronomical Observatory of Japan (NAOJ Koyomi Wiki, "元号 (年号)"): the
# Meiji rescript of Meiji 1.9.8 (23 Oct 1868) made all of Keiō 4 Meiji 1; the rescripts of
# 30 Jul 1912 and 25 Dec 1926 began Taishō and Shōwa on the day of the succession (so
# 30 Jul 1912 and 25 Dec 1926 were also the last days of Meiji and Taishō; here they
# belong to the new era); Cabinet Order No. 1 of 7 Jan 1989 began Heisei on 8 Jan 1989;
# Reiwa began on 1 May 2019. Convention for Meiji: Japan kept its lunisolar calendar until
# Meiji 5 and counted Gregorian years from 1 Jan 1873 (Meiji 6), so Meiji N is the
# Gregorian year 1867 + N here, from 1 Jan 1868; a day of 1868-1872 is read as a Gregorian
# day with its era year, not as the lunisolar date written at the time.
#
# Republic of China: Minguo (民國) year 1 = 1912, from 1 Jan 1912, when the republic was
# proclaimed and took the Gregorian calendar; still counted in Taiwan.
#
# Manchukuo: Datong (大同) from the proclamation of the state on 1 Mar 1932 (year 1 =
# 1932), Kangde (康德) from Puyi's enthronement on 1 Mar 1934 (year 1 = 1934), so Jan-Feb
# 1934 are Datong 3. The state ended with Puyi's abdication on 17-18 Aug 1945 (the
# accounts differ by a day); like the bundled entity (1932-03-01/1945-08) the table ends
# with August 1945.
#
# Mongolia: the Bogd Khan's reign title Olnoo Örgögdsön ("raised by the many") numbered
# the years of the state from 1911 (year 1; 1912 was year 2), from his enthronement on
# 29 Dec 1911 (Bawden 1968; Atwood 2004) to the Mongolian People's Republic of
# 26 Nov 1924. Those years were lunar years beginning at Tsagaan Sar (late January to
# February), so a day in January or February may belong to the year before: its reading is
# both years. Left out: the Mongolian state years said to have been counted on from 1911
# under the MPR until 1945, which only tertiary sources give (a German encyclopedia
# article on the Mongolian calendar, a date-converter site); and Mengjiang's reckoning
# from Chinggis Khan (成紀), for which no source was at hand.
ERAS: tuple[Era, ...] = (
    Era("japanese", "Meiji", "Meiji", "明治", "M", date(1868, 1, 1), date(1912, 7, 29), 1868),
    Era("japanese", "Taishō", "Taisho", "大正", "T", date(1912, 7, 30), date(1926, 12, 24),
        1912),
    Era("japanese", "Shōwa", "Showa", "昭和", "S", date(1926, 12, 25), date(1989, 1, 7), 1926),
    Era("japanese", "Heisei", "Heisei", "平成", "H", date(1989, 1, 8), date(2019, 4, 30), 1989),
    Era("japanese", "Reiwa", "Reiwa", "令和", "R", date(2019, 5, 1), None, 2019),
    Era("minguo", "Minguo", "Minguo", "民國", "", date(1912, 1, 1), None, 1912),
    Era("manchukuo", "Datong", "Datong", "大同", "", date(1932, 3, 1), date(1934, 2, 28), 1932),
    Era("manchukuo", "Kangde", "Kangde", "康德", "", date(1934, 3, 1), date(1945, 8, 31), 1934),
    Era("mongolian", "Olnoo Örgögdsön", "Olnoo Orgogdson", "", "", date(1911, 12, 29),
        date(1924, 11, 25), 1911),
)

_SPANS: dict[str, tuple[int, int]] = {
    "julian": (dates.MIN_DAY, FIRST_NEW_STYLE.toordinal() - 1),
    **{
        cal: (min(e.first for e in ERAS if e.calendar == cal).toordinal(),
              max((e.last or date(9999, 12, 31)) for e in ERAS if e.calendar == cal).toordinal())
        for cal in CALENDARS[1:]
    },
}

#: Entity ids of the states whose documents used a calendar (bundled ids and common others).
PARTY_CALENDARS: dict[str, tuple[str, ...]] = {
    "russian-empire": ("julian",),
    "soviet-union": ("julian",),  # Soviet Russia kept Old Style until 31 Jan 1918 O.S.
    "soviet-russia": ("julian",),
    "japan": ("japanese",),
    "manchukuo": ("manchukuo",),
    "china": ("minguo",),
    "republic-of-china": ("minguo",),
    "bogd-khanate": ("mongolian",),
    "mongolia": ("mongolian",),  # the Bogd Khan reigned until 1924 under the people's government
    "mongolian-peoples-republic": ("mongolian",),
}


class EraYear(NamedTuple):
    """An era and a year of it: ("Shōwa", 14)."""

    era: str
    year: int


class CalendarDate(NamedTuple):
    """A reading in another calendar: era (None for Julian), year, and month and day if known."""

    calendar: str
    era: str | None
    year: int
    month: int | None = None
    day: int | None = None


class CalendarForm(NamedTuple):
    """A date in one calendar: the text shown, and its first and last day read in it.

    ``first`` and ``last`` are equal for one day or one era year; either is None for an
    end that is open, unknown, or outside the years the calendar counts.
    """

    calendar: str
    text: str
    first: CalendarDate | None
    last: CalendarDate | None


# --- Julian ------------------------------------------------------------------------------


def to_julian(day: date) -> tuple[int, int, int]:
    """The Julian (Old Style) year, month and day of a Gregorian day."""
    from convertdate import julian  # type: ignore[import-untyped]

    y, m, d = julian.from_gregorian(day.year, day.month, day.day)
    return int(y), int(m), int(d)


def from_julian(year: int, month: int, day: int) -> date:
    """The Gregorian day of a Julian (Old Style) date; raise :class:`CalendarError` if none."""
    from convertdate import julian

    if not 1 <= month <= 12:
        raise CalendarError(f"month {month} is out of range (1–12)")
    try:
        julian.legal_date(year, month, day)
    except ValueError:
        raise CalendarError(f"{day} {_MONTH_NAMES[month - 1]} {year} O.S. does not exist "
                            f"(that month has {julian.month_length(year, month)} days)"
                            ) from None
    try:
        return date(*(int(x) for x in julian.to_gregorian(year, month, day)))
    except ValueError:
        raise CalendarError(f"{day} {_MONTH_NAMES[month - 1]} {year} O.S. is outside the "
                            "years this tool handles (0001–9999)") from None


_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec")


# --- eras ----------------------------------------------------------------------------------


def era_at(calendar: str, day: date) -> Era | None:
    """The era of a calendar in force on a Gregorian day, or None."""
    for era in ERAS:
        if era.calendar == calendar and era.first <= day and (era.last is None
                                                             or day <= era.last):
            return era
    return None


def era_year(calendar: str, day: date) -> EraYear | None:
    """The era and year of a day in an era calendar, or None outside its years."""
    era = era_at(calendar, day)
    return None if era is None else EraYear(era.name, era.year_of(day))


def japanese_era(day: date) -> EraYear | None:
    """The Japanese era and year of a Gregorian day: ("Shōwa", 14); None before 1868."""
    return era_year("japanese", day)


def _fold(name: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


# Other spellings of the era names: Hepburn with 'ou', Kunrei-shiki, Wade-Giles, simplified
# and variant characters.
_ALIASES: dict[str, str] = {
    "taishou": "Taishō", "taisyo": "Taishō", "shouwa": "Shōwa", "syowa": "Shōwa",
    "minkuo": "Minguo", "mingkuo": "Minguo", "民国": "Minguo", "中華民國": "Minguo",
    "中华民国": "Minguo", "tatung": "Datong", "kangte": "Kangde", "康徳": "Kangde",
    "olnooorgogdsön": "Olnoo Örgögdsön", "олноооргогдсон": "Olnoo Örgögdsön",
    "олноөргөгдсөн": "Olnoo Örgögdsön",
}


def era_named(name: str) -> Era | None:
    """The era a name stands for: "Shōwa", "Showa", "昭和", "S", "Kang-te", "民国"; or None."""
    text = name.strip()
    for era in ERAS:
        if text in (era.name, era.native) or (era.letter and text.upper() == era.letter):
            return era
    key = _fold(text)
    alias = _ALIASES.get(key) or _ALIASES.get(text)
    for era in ERAS:
        if alias == era.name or key in (_fold(era.name), _fold(era.ascii)):
            return era
    return None


def from_era(era: Era, year: int, month: int | None = None,
             day: int | None = None) -> tuple[date, date]:
    """The first and last Gregorian day of an era year, month or day; raise if it has none."""
    span = era.span(year)
    if span is None:
        last = era.year_of(era.last) if era.last is not None else None
        runs = f"{era.name} ran from year 1 to {last}" if last else f"{era.name} starts at 1"
        raise CalendarError(f"{era.name} {year} is not a year of that era ({runs})")
    lo, hi = span
    if month is None:
        return lo, hi
    if not 1 <= month <= 12:
        raise CalendarError(f"month {month} is out of range (1–12)")
    g = lo.year
    last_day = (date(g + month // 12, month % 12 + 1, 1) - date(g, month, 1)).days
    m_lo, m_hi = max(lo, date(g, month, 1)), min(hi, date(g, month, last_day))
    if m_lo > m_hi:
        raise CalendarError(f"{era.name} {year} has no month {month} ({era.name} "
                            f"{year} runs from {_day_text(lo)} to {_day_text(hi)})")
    if day is None:
        return m_lo, m_hi
    if not 1 <= day <= last_day:
        raise CalendarError(f"day {day} is out of range ({_MONTH_NAMES[month - 1]} {g} has "
                            f"{last_day} days)")
    one = date(g, month, day)
    if not m_lo <= one <= m_hi:
        raise CalendarError(f"{_day_text(one)} is not in {era.name} {year} ({era.name} "
                            f"{year} runs from {_day_text(lo)} to {_day_text(hi)})")
    return one, one


def _day_text(day: date) -> str:
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


# --- which calendars ----------------------------------------------------------------------


def in_use(calendar: str, date_: dates.Edtf) -> bool:
    """True when a calendar counts any day of the date (Julian: days before 14 Feb 1918)."""
    lo, hi = _span(calendar)
    return date_.lower <= hi and date_.upper >= lo


def _span(calendar: str) -> tuple[int, int]:
    try:
        return _SPANS[calendar]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(calendar, CALENDARS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; expected one of " \
                                                            f"{', '.join(CALENDARS)}"
        raise CalendarError(f"unknown calendar '{calendar}'{hint}") from None


def applicable(parties: Iterable[str], date_: dates.Edtf) -> list[str]:
    """The calendars of the parties (entity ids) that count any day of the date, in order."""
    wanted = {cal for p in parties for cal in PARTY_CALENDARS.get(p, ())}
    return [cal for cal in CALENDARS if cal in wanted and in_use(cal, date_)]


def _own(chron: Chronology, ident: str | None) -> tuple[str, ...]:
    """The calendars an entity id stands for: its own ``calendars`` field, else its id's."""
    if ident is None:
        return ()
    ent = chron.entities.get(ident)
    own = ent.calendars if ent is not None else None
    return own if own is not None else PARTY_CALENDARS.get(ident, ())


def event_calendars(chron: Chronology, event: Event) -> list[str]:
    """The calendars to show for an event, in order.

    An event's own ``calendars`` field decides when it has one; otherwise each entity it
    names, and its place, gives its ``calendars`` field, or, without one, those of
    :data:`PARTY_CALENDARS`. A calendar its date is given in (``date: {julian: …}``) is
    always shown. Only calendars that count a day of the event's date are kept.
    """
    if event.calendars is not None:
        wanted = set(event.calendars)
    else:
        wanted = set()
        for eid in (*event.entities, event.place):
            wanted.update(_own(chron, eid))
    wanted.update(event.given)
    return [cal for cal in CALENDARS if cal in wanted and in_use(cal, event.date)]


def entity_calendars(chron: Chronology, entity: Entity) -> list[str]:
    """The calendars to show for an entity's dates, in order (all of them, in use or not).

    Its own ``calendars`` field decides when it has one, then :data:`PARTY_CALENDARS` for
    its id (a state); otherwise the calendars of the states it is linked with, either way
    (a battle fought by Russia and Japan, a treaty Russia is party to, a general who served
    the Russian Empire). A calendar one of its dates is given in is always shown.
    """
    own = entity.calendars if entity.calendars is not None else PARTY_CALENDARS.get(entity.id)
    if own is not None:
        wanted = set(own)
    else:
        wanted = set()
        for link in chron.links(entity.id):
            other = chron.entities.get(link.other)
            if other is not None and other.kind == "state":
                wanted.update(_own(chron, other.id))
    wanted.update(entity.given)
    return [cal for cal in CALENDARS if cal in wanted]


# --- forms -----------------------------------------------------------------------------------


def _read(calendar: str, ordinal: int, precision: int, *, last: bool) -> CalendarDate | None:
    """One end of a range read in a calendar, at a precision (None outside its years)."""
    lo, hi = _SPANS[calendar]
    if ordinal < lo or ordinal > hi:
        return None
    day = date.fromordinal(ordinal)
    if calendar == "julian":
        return CalendarDate("julian", None, *to_julian(day))
    era = era_at(calendar, day)
    if era is None:  # pragma: no cover - the spans are the eras' own
        return None
    year = era.year_of(day)
    if calendar == "mongolian":
        # Lunar years from Tsagaan Sar: a January or February day may be in the year before.
        if day.month < 3 and not last and year > 1:
            year -= 1
        return CalendarDate(calendar, era.name, year)
    if precision == dates.DAY:
        return CalendarDate(calendar, era.name, year, day.month, day.day)
    if precision == dates.MONTH:
        return CalendarDate(calendar, era.name, year, day.month)
    return CalendarDate(calendar, era.name, year)


def _text(c: CalendarDate, *, with_year: bool = True) -> str:
    if c.era is None:  # Julian: "27 Jan 1904"
        bits = [str(c.day), _MONTH_NAMES[(c.month or 1) - 1]]
        return " ".join(bits + [str(c.year)] if with_year else bits)
    era = era_named(c.era)
    native = era.native_year(c.year) if era is not None else ""
    out = f"{c.era} {c.year}" + (f" ({native})" if native else "")
    if c.month is not None:
        out += f" {c.month}月" + (f"{c.day}日" if c.day is not None else "")
    return out


def _julian_range(first: CalendarDate, final: CalendarDate) -> str:
    """Julian days as a historian writes them: "27 Jan", "26–27 Jan", "19 Jul – 18 Aug"."""
    if first == final:
        return _text(first)
    if (first.year, first.month) == (final.year, final.month):
        return f"{first.day}–{_text(final)}"
    if first.year == final.year:
        return f"{_text(first, with_year=False)} – {_text(final)}"
    return f"{_text(first)} – {_text(final)}"


def _part_form(calendar: str, p: dates.Part) -> tuple[str, CalendarDate | None,
                                                       CalendarDate | None]:
    """Text and first/last readings of one end of a date ("" when outside the calendar)."""
    lo, hi = _SPANS[calendar]
    a, b = max(p.lower, lo), min(p.upper, hi)
    if a > b:
        return "", None, None
    precision = dates.DAY if calendar == "julian" else p.precision
    first = _read(calendar, a, precision, last=False)
    final = _read(calendar, b, precision, last=True)
    if first is None or final is None:  # pragma: no cover - clipped to the span above
        return "", None, None
    if calendar == "julian":
        body = _julian_range(first, final)
    elif first == final:
        body = _text(first)
    elif calendar == "mongolian" and first.era == final.era:
        body = f"{first.era} {first.year}–{final.year}"
    else:
        body = f"{_text(first)} – {_text(final)}"
    if calendar == "julian":
        body += " O.S."
    if p.time >= 0:
        body += ", " + dates.clock(p.text)
    if p.approximate:
        body = "c. " + body
    if p.uncertain:
        body += "?"
    return body, first, final


def _qualified(text: str, p: dates.Part) -> str:
    return ("c. " if p.approximate else "") + text + ("?" if p.uncertain else "")


def _between(calendar: str, a: dates.Part, b: dates.Part, fa: CalendarDate | None,
             lb: CalendarDate | None) -> str:
    """An interval with both ends known, from the first day its start may mean to the last
    its end may mean, each end with its own qualifiers: "26 Jan 1904 – 23 Aug 1905 O.S.",
    "Shōwa 14 (昭和14年) 5月11日 – 9月16日", "Datong 3 (大同3年) – Kangde 2 (康德2年)", "… – Kangde
    12 (康德12年) 8月" (an end outside the calendar's years)."""
    os_ = " O.S." if calendar == "julian" else ""
    if fa is None or lb is None:
        start = _qualified(_text(fa) + os_, a) if fa is not None else "…"
        return f"{start} – {_qualified(_text(lb) + os_, b) if lb is not None else '…'}"
    if a.approximate or a.uncertain or b.approximate or b.uncertain:
        return f"{_qualified(_text(fa), a)} – {_qualified(_text(lb), b)}{os_}"
    if calendar == "julian":
        return _julian_range(fa, lb) + os_  # one run of days, however coarse each end is
    if fa.era != lb.era:
        return f"{_text(fa)} – {_text(lb)}"
    if calendar == "mongolian":  # years only: "Olnoo Örgögdsön 7–8"
        return _text(fa) if fa.year == lb.year else f"{fa.era} {fa.year}–{lb.year}"
    if fa.year != lb.year:
        return f"{_text(fa)} – {_text(lb)}"
    if fa == lb:
        return _text(fa)
    if fa.month is None or lb.month is None:
        return f"{_text(fa)} – {_text(lb)}"
    return f"{_text(fa)} – {lb.month}月" + (f"{lb.day}日" if lb.day is not None else "")


def _form(calendar: str, d: dates.Edtf) -> CalendarForm | None:
    if not in_use(calendar, d):
        return None
    if d.end is None:
        text, first, final = _part_form(calendar, d.start)
        return CalendarForm(calendar, text, first, final) if text else None
    a, b = d.start, d.end
    ta, fa, _ = _part_form(calendar, a) if a.precision != dates.OPEN else ("", None, None)
    tb, _, lb = _part_form(calendar, b) if b.precision != dates.OPEN else ("", None, None)
    if not ta and not tb:
        return None
    if calendar == "julian" and dates.OPEN in (a.precision, b.precision):
        # A coarse end is a run of Julian days: "from" its first, "until" its last, and
        # with an unknown end the whole run, "(18 Sep – 18 Oct 1905 O.S.) – ?".
        if a.text == ".." and lb is not None and " – " in tb and not (b.approximate
                                                                     or b.uncertain):
            tb = _text(lb) + " O.S."
        elif b.text == ".." and fa is not None and " – " in ta and not (a.approximate
                                                                       or a.uncertain):
            ta = _text(fa) + " O.S."
        ta, tb = (f"({t})" if " – " in t else t for t in (ta, tb))
    if a.precision == dates.OPEN:
        text = f"until {tb}" if a.text == ".." else f"? – {tb}"
    elif b.precision == dates.OPEN:
        text = f"from {ta}" if b.text == ".." else f"{ta} – ?"
    else:
        text = _between(calendar, a, b, fa, lb)
    return CalendarForm(calendar, text, fa, lb)


def calendar_forms(date_: dates.Edtf, calendars: Iterable[str]) -> list[CalendarForm]:
    """The date in each calendar asked for that counts it, in :data:`CALENDARS` order.

    A day reads as a full date (Julian "27 Jan 1904 O.S."; "Meiji 37 (明治37年) 2月10日"),
    a month as an era year and month, anything longer as era years; a Julian form is
    always days (a Gregorian month or year is a range of Julian days). An interval gives
    both ends, "…" for an end outside the calendar's years. Mongolian forms are years only.
    """
    asked = set(calendars)
    for cal in asked:
        _span(cal)  # unknown names raise CalendarError
    out = []
    for cal in CALENDARS:
        if cal in asked:
            form = _form(cal, date_)
            if form is not None:
                out.append(form)
    return out


def calendars_for(date_: dates.Edtf, calendars: Iterable[str]) -> dict[str, str]:
    """{calendar: text} for the calendars asked for that count the date (see calendar_forms)."""
    return {f.calendar: f.text for f in calendar_forms(date_, calendars)}

"""Turn model objects into complete, JSON-ready records shared by every output format."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from khalkhin import dates
from khalkhin.model import Chronology, Claim, Event, SourceRef


def refs(rs: tuple[SourceRef, ...] | list[SourceRef]) -> list[dict[str, Any]]:
    """Citations as records: source and locator, and the cited part's url where there is one."""
    return [{"source": r.source, "locator": r.locator, **({"url": r.url} if r.url else {})}
            for r in rs]


def event_record(ev: Event, calendars_of: Chronology | None = None) -> dict[str, Any]:
    """One event: every field, dates as EDTF plus ISO day bounds and a human form.

    With ``calendars_of`` (its chronology) it also carries ``calendars``, the date in each
    calendar that applies to it (:func:`calendar_records`), and ``as_written``.
    """
    rec = {
        "id": ev.id,
        "date": ev.date.text,
        "start": dates.iso(ev.date.lower),
        "end": dates.iso(ev.date.upper),
        "when": dates.human(ev.date),
        "title": ev.title,
        "summary": ev.summary,
        "tags": list(ev.tags),
        "entities": list(ev.entities),
        "place": ev.place,
        "sources": refs(ev.sources),
        "note": ev.note,
    }
    if calendars_of is not None:
        rec.update(event_calendars(calendars_of, ev))
    return rec


def timeline(events: list[Event], calendars_of: Chronology | None = None) -> list[dict[str, Any]]:
    return [event_record(e, calendars_of) for e in events]


def stream(events: Iterable[Event],
           calendars_of: Chronology | None = None) -> Iterator[dict[str, Any]]:
    """The records of :func:`timeline`, one at a time (for the formats that print a line
    per event)."""
    return (event_record(e, calendars_of) for e in events)


def calendar_records(date: dates.Edtf | None, calendars: Iterable[str],
                     given: Iterable[str] = ()) -> list[dict[str, Any]]:
    """A date in each of the calendars that count it, in order::

        {"calendar": "julian", "label": "Julian (Old Style)", "text": "27 Jan 1904 O.S.",
         "first": {"era": None, "year": 1904, "month": 1, "day": 27},   # None: open/outside
         "last": {…},
         "given": bool}           # the data gives the date in this calendar
    """
    if date is None:
        return []
    from khalkhin.calendars import LABELS, calendar_forms

    def part(c: Any) -> dict[str, Any] | None:
        return None if c is None else {"era": c.era, "year": c.year, "month": c.month,
                                       "day": c.day}

    own = set(given)
    return [{"calendar": f.calendar, "label": LABELS[f.calendar], "text": f.text,
             "first": part(f.first), "last": part(f.last), "given": f.calendar in own}
            for f in calendar_forms(date, calendars)]


def event_calendars(chron: Chronology, ev: Event) -> dict[str, Any]:
    """``calendars`` (the event's date in the calendars that apply to it) and ``as_written``."""
    from khalkhin.calendars import event_calendars as which

    return {"calendars": calendar_records(ev.date, which(chron, ev), ev.given),
            "as_written": ev.as_written}


def source_record(chron: Chronology, sid: str) -> dict[str, Any]:
    src = chron.sources.get(sid)
    if src is None:
        return {"id": sid, "citation": sid}
    return {
        "id": src.id,
        "author": src.author,
        "title": src.title,
        "periodical": src.periodical,
        "publisher": src.publisher,
        "date": src.date.text if src.date else None,
        "url": src.url,
        "citation": src.citation,
    }


def citations(chron: Chronology | None, refs: list[dict[str, Any]]) -> list[str]:
    """Full references for an event record's sources, each with its locator in quotes."""
    sources = getattr(chron, "sources", None) or {}
    out = []
    for ref in refs:
        src = sources.get(ref["source"])
        cite = src.citation if src is not None else ref["source"]
        if ref.get("locator"):
            cite += f", \u201c{ref['locator']}\u201d"
        out.append(cite)
    return out


def claim_record(chron: Chronology, c: Claim) -> dict[str, Any]:
    """One claim: its value, the source and locator, the full citation and the note."""
    src = chron.sources.get(c.source.source)
    return {
        "property": c.property,
        "value": c.value,
        "amount": c.amount,
        "source": c.source.source,
        "locator": c.source.locator,
        "citation": src.citation if src is not None else c.source.source,
        "note": c.note,
    }


def source_line(c: Claim) -> str:
    """A claim on one line: 'VALUE [SOURCE, LOCATOR]'."""
    where = f"{c.source.source}, {c.source.locator}" if c.source.locator else c.source.source
    return f"{c.value} [{where}]"

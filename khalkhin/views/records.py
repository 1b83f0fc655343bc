"""Turn model objects into complete, JSON-ready records shared by every output format."""

from __future__ import annotations

from typing import Any

from khalkhin import dates
from khalkhin.model import Chronology, Claim, Event, SourceRef


def refs(rs: tuple[SourceRef, ...] | list[SourceRef]) -> list[dict[str, Any]]:
    """Citations as records: source and locator, and the cited part's url where there is one."""
    return [{"source": r.source, "locator": r.locator, **({"url": r.url} if r.url else {})}
            for r in rs]


def event_record(ev: Event) -> dict[str, Any]:
    """One event: every field, dates as EDTF plus ISO day bounds and a human form."""
    return {
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


def timeline(events: list[Event]) -> list[dict[str, Any]]:
    return [event_record(e) for e in events]


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

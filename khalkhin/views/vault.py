"""A folder of Markdown notes: which notes there are, where each goes, what each links to.

One note per entity and per event (the profile of ``khalkhin show``), one per year and
per tag listing the events in it, and a home note. Every note's file name is unique in
the folder whatever the case, so that a wikilink ``[[name]]`` finds exactly one file:
entities and events are named by their id (``zhukov.md``), which stays the same when a
title changes; years and tags by a name with a space, which no id has (``Year 1939.md``,
``Tag khalkhin-gol.md``). The layout::

    Khalkhin index.md           years, tags, and the entities by kind
    events/<id>.md
    people/<id>.md, places/<id>.md, … (one folder per kind)
    years/Year 1939.md
    tags/Tag khalkhin-gol.md
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from khalkhin.model import Chronology, Event
from khalkhin.views import profile as profiles
from khalkhin.views.records import event_record

HOME = "Khalkhin index"
FOLDERS = {"person": "people", "place": "places", "state": "states",
           "organization": "organizations", "unit": "units", "treaty": "treaties",
           "battle": "battles", "war": "wars", "operation": "operations",
           "occupation": "occupations"}
_KIND_HEADINGS = {"person": "People", "place": "Places", "state": "States",
                  "organization": "Organizations", "unit": "Units", "treaty": "Treaties",
                  "battle": "Battles", "war": "Wars", "operation": "Operations",
                  "occupation": "Occupations"}
# A span longer than this is listed under its first year only, not under every year.
MAX_YEARS = 10


@dataclass
class Note:
    """One note: its path in the folder (with '/'), its name (the link target), its kind
    ("entity", "event", "year", "tag", "home") and what it shows."""

    path: str
    name: str
    kind: str
    title: str
    data: Any = None


@dataclass
class Vault:
    notes: list[Note] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # entity or event id -> note name
    years: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    tags: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    kinds: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # kind -> (id, name)
    year_notes: dict[int, str] = field(default_factory=dict)  # year -> note name
    tag_notes: dict[str, str] = field(default_factory=dict)  # tag -> note name


def _years(ev: Event) -> list[int]:
    first, last = ev.date.start_date, ev.date.end_date
    if first is None and last is None:
        return []
    if first is None or last is None:
        known = first or last
        assert known is not None
        return [known.year]
    if last.year - first.year >= MAX_YEARS:
        return [first.year]
    return list(range(first.year, last.year + 1))


def build(chron: Chronology, events: list[Event], *, everything: bool) -> Vault:
    """The notes for EVENTS and the entities they name (with ``everything``: every entity)."""
    vault = Vault()
    taken: set[str] = set()

    def unique(name: str) -> str:
        candidate, n = name, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{name} ({n})"
        taken.add(candidate.casefold())
        return candidate

    for reserved in (HOME,):
        taken.add(reserved.casefold())
    if everything:
        entities = list(chron.entities.values())
    else:
        wanted: dict[str, None] = {}
        for ev in events:
            for eid in (*ev.entities, *([ev.place] if ev.place else [])):
                wanted.setdefault(eid, None)
        entities = [chron.entities[e] for e in wanted if e in chron.entities]
    entities.sort(key=lambda e: (e.kind, e.name.casefold(), e.id))
    for ent in entities:
        vault.names[ent.id] = unique(ent.id)
    for ev in events:
        vault.names[ev.id] = unique(ev.id)
    for ent in entities:
        name = vault.names[ent.id]
        folder = FOLDERS.get(ent.kind, "entities")
        vault.notes.append(Note(f"{folder}/{name}.md", name, "entity", ent.name,
                                profiles.profile(chron, ent)))
        vault.kinds.setdefault(ent.kind, []).append((ent.id, ent.name))
    for ev in events:
        name = vault.names[ev.id]
        vault.notes.append(Note(f"events/{name}.md", name, "event", ev.title,
                                profiles.profile(chron, ev)))
        rec = event_record(ev)
        for y in _years(ev):
            vault.years.setdefault(y, []).append(rec)
        for t in ev.tags:
            vault.tags.setdefault(t, []).append(rec)
    for y in sorted(vault.years):
        name = vault.year_notes[y] = unique(f"Year {y:04d}")
        vault.notes.append(Note(f"years/{name}.md", name, "year", str(y), vault.years[y]))
    for t in sorted(vault.tags):
        name = vault.tag_notes[t] = unique(f"Tag {_safe(t)}")
        vault.notes.append(Note(f"tags/{name}.md", name, "tag", t, vault.tags[t]))
    vault.notes.append(Note(f"{HOME}.md", HOME, "home", "Khalkhin chronology"))
    return vault


def kind_heading(kind: str) -> str:
    return _KIND_HEADINGS.get(kind, kind.capitalize())


def _safe(name: str) -> str:
    """A tag as part of a file name and a wikilink: no path, link or control characters."""
    import re

    from khalkhin.text import clean

    return re.sub(r"[\\/:*?\"<>|#^\[\]\s]+", "-", clean(name)).strip("-.") or "tag"

"""The chronology model: sources, entities, events, claims, and the indexes over them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple, TypeVar

from khalkhin.dates import Edtf

T = TypeVar("T")

KINDS = (
    "person",
    "place",
    "state",
    "organization",
    "unit",
    "treaty",
    "battle",
    "war",
    "operation",
    "occupation",
)

# Relation type -> how it reads from the target's side.
RELATIONS: dict[str, str] = {
    "commanded": "commanded by",
    "led": "led by",
    "signed": "signed by",
    "party-to": "party",
    "fought-in": "fought by",
    "part-of": "includes",
    "located-in": "location of",
    "member-of": "has member",
    "puppet-of": "controls",
    "allied-with": "allied with",
    "fought-against": "fought against",
    "succeeded": "succeeded by",
    "occupied": "occupied by",
    "annexed": "annexed by",
    "recognized": "recognized by",
    "named-after": "gave its name to",
    "served": "served by",
}


class SourceRef(NamedTuple):
    """A citation: a source id and an optional locator (section, chapter)."""

    source: str
    locator: str | None = None
    url: str | None = None  # the cited part itself, where it can be read online

    def __str__(self) -> str:
        return f"{self.source} ({self.locator})" if self.locator else self.source


class Source(NamedTuple):
    """A bibliographic source."""

    id: str
    title: str
    author: str | None = None
    periodical: str | None = None
    publisher: str | None = None
    date: Edtf | None = None
    url: str | None = None
    note: str | None = None

    @property
    def citation(self) -> str:
        """A one-line reference: Author, *Title*, Publisher, Date."""
        bits = []
        if self.author:
            bits.append(self.author)
        bits.append(f"\u201c{self.title}\u201d" if self.periodical else self.title)
        if self.periodical:
            bits.append(self.periodical)
        if self.publisher:
            bits.append(self.publisher)
        if self.date is not None:
            bits.append(self.date.text)
        return ", ".join(bits)


class Relation(NamedTuple):
    """A typed link from one entity to another."""

    type: str
    target: str
    date: Edtf | None = None
    note: str | None = None


class Entity(NamedTuple):
    """A person, place, state, organization, unit, treaty, battle, war, …"""

    id: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    dates: Edtf | None = None
    summary: str = ""
    place: str | None = None
    outcome: str | None = None
    relations: tuple[Relation, ...] = ()
    homonyms: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    note: str | None = None
    signed: Edtf | None = None  # a treaty's date of signature (its `dates`: in force)
    calendars: tuple[str, ...] | None = None  # calendars its documents used (None: default)
    as_written: str | None = None  # a date as its source writes it ("July 17/30, 1907")
    given: tuple[str, ...] = ()  # calendars its dates are given in, besides the Gregorian

    @property
    def label(self) -> str:
        return self.name


class Event(NamedTuple):
    """A dated event."""

    id: str
    date: Edtf
    title: str
    summary: str = ""
    tags: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    place: str | None = None
    sources: tuple[SourceRef, ...] = ()
    note: str | None = None
    calendars: tuple[str, ...] | None = None  # calendars to show it in (None: from entities)
    as_written: str | None = None  # its date as its source writes it ("January 27, 1904")
    given: tuple[str, ...] = ()  # calendars its date is given in (date: {julian: …})

    @property
    def label(self) -> str:
        return self.title

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        """First day, coarser first, a whole day before its times, times in order, id."""
        d = self.date
        return (d.lower, d.precision, d.start.time, self.id)


class Claim(NamedTuple):
    """One source's statement of a figure or a disputed fact."""

    subject: str
    property: str
    value: str
    source: SourceRef
    amount: float | None = None
    note: str | None = None


class Link(NamedTuple):
    """A relation seen from one entity: its label and the entity at the other end."""

    label: str
    other: str
    date: Edtf | None = None
    note: str | None = None
    inverse: bool = False


class Chronology:
    """Everything loaded, with indexes built once, on first use."""

    __slots__ = ("sources", "entities", "events", "claims", "warnings", "_by_entity", "_links",
                 "_event_ids", "_kept", "__weakref__")

    def __init__(self, sources: dict[str, Source] | None = None,
                 entities: dict[str, Entity] | None = None, events: list[Event] | None = None,
                 claims: list[Claim] | None = None, warnings: list[object] | None = None) -> None:
        self.sources: dict[str, Source] = {} if sources is None else sources
        self.entities: dict[str, Entity] = {} if entities is None else entities
        self.events: list[Event] = [] if events is None else events  # sorted by Event.sort_key
        self.claims: list[Claim] = [] if claims is None else claims
        self.warnings: list[object] = [] if warnings is None else warnings
        self._by_entity: dict[str, list[Event]] | None = None
        self._links: dict[str, list[Link]] | None = None
        self._event_ids: dict[str, Event] | None = None
        self._kept: dict[str, Any] = {}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Chronology):
            return NotImplemented
        return (self.sources, self.entities, self.events, self.claims, self.warnings) == (
            other.sources, other.entities, other.events, other.claims, other.warnings)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"Chronology({len(self.events)} events, {len(self.entities)} entities, "
                f"{len(self.sources)} sources, {len(self.claims)} claims)")

    @property
    def event_index(self) -> dict[str, Event]:
        if self._event_ids is None:
            self._event_ids = {e.id: e for e in self.events}
        return self._event_ids

    def events_of(self, entity_id: str) -> list[Event]:
        """Events linked to an entity (named in `entities` or as `place`), in order."""
        if self._by_entity is None:
            index: dict[str, list[Event]] = {}
            for ev in self.events:
                seen = set(ev.entities)
                if ev.place:
                    seen.add(ev.place)
                for eid in seen:
                    index.setdefault(eid, []).append(ev)
            self._by_entity = index
        return self._by_entity.get(entity_id, [])

    def links(self, entity_id: str) -> list[Link]:
        """Relations of an entity in both directions."""
        if self._links is None:
            index: dict[str, list[Link]] = {}
            for ent in self.entities.values():
                for r in ent.relations:
                    index.setdefault(ent.id, []).append(Link(r.type, r.target, r.date, r.note))
                    inv = RELATIONS.get(r.type, f"{r.type} (inverse)")
                    index.setdefault(r.target, []).append(
                        Link(inv, ent.id, r.date, r.note, inverse=True)
                    )
            self._links = index
        return self._links.get(entity_id, [])

    def kept(self, key: str, make: Callable[[], T]) -> T:
        """Something derived from the chronology (a search index), made on first use and
        kept with it."""
        if key not in self._kept:
            self._kept[key] = make()
        found: T = self._kept[key]
        return found

    def events_overlapping(self, lo: int | None, hi: int | None) -> Iterator[Event]:
        """Events whose days meet [lo, hi] (None: open), in order."""
        for ev in self.events:
            d = ev.date
            if (lo is None or d.upper >= lo) and (hi is None or d.lower <= hi):
                yield ev

    def claims_about(self, subject: str) -> list[Claim]:
        return [c for c in self.claims if c.subject == subject]

    # Aggregates: what a command needs of the whole chronology, which a store keeps ready.

    def event_count(self, entity_id: str) -> int:
        """How many events are linked to an entity."""
        return len(self.events_of(entity_id))

    def degree(self, entity_id: str) -> int:
        """How much an entity is involved in: its events, relations and figures."""
        return (self.event_count(entity_id) + len(self.links(entity_id))
                + len(self.claims_about(entity_id)))

    def tag_stats(self) -> dict[str, tuple[int, str, str]]:
        """Each tag as the data spells it, in order of first use: (events, date of the
        first, date of the last)."""
        out: dict[str, tuple[int, str, str]] = {}
        for ev in self.events:
            for t in ev.tags:
                n, first, _ = out.get(t, (0, ev.date.text, ""))
                out[t] = (n + 1, first, ev.date.text)
        return out

    def events_tagged(self, tag: str) -> Iterator[Event]:
        """Events with this tag (as the data spells it), in order."""
        for ev in self.events:
            if tag in ev.tags:
                yield ev

    def events_on(self, month: int, day: int) -> Iterator[Event]:
        """Events whose one known day falls on this month and day (of any year), in order."""
        for ev in self.events:
            if ev.date.known_day == (month, day):
                yield ev

    def label_of(self, any_id: str) -> str:
        ent = self.entities.get(any_id)
        if ent is not None:
            return ent.name
        ev = self.event_index.get(any_id)
        return ev.title if ev is not None else any_id

    def cited_sources(self, refs: Iterable[SourceRef]) -> list[Source]:
        out: dict[str, Source] = {}
        for r in refs:
            src = self.sources.get(r.source)
            if src is not None:
                out.setdefault(src.id, src)
        return list(out.values())

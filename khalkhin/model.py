"""The chronology model: sources, entities, events, claims, and the indexes over them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from khalkhin.dates import Edtf

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


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A citation: a source id and an optional locator (section, chapter)."""

    source: str
    locator: str | None = None

    def __str__(self) -> str:
        return f"{self.source} ({self.locator})" if self.locator else self.source


@dataclass(frozen=True, slots=True)
class Source:
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


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed link from one entity to another."""

    type: str
    target: str
    date: Edtf | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
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

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Event:
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

    @property
    def label(self) -> str:
        return self.title

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (self.date.lower, self.date.precision, self.id)


@dataclass(frozen=True, slots=True)
class Claim:
    """One source's statement of a figure or a disputed fact."""

    subject: str
    property: str
    value: str
    source: SourceRef
    amount: float | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A relation seen from one entity: its label and the entity at the other end."""

    label: str
    other: str
    date: Edtf | None = None
    note: str | None = None
    inverse: bool = False


@dataclass
class Chronology:
    """Everything loaded, with indexes built once."""

    sources: dict[str, Source] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)  # sorted by Event.sort_key
    claims: list[Claim] = field(default_factory=list)
    warnings: list[object] = field(default_factory=list)
    _by_entity: dict[str, list[Event]] | None = field(default=None, repr=False)
    _links: dict[str, list[Link]] | None = field(default=None, repr=False)
    _event_ids: dict[str, Event] | None = field(default=None, repr=False)

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

    def claims_about(self, subject: str) -> list[Claim]:
        return [c for c in self.claims if c.subject == subject]

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

"""Find entities and events by id, name, alias or title: exact, folded, then fuzzy (rapidfuzz)."""

from __future__ import annotations

from dataclasses import dataclass, field

from khalkhin.errors import LookupFailed
from khalkhin.model import Chronology, Entity, Event
from khalkhin.validate import fold

# A fuzzy match must score at least this (0–100) to count, and the best must beat the
# next different item by CLEAR points to be taken without asking.
MIN_SCORE = 78.0
CLEAR = 4.0


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result."""

    id: str
    kind: str  # an entity kind, or "event"
    label: str
    score: float
    field: str  # which field matched: id, name, alias, title, summary, tag
    matched: str  # the text that matched
    date: str | None = None


@dataclass
class NameIndex:
    """Folded names of every entity and event, built once per chronology."""

    exact: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    owners: list[tuple[str, str, str]] = field(default_factory=list)  # (id, field, original)


_INDEXES: dict[int, tuple[Chronology, NameIndex]] = {}


def index(chron: Chronology) -> NameIndex:
    hit = _INDEXES.get(id(chron))
    if hit is not None and hit[0] is chron:
        return hit[1]
    idx = NameIndex()

    def add(text: str, ident: str, fld: str) -> None:
        f = fold(text)
        if not f:
            return
        idx.exact.setdefault(f, []).append((ident, fld, text))
        idx.names.append(f)
        idx.owners.append((ident, fld, text))

    for ent in chron.entities.values():
        add(ent.name, ent.id, "name")
        for a in ent.aliases:
            add(a, ent.id, "alias")
        add(ent.id.replace("-", " "), ent.id, "id")
    for ev in chron.events:
        add(ev.title, ev.id, "title")
    _INDEXES[id(chron)] = (chron, idx)
    return idx


def _kind(chron: Chronology, ident: str) -> str:
    ent = chron.entities.get(ident)
    return ent.kind if ent is not None else "event"


def _hit(chron: Chronology, ident: str, score: float, fld: str, matched: str) -> Hit:
    ent = chron.entities.get(ident)
    if ent is not None:
        return Hit(ident, ent.kind, ent.name, score, fld, matched,
                   ent.dates.text if ent.dates else None)
    ev = chron.event_index[ident]
    return Hit(ident, "event", ev.title, score, fld, matched, ev.date.text)


def fuzzy(chron: Chronology, query: str, *, limit: int = 10,
          entities_only: bool = False) -> list[Hit]:
    """Best fuzzy matches on names, aliases, ids and titles; one hit per item, best first."""
    from rapidfuzz import fuzz, process, utils

    idx = index(chron)
    q = fold(query)
    if not q:
        return []
    results = process.extract(q, idx.names, scorer=fuzz.WRatio, processor=utils.default_process,
                              limit=max(limit * 8, 40), score_cutoff=50)
    best: dict[str, Hit] = {}
    for _name, score, i in results:
        ident, fld, original = idx.owners[i]
        if entities_only and ident not in chron.entities:
            continue
        # Prefer whole-name similarity over partial matches on long titles.
        score = max(score * 0.97, fuzz.ratio(q, idx.names[i]))
        prev = best.get(ident)
        if prev is None or score > prev.score:
            best[ident] = _hit(chron, ident, float(round(score, 1)), fld, original)
    return sorted(best.values(), key=lambda h: (-h.score, h.id))[:limit]


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a name resolved to, and the close alternatives worth naming."""

    item: Entity | Event
    alternatives: tuple[Hit, ...] = ()
    exact: bool = True


def resolve(chron: Chronology, name: str, *, entities_only: bool = False) -> Resolved:
    """Resolve a name to one entity or event, or raise LookupFailed (none, or ambiguous)."""
    if name in chron.entities:
        return Resolved(chron.entities[name])
    if not entities_only and name in chron.event_index:
        return Resolved(chron.event_index[name])
    idx = index(chron)
    q = fold(name)
    owners = idx.exact.get(q, [])
    if entities_only:
        owners = [o for o in owners if o[0] in chron.entities]
    ids = list(dict.fromkeys(o[0] for o in owners))
    if len(ids) == 1:
        return Resolved(_item(chron, ids[0]))
    if len(ids) > 1:
        raise LookupFailed(
            f"'{name}' matches {len(ids)} items equally; give one of these ids",
            [(i, _kind(chron, i), chron.label_of(i)) for i in ids],
        )
    hits = fuzzy(chron, name, limit=6, entities_only=entities_only)
    good = [h for h in hits if h.score >= MIN_SCORE]
    what = "entity" if entities_only else "entity or event"
    if not good:
        near = ", ".join(f"'{h.label}' ({h.id})" for h in hits[:3])
        hint = f"; did you mean {near}?" if near else ""
        raise LookupFailed(f"no {what} matches '{name}'{hint}")
    top = good[0]
    ties = [h for h in good if top.score - h.score < CLEAR]
    if len(ties) > 1:
        raise LookupFailed(
            f"'{name}' matches {len(ties)} items about equally; give one of these ids",
            [(h.id, h.kind, h.label) for h in ties],
        )
    return Resolved(_item(chron, top.id), tuple(good[1:4]), exact=False)


def _item(chron: Chronology, ident: str) -> Entity | Event:
    ent = chron.entities.get(ident)
    return ent if ent is not None else chron.event_index[ident]


def search(chron: Chronology, query: str, *, limit: int = 20) -> list[Hit]:
    """Ranked results across entities and events: names, aliases, titles, summaries, tags."""
    q = fold(query)
    if not q:
        return []
    found: dict[str, Hit] = {}

    def offer(h: Hit) -> None:
        prev = found.get(h.id)
        if prev is None or h.score > prev.score:
            found[h.id] = h

    for h in fuzzy(chron, query, limit=limit * 2):
        if h.score >= 60:
            offer(h)
    words = q.split()
    for ent in chron.entities.values():
        text = fold(ent.summary)
        if all(w in text for w in words):
            offer(_hit(chron, ent.id, 70.0, "summary", ent.summary))
    for ev in chron.events:
        if q.replace(" ", "-") in ev.tags:
            offer(_hit(chron, ev.id, 75.0, "tag", q.replace(" ", "-")))
            continue
        text = fold(ev.summary)
        if all(w in text for w in words):
            offer(_hit(chron, ev.id, 65.0, "summary", ev.summary))
    return sorted(found.values(), key=lambda h: (-h.score, h.id))[:limit]

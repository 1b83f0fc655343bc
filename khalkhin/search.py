"""Find entities and events by id, name, alias or title: exact, folded, then fuzzy (rapidfuzz).

Resolution goes in tiers, and stops at the first tier that finds anything:

1. the exact id of an entity or event;
2. a folded (case-, diacritic- and hyphen-insensitive) entity name or alias;
3. a folded event title;
4. a folded id written with spaces (``kwantung army`` for ``kwantung-army``);
5. fuzzy matching with rapidfuzz (imported only here).

Two items found in the same tier are ambiguous (a person and a town of one name), unless
a fuzzy score clearly separates them. The folded index is built once per chronology.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from khalkhin.errors import LookupFailed
from khalkhin.model import Chronology, Entity, Event
from khalkhin.validate import fold

# A fuzzy match must score at least this (0–100) to count, and the best must beat the
# next different item by CLEAR points to be taken without asking.
MIN_SCORE = 78.0
CLEAR = 4.0
# A match on a run of words of a longer name counts for PART to PART + COVER of a
# whole-name match, more the more of the name the query covers: "kwantung" is nearer
# "Kwantung Army" than a long event title that starts with those words.
PART = 0.85
COVER = 0.1
# Fuzzy matches on events count a little less: people type the names of things.
EVENT = 0.96
# Tiers of exact (folded) matches, strongest first.
TIERS = (("name", "alias"), ("title",), ("id",))


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
    choices: list[tuple[str, str]] = field(default_factory=list)  # (id, text) for completion


_INDEXES: dict[int, tuple[Chronology, NameIndex]] = {}
_KEEP = 4  # indexes kept for the most recent chronologies


def index(chron: Chronology) -> NameIndex:
    """The folded-name index of a chronology (built on first use, then reused)."""
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
        add(ent.id, ent.id, "id")
    for ev in chron.events:
        add(ev.title, ev.id, "title")
        add(ev.id, ev.id, "id")
    while len(_INDEXES) >= _KEEP:
        del _INDEXES[next(iter(_INDEXES))]
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


def similarity(query: str, name: str) -> float:
    """0–100: how well a folded query matches a folded name, whole or a run of its words."""
    from rapidfuzz import fuzz

    best = fuzz.ratio(query, name)
    words = name.split()
    n = len(query.split())
    if len(words) > n:
        part = max(fuzz.ratio(query, " ".join(words[i:i + n]))
                   for i in range(len(words) - n + 1))
        best = max(best, part * (PART + COVER * len(query) / len(name)))
    if n > 1:
        best = max(best, fuzz.token_sort_ratio(query, name) * 0.95)
    return float(best)


def fuzzy(chron: Chronology, query: str, *, limit: int = 10,
          entities_only: bool = False) -> list[Hit]:
    """Best fuzzy matches on names, aliases, ids and titles; one hit per item, best first."""
    from rapidfuzz import fuzz, process

    idx = index(chron)
    q = fold(query)
    if not q:
        return []
    # A fast C++ pass picks the candidates; the slower scorer orders them.
    pool = process.extract(q, idx.names, scorer=fuzz.WRatio, processor=None,
                           limit=max(limit * 10, 60), score_cutoff=45)
    best: dict[str, Hit] = {}
    for name, _score, i in pool:
        ident, fld, original = idx.owners[i]
        if entities_only and ident not in chron.entities:
            continue
        score = similarity(q, name)
        if ident not in chron.entities:
            score *= EVENT
        score = round(score, 1)
        prev = best.get(ident)
        if prev is None or score > prev.score:
            best[ident] = _hit(chron, ident, score, fld, original)
    return sorted(best.values(), key=lambda h: (-h.score, h.id))[:limit]


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a name resolved to, and the close alternatives worth naming."""

    item: Entity | Event
    alternatives: tuple[Hit, ...] = ()
    exact: bool = True


def exact_matches(chron: Chronology, name: str, *,
                  entities_only: bool = False) -> list[list[tuple[str, str, str]]]:
    """Folded exact matches of a name, grouped by tier (see the module docstring)."""
    owners = index(chron).exact.get(fold(name), [])
    if entities_only:
        owners = [o for o in owners if o[0] in chron.entities]
    tiers: list[list[tuple[str, str, str]]] = []
    for fields in TIERS:
        tier: dict[str, tuple[str, str, str]] = {}
        for o in owners:
            if o[1] in fields:
                tier.setdefault(o[0], o)
        tiers.append(list(tier.values()))
    return tiers


def resolve(chron: Chronology, name: str, *, entities_only: bool = False) -> Resolved:
    """Resolve a name to one entity or event, or raise LookupFailed (none, or ambiguous)."""
    if name in chron.entities:
        return Resolved(chron.entities[name])
    if not entities_only and name in chron.event_index:
        return Resolved(chron.event_index[name])
    tiers = exact_matches(chron, name, entities_only=entities_only)
    for n, tier in enumerate(tiers):
        if len(tier) > 1:
            raise LookupFailed(
                f"'{name}' matches {len(tier)} items equally; give one of these ids",
                [(o[0], _kind(chron, o[0]), chron.label_of(o[0])) for o in tier],
            )
        if tier:
            ident = tier[0][0]
            others = [o for t in tiers[n + 1:] for o in t if o[0] != ident]
            alts = tuple(dict.fromkeys(
                _hit(chron, o[0], 100.0, o[1], o[2]) for o in others))
            return Resolved(_item(chron, ident), alts)
    hits = fuzzy(chron, name, limit=6, entities_only=entities_only)
    good = [h for h in hits if h.score >= MIN_SCORE]
    what = "entity" if entities_only else "entity or event"
    if not good:
        near = ", ".join(f"'{h.label}' ({h.id})" for h in hits[:3] if h.score >= 50)
        hint = f"; did you mean {near}?" if near else f"; try 'khalkhin search {name}'"
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

    for h in fuzzy(chron, query, limit=max(limit * 2, 40)):
        if h.score >= 60:
            offer(h)
    words = q.split()
    tag = q.replace(" ", "-")
    for ent in chron.entities.values():
        text = fold(ent.summary)
        if all(w in text for w in words):
            offer(_hit(chron, ent.id, 70.0, "summary", ent.summary))
    for ev in chron.events:
        if tag in ev.tags:
            offer(_hit(chron, ev.id, 75.0, "tag", tag))
            continue
        text = fold(ev.summary)
        if all(w in text for w in words):
            offer(_hit(chron, ev.id, 65.0, "summary", ev.summary))
    return sorted(found.values(), key=lambda h: (-h.score, h.id))[:limit]


def complete(chron: Chronology, incomplete: str, *, entities_only: bool = False,
             limit: int = 50) -> list[tuple[str, str]]:
    """Shell completion: (value, help) pairs whose id or name starts with what is typed.

    Ids come first; a name or alias is offered when its folded form starts with the folded
    text and no id already matched. No fuzzy matching: completion must be instant.
    """
    typed = incomplete.casefold()
    folded = fold(incomplete)
    out: dict[str, str] = {}
    items: list[tuple[str, str, str]] = [(e.id, e.kind, e.name) for e in chron.entities.values()]
    if not entities_only:
        items += [(e.id, "event", e.title) for e in chron.events]
    for ident, kind, label in sorted(items):
        if ident.casefold().startswith(typed):
            out[ident] = f"{kind}: {label}"
    if len(out) < limit:
        for ent in chron.entities.values():
            for text in (ent.name, *ent.aliases):
                if text not in out and fold(text).startswith(folded) and folded:
                    out[text] = f"{ent.kind}: {ent.id}"
    return list(out.items())[:limit]

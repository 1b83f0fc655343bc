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

from dataclasses import dataclass

from khalkhin.errors import LookupFailed, UsageError
from khalkhin.model import Chronology, Entity, Event
from khalkhin.text import fold, short

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
# Above this many events, a look-up that finds an entity by name does not fold every event
# title just to name close alternatives (it would cost more than the look-up).
LARGE = 20_000
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


Owner = tuple[str, str, str]  # (id, field, original text)


class NameIndex:
    """Folded names of a chronology, built on first use and in parts: a look-up of an
    entity name never pays for folding the titles of a hundred thousand events."""

    def __init__(self, chron: Chronology) -> None:
        self.chron = chron
        self._entities: tuple[dict[str, list[Owner]], list[str], list[Owner]] | None = None
        self._events: tuple[list[str], list[Owner]] | None = None
        self._event_exact: dict[str, list[Owner]] | None = None

    def entities(self) -> tuple[dict[str, list[Owner]], list[str], list[Owner]]:
        """(folded name -> owners, folded names, their owners) for entity names and aliases."""
        if self._entities is None:
            exact: dict[str, list[Owner]] = {}
            names: list[str] = []
            owners: list[Owner] = []
            for ent in self.chron.entities.values():
                eid = ent.id
                pairs = [("name", ent.name)]
                pairs += [("alias", a) for a in ent.aliases]
                pairs.append(("id", eid))
                for fld, text in pairs:
                    f = fold(text)
                    if f:
                        owner = (eid, fld, text)
                        exact.setdefault(f, []).append(owner)
                        names.append(f)
                        owners.append(owner)
            self._entities = (exact, names, owners)
        return self._entities

    def events(self) -> tuple[list[str], list[Owner]]:
        """(folded names, their owners) for event titles and ids."""
        if self._events is None:
            evs = self.chron.events
            names = [fold(e.title) for e in evs] + [e.id.lower().replace("-", " ") for e in evs]
            owners = [(e.id, "title", e.title) for e in evs] + [(e.id, "id", e.id) for e in evs]
            self._events = (names, owners)
        return self._events

    def event_exact(self) -> dict[str, list[Owner]]:
        if self._event_exact is None:
            exact: dict[str, list[Owner]] = {}
            for f, owner in zip(*self.events(), strict=True):
                exact.setdefault(f, []).append(owner)
            self._event_exact = exact
        return self._event_exact


_INDEXES: dict[int, tuple[Chronology, NameIndex]] = {}
_KEEP = 4  # indexes kept for the most recent chronologies


def index(chron: Chronology) -> NameIndex:
    """The folded-name index of a chronology (made once, filled on first use)."""
    hit = _INDEXES.get(id(chron))
    if hit is not None and hit[0] is chron:
        return hit[1]
    idx = NameIndex(chron)
    while len(_INDEXES) >= _KEEP:
        del _INDEXES[next(iter(_INDEXES))]
    _INDEXES[id(chron)] = (chron, idx)
    return idx


def _kind(chron: Chronology, ident: str) -> str:
    ent = chron.entities.get(ident)
    return ent.kind if ent is not None else "event"


def candidate(chron: Chronology, ident: str) -> tuple[str, str, str, str]:
    """An item offered to choose from: (id, kind, label, human dates or "")."""
    from khalkhin.dates import human

    ent = chron.entities.get(ident)
    if ent is not None:
        return (ident, ent.kind, ent.name, human(ent.dates) if ent.dates else "")
    ev = chron.event_index[ident]
    return (ident, "event", ev.title, human(ev.date))


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

    q = fold(query)
    if not q:
        return []
    idx = index(chron)
    _, names, owners = idx.entities()
    if not entities_only:
        ev_names, ev_owners = idx.events()
        names = names + ev_names
        owners = owners + ev_owners
    # Two fast C++ passes pick the candidates — whole-name (QRatio) and best-substring
    # (partial_ratio) similarity, together what WRatio weighs at three times the cost —
    # and the slower scorer orders them.
    limit = min(limit, len(names))
    n = max(limit * 10, 60)
    pool = {i: name for scorer in (fuzz.QRatio, fuzz.partial_ratio)
            for name, _score, i in process.extract(q, names, scorer=scorer, processor=None,
                                                   limit=n, score_cutoff=45)}
    best: dict[str, Hit] = {}
    for i, name in pool.items():
        ident, fld, original = owners[i]
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
    idx = index(chron)
    f = fold(name)
    owners = list(idx.entities()[0].get(f, []))
    if not entities_only:
        owners += idx.event_exact().get(f, [])
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
    if not fold(name):
        raise UsageError("a name is needed: an id, a name or any spelling")
    if name in chron.entities:
        return Resolved(chron.entities[name])
    if not entities_only and name in chron.event_index:
        return Resolved(chron.event_index[name])
    # Entity names first. In a large chronology an entity found by name is taken without
    # folding every event title only to name alternatives.
    f = fold(name)
    ent_owners = index(chron).entities()[0].get(f, [])
    named = list({o[0]: o for o in ent_owners if o[1] in TIERS[0]}.values())
    if len(named) == 1 and len(chron.events) > LARGE:
        ident = named[0][0]
        others = [o for o in ent_owners if o[0] != ident and o[1] not in TIERS[0]]
        ev = chron.event_index.get(f.replace(" ", "-")) if not entities_only else None
        alts = [_hit(chron, o[0], 100.0, o[1], o[2]) for o in others]
        if ev is not None:
            alts.append(_hit(chron, ev.id, 100.0, "id", ev.id))
        return Resolved(_item(chron, ident), tuple(dict.fromkeys(alts)))
    tiers = exact_matches(chron, name, entities_only=entities_only)
    for n, tier in enumerate(tiers):
        if len(tier) > 1:
            raise LookupFailed(
                f"'{short(name)}' matches {len(tier)} items equally; give one of these ids",
                [candidate(chron, o[0]) for o in tier],
            )
        if tier:
            ident = tier[0][0]
            others = [o for t in tiers[n + 1:] for o in t if o[0] != ident]
            return Resolved(_item(chron, ident), tuple(dict.fromkeys(
                _hit(chron, o[0], 100.0, o[1], o[2]) for o in others)))
    hits = fuzzy(chron, name, limit=6, entities_only=entities_only)
    good = [h for h in hits if h.score >= MIN_SCORE]
    what = "entity" if entities_only else "entity or event"
    if not good:
        near = ", ".join(f"'{h.label}' ({h.id})" for h in hits[:3] if h.score >= 50)
        hint = f"; did you mean {near}?" if near else f"; try 'khalkhin search {short(name)}'"
        raise LookupFailed(f"no {what} matches '{short(name)}'{hint}")
    top = good[0]
    ties = [h for h in good if top.score - h.score < CLEAR]
    if len(ties) > 1:
        raise LookupFailed(
            f"'{short(name)}' matches {len(ties)} items about equally; give one of these ids",
            [candidate(chron, h.id) for h in ties],
        )
    return Resolved(_item(chron, top.id), tuple(good[1:4]), exact=False)


def _item(chron: Chronology, ident: str) -> Entity | Event:
    ent = chron.entities.get(ident)
    return ent if ent is not None else chron.event_index[ident]


def search(chron: Chronology, query: str, *, limit: int = 20) -> list[Hit]:
    """Ranked results across entities and events: names, aliases, titles, summaries, tags."""
    limit = min(limit, len(chron.entities) + len(chron.events))
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
    # Word containment needs no whitespace folding: an ASCII summary only needs lower case.
    def folded(text: str) -> str:
        return text.lower().replace("-", " ") if text.isascii() else fold(text)

    for ent in chron.entities.values():
        if all(w in folded(ent.summary) for w in words):
            offer(_hit(chron, ent.id, 70.0, "summary", ent.summary))
    first = words[0]
    for ev in chron.events:
        if tag in ev.tags:
            offer(_hit(chron, ev.id, 75.0, "tag", tag))
            continue
        text = folded(ev.summary)
        if first in text and all(w in text for w in words):
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

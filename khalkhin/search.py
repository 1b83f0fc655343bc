"""Find entities and events the way people ask for them: ids, names, years, kinds, topics.

Resolution (``show``, ``compare``, ``--entity``) goes in steps, and stops at the first that
finds anything:

1. the exact id of an entity or event;
2. a folded (case-, diacritic- and hyphen-insensitive) entity name or alias;
3. a folded event title;
4. a folded id written with spaces (``kwantung army`` for ``kwantung-army``);
5. the evidence of the whole query (:func:`rank`): names matched fuzzily (rapidfuzz,
   imported only here) and texts by BM25 (:mod:`khalkhin.textindex`), then the kind words
   and dates in the query (:mod:`khalkhin.querytext`). An item whose dates exclude a date
   in the query is never taken as the answer.

Two items found in the same step, or ranked within :data:`CLEAR` points of each other, are
ambiguous: they are listed with their kinds and dates, and a kind word or a year settles
it. The indexes are built once per chronology.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from khalkhin.errors import LookupFailed, UsageError
from khalkhin.model import Chronology, Entity, Event
from khalkhin.querytext import KIND_WORDS, STOP, Query, When, tokens
from khalkhin.querytext import parse as parse_query
from khalkhin.text import fold, short
from khalkhin.textindex import text_index

# A fuzzy match must score at least this (0–100) to count, and the best must beat the
# next different item by CLEAR points to be taken without asking.
MIN_SCORE = 78.0
CLEAR = 3.0
# Alternatives worth naming score within this of the answer.
NEAR = 12.0
# A search result must score at least this.
MIN_SEARCH = 55.0
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

    # The interface search uses (a store answers the same questions from its tables).

    def entity_owners(self, folded: str) -> list[Owner]:
        """Entity names, aliases and ids that fold to this, in the chronology's order."""
        return self.entities()[0].get(folded, [])

    def entity_names(self) -> tuple[list[str], list[Owner]]:
        return self.entities()[1], self.entities()[2]

    def event_owners(self, folded: str) -> list[Owner]:
        """Event titles, then event ids written with spaces, that fold to this."""
        return self.event_exact().get(folded, [])


def index(chron: Chronology) -> Any:
    """The folded-name index of a chronology (made once, filled on first use; a store has
    its own, read from disk)."""
    stored = getattr(chron, "name_index", None)
    return stored() if stored is not None else chron.kept("names", lambda: NameIndex(chron))


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


@dataclass(slots=True)
class Scored:
    """An item ranked for a query: its score with the evidence, and what matched."""

    id: str
    score: float
    field: str
    matched: str
    excluded: bool = False  # its dates contradict a date in the query


# How the evidence moves a score (0–100 for the words alone).
KIND_BONUS = 6.0  # the item is of a kind the query names ("treaty", "general", "lake")
KIND_MISS = 2.0  # the query names kinds and the item is of none of them
DATE_BONUS = 10.0  # the item's dates overlap every date in the query
UNDATED = 8.0  # the query names a date and the item has none to agree with it
DATE_PENALTY = 25.0  # they exclude one: never "taken as" the answer
PROMINENCE = 6.0  # at most, for an item many events, relations and figures involve
TEXT_SUPPORT = 10.0  # times the share of the query's words the item's texts hold
RELATED = 0.9  # a person or unit the query's kind words ask for, through a relation
# A text match counts a little less than a name match, by the field it is in.
# A name found word by word counts below a name matched whole (the fuzzy match weighs how
# much of the name the query covers).
FIELD_FACTOR = {"name": 0.88, "tag": 0.9, "claim": 0.85, "summary": 0.8}
# For a word about figures (casualties, tanks), the claims are where the answer is.
TOPIC_FACTOR = {"name": 0.8, "tag": 0.8, "claim": 1.0, "summary": 0.8}
# A word of a name the query gives, held by an item linked to that entity.
MENTION_FACTOR = 0.85


_SYLLABLE = re.compile(r"-(?=[a-zà-ÿ'ʼ])")


def _name_words(original: str) -> list[str]:
    """A name's words; syllables joined by a hyphen stay one word (Meng-chiang, Kai-shek)."""
    return [w for w in fold(_SYLLABLE.sub("", original)).split() if w not in STOP]


def _name_score(query: str, name: str, original: str = "") -> float:
    """0–100: a folded query against a folded name (little words left out of both)."""
    from rapidfuzz import fuzz

    q_words = [w for w in query.split() if w not in STOP]
    n_words = _name_words(original) if original else [w for w in name.split() if w not in STOP]
    if not q_words or not n_words:
        return 0.0
    q, n = " ".join(q_words), " ".join(n_words)
    shared = set(q_words) & set(n_words)
    of_name = len(shared) / len(set(n_words))  # how much of the name the query names
    of_query = len(shared) / len(set(q_words))  # how much of the query the name explains
    whole = fuzz.token_set_ratio(q, n) * (0.85 + 0.15 * of_name) * (0.7 + 0.3 * of_query)
    return max(whole, similarity(q, " ".join(n_words)))


def _spans(chron: Chronology, ident: str) -> tuple[tuple[int, int] | None,
                                                   tuple[int, int] | None]:
    """The days an item is known by, and the days it may cover: an event's date twice; a
    treaty's signature, then its time in force; anything else its dates twice."""
    ent = chron.entities.get(ident)
    if ent is None:
        d = chron.event_index[ident].date
        return (d.lower, d.upper), (d.lower, d.upper)
    span = (ent.dates.lower, ent.dates.upper) if ent.dates is not None else None
    if ent.signed is not None:
        return (ent.signed.lower, ent.signed.upper), span
    return span, span


def _overlaps(span: tuple[int, int] | None, dates: tuple[When, ...]) -> bool:
    return span is not None and all(span[0] <= w.upper and span[1] >= w.lower for w in dates)


def _prominence(chron: Chronology, ident: str) -> float:
    import math

    if ident not in chron.entities:
        return 0.0
    degree = chron.degree(ident)
    return min(PROMINENCE, math.log2(1 + degree) * 1.5)


def _mentions(chron: Chronology, q: Query) -> list[tuple[frozenset[str], range]]:
    """Entities the query names by one of their names, longest first: (ids, word positions).
    "the pact between Japan and the Soviet Union" names japan and soviet-union."""
    owners_of = index(chron).entity_owners
    words = q.folded
    found: list[tuple[frozenset[str], range]] = []
    used: set[int] = set()
    for n in range(min(6, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            span = range(i, i + n)
            if used.intersection(span):
                continue
            gram = " ".join(words[i:i + n])
            if gram in STOP or gram in KIND_WORDS:
                continue
            owners = owners_of(gram)
            if not owners:
                continue
            ids = frozenset(o[0] for o in owners)
            if len(ids) <= 2:
                found.append((ids, span))
                used.update(span)
    return found


def _asked_kinds(q: Query, mentions: list[tuple[frozenset[str], range]]) -> frozenset[str]:
    """The kinds the query asks for: its first kind word that is not part of a name it
    gives ("Chinese Eastern Railway sold 1935" asks for no place)."""
    inside = {i for _, span in mentions for i in span}
    for i, w in enumerate(q.folded):
        if w in KIND_WORDS and i not in inside:
            return frozenset(KIND_WORDS[w])
    return frozenset()


# "Soviet general", "Japanese division": a person or unit of another side is not meant.
NATIONS = frozenset(("soviet", "russia", "japan", "china", "mongolia", "korea", "america",
                     "britain", "germany", "manchukuo"))
NATION_MISS = 5.0


def _nation(chron: Chronology, ident: str) -> set[str]:
    """The side a person or unit belongs to, as the first such word of its summary says."""
    ent = chron.entities.get(ident)
    if ent is None:
        return set()
    for tok in tokens(ent.summary):
        if tok in NATIONS:
            return {tok}
    return set()


def _linked(chron: Chronology, ident: str) -> set[str]:
    ent = chron.entities.get(ident)
    if ent is not None:
        return {lk.other for lk in chron.links(ident)}
    ev = chron.event_index[ident]
    return set(ev.entities) | ({ev.place} if ev.place else set())


def rank(chron: Chronology, query: str | Query, *, limit: int = 20,
         entities_only: bool = False) -> list[Scored]:
    """Items for a query, best first: names (fuzzy) and texts (BM25), then the evidence of
    kinds and dates in the query, and a little for how much an item is involved in."""

    q = query if isinstance(query, Query) else parse_query(query)
    mentions = _mentions(chron, q)
    kinds = _asked_kinds(q, mentions)
    nations = NATIONS.intersection(q.words)
    found: dict[str, Scored] = {}

    def offer(ident: str, score: float, fld: str, matched: str) -> None:
        prev = found.get(ident)
        if prev is None or score > prev.score:
            found[ident] = Scored(ident, score, fld, matched)

    idx = index(chron)
    names, owners = idx.entity_names()
    if not entities_only and len(chron.events) <= LARGE:
        # Event titles are matched fuzzily in a chronology of up to LARGE events; in a
        # larger one they are found by their words (the text index), as summaries are.
        ev_names, ev_owners = idx.events()
        names = names + ev_names
        owners = owners + ev_owners
    bare = " ".join(w for w in q.name.split() if w not in KIND_WORDS)
    forms = [q.name] + ([bare] if bare and bare != q.name else [])
    n = max(min(limit, len(names)) * 10, 60)
    pools = _pools(forms, names, n)
    many = getattr(owners, "many", None)  # a store reads the owners of all pools at once
    owner_of = many(i for pool in pools for i in pool) if many is not None else owners
    prefetch = getattr(chron, "prefetch", None)
    if prefetch is not None:
        prefetch(owner_of[i][0] for pool in pools for i in pool)
    for form, pool in zip(forms, pools, strict=True):
        factor = 1.0 if form == q.name else 0.9  # kind words left out of the name
        for i, name in pool.items():
            ident, fld, original = owner_of[i]
            score = _name_score(form, name, original) * factor
            if ident not in chron.entities:
                score *= EVENT
            offer(ident, score, fld, original)
    support: dict[str, float] = {}
    concepts = [(w, *q.topics) if w in q.topic_words else (w,) for w in q.words]
    weights = [ti.idf(w) for w in q.words] if (ti := text_index(chron)) else []
    total = sum(weights) or 1.0
    named = [(ids, {t for i in span for t in tokens(q.folded[i])}) for ids, span in mentions]
    inside = {i for _, span in mentions for i in span}
    if all(i in inside or w in STOP for i, w in enumerate(q.folded)):
        named = []  # the query is a name and nothing more: its links say nothing of it
    for hit in ti.search(concepts, limit=max(limit * 5, 100)):
        if entities_only and hit.doc not in chron.entities:
            continue
        factor_of: list[float] = []
        for n, found_at in enumerate(hit.found):
            factors = TOPIC_FACTOR if q.words[n] in q.topic_words else FIELD_FACTOR
            factor_of.append(factors[found_at[0]] if found_at is not None else 0.0)
        if named:
            # Words of an entity the query names are explained by a link to it.
            linked = _linked(chron, hit.doc)
            for ids, words in named:
                if ids & linked:
                    for n, w in enumerate(q.words):
                        if w in words:
                            factor_of[n] = max(factor_of[n], MENTION_FACTOR)
        covered = sum(weights[n] * f for n, f in enumerate(factor_of))
        coverage = sum(weights[n] for n, f in enumerate(factor_of) if f > 0) / total
        score = 100 * covered / total
        if hit.doc not in chron.entities:
            score *= EVENT
        support[hit.doc] = coverage
        best = max((f for f in hit.found if f is not None),
                   key=lambda f: FIELD_FACTOR[f[0]])[0]
        offer(hit.doc, score, {"name": "title" if hit.doc not in chron.entities else "name"}
              .get(best, best), " ".join(hit.words))
    if prefetch is not None:
        prefetch(found)
    if kinds & {"person", "unit"}:
        # "the general who won at Khalkhin Gol": the people and units of what the query
        # names, through their relations (commanded, fought in, signed, …).
        for sc in sorted(found.values(), key=lambda s: -s.score)[:5]:
            if _kind(chron, sc.id) in kinds:
                continue
            for link in chron.links(sc.id):
                other = chron.entities.get(link.other)
                if other is not None and other.kind in kinds:
                    offer(other.id, sc.score * RELATED, "relation",
                          f"{link.label} {chron.label_of(sc.id)}")
    if q.dates and not q.words:
        _offer_dated(chron, q, offer, entities_only)
    for sc in found.values():
        kind = _kind(chron, sc.id)
        sc.score += TEXT_SUPPORT * support.get(sc.id, 0.0)
        if kinds:
            sc.score += KIND_BONUS if kind in kinds else -KIND_MISS
            if nations and kind in ("person", "unit") and _nation(chron, sc.id) - nations:
                sc.score -= NATION_MISS
        if q.dates:
            known, in_force = _spans(chron, sc.id)
            if _overlaps(known, q.dates):
                sc.score += DATE_BONUS
            elif _overlaps(in_force, q.dates):
                sc.score += DATE_BONUS / 3  # a treaty in force then, signed another year
            elif in_force is not None:
                sc.score -= DATE_PENALTY
                sc.excluded = True
            else:
                sc.score -= UNDATED
        # How much an item is involved in settles near-ties between names; it does not lift
        # a mention in a summary above a name.
        sc.score += _prominence(chron, sc.id) * (0.5 if sc.field == "summary" else 1.0)
    ranked = sorted(found.values(), key=lambda s: (s.excluded, -s.score, s.id))
    return ranked[:limit]


# Above this many names, the fuzzy pass is shared with a forked process (khalkhin.forks).
SHARED = 50_000


def _matches(forms: list[str], names: Any, n: int) -> list[list[list[tuple[str, float, int]]]]:
    """For each form, each scorer's best N names (at least 50): (name, score, index)."""
    from rapidfuzz import fuzz, process

    return [[process.extract(form, names, scorer=scorer, processor=None, limit=n,
                             score_cutoff=50)
             for scorer in (fuzz.QRatio, fuzz.partial_ratio, fuzz.token_set_ratio)]
            for form in forms]


def _pools(forms: list[str], names: Any, n: int) -> list[dict[int, str]]:
    """For each form, the names worth scoring (index -> name): each scorer's best N, best
    first, ties in the names' order. Many names are scored in two halves, one by a forked
    process, and the halves' best merged in the same order."""
    if len(names) < SHARED:
        found = _matches(forms, names, n)
    else:
        from khalkhin.forks import both

        half = len(names) // 2
        low, high = both(lambda: _matches(forms, names[:half], n),
                         lambda: _matches(forms, names[half:], n))
        found = [[sorted(a + [(name, s, i + half) for name, s, i in b],
                         key=lambda m: (-m[1], m[2]))[:n]
                  for a, b in zip(per_a, per_b, strict=True)]
                 for per_a, per_b in zip(low, high, strict=True)]
    return [{i: name for per in per_form for name, _s, i in per} for per_form in found]


def _offer_dated(chron: Chronology, q: Query, offer: Callable[[str, float, str, str], None],
                 entities_only: bool) -> None:
    """A query of dates alone: the items known by those days, the closest fit first."""
    import math

    lo = max(w.lower for w in q.dates)
    hi = min(w.upper for w in q.dates)
    asked = max(hi - lo + 1, 1)
    items: list[str] = list(chron.entities)
    if not entities_only:
        items += [e.id for e in chron.events]
    for ident in items:
        known, _ = _spans(chron, ident)
        if known is None or not _overlaps(known, q.dates):
            continue
        length = known[1] - known[0] + 1
        fit = 90.0 - 4 * abs(math.log(max(length, 1) / asked))
        offer(ident, fit if ident in chron.entities else fit * EVENT, "date", q.dates[0].text)


def fuzzy(chron: Chronology, query: str, *, limit: int = 10,
          entities_only: bool = False) -> list[Hit]:
    """Best matches for a name, with the evidence of kinds and dates; one hit per item."""
    return _hits(chron, rank(chron, query, limit=limit, entities_only=entities_only))


def _hits(chron: Chronology, ranked: list[Scored]) -> list[Hit]:
    """Ranked items as hits, scored 0–100: the best is 100 at most, the rest in proportion."""
    top = max([100.0, *(s.score for s in ranked[:1])])
    return [_hit(chron, s.id, round(max(s.score, 0.0) * 100 / top, 1), s.field, s.matched)
            for s in ranked]


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
    owners = list(idx.entity_owners(f))
    if not entities_only:
        owners += idx.event_owners(f)
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
    ent_owners = index(chron).entity_owners(f)
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
    if not entities_only:
        # A name that is a date (1939-08-20, 27 Jan 1904 O.S., 昭和14年8月20日): the event
        # of that day, or the events of that date to choose from.
        from khalkhin.query import resolve_date

        dated = resolve_date(chron, name)
        if dated is not None:
            return Resolved(dated)
    q = parse_query(name)
    ranked = rank(chron, q, limit=12, entities_only=entities_only)
    eligible = [r for r in ranked if not r.excluded]
    what = "entity" if entities_only else "entity or event"
    if not eligible or eligible[0].score < MIN_SCORE:
        near = ", ".join(f"'{chron.label_of(r.id)}' ({r.id})" for r in eligible[:3]
                         if r.score >= 50)
        hint = f"; did you mean {near}?" if near else f"; try 'khalkhin search {short(name)}'"
        raise LookupFailed(f"no {what} matches '{short(name)}'{hint}")
    top = eligible[0]
    ties = [r for r in eligible if top.score - r.score < CLEAR]
    if len(ties) > 1:
        raise LookupFailed(
            f"'{short(name)}' matches {len(ties)} items about equally; give one of these ids, "
            "or add a kind (treaty, battle, general, town, …) or a year",
            [candidate(chron, r.id) for r in sorted(ties, key=lambda r: r.id)],
        )
    close = [r for r in eligible[:4] if r.score >= max(MIN_SCORE, top.score - NEAR)]
    alternatives = tuple(_hits(chron, close)[1:])
    return Resolved(_item(chron, top.id), alternatives, exact=False)


def _item(chron: Chronology, ident: str) -> Entity | Event:
    ent = chron.entities.get(ident)
    return ent if ent is not None else chron.event_index[ident]


def search(chron: Chronology, query: str, *, limit: int = 20) -> list[Hit]:
    """Ranked entities and events: names, aliases, titles, tags, summaries and claims, with
    the kinds and dates the query names as evidence (see :func:`rank`)."""
    limit = min(limit, len(chron.entities) + len(chron.events))
    q = parse_query(query)
    if q.empty:
        return []
    return _hits(chron, [s for s in rank(chron, q, limit=limit) if s.score >= MIN_SEARCH])


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

"""An inverted index over the chronology's texts, ranked by BM25, with names above summaries.

Every entity and event is one document with fields: its names (name, aliases, id; an
event's title), its tags, its summary and note, and the claims about it (property, value,
note) — so "casualties" finds the figures. A query's cost is the postings of its words,
not the size of the chronology: the index is built once per chronology and kept.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from khalkhin.model import Chronology
from khalkhin.querytext import tokens

#: Weight of a field in the score: a word in a name counts for more than one in a summary.
FIELDS = ("name", "tag", "claim", "summary")
WEIGHTS = {"name": 3.0, "tag": 1.5, "claim": 1.2, "summary": 1.0}
K1 = 1.2
B = 0.75


@dataclass(frozen=True, slots=True)
class TextHit:
    """A document that holds some of the query: its BM25 score, and for each of the query's
    concepts the field and the word it was found in (None where it is not found)."""

    doc: str  # entity or event id
    bm25: float
    found: tuple[tuple[str, str] | None, ...]  # per concept: (field, word) or None

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(f[1] for f in self.found if f is not None)


def documents(chron: Chronology) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """Each entity and event as (id, field -> tokens)."""
    claims: dict[str, list[str]] = {}
    for c in chron.claims:
        text = " ".join(filter(None, (c.property.replace("-", " "), c.value, c.note)))
        claims.setdefault(c.subject, []).extend(tokens(text))
    for ent in chron.entities.values():
        names = tokens(" ".join((ent.name, *ent.aliases, ent.id.replace("-", " "))))
        summary = tokens(" ".join(filter(None, (ent.summary, ent.outcome))))
        yield ent.id, {"name": names, "tag": [], "claim": claims.get(ent.id, []),
                       "summary": summary}
    for ev in chron.events:
        yield ev.id, {"name": tokens(ev.title), "tag": tokens(" ".join(ev.tags)),
                      "claim": claims.get(ev.id, []), "summary": tokens(ev.summary)}


class TextIndex:
    """Postings (word -> documents and counts per field) and the lengths BM25 needs."""

    def __init__(self, docs: Iterable[tuple[str, dict[str, list[str]]]]) -> None:
        self.postings: dict[str, dict[str, dict[str, int]]] = {}
        self.lengths: dict[str, dict[str, int]] = {}
        totals = dict.fromkeys(FIELDS, 0)
        n = 0
        for doc, fields in docs:
            n += 1
            self.lengths[doc] = {f: len(t) for f, t in fields.items()}
            for f, toks in fields.items():
                totals[f] += len(toks)
                for t in toks:
                    per_doc = self.postings.setdefault(t, {}).setdefault(doc, {})
                    per_doc[f] = per_doc.get(f, 0) + 1
        self.count = n
        self.average = {f: (totals[f] / n if n else 0.0) or 1.0 for f in FIELDS}

    def idf(self, word: str) -> float:
        df = len(self.postings.get(word, ()))
        return math.log(1 + (self.count - df + 0.5) / (df + 0.5))

    def postings_of(self, word: str) -> dict[str, dict[str, int]]:
        """The documents holding a word, each with its count per field (in FIELDS order)."""
        return self.postings.get(word, {})

    def lengths_of(self, doc: str) -> dict[str, int]:
        return self.lengths[doc]

    def search(self, concepts: Iterable[Iterable[str]],
               limit: int | None = None) -> list[TextHit]:
        """Documents holding any of the query's concepts — each a word and the other words
        that say the same (``casualties``: ``losses``, ``killed``…) — best first by BM25,
        a concept counting once, by its best word."""
        return search(self, concepts, limit)


def score(index: Any, groups: list[tuple[str, ...]]) -> tuple[
        dict[Any, list[float]], dict[Any, list[tuple[str, str] | None]]]:
    """BM25 per document and concept, and where each concept was found (``postings_of``,
    ``lengths_of``, ``idf`` and ``average`` of the index). A store's text index computes
    the same floats in the same order from its arrays (``store.StoredText.search``)."""
    scores: dict[Any, list[float]] = {}
    where: dict[Any, list[tuple[str, str] | None]] = {}
    average = index.average
    for n, group in enumerate(groups):
        for word in group:
            idf = index.idf(word)
            for doc, per_field in index.postings_of(word).items():
                lengths = index.lengths_of(doc)
                s = 0.0
                top, top_field = -1.0, ""
                for f, tf in per_field.items():
                    length = 1 - B + B * lengths[f] / average[f]
                    part = WEIGHTS[f] * idf * tf * (K1 + 1) / (tf + K1 * length)
                    s += part
                    if part > top:
                        top, top_field = part, f
                per_group = scores.setdefault(doc, [0.0] * len(groups))
                if s > per_group[n]:
                    per_group[n] = s
                    where.setdefault(doc, [None] * len(groups))[n] = (top_field, word)
    return scores, where


def search(index: Any, concepts: Iterable[Iterable[str]],
           limit: int | None = None) -> list[TextHit]:
    """:meth:`TextIndex.search` (a store's text index has its own, with the same hits)."""
    groups = [tuple(dict.fromkeys(c)) for c in concepts]
    groups = [g for g in groups if g]
    if not groups:
        return []
    scores, where = score(index, groups)
    hits = [TextHit(doc, round(sum(per), 6), tuple(where[doc])) for doc, per in scores.items()]
    hits.sort(key=lambda h: (-h.bm25, h.doc))
    return hits if limit is None else hits[:limit]


def text_index(chron: Chronology) -> Any:
    """The text index of a chronology, built on first use and kept with it (a store has
    its own, read from disk)."""
    stored = getattr(chron, "text_index", None)
    if stored is not None:
        return stored()
    return chron.kept("text", lambda: TextIndex(documents(chron)))

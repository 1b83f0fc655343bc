"""What a query says: its words, the kinds of thing it names, the dates in it, its topics.

People type what they remember — "Sino-Soviet treaty 1937", "Khasan battle", "marshal
Choibalsan", "the battle at the Halhin Gol river in 1939" — so a query is read as evidence:

- **dates** anywhere in it (``1905``, ``Aug 1939``, ``9 June 1940``, ``June 9, 1940``,
  ``1939-08``, ``1930s``, and the era and Old Style forms that :mod:`khalkhin.datetext`
  reads), each as a span of days;
- **kind words** (treaty, pact, battle, incident, war, army, corps, general, marshal, lake,
  town, …) that favour entities of a kind;
- **words**: the rest, folded (case, diacritics), without the little words (of, the, in),
  lightly stemmed (``soviets`` → ``soviet``), for names and for the texts;
- **topics**: words about figures (casualties, losses, tanks, aircraft, prisoners, …) with
  the words the claims use for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from khalkhin.text import fold

#: Words that say what kind of thing is meant, and the kinds they favour ("event": an event).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("treaty", "treaties", "pact", "agreement", "agreements", "protocol",
                     "protocols", "convention", "conventions", "declaration", "accord",
                     "truce", "armistice", "entente", "communique", "arrangement",
                     "understanding", "instrument"), ("treaty",)),
    **dict.fromkeys(("battle", "battles", "siege"), ("battle",)),
    **dict.fromkeys(("incident", "clash", "clashes", "fighting", "fight", "skirmish"),
                    ("battle", "event")),
    **dict.fromkeys(("war", "wars"), ("war",)),
    **dict.fromkeys(("offensive", "operation", "operations", "campaign", "invasion"),
                    ("operation", "battle", "event")),
    **dict.fromkeys(("army", "armies", "corps", "division", "divisions", "front", "brigade",
                     "district", "regiment", "detachment", "fleet", "squadron", "group",
                     "legion", "command", "garrison"), ("unit",)),
    **dict.fromkeys(("general", "marshal", "admiral", "commander", "prince", "emperor",
                     "tsar", "czar", "king", "minister", "premier", "ambassador", "leader",
                     "president", "colonel", "lieutenant", "kombrig", "baron", "count",
                     "envoy", "chairman", "generalissimo", "diplomat", "foreign", "prime",
                     "mr", "person"), ("person",)),
    **dict.fromkeys(("lake", "river", "town", "city", "island", "islands", "hill", "height",
                     "heights", "port", "peninsula", "region", "province", "mountain",
                     "mountains", "pass", "strait", "bay", "place", "capital", "railway"),
                    ("place",)),
    **dict.fromkeys(("state", "country", "republic", "empire", "kingdom", "government",
                     "nation"), ("state",)),
    **dict.fromkeys(("party", "organization", "organisation", "comintern"),
                    ("organization",)),
    **dict.fromkeys(("occupation",), ("occupation",)),
}

# Words that carry no name: they never count against or for a match.
STOP = frozenset("""a an the of in at on and or between by to for with from near into against
vs versus during about over under s what when where who whom whose which that this these
those how did do does was were is are be been being had has have it its their there then
than as also after before while upon via de du la le von van der""".split())

#: Topic words about figures, and the words claims use for them (in property names, notes).
TOPICS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("casualties", "casualty", "losses", "loss", "killed", "dead", "deaths",
                     "wounded", "toll"), ("losses", "casualties", "killed", "wounded")),
    **dict.fromkeys(("tanks", "tank", "armour", "armor", "armoured", "armored"),
                    ("tanks", "tank", "armour", "armoured")),
    **dict.fromkeys(("aircraft", "planes", "airplanes", "aeroplanes", "plane", "air"),
                    ("aircraft", "planes", "air")),
    **dict.fromkeys(("strength", "troops", "forces", "men", "soldiers", "size"),
                    ("strength", "troops", "forces", "men")),
    **dict.fromkeys(("prisoners", "prisoner", "pows", "pow", "captives", "internees"),
                    ("prisoners", "pows", "prisoner")),
    **dict.fromkeys(("horses", "horse", "livestock"), ("horses", "livestock")),
}

@dataclass(frozen=True)
class When:
    """A date named in a query: the text, and the first and last day it may mean."""

    text: str
    lower: int
    upper: int


@dataclass(frozen=True)
class Query:
    """A query read as evidence (see the module docstring)."""

    text: str
    words: tuple[str, ...]  # content words: folded, stemmed, no stop words, no dates
    kinds: frozenset[str] = frozenset()  # kinds favoured by the kind words
    dates: tuple[When, ...] = ()
    topics: tuple[str, ...] = ()  # claim words for the topic words in the query
    name: str = ""  # the folded query without its dates and little words, for names
    kind_words: tuple[str, ...] = field(default=())
    topic_words: frozenset[str] = frozenset()  # the query's words (stemmed) that are topics
    folded: tuple[str, ...] = ()  # every folded word but the dates, little words too

    @property
    def empty(self) -> bool:
        return not self.words and not self.dates


# Endings taken off long words, so that "defection" meets "defected" and "treaties"
# "treaty"; the longest that leaves a stem of four letters or more is taken.
_ENDINGS = ("ations", "ation", "ings", "ions", "ing", "ion", "ied", "ies", "ed", "es", "s")


# A people's name and its country's are one word to a search: "Japanese" finds "Japan".
DEMONYMS = {"japanese": "japan", "soviets": "soviet", "russian": "russia", "russians": "russia",
            "chinese": "china", "mongolian": "mongolia", "mongolians": "mongolia",
            "mongols": "mongol", "korean": "korea", "koreans": "korea",
            "manchurian": "manchuria", "american": "america", "americans": "america",
            "british": "britain", "german": "germany", "germans": "germany"}


# Past forms the endings do not reach.
IRREGULAR = {"sold": "sell", "won": "win", "fought": "fight", "took": "take", "began": "begin",
             "gave": "give", "lost": "lose", "met": "meet", "led": "lead", "held": "hold",
             "broke": "break", "fell": "fall", "drove": "drive", "sank": "sink"}


def stem(word: str) -> str:
    """A light stem for matching texts: plurals, -ed, -ing, -ion; never below four letters."""
    if word in DEMONYMS:
        return DEMONYMS[word]
    if word in IRREGULAR:
        return IRREGULAR[word]
    if not word.isascii() or not word.isalpha() or len(word) < 5:
        return word[:-1] if len(word) == 4 and word.endswith("s") and word.isascii() \
            and not word.endswith(("ss", "us", "is")) else word
    for end in _ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= (3 if end in ("ed", "ing") else 4):
            if end in ("ied", "ies"):
                return word[:-3] + "y"
            if end == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[:-len(end)]
    return word


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _forms(tok: str) -> tuple[str, ...]:
    if tok in STOP:
        return ()
    if _CJK.search(tok):
        chars = list(tok)
        return (*chars, *(a + b for a, b in zip(chars, chars[1:], strict=False)))
    return (stem(tok),)


class _Forms(dict[str, tuple[str, ...]]):
    """The forms of each word seen (a chronology's vocabulary is small beside its words):
    a word not seen yet is worked out once, and kept while there are fewer than KEPT."""

    KEPT = 1_000_000

    def __missing__(self, tok: str) -> tuple[str, ...]:
        forms = _forms(tok)
        if len(self) < self.KEPT:
            self[tok] = forms
        return forms


_FORMS = _Forms()


def tokens(text: str) -> list[str]:
    """Folded, stemmed word tokens; a run of Chinese or Japanese characters gives its
    characters and their pairs, so that a word inside a longer name matches."""
    memo = _FORMS
    return [form for tok in _TOKEN.findall(fold(text)) for form in memo[tok]]


def parse(text: str) -> Query:
    """Read a query (see the module docstring)."""
    from khalkhin.datetext import find_dates

    dates = find_dates(text)
    rest = text
    for *_, matched in dates:
        rest = rest.replace(matched, " ")
    folded = list(_TOKEN.findall(fold(rest)))
    kind_words = tuple(w for w in folded if w in KIND_WORDS)
    # The first kind word says what is asked for ("the treaty that ended the war"): later
    # ones are most often part of a name.
    kinds = frozenset(KIND_WORDS[kind_words[0]]) if kind_words else frozenset()
    content = [w for w in folded if w not in STOP]
    topics: list[str] = []
    for w in content:
        for t in TOPICS.get(w, ()):
            if t not in topics:
                topics.append(t)
    words = tuple(t for w in content for t in tokens(w))
    return Query(text=text, words=words, kinds=kinds,
                 dates=tuple(When(e, lo, hi) for e, lo, hi, _ in dates),
                 topics=tuple(stem(t) for t in topics), name=" ".join(content),
                 kind_words=kind_words,
                 topic_words=frozenset(stem(w) for w in content if w in TOPICS),
                 folded=tuple(folded))


def split_topics(text: str) -> tuple[str, tuple[str, ...]]:
    """A subject with topic words in it ("Khalkhin Gol casualties") as (the rest, the words
    claims use for the topics): ("Khalkhin Gol", ("losses", "casualty", "killed", …))."""
    rest: list[str] = []
    topics: list[str] = []
    for word in text.split():
        f = fold(word).strip(".,;:")
        if f in TOPICS:
            topics.extend(stem(t) for t in TOPICS[f] if stem(t) not in topics)
        else:
            rest.append(word)
    return " ".join(rest), tuple(dict.fromkeys(topics))

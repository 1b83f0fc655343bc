"""Sources as bibliography entries: CSL items, names split into parts, locators with labels.

One entry per source, keyed by the source id (the citation key of CSL-JSON, BibTeX and
pandoc). Everything here is read from the free text of a source; the rules, in order:

**Names** (``author``). A trailing ``(ed.)``/``(eds.)`` makes the names editors. Several
names are joined by `` and `` (and by commas before it when they are editors). An
institution — a name with a lowercase ``of``/``for``/``the``/``at``, one that starts with
"The", or one with a word such as Department, Ministry, Library, Headquarters, Project,
Tribunal, Centre — stays one literal name, exactly as written. For a person, what follows
a comma is an office or a description ("US Ambassador in Japan", "interviewed") and is
left out of the name, except a suffix (``Jr.``, ``II``); a parenthesis after a name (a
romanized form, a role such as "project leader") is left out too. The family name is the
last word, with the lowercase particles before it (``van``, ``de``); a first word in
capitals is a family name written first (``TANAKA Akihiko``: Tanaka, Akihiko), and so is
the first of two words when the second is a hyphenated Chinese given name
(``Hsu Yung-chang``). A single word, or a ruler's name and number (``Nicholas II``), is a
literal name.

**Types.** A periodical that is a volume of FRUS, or that names its editors, is the book a
chapter is in (``chapter``); an encyclopedia or dictionary gives an ``entry-encyclopedia``;
a series of published documents ("Documents of …") a ``chapter`` too; a digital archive,
database or web site an item of a ``webpage``; a journal ("Journal", "Studies", "Review",
"Quarterly") an ``article-journal``; another periodical dated to the day an
``article-newspaper``; one with a volume or issue number an ``article-journal``; any other
an ``article-magazine``.
Without a periodical, a publisher that is a web site or an online collection (Wikisource,
a digital library, a database, an online exhibition) makes a ``webpage``; any other source
is a ``book``.

**Locators.** A locator's first word names its kind where it has one, as CSL and pandoc
know them: ``p.``/``pp.``/``page`` → page, ``chapter`` → chapter, ``section``/``sec.`` →
section, ``paragraph`` → paragraph, ``part`` → part, ``volume`` → volume, ``book`` → book,
``line``, ``note``, ``column``, ``folio``, ``figure``, ``verse``; ``document``/``no.`` → the
CSL label ``issue``, written ``no.`` (a FRUS document number); ``article`` → ``art.``, which
CSL has no label for (kept as text). A locator with no such word is a section heading, as
the data guide asks (``Introduction``): section, written ``sec. Introduction``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from khalkhin import dates
from khalkhin.model import Chronology, Source

# --- names -------------------------------------------------------------------------------------

_EDITORS = re.compile(r"\s*\((eds?)\.\)\s*$", re.IGNORECASE)
_PAREN = re.compile(r"\s*\([^()]*\)")
_SUFFIXES = {"jr.", "jr", "sr.", "sr", "ii", "iii", "iv", "v"}
_PARTICLES = {"van", "von", "de", "der", "den", "du", "da", "di", "del", "della", "le", "la",
              "ter", "ten", "bin", "ibn", "al"}
_INSTITUTION_WORDS = re.compile(
    r"\b(Department|Ministry|Commissariat|Headquarters|Library|Center|Centre|Archives?|"
    r"Project|Tribunal|Iroda|Agency|Office|Bureau|University|Institute|Commission|"
    r"Committee|Council|Government|Army|Navy|Press|Society|Association|Museum|Foundation|"
    r"Academy|Embassy|Division|Service|School|Records|Database|Encyclop\w*)\b")
_LOWER_JOINERS = re.compile(r"\s(of|for|the|at)\s")
_ROMAN = re.compile(r"^[IVXLC]+$")
_WADE_GILES = re.compile(r"^[A-Z][a-z]+-[a-z]+$")
_CAPS = re.compile(r"^[A-Z\u0400-\u042f]{2,}$")


class Names(NamedTuple):
    """The names of a source's author field: who, and whether they are its editors."""

    people: list[dict[str, str]]  # CSL name objects: family/given (…) or literal
    editors: bool


def is_institution(name: str) -> bool:
    head = _PAREN.sub("", name).split(",")[0].strip()
    return bool(head.startswith("The ") or _LOWER_JOINERS.search(f" {head} ")
                or _INSTITUTION_WORDS.search(head))


def person(name: str) -> dict[str, str]:
    """One person's name as a CSL name object (family, given, particle, suffix or literal)."""
    whole = " ".join(name.split())
    head, _, tail = whole.partition(",")
    suffix = tail.strip() if tail.strip().casefold() in _SUFFIXES else ""
    core = _PAREN.sub("", head).strip() if _PAREN.sub("", head).strip() else head.strip()
    words = core.split()
    if len(words) >= 2 and words[-1].casefold() in _SUFFIXES and not suffix:
        if len(words) == 2:  # a ruler's name and number: Nicholas II
            return {"literal": core}
        suffix, words = words[-1], words[:-1]
    if len(words) < 2:
        return {"literal": whole}
    out: dict[str, str]
    if _CAPS.match(words[0]) and not _ROMAN.match(words[0]):
        out = {"family": words[0].capitalize(), "given": " ".join(words[1:])}
    elif len(words) == 2 and _WADE_GILES.match(words[1]):
        out = {"family": words[0], "given": words[1]}
    else:
        i = len(words) - 1
        while i > 1 and words[i - 1] in _PARTICLES:
            i -= 1
        out = {"family": words[-1], "given": " ".join(words[:i])}
        if i < len(words) - 1:
            out["non-dropping-particle"] = " ".join(words[i:-1])
    if suffix:
        out["suffix"] = suffix
    return out


def names(author: str | None) -> Names:
    """An author field as CSL names (see the module docstring for the rules)."""
    if not author or not author.strip():
        return Names([], False)
    text = " ".join(author.split())
    m = _EDITORS.search(text)
    editors = m is not None
    if m is not None:
        text = text[: m.start()].strip()
    if is_institution(text):
        return Names([{"literal": text}], editors)
    if editors:
        parts = [p for p in re.split(r",\s*|\s+and\s+", text) if p.strip()]
        return Names([person(p) for p in parts], True)
    # What follows the first comma describes the person (an office), unless it is a suffix.
    head, _, tail = text.partition(",")
    if tail.strip().casefold() in _SUFFIXES:
        head = text
    return Names([person(p) for p in re.split(r"\s+and\s+", head) if p.strip()], False)


def display(name: dict[str, str]) -> str:
    """A CSL name object as 'Family, Given' (or its literal)."""
    if "literal" in name:
        return name["literal"]
    family = " ".join(x for x in (name.get("non-dropping-particle"), name["family"]) if x)
    return ", ".join(x for x in (family, name.get("suffix"), name.get("given")) if x)


# --- types and containers ----------------------------------------------------------------------

_FRUS = re.compile(r"Foreign Relations of the United States")
_ENCYCLOPEDIA = re.compile(r"encyclop|dictionar|Nipponica|Sh[oō]jiten|Kotobank", re.IGNORECASE)
_WEBSITE = re.compile(r"Digital Archive|Database|\.net\b|\.com\b|\.ru\b|Russia Beyond|"
                      r"Wikisource|Digital Library|Presidential Library|Sourcebooks|"
                      r"exhibition|Schlüsseldokumente|Project\b|Papers Past", re.IGNORECASE)
_JOURNAL = re.compile(r"Journal|Studies|Review|Quarterly")
_NUMBERED = re.compile(r"\bvol\.|\bno\.", re.IGNORECASE)
_DOCUMENTS = re.compile(r"\bDocuments of\b|Документы")
_CONTAINER_EDITORS = re.compile(r"^(?P<eds>.+?)\s*\(eds?\.\),\s*(?P<rest>.+)$")


def csl_type(src: Source) -> str:
    """The CSL item type of a source (rules in the module docstring)."""
    per = src.periodical
    if per:
        if _FRUS.search(per) or _DOCUMENTS.search(per) or _CONTAINER_EDITORS.match(per):
            return "chapter"
        if _ENCYCLOPEDIA.search(per):
            return "entry-encyclopedia"
        if _WEBSITE.search(per) and "Papers Past" not in per:
            return "webpage"
        if _JOURNAL.search(per):
            return "article-journal"
        if src.date is not None and src.date.precision == dates.DAY and src.date.end is None:
            return "article-newspaper"
        if _NUMBERED.search(per):
            return "article-journal"
        return "article-magazine"
    if src.publisher and _WEBSITE.search(src.publisher):
        return "webpage"
    if src.url and not src.publisher and not src.date and src.author \
            and is_institution(src.author):
        return "webpage"
    return "book"


def _date_parts(part: dates.Part) -> list[int] | None:
    if part.precision == dates.OPEN:
        return None
    from datetime import date

    d = date.fromordinal(part.lower)
    if part.precision >= dates.DAY:
        return [d.year, d.month, d.day]
    if part.precision == dates.MONTH:
        return [d.year, d.month]
    return [d.year]


def csl_date(d: dates.Edtf) -> dict[str, Any] | None:
    """A CSL date: date-parts down to the known precision, an interval as two, ``circa``
    for an approximate, uncertain or coarser-than-a-year date."""
    ends = [d.start] if d.end is None else [d.start, d.end]
    parts = [p for p in (_date_parts(e) for e in ends) if p is not None]
    if not parts:
        return None
    out: dict[str, Any] = {"date-parts": parts}
    if any(e.approximate or e.uncertain or e.precision in (dates.DECADE, dates.CENTURY)
           for e in ends):
        out["circa"] = True
    if d.start.precision == dates.SEASON and d.end is None:
        code = int(d.text[5:7]) if len(d.text) >= 7 and d.text[5:7].isdigit() else 0
        if code in dates.SEASONS:
            out["season"] = code - 20
    return out


def csl_item(src: Source) -> dict[str, Any]:
    """One source as a CSL-JSON item (the form pandoc's citeproc and Zotero read)."""
    kind = csl_type(src)
    item: dict[str, Any] = {"id": src.id, "type": kind, "title": src.title}
    who = names(src.author)
    if who.people:
        item["editor" if who.editors else "author"] = who.people
    if src.periodical:
        per = src.periodical
        m = _CONTAINER_EDITORS.match(per)
        if m is not None and kind == "chapter":
            eds = names(m.group("eds") + " (eds.)")
            item.setdefault("editor", []).extend(eds.people)
            per = m.group("rest")
        item["container-title"] = per
    if src.publisher:
        if kind == "webpage" and not src.periodical:
            item["container-title"] = src.publisher
        else:
            item["publisher"] = src.publisher
    if src.date is not None:
        issued = csl_date(src.date)
        if issued is not None:
            item["issued"] = issued
    if src.url:
        item["URL"] = src.url
    if src.note:
        item["note"] = src.note
    return item


# --- locators ----------------------------------------------------------------------------------

class Locator(NamedTuple):
    """A locator read for CSL and pandoc: its CSL label (None: none fits), the part after
    the label word, and how pandoc writes it."""

    label: str | None
    value: str
    pandoc: str
    heading: bool = False  # no label word: a section heading


# first word (lowercased, without a final dot) -> (CSL label, pandoc term, plural term)
_LABELS: dict[str, tuple[str | None, str, str]] = {}
for _words, _label, _one, _many in [
    (("p", "page"), "page", "p.", "pp."),
    (("pp", "pages"), "page", "pp.", "pp."),
    (("chapter", "chap", "ch"), "chapter", "chap.", "chaps."),
    (("chapters", "chaps"), "chapter", "chaps.", "chaps."),
    (("section", "sec", "§"), "section", "sec.", "secs."),
    (("sections", "secs"), "section", "secs.", "secs."),
    (("paragraph", "para", "¶"), "paragraph", "para.", "paras."),
    (("paragraphs", "paras"), "paragraph", "paras.", "paras."),
    (("part", "pt"), "part", "pt.", "pts."),
    (("parts", "pts"), "part", "pts.", "pts."),
    (("volume", "vol"), "volume", "vol.", "vols."),
    (("volumes", "vols"), "volume", "vols.", "vols."),
    (("book", "bk"), "book", "bk.", "bks."),
    (("line",), "line", "l.", "ll."),
    (("note", "n"), "note", "n.", "nn."),
    (("column", "col"), "column", "col.", "cols."),
    (("folio", "fol"), "folio", "fol.", "fols."),
    (("figure", "fig"), "figure", "fig.", "figs."),
    (("verse",), "verse", "v.", "vv."),
    (("document", "doc", "no", "number"), "issue", "no.", "nos."),
    (("documents", "docs", "nos", "numbers"), "issue", "nos.", "nos."),
    (("article", "art"), None, "art.", "arts."),
    (("articles", "arts"), None, "arts.", "arts."),
]:
    for _w in _words:
        _LABELS[_w] = (_label, _one, _many)

_FIRST = re.compile(r"^(?P<word>[^\W\d_]+\.?|§|¶)\s*(?P<rest>.*)$", re.DOTALL)


def locator(text: str) -> Locator:
    """Read a free-text locator (rules in the module docstring)."""
    loc = " ".join(text.split())
    m = _FIRST.match(loc)
    if m is not None:
        word = m.group("word").rstrip(".").casefold()
        rest = m.group("rest")
        found = _LABELS.get(word)
        # A label word counts only before a number or a name of the part, not as the first
        # word of a heading ("Part of the story" stays a heading when nothing follows).
        if found is not None and rest:
            label, one, many = found
            term = many if _is_many(rest) else one
            return Locator(label, rest, f"{term} {rest}")
    return Locator("section", loc, f"sec. {loc}", heading=True)


def _is_many(rest: str) -> bool:
    """Whether a page or document locator names several ('324 and 397', '251–256')."""
    head = rest.split("(")[0]
    return bool(re.match(r"^[0-9IVXLCivxlc]+\s*(?:[–—-]|,|\band\b|&)\s*[0-9IVXLCivxlc]", head))


# --- what a view cites -------------------------------------------------------------------------

def _refs_of(value: Any) -> Iterable[str]:
    """Source ids in a record of any view, in order of appearance."""
    if isinstance(value, dict):
        if isinstance(value.get("source"), str):
            yield value["source"]
        for key, v in value.items():
            if key == "sources" and isinstance(v, list):
                for s in v:
                    if isinstance(s, str):
                        yield s
                    elif isinstance(s, dict):
                        sid = s.get("source") or s.get("id")
                        if isinstance(sid, str):
                            yield sid
            elif isinstance(v, (dict, list)):
                yield from _refs_of(v)
    elif isinstance(value, list):
        for v in value:
            yield from _refs_of(v)


def cited(chron: Chronology, data: Any) -> list[Source]:
    """The sources a view's data cites, each once, in order of first citation."""
    seen: dict[str, Source] = {}
    for sid in _refs_of(data):
        src = chron.sources.get(sid)
        if src is not None:
            seen.setdefault(sid, src)
    return list(seen.values())


def compare_cited(chron: Chronology, view: dict[str, Any]) -> list[Source]:
    """The sources a comparison cites (its rows hold source ids and 'VALUE [SOURCE, …]')."""
    ids: list[str] = []
    for row in view.get("rows") or []:
        for values in row.get("values") or []:
            for v in values if isinstance(values, list) else [values]:
                text = str(v)
                if row.get("attribute") == "sources":
                    ids.append(text)
                m = re.search(r"\[(?P<source>[A-Za-z0-9_.-]+)(?:, .*)?\]$", text)
                if m is not None:
                    ids.append(m.group("source"))
    return [chron.sources[i] for i in dict.fromkeys(ids) if i in chron.sources]

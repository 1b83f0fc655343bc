"""Markdown for notes: bulleted timelines, headed profiles, tables; citations as footnotes
or pandoc citations (:class:`Notes`)."""

from __future__ import annotations

import re
from typing import Any

from khalkhin.render import Cite, Ctx, web_url
from khalkhin.text import clean
from khalkhin.views.listing import Listing

# Every ASCII punctuation character that Markdown (CommonMark, GFM) could read as syntax.
_SYNTAX = re.compile(r"([\\`*_\[\]<>|~&!#{}])")
_SHORTCODE = re.compile(r":(?=[A-Za-z0-9_+-]+:)")


def text(value: Any) -> str:
    """Data as Markdown that renders to exactly that text: markup characters escaped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = clean(str(value))
    s = _SYNTAX.sub(r"\\\1", s)
    # `:warning:` stays text, not an emoji shortcode.
    return _SHORTCODE.sub(r"\\:", s)


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        if "source" in value:
            return _ref_text(value)
        return "; ".join(f"{text(k)}: {_cell(v)}" for k, v in value.items())
    return text(value)


def _ref_text(ref: Any) -> str:
    if isinstance(ref, dict):
        sid, loc = ref.get("source"), ref.get("locator")
        return text(sid) + (f" ({text(loc)})" if loc else "")
    return text(ref)


class Notes:
    """Citations in one of two styles (``ctx.cite``).

    *footnotes*: one footnote per source and locator, numbered in order of first use
    (``[^1]``), its definition written once at the end with the locator (and the cited
    part's address) inside it. Each footnote is referenced once, where it is first used,
    so that every Markdown reader — pandoc included, which makes a new note of each
    reference — has exactly one note per source and locator; a later citation of it points
    to it by its number, ``(note 1)``.

    *pandoc*: pandoc citations, ``[@lc-1989, sec. Introduction; @coox-1985]``, the locator
    written with the label pandoc and CSL know (:func:`khalkhin.views.bibliography.locator`);
    the bibliography is pandoc's, from ``-f csljson`` or ``-f bibtex``.
    """

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.pandoc = ctx.cite is Cite.PANDOC
        self.numbers: dict[tuple[str, str | None, str | None], int] = {}

    def cite(self, refs: Any) -> str:
        """The citations of a list of source references (ids, records or SourceRefs)."""
        found: list[tuple[str, str | None, str | None]] = []
        for ref in refs or []:
            sid: Any
            loc: Any
            url: Any = None
            if isinstance(ref, str):
                sid, loc = ref, None
            elif isinstance(ref, dict):
                sid, loc = ref.get("source") or ref.get("id"), ref.get("locator")
                url = ref.get("url")
            else:
                sid, loc = getattr(ref, "source", None), getattr(ref, "locator", None)
                url = getattr(ref, "url", None)
            if not sid:
                continue
            key = (str(sid), str(loc) if loc else None, str(url) if url else None)
            if key not in found:
                found.append(key)
        if not found:
            return ""
        if self.pandoc:
            return "[" + "; ".join(_pandoc_cite(*k) for k in found) + "]"
        bits = []
        for key in found:
            n = self.numbers.get(key)
            if n is None:
                n = self.numbers[key] = len(self.numbers) + 1
                bits.append(f"[^{n}]")
            else:
                bits.append(f"(note {n})")
        return " ".join(bits)

    def write(self) -> None:
        """The footnote definitions, in order (nothing in the pandoc style)."""
        if self.pandoc or not self.numbers:
            return
        out = self.ctx.out.write
        out("\n")
        sources = getattr(self.ctx.chron, "sources", None) or {}
        for (sid, loc, part_url), n in self.numbers.items():
            src = sources.get(sid)
            ref = text(src.citation) if src is not None else text(sid)
            if loc:
                ref += ", " + _locator_text(loc)
            url = part_url or (src.url if src is not None else None)
            link = web_url(url)
            if link:
                ref += f", <{link}>"
            elif url:
                ref += f", {text(url)}"
            out(f"[^{n}]: {ref}.\n")


def _locator_text(loc: str) -> str:
    """A locator in a note: as written; a section heading in quotes."""
    from khalkhin.views.bibliography import locator

    return f"\u201c{text(loc)}\u201d" if locator(loc).heading else text(loc)


_PANDOC_MORE = re.compile(r"([;@^$])")
_BARE_KEY = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_:.#$%&+?<>~/-]*[A-Za-z0-9_])?")


def _pandoc_text(value: str) -> str:
    """Text inside a pandoc citation: Markdown escaped, and ; @ ^ $ too (they would start a
    new citation, a superscript or math)."""
    return _PANDOC_MORE.sub(r"\\\1", text(value))


def _pandoc_cite(sid: str, loc: str | None, url: str | None) -> str:
    from khalkhin.views.bibliography import locator

    key = clean(sid)
    cite = f"@{key}" if _BARE_KEY.fullmatch(key) else "@{" + key.replace("}", "") + "}"
    if loc:
        cite += ", " + _pandoc_text(locator(loc).pandoc)
    link = web_url(url)
    if link:
        cite += f", <{link}>"
    return cite


def timeline(rows: list[dict[str, Any]], ctx: Ctx) -> None:
    notes = Notes(ctx)
    w = ctx.out.write
    for r in rows:
        line = f"- **{text(r['when'])}** \u2014 {text(r['title'])}"
        if ctx.long and r.get("summary"):
            line += f". {text(r['summary'])}"
        cites = notes.cite(r.get("sources"))
        if cites:
            line += " " + cites
        w(line + "\n")
    notes.write()


def _table(headers: list[str], rows: list[list[str]], ctx: Ctx) -> None:
    w = ctx.out.write
    w("| " + " | ".join(headers) + " |\n")
    w("|" + "|".join(" --- " for _ in headers) + "|\n")
    for row in rows:
        w("| " + " | ".join(c or " " for c in row) + " |\n")


def records(view: Listing, ctx: Ctx) -> None:
    w = ctx.out.write
    if view.title:
        w(f"## {text(view.title)}\n\n")
    notes = Notes(ctx)
    headers = [text(h) for _, h in view.columns]
    rows = []
    for r in view.rows:
        cells = []
        for key, _ in view.columns:
            value = r.get(key)
            if key == "sources" and isinstance(value, list):
                cells.append(notes.cite(value))
            elif key == "values" and isinstance(r.get("claims"), list):
                # figures: each claim with its source as a footnote
                cells.append("<br>".join(
                    f"{text(c.get('value'))} "
                    + notes.cite([{"source": c.get("source"), "locator": c.get("locator")}])
                    for c in r["claims"]))
            else:
                cells.append(_cell(value))
        rows.append(cells)
    _table(headers, rows, ctx)
    notes.write()


class Links:
    """How a profile names other things: as text here; as wikilinks in a folder of notes."""

    years = False  # whether an event's note links the years it falls in

    def item(self, ident: str | None, label: Any) -> str:
        return text(label or ident)

    def tag(self, tag: str) -> str:
        return text(tag)

    def year(self, year: int) -> str:
        return str(year)


def _yaml(value: Any) -> str:
    """A YAML scalar: a JSON string (YAML reads JSON's double-quoted strings as they are)."""
    from khalkhin.render.json import dumps

    return dumps(clean(str(value)))


_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TAG_CHARS = re.compile(r"[^\w/-]+")


def tag_name(tag: str) -> str:
    """A tag as Obsidian and Logseq read one: letters, digits, - _ /, and not only digits."""
    name = _TAG_CHARS.sub("-", clean(tag)).strip("-") or "tag"
    return f"y{name}" if name.isdigit() else name


def front_matter(view: dict[str, Any], extra: dict[str, Any] | None = None) -> str:
    """YAML front matter for a note on one entity or event, as Obsidian, Logseq and Zettlr
    read it: title, aliases, kind, id, the date as EDTF and its ISO first and last days,
    tags (an event's tags; an entity's kind), the ids of the sources it cites."""
    lines = ["---", f"title: {_yaml(view.get('name') or view.get('id'))}"]

    def items(key: str, values: list[Any]) -> None:
        if not values:
            lines.append(f"{key}: []")
            return
        lines.append(f"{key}:")
        lines.extend(f"  - {_yaml(v)}" for v in values)

    items("aliases", list(view.get("aliases") or []))
    lines.append(f"kind: {_yaml(view.get('kind'))}")
    lines.append(f"id: {_yaml(view.get('id'))}")
    if view.get("dates"):
        lines.append(f"edtf: {_yaml(view['dates'])}")
    for key in ("start", "end"):
        value = view.get(key)
        if isinstance(value, str) and _ISO.fullmatch(value):
            lines.append(f"{key}: {value}")
    tags = view.get("tags") if view.get("type") == "event" else [view.get("kind")]
    items("tags", list(dict.fromkeys(tag_name(str(t)) for t in tags or [] if t)))
    items("sources", [s.get("id") for s in view.get("sources") or [] if isinstance(s, dict)])
    for key, value in (extra or {}).items():
        lines.append(f"{key}: {_yaml(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _own_refs(view: dict[str, Any], ctx: Ctx) -> list[Any]:
    """What the item itself cites (its claims cite their own): from the chronology."""
    chron = ctx.chron
    item = None
    if chron is not None:
        item = chron.entities.get(view.get("id")) if view.get("type") == "entity" \
            else chron.event_index.get(view.get("id"))
    if item is not None:
        return list(item.sources)
    return [s.get("id") for s in view.get("sources") or [] if isinstance(s, dict)]


def profile(view: dict[str, Any], ctx: Ctx) -> None:
    """One entity or event: YAML front matter, a heading, its facts, then sections with
    headings; citations as the chosen style writes them."""
    ctx.out.write(front_matter(view) + "\n")
    note(view, ctx, Links())


def note(view: dict[str, Any], ctx: Ctx, links: Links) -> None:
    """The body of a profile (after its front matter), naming other things through LINKS."""
    w = ctx.out.write
    notes = Notes(ctx)
    w(f"# {text(view.get('name') or view.get('id'))}\n\n")
    facts = [f"- **Kind:** {text(view.get('kind'))} (`{_code(view.get('id'))}`)"]
    if view.get("when") or view.get("dates"):
        when = text(view.get("when") or view.get("dates"))
        if view.get("dates") and view.get("when") != view.get("dates"):
            when += f" (`{_code(view['dates'])}`)"
        facts.append(f"- **Dates:** {when}")
    facts += [f"- **Calendars:** {_cell([c['text'] for c in v])}"
              for v in [view.get("calendars")] if v]
    days = view.get("duration_days")
    # Only a span has a duration (a bare year or month is a precision, not a length).
    if days and "/" in (view.get("dates") or "") and view.get("kind") != "person":
        facts.append(f"- **Duration:** {days} day{'' if days == 1 else 's'}")
    years = _years(view) if links.years else []
    if years:
        facts.append("- **Years:** " + ", ".join(links.year(y) for y in years))
    place = view.get("place")
    if place:
        if isinstance(place, dict):
            facts.append(f"- **Place:** {links.item(place.get('id'), place.get('name'))}")
        else:
            facts.append(f"- **Place:** {text(place)}")
    if view.get("outcome"):
        facts.append(f"- **Outcome:** {text(view['outcome'])}")
    if view.get("aliases"):
        facts.append(f"- **Also known as:** {_cell(view['aliases'])}")
    if view.get("tags"):
        facts.append("- **Tags:** " + "; ".join(links.tag(t) for t in view["tags"]))
    w("\n".join(facts) + "\n\n")
    if view.get("summary"):
        cites = notes.cite(_own_refs(view, ctx))
        w(text(view["summary"]) + (f" {cites}" if cites else "") + "\n\n")
    if view.get("note"):
        w(f"*Note:* {text(view['note'])}\n\n")
    rels = view.get("relations") or []
    if rels:
        w("## Relations\n\n")
        for r in rels:
            line = f"- {text(r.get('label'))} {links.item(r.get('id'), r.get('name'))}"
            if r.get("kind"):
                line += f" ({text(r['kind'])})"
            if r.get("date"):
                line += f", {text(r['date'])}"
            w(line + "\n")
        w("\n")
    claims = view.get("claims") or []
    if claims:
        w("## Figures\n\n")
        for c in claims:
            cite = notes.cite([{"source": c.get("source"), "locator": c.get("locator")}])
            line = f"- **{text(c.get('property'))}:** {text(c.get('value'))}"
            if c.get("note"):
                line += f" ({text(c['note'])})"
            w(line + (f" {cite}" if cite else "") + "\n")
        w("\n")
    events = view.get("events") or []
    if events:
        w("## Events\n\n")
        for e in events:
            w(f"- **{text(e.get('when') or e.get('date'))}** \u2014 "
              f"{links.item(e.get('id'), e.get('title'))}\n")
        w("\n")
    alts = view.get("alternatives") or []
    if alts:
        w("*Also matched:* " + ", ".join(f"{text(a.get('label'))} (`{_code(a.get('id'))}`)"
                                         for a in alts) + "\n")
    notes.write()


def _years(view: dict[str, Any]) -> list[int]:
    """The years an event's known dates cover (for the year notes it is listed in)."""
    start, end = view.get("start"), view.get("end")
    if view.get("type") != "event" or not isinstance(start, str) or not isinstance(end, str):
        return []
    first, last = int(start[:4]), int(end[:4])
    return list(range(first, last + 1)) if last - first < 10 else [first]


def _code(value: Any) -> str:
    # Inside a code span nothing is markup; a backtick would end it.
    return clean(str(value or "")).replace("`", "'")


# "VALUE [SOURCE, LOCATOR]" as the compare view writes a claim.
_CLAIM = re.compile(r"^(?P<value>.*?) \[(?P<source>[A-Za-z0-9_.-]+)(?:, (?P<loc>.*))?\]$")


def compare(view: dict[str, Any], ctx: Ctx) -> None:
    """Items side by side: a Markdown table, one column per item; claims cite footnotes."""
    notes = Notes(ctx)
    sources = getattr(ctx.chron, "sources", None) or {}
    labels = view.get("labels") or view.get("items") or []
    headers = [""] + [text(x) for x in labels]
    rows = []
    for row in view.get("rows") or []:
        cells = [f"**{text(row.get('label') or row.get('attribute'))}**"]
        for values in row.get("values") or []:
            if not isinstance(values, list):
                values = [values]
            shown = []
            for v in values:
                m = _CLAIM.match(str(v))
                if row.get("attribute") == "sources" and str(v) in sources:
                    shown.append(notes.cite([str(v)]))
                elif m and m.group("source") in sources:
                    cite = notes.cite([{"source": m.group("source"), "locator": m.group("loc")}])
                    shown.append(f"{text(m.group('value'))} {cite}")
                else:
                    shown.append(text(v))
            cells.append("<br>".join(shown))
        rows.append(cells)
    _table(headers, rows, ctx)
    notes.write()

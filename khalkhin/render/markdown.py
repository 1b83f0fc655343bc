"""Markdown for notes: bulleted timelines, headed profiles, tables, citations as footnotes."""

from __future__ import annotations

import re
from typing import Any

from khalkhin.render import Ctx, web_url
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
    """Footnotes: one per source, numbered by first use, references collected at the end."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.order: list[str] = []

    def cite(self, refs: Any) -> str:
        """Footnote markers for a list of source references, with locators inline."""
        bits = []
        for ref in refs or []:
            sid: Any
            loc: Any
            if isinstance(ref, str):
                sid, loc = ref, None
            elif isinstance(ref, dict):
                sid, loc = ref.get("source") or ref.get("id"), ref.get("locator")
            else:
                sid, loc = getattr(ref, "source", None), getattr(ref, "locator", None)
            if not sid:
                continue
            label = _label(str(sid))
            if label not in self.order:
                self.order.append(label)
            mark = f"[^{label}]"
            bits.append(f"{mark} ({text(loc)})" if loc else mark)
        return " ".join(bits)

    def write(self) -> None:
        if not self.order:
            return
        out = self.ctx.out.write
        out("\n")
        sources = getattr(self.ctx.chron, "sources", None) or {}
        for label in self.order:
            src = sources.get(label)
            if src is None:
                out(f"[^{label}]: {text(label)}\n")
                continue
            ref = text(src.citation)
            link = web_url(src.url)
            if link:
                ref += f", <{link}>"
            elif src.url:
                ref += f", {text(src.url)}"
            out(f"[^{label}]: {ref}.\n")


def _label(sid: str) -> str:
    # A footnote label cannot hold spaces or brackets; source ids are slugs already.
    return re.sub(r"[^A-Za-z0-9_.-]", "-", clean(sid)) or "source"


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


def profile(view: dict[str, Any], ctx: Ctx) -> None:
    """One entity or event: a heading, its facts, then sections with headings; footnotes."""
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
    place = view.get("place")
    if place:
        name = place.get("name") if isinstance(place, dict) else place
        facts.append(f"- **Place:** {text(name)}")
    if view.get("outcome"):
        facts.append(f"- **Outcome:** {text(view['outcome'])}")
    if view.get("aliases"):
        facts.append(f"- **Also known as:** {_cell(view['aliases'])}")
    if view.get("tags"):
        facts.append(f"- **Tags:** {_cell(view['tags'])}")
    w("\n".join(facts) + "\n\n")
    if view.get("summary"):
        cites = notes.cite([s_.get("id") for s_ in view.get("sources") or []
                            if isinstance(s_, dict)])
        w(text(view["summary"]) + (f" {cites}" if cites else "") + "\n\n")
    if view.get("note"):
        w(f"*Note:* {text(view['note'])}\n\n")
    rels = view.get("relations") or []
    if rels:
        w("## Relations\n\n")
        for r in rels:
            line = f"- {text(r.get('label'))} {text(r.get('name') or r.get('id'))}"
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
            w(f"- **{text(e.get('when') or e.get('date'))}** \u2014 {text(e.get('title'))}\n")
        w("\n")
    alts = view.get("alternatives") or []
    if alts:
        w("*Also matched:* " + ", ".join(f"{text(a.get('label'))} (`{_code(a.get('id'))}`)"
                                         for a in alts) + "\n")
    notes.write()


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

"""TimelineJS3 JSON for timelines: events as slides in a few named themes, the wars and
occupations as eras.

TimelineJS draws one row per group and one band per era, so both are kept few: the
groups are the themes below, named for people (an event goes to the first theme one of
its tags belongs to; an event with none of them to "Other events"); the eras are the
chronology's entities of kind war and occupation that overlap the events shown (with no
chronology at hand: events tagged war or occupation). A slide holds the summary, the
note and short references (author and year, the locator, a link to the part cited), so
that it stays readable in a timeline of hundreds.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from khalkhin import dates
from khalkhin.render import Ctx
from khalkhin.render.json import dumps
from khalkhin.text import clean

# Themes (the TimelineJS groups): a name, and the tags of the events in it, in order.
THEMES: tuple[tuple[str, frozenset[str]], ...] = (
    ("Russo-Japanese War, 1904–05", frozenset({"russo-japanese-war"})),
    ("Intervention in Siberia, 1918–25", frozenset({"siberian-intervention"})),
    ("Border wars, 1932–39", frozenset({"khasan", "khalkhin-gol", "border-incident"})),
    ("August 1945 and after", frozenset({"august-1945", "prisoners-of-war"})),
    ("Mongolia", frozenset({"mongolia", "tuva", "inner-mongolia"})),
    ("Manchuria and China", frozenset({"manchuria", "manchukuo", "china-war"})),
    ("Diplomacy and the wider war", frozenset({
        "diplomacy", "treaty", "recognition", "politics", "world-war-ii", "home-front",
        "soviet-aid", "air-war", "battle"})),
)
OTHER = "Other events"
# Without a chronology, events with one of these tags are the eras.
ERA_TAGS = frozenset({"war", "occupation"})
ERA_KINDS = ("war", "occupation")


def _html(value: Any) -> str:
    """TimelineJS reads text as HTML: data is escaped, so it shows literally."""
    return html.escape(clean(str(value or "")), quote=False)


def date_object(part: dates.Part) -> dict[str, Any] | None:
    """{year, month, day} down to the known precision; None for an open or unknown end."""
    if part.precision == dates.OPEN:
        return None
    d = date.fromordinal(part.lower)
    out: dict[str, Any] = {"year": d.year}
    if part.precision >= dates.MONTH:
        out["month"] = d.month
    if part.precision >= dates.DAY:
        out["day"] = d.day
    return out


def _dates(edtf_text: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    d = dates.parse(edtf_text)
    start = date_object(d.start)
    end = date_object(d.end) if d.end is not None else None
    if start is None:  # "../1904": only the end is known
        start, end = end, None
    return start, end


def theme(tags: list[str]) -> str:
    """The group of an event: the first theme one of its tags belongs to."""
    have = set(tags)
    return next((name for name, wanted in THEMES if wanted & have), OTHER)


def short_ref(ctx: Ctx, ref: dict[str, Any]) -> str:
    """A short reference as HTML: "Coox 1985, p. 12", linked to the part cited."""
    from khalkhin.render import web_url
    from khalkhin.views.bibliography import names

    src = (getattr(ctx.chron, "sources", None) or {}).get(ref["source"])
    if src is None:
        label = ref["source"]
    else:
        people = names(src.author).people
        families = [p.get("family") or p.get("literal", "") for p in people]
        who = (families[0] if len(families) == 1 else
               " and ".join(families) if len(families) == 2 else
               f"{families[0]} et al." if families else src.title)
        if len(who) > 60:
            who = who[:59].rstrip() + "\u2026"
        label = who + (f" {src.date.start_date.year}" if src.date and src.date.start_date
                       else "")
    if ref.get("locator"):
        label += f", {ref['locator']}"
    link = web_url(ref.get("url") or (src.url if src is not None else None))
    shown = _html(label)
    return f'<a href="{html.escape(link)}">{shown}</a>' if link else shown


def _body(r: dict[str, Any], ctx: Ctx) -> str:
    bits = []
    if r.get("summary"):
        bits.append(f"<p>{_html(r['summary'])}</p>")
    if r.get("note"):
        bits.append(f"<p><em>Note:</em> {_html(r['note'])}</p>")
    refs = [short_ref(ctx, ref) for ref in r.get("sources") or []]
    if refs:
        bits.append("<p><small>Sources: " + "; ".join(refs) + "</small></p>")
    return "".join(bits)


def _years(edtf_text: str) -> list[int]:
    d = dates.parse(edtf_text)
    return [x.year for x in (d.start_date, d.end_date) if x is not None]


def _eras(rows: list[dict[str, Any]], ctx: Ctx) -> list[dict[str, Any]]:
    """The wars and occupations that overlap the events shown, as eras."""
    chron = ctx.chron
    eras: list[dict[str, Any]] = []
    if not rows:
        return eras
    spans = [dates.parse(r["date"]) for r in rows]
    first = min(d.lower for d in spans)
    last = max(d.upper for d in spans)
    entities = getattr(chron, "entities", None) or {}
    ents = [e for e in entities.values() if e.kind in ERA_KINDS and e.dates is not None]
    for ent in sorted(ents, key=lambda e: (e.dates.lower, e.id)):
        d = ent.dates
        if d.end is None or d.upper < first or d.lower > last:
            continue
        start, end = _dates(d.text)
        if start is None or end is None:
            continue
        eras.append({"start_date": start, "end_date": end,
                     "text": {"headline": _html(ent.name)}})
    if eras:
        return eras
    for r in rows:  # no wars or occupations in the chronology: the events tagged so
        start, end = _dates(r["date"])
        if end is not None and start is not None and ERA_TAGS & set(r.get("tags") or []):
            eras.append({"start_date": start, "end_date": end,
                         "text": {"headline": _html(r["title"])}})
    return eras


def document(rows: list[dict[str, Any]], ctx: Ctx) -> dict[str, Any]:
    events: list[dict[str, Any]] = []
    for r in rows:
        start, end = _dates(r["date"])
        if start is None:
            continue
        slide: dict[str, Any] = {"start_date": start}
        if end is not None:
            slide["end_date"] = end
        slide["display_date"] = _html(r["when"])
        slide["text"] = {"headline": _html(r["title"]), "text": _body(r, ctx)}
        slide["group"] = _html(theme(r.get("tags") or []))
        slide["unique_id"] = r["id"]
        events.append(slide)
    doc: dict[str, Any] = {"events": events}
    years = [y for r in rows for y in _years(r["date"])]
    if years:
        span = f"{min(years)}\u2013{max(years)}" if min(years) != max(years) else str(years[0])
        count = f"{len(events)} event{'s' if len(events) != 1 else ''}"
        doc["title"] = {"text": {"headline": "Khalkhin chronology",
                                 "text": f"<p>{count}, {span}</p>"}}
    eras = _eras(rows, ctx)
    if eras:
        doc["eras"] = eras
    return doc


def timeline(rows: list[dict[str, Any]], ctx: Ctx) -> None:
    ctx.out.write(dumps(document(rows, ctx), indent=2) + "\n")

"""TimelineJS3 JSON for timelines: events as slides, long conflicts also as eras."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from khalkhin import dates
from khalkhin.render import Ctx
from khalkhin.render.json import dumps
from khalkhin.text import clean
from khalkhin.views.records import citations

# Events with one of these tags, or lasting longer than a year, are also drawn as eras.
ERA_TAGS = frozenset({"war", "occupation"})
ERA_MIN_DAYS = 366


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


def _body(r: dict[str, Any], ctx: Ctx) -> str:
    bits = []
    if r.get("summary"):
        bits.append(f"<p>{_html(r['summary'])}</p>")
    if r.get("note"):
        bits.append(f"<p><em>Note:</em> {_html(r['note'])}</p>")
    refs = [_html(c) for c in citations(ctx.chron, r.get("sources") or [])]
    if refs:
        bits.append("<p>Sources: " + "; ".join(refs) + "</p>")
    return "".join(bits)


def _is_era(r: dict[str, Any]) -> bool:
    d = dates.parse(r["date"])
    if d.end is None or d.start.precision == dates.OPEN or d.end.precision == dates.OPEN:
        return False
    if ERA_TAGS & set(r.get("tags") or []):
        return True
    days = dates.duration_days(d)
    return days is not None and days > ERA_MIN_DAYS


def document(rows: list[dict[str, Any]], ctx: Ctx) -> dict[str, Any]:
    events: list[dict[str, Any]] = []
    eras: list[dict[str, Any]] = []
    for r in rows:
        start, end = _dates(r["date"])
        if start is None:
            continue
        slide: dict[str, Any] = {"start_date": start}
        if end is not None:
            slide["end_date"] = end
        slide["display_date"] = _html(r["when"])
        slide["text"] = {"headline": _html(r["title"]), "text": _body(r, ctx)}
        if r.get("tags"):
            slide["group"] = _html(r["tags"][0])
        slide["unique_id"] = r["id"]
        events.append(slide)
        if end is not None and _is_era(r):
            eras.append({"start_date": start, "end_date": end,
                         "text": {"headline": _html(r["title"])}})
    doc: dict[str, Any] = {"events": events}
    if eras:
        doc["eras"] = eras
    return doc


def timeline(rows: list[dict[str, Any]], ctx: Ctx) -> None:
    ctx.out.write(dumps(document(rows, ctx), indent=2) + "\n")

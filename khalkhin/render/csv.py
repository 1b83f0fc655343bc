"""CSV (RFC 4180): a header row, one record a row, lists joined with ';', CRLF line ends."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable
from typing import Any

from khalkhin.render import Ctx
from khalkhin.text import clean
from khalkhin.views.listing import Listing

TIMELINE_COLUMNS = ["id", "date", "start", "end", "when", "title", "summary", "tags",
                    "entities", "place", "sources", "note"]


def cell(value: Any) -> str:
    """One field: lists joined with ';', source references as 'id (locator)'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ";".join(cell(v) for v in value)
    if isinstance(value, dict):
        if "source" in value and set(value) <= {"source", "locator", "url"}:
            loc = value.get("locator")
            return cell(value["source"]) + (f" ({cell(loc)})" if loc else "")
        if "value" in value:
            return cell(value["value"]) + (f" [{cell(value['source'])}]"
                                           if value.get("source") else "")
        return ";".join(f"{k}={cell(v)}" for k, v in value.items())
    # Control characters never pass; a line break in a field becomes a space.
    return clean(str(value))


# A cell a spreadsheet would read as a formula (OWASP, "CSV Injection"): =, +, -, @, and tab
# or carriage return before them.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def field(value: Any) -> str:
    """A whole field as written: :func:`cell`, with text that a spreadsheet would run as a
    formula neutralised by a leading apostrophe, as OWASP recommends. Numbers stay numbers."""
    text = cell(value)
    if text.startswith(_FORMULA) and not (isinstance(value, int | float)
                                          and not isinstance(value, bool)):
        return "'" + text
    return text


def _flat(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return all(not isinstance(v, dict | list | tuple) for v in value)
    return not isinstance(value, dict)


def _writer(ctx: Ctx) -> Any:
    return csv.writer(ctx.out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def timeline(rows: Iterable[dict[str, Any]], ctx: Ctx) -> None:
    w = _writer(ctx)
    # With --calendars: the date in each calendar that applies, and the source's own form
    # (every record has them then, so the first says; the rows may be a stream).
    it = iter(rows)
    first = next(it, None)
    extra = ["calendars", "as_written"] if first is not None and "calendars" in first else []
    rows = itertools.chain(() if first is None else (first,), it)
    w.writerow(TIMELINE_COLUMNS + extra)
    for r in rows:
        w.writerow([field(r.get(k)) for k in TIMELINE_COLUMNS]
                   + [field([c["text"] for c in r.get(k) or []] if k == "calendars"
                            else r.get(k)) for k in extra])


def records(view: Listing, ctx: Ctx) -> None:
    keys = [k for k, _ in view.columns]
    # Keys the text formats do not show still belong in a file meant for other tools.
    for r in view.rows:
        for k, v in r.items():
            if k not in keys and _flat(v):
                keys.append(k)
    w = _writer(ctx)
    w.writerow(keys)
    for r in view.rows:
        w.writerow([field(r.get(k)) for k in keys])


def _profile_rows(key: str, value: Any) -> list[list[str]]:
    if key == "relations":
        return [[key, " ".join(x for x in (cell(r.get("label")), cell(r.get("name")),
                                           f"({cell(r.get('id'))})") if x)]
                for r in value]
    if key == "claims":
        return [[key, f"{cell(c.get('property'))}: {cell(c.get('value'))} "
                      f"[{cell(c.get('source'))}" + (f", {cell(c['locator'])}]"
                                                     if c.get("locator") else "]")]
                for c in value]
    if key == "events":
        return [[key, f"{cell(e.get('date'))}  {cell(e.get('title'))}"] for e in value]
    if key == "sources":
        return [[key, f"{cell(s.get('id'))}: {cell(s.get('citation'))}"] for s in value]
    if key == "calendars":
        return [[key, f"{cell(c.get('label'))}: {cell(c.get('text'))}"] for c in value]
    if key == "signed" and isinstance(value, dict):
        return [[key, cell(value.get("date"))], *[
            ["signed_calendars", f"{cell(c.get('label'))}: {cell(c.get('text'))}"]
            for c in value.get("calendars") or []]]
    if key == "alternatives":
        return [[key, f"{cell(a.get('id'))} ({cell(a.get('kind'))})"] for a in value]
    if isinstance(value, dict):
        return [[key, cell(value.get("name") or value.get("id"))]]
    return [[key, cell(value)]]


def profile(view: dict[str, Any], ctx: Ctx) -> None:
    """One item as field,value rows; each relation, claim, event and source a row of its own."""
    w = _writer(ctx)
    w.writerow(["field", "value"])
    for key, value in view.items():
        w.writerows([[field(a), field(b)] for a, b in _profile_rows(key, value)])


def compare(view: dict[str, Any], ctx: Ctx) -> None:
    """One row per attribute, one column per item."""
    w = _writer(ctx)
    w.writerow(["attribute", *[field(i) for i in view.get("labels") or view.get("items") or []]])
    for row in view.get("rows") or []:
        w.writerow([field(row.get("attribute")), *[field(v) for v in row.get("values") or []]])

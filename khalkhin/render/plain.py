"""Plain text: one record a line, fields separated by two spaces, dates as EDTF; no markup."""

from __future__ import annotations

from typing import Any

from khalkhin.render import Ctx
from khalkhin.text import clean
from khalkhin.views.listing import Listing


def timeline(rows: list[dict[str, Any]], ctx: Ctx) -> None:
    w = ctx.out.write
    for r in rows:
        forms = "; ".join(clean(c["text"]) for c in r.get("calendars") or [])
        line = f"{r['date']}{f' [{forms}]' if forms else ''}  {clean(r['title'])}"
        if ctx.long and r.get("summary"):
            line += f" \u2014 {clean(r['summary'])}"
        w(line + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


def records(view: Listing, ctx: Ctx) -> None:
    w = ctx.out.write
    for r in view.rows:
        w("  ".join(_cell(r.get(k)) for k, _ in view.columns).rstrip() + "\n")


def _forms(calendars: list[dict[str, Any]] | None) -> str:
    """A date in other calendars on one line: "27 Jan 1904 O.S.; Meiji 37 (明治37年) 2月9日"."""
    return "; ".join(clean(c["text"]) for c in calendars or [])


def _when(view: dict[str, Any]) -> str:
    if not view.get("dates"):
        return ""
    return f"{view['when']} ({view['dates']})" if view["when"] != view["dates"] else view["dates"]


def profile(view: dict[str, Any], ctx: Ctx) -> None:
    """One entity or event: a heading line, `Field: value` lines, then indented sections."""
    w = ctx.out.write
    w(f"{clean(view['name'])}  ({view['kind']}, {view['id']})\n")
    signed = view.get("signed")
    fields = [
        ("Also", "; ".join(clean(a) for a in view["aliases"])),
        ("Dates", _when(view)),
        ("Calendars", _forms(view.get("calendars"))),
        ("As written", clean(view.get("as_written"))),
        ("Signed", "; ".join(x for x in (_when(signed | {"dates": signed["date"]}),
                                         _forms(signed["calendars"])) if x)
         if signed else ""),
        ("Place", clean(view["place"]["name"]) if view.get("place") else ""),
        ("Tags", ", ".join(view.get("tags") or [])),
        ("Summary", clean(view["summary"])),
        ("Outcome", clean(view.get("outcome"))),
        ("Note", clean(view.get("note"))),
    ]
    for label, value in fields:
        if value:
            w(f"{label}: {value}\n")
    if view["relations"]:
        w("Relations:\n")
        for r in view["relations"]:
            date = f"  {r['date']}" if r.get("date") else ""
            w(f"  {r['label']}  {clean(r['name'])} ({r['id']}){date}\n")
    if view["claims"]:
        w("Claims:\n")
        for c in view["claims"]:
            note = f" \u2014 {clean(c['note'])}" if c.get("note") else ""
            w(f"  {c['property']}  {clean(c['value'])}  [{_ref(c)}]{note}\n")
    if view["events"]:
        w("Events:\n")
        for e in view["events"]:
            w(f"  {e['date']}  {clean(e['title'])}\n")
    if view["sources"]:
        w("Sources:\n")
        for s in view["sources"]:
            url = f"  {clean(s['url'])}" if s.get("url") else ""
            w(f"  {s['id']}  {clean(s['citation'])}{url}\n")
            for c in s.get("cited") or []:
                bits = [clean(c[k]) for k in ("locator", "url") if c.get(k)]
                w(f"    {'  '.join(bits)}\n")


def _ref(c: dict[str, Any]) -> str:
    return f"{c['source']}, {clean(c['locator'])}" if c.get("locator") else str(c["source"])


def compare(view: dict[str, Any], ctx: Ctx) -> None:
    """Row by row: the attribute, then one indented `item: value` line per item."""
    w = ctx.out.write
    w(" | ".join(f"{clean(label)} ({ident})" for label, ident in
                 zip(view["labels"], view["items"], strict=True)) + "\n")
    for row in view["rows"]:
        w(f"{row['label']}:\n")
        for ident, values in zip(view["items"], row["values"], strict=True):
            w(f"  {ident}: {'; '.join(clean(v) for v in values) or '-'}\n")


def chart(lay: Any, ctx: Ctx) -> None:
    """The chart in ASCII characters (labels as the data has them, cleaned)."""
    from khalkhin.views import chart as charts

    labels = [clean(r.label) for r in lay.chart.rows]
    ctx.out.write("\n".join(charts.plain_lines(lay, labels)) + "\n")


def problems(report: Any, ctx: Ctx) -> None:
    """check's problems, one a line: path:line:col: severity: message [rule]."""
    for p in report.problems:
        ctx.out.write(clean(str(p)) + "\n")

"""Plain text: one record a line, fields separated by two spaces, dates as EDTF; no markup."""

from __future__ import annotations

from typing import Any

from khalkhin.render import Ctx, Listing, clean


def timeline(rows: list[dict[str, Any]], ctx: Ctx) -> None:
    w = ctx.out.write
    for r in rows:
        line = f"{r['date']}  {clean(r['title'])}"
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

"""JSON (one document) and JSON Lines (one record a line): complete records, stable keys."""

from __future__ import annotations

import json
from typing import Any

from khalkhin.render import Ctx, Format, Listing


def _dump(obj: Any, ctx: Ctx) -> None:
    ctx.out.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _lines(rows: list[Any], ctx: Ctx) -> None:
    for r in rows:
        ctx.out.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")


def timeline(rows: list[dict[str, Any]], ctx: Ctx) -> None:
    if ctx.fmt is Format.JSONL:
        _lines(rows, ctx)
    else:
        _dump(rows, ctx)


def records(view: Listing, ctx: Ctx) -> None:
    timeline(view.rows, ctx)


def profile(view: dict[str, Any], ctx: Ctx) -> None:
    if ctx.fmt is Format.JSONL:
        _lines([view], ctx)
    else:
        _dump(view, ctx)


def compare(view: dict[str, Any], ctx: Ctx) -> None:
    profile(view, ctx)

"""JSON (one document) and JSON Lines (one record a line): complete records, stable keys."""

from __future__ import annotations

import json
import re
from typing import Any

from khalkhin.render import Ctx, Format
from khalkhin.views.listing import Listing

# json.dumps escapes C0 controls; these also must not reach a terminal raw (DEL, C1 controls,
# line separators, bidi overrides). They occur only inside strings, so \uXXXX keeps the JSON.
_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
                  "\ud800-\udfff]")  # and lone surrogates (an undecodable file name)


def dumps(obj: Any, **kw: Any) -> str:
    """UTF-8 JSON text with terminal control characters escaped."""
    return _RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(obj, ensure_ascii=False,
                                                                     **kw))


def _dump(obj: Any, ctx: Ctx) -> None:
    ctx.out.write(dumps(obj, indent=2) + "\n")


def _lines(rows: list[Any], ctx: Ctx) -> None:
    for r in rows:
        ctx.out.write(dumps(r, separators=(",", ":")) + "\n")


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


def problems(report: Any, ctx: Ctx) -> None:
    """check's report: one document (files, counts, summary, problems), or a problem a line."""
    from khalkhin.views.problems import record

    if ctx.fmt is Format.JSONL:
        _lines([record(p) for p in report.problems], ctx)
    else:
        _dump(report.document(), ctx)

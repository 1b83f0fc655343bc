"""CSL-JSON: the bibliography of what a command shows, one item per source cited.

The form pandoc's citeproc (``--bibliography refs.json``) and Zotero (File → Import) read.
Each item's ``id`` is the source id, the key that ``--cite pandoc`` writes (``[@lc-1989]``).
How names, types and dates are read from the data is in :mod:`khalkhin.views.bibliography`.
"""

from __future__ import annotations

from typing import Any

from khalkhin.model import Source
from khalkhin.render import Ctx
from khalkhin.render.json import dumps
from khalkhin.views import bibliography
from khalkhin.views.listing import Listing

# Of the listings, only these cite sources: the others have no bibliography.
COMMANDS = {"records": frozenset({"sources", "figures"})}


def sources_of(view_name: str, data: Any, ctx: Ctx) -> list[Source]:
    """The sources a view cites, in order of first citation (a source listing: all it lists)."""
    chron = ctx.chron
    if chron is None:
        return []
    if isinstance(data, Listing):
        if data.kind == "sources":
            return [chron.sources[r["id"]] for r in data.rows if r["id"] in chron.sources]
        return bibliography.cited(chron, data.rows)
    if view_name == "compare":
        return bibliography.compare_cited(chron, data)
    return bibliography.cited(chron, data)


def _write(view_name: str, data: Any, ctx: Ctx) -> None:
    items = [bibliography.csl_item(s) for s in sources_of(view_name, data, ctx)]
    ctx.out.write(dumps(items, indent=2) + "\n")


def timeline(rows: list[dict[str, Any]], ctx: Ctx) -> None:
    _write("timeline", rows, ctx)


def profile(view: dict[str, Any], ctx: Ctx) -> None:
    _write("profile", view, ctx)


def compare(view: dict[str, Any], ctx: Ctx) -> None:
    _write("compare", view, ctx)


def records(view: Listing, ctx: Ctx) -> None:
    _write("records", view, ctx)

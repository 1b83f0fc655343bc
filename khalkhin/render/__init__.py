"""Output formats: the Format enum, the context every renderer gets, and the dispatch.

Each format is one module in this package with the same small interface, one function
per view it can draw::

    timeline(rows: list[dict], ctx)     # event records (views.records.event_record)
    profile(view: dict, ctx)            # one entity or event (show)
    compare(view: dict, ctx)            # items side by side
    records(view: Listing, ctx)         # search, list, tags, sources, figures, on-this-day
    chart(view: chart.Layout, ctx)      # the chart (plain, table, svg)
    problems(view: Report, ctx)         # check's report (plain, json, jsonl)

A format without the function has no form for that view. A module may also name, in
``COMMANDS`` (view -> commands), the only commands it draws a view for: the bibliographies
(csljson, bibtex) draw only the listings that cite sources (``sources``, ``figures``).
"""

from __future__ import annotations

import enum
import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TextIO

from khalkhin.errors import UsageError


class Format(enum.StrEnum):
    """Every output format; ``auto`` is ``table`` on a terminal and ``plain`` otherwise."""

    AUTO = "auto"
    TABLE = "table"
    PLAIN = "plain"
    MARKDOWN = "markdown"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    ICS = "ics"
    TIMELINEJS = "timelinejs"
    SVG = "svg"
    CSLJSON = "csljson"
    BIBTEX = "bibtex"


# Module that renders each concrete format.
MODULES = {
    Format.TABLE: "table",
    Format.PLAIN: "plain",
    Format.MARKDOWN: "markdown",
    Format.JSON: "json",
    Format.JSONL: "json",
    Format.CSV: "csv",
    Format.ICS: "ics",
    Format.TIMELINEJS: "timelinejs",
    Format.SVG: "svg",
    Format.CSLJSON: "csljson",
    Format.BIBTEX: "bibtex",
}


class Cite(enum.StrEnum):
    """How Markdown cites: numbered footnotes, or pandoc citations (``[@id, p. 12]``)."""

    FOOTNOTES = "footnotes"
    PANDOC = "pandoc"


class UnsupportedView(UsageError):
    """This format has no form for this command."""


@dataclass
class Ctx:
    """What a renderer needs besides the data."""

    out: TextIO
    fmt: Format = Format.PLAIN
    width: int = 80
    color: bool = False
    long: bool = False
    chron: Any = None  # the Chronology, for source references and labels
    cite: Cite = Cite.FOOTNOTES  # Markdown citations


def module(fmt: Format) -> ModuleType:
    name = MODULES.get(fmt)
    if name is None:
        raise UsageError(f"format '{fmt.value}' must be resolved before rendering")
    return importlib.import_module(f"khalkhin.render.{name}")


def supports(fmt: Format, view: str, command: str | None = None) -> bool:
    """Whether a concrete format has a form for a view (as drawn for this command)."""
    if fmt not in MODULES:
        return False
    mod = module(fmt)
    if not hasattr(mod, view):
        return False
    only = getattr(mod, "COMMANDS", {}).get(view)
    return only is None or command is None or command in only


def available(view: str, command: str | None = None) -> list[Format]:
    """The concrete formats that can draw a view, in the enum's order."""
    return [f for f in Format if supports(f, view, command)]


def render(view_name: str, data: Any, ctx: Ctx) -> None:
    mod = module(ctx.fmt)
    fn = getattr(mod, view_name, None)
    if fn is None:
        raise UnsupportedView(f"format '{ctx.fmt.value}' is not available for this command")
    fn(data, ctx)


def web_url(url: str | None) -> str | None:
    """A URL that may become a link: http(s) only (never javascript:, data: or file:),
    without the characters that would end a link or a line; None for anything else."""
    if not url:
        return None
    import re

    from khalkhin.text import clean

    cleaned = re.sub(r"[\s<>\"`]", "", clean(url))
    if not re.match(r"https?://[^/\s]", cleaned, re.IGNORECASE):
        return None
    return cleaned

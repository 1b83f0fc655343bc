"""Output formats: the Format enum, the context every renderer gets, and safe text.

Each format is one module in this package with the same small interface::

    timeline(rows: list[dict], ctx)     # event records (views.event_record)
    profile(view: dict, ctx)            # one entity or event (show)
    compare(view: dict, ctx)            # items side by side
    records(view: Listing, ctx)         # search, list, tags, sources, figures

A format that has no sensible form for a view raises UnsupportedView.
"""

from __future__ import annotations

import enum
import importlib
from dataclasses import dataclass, field
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
}


class UnsupportedView(UsageError):
    """This format has no form for this command."""


@dataclass
class Listing:
    """A list of records with named columns (search, list, tags, sources, figures)."""

    kind: str  # the command: "search", "list", "tags", "sources", "figures"
    columns: list[tuple[str, str]]  # (key, header) shown by text formats, in order
    rows: list[dict[str, Any]]  # complete records (json shows every key)
    title: str = ""


@dataclass
class Ctx:
    """What a renderer needs besides the data."""

    out: TextIO
    fmt: Format = Format.PLAIN
    width: int = 80
    color: bool = False
    long: bool = False
    chron: Any = None  # the Chronology, for source references and labels
    extra: dict[str, Any] = field(default_factory=dict)


def module(fmt: Format) -> ModuleType:
    name = MODULES.get(fmt)
    if name is None:
        raise UsageError(f"format '{fmt.value}' must be resolved before rendering")
    return importlib.import_module(f"khalkhin.render.{name}")


def render(view_name: str, data: Any, ctx: Ctx) -> None:
    mod = module(ctx.fmt)
    fn = getattr(mod, view_name, None)
    if fn is None:
        raise UnsupportedView(f"format '{ctx.fmt.value}' is not available for this command")
    fn(data, ctx)

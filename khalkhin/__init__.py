"""khalkhin: a timeline and fact explorer for the Soviet–Japanese–Mongolian conflicts, 1904–1946.

The library can be used without the CLI::

    import khalkhin
    chron = khalkhin.load_chronology()
    for event in khalkhin.timeline(chron, start="1939-08", end="1939-09"):
        print(event.date, event.title)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from khalkhin.version import __version__

if TYPE_CHECKING:
    from khalkhin.model import Chronology, Event

__all__ = ["__version__", "load_chronology", "timeline"]


def load_chronology(*paths: str, bundled: bool = True, use_cache: bool | None = None) -> Chronology:
    """Load the bundled chronology, with any extra files or directories layered over it."""
    from khalkhin.chronology import load as _load

    return _load(paths, bundled=bundled, use_cache=use_cache)


def timeline(chron: Chronology, **options: Any) -> list[Event]:
    """Events in date order; see :func:`khalkhin.query.timeline` for the options."""
    from khalkhin.query import timeline as _timeline

    return _timeline(chron, **options)

"""The text of each note of a folder of notes (:mod:`khalkhin.views.vault`): Markdown with
YAML front matter, ``[[wikilinks]]`` between the notes, citations as ``ctx.cite`` says."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from khalkhin.render import Ctx
from khalkhin.render.markdown import Links, front_matter, note, tag_name, text
from khalkhin.text import clean
from khalkhin.views.vault import HOME, Note, Vault, kind_heading

GENERATOR = "khalkhin"  # the front matter's `generator`: these notes are rewritten on export

_LINK_BREAKERS = re.compile(r"[\[\]|#^\r\n]+")


def wikilink(name: str, label: Any) -> str:
    """``[[name|label]]``; the label without the characters that would end or split it."""
    shown = " ".join(_LINK_BREAKERS.sub(" ", clean(str(label or name))).split())
    return f"[[{name}]]" if shown == name else f"[[{name}|{shown or name}]]"


class WikiLinks(Links):
    """Links to the other notes of the folder; what has no note stays text."""

    years = True

    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    def item(self, ident: str | None, label: Any) -> str:
        name = self.vault.names.get(ident or "")
        return wikilink(name, label) if name else text(label or ident)

    def tag(self, tag: str) -> str:
        name = self.vault.tag_notes.get(tag)
        return wikilink(name, tag) if name else text(tag)

    def year(self, year: int) -> str:
        name = self.vault.year_notes.get(year)
        return wikilink(name, str(year)) if name else str(year)


def _events(lines: list[str], rows: list[dict[str, Any]], links: WikiLinks) -> None:
    for r in rows:
        lines.append(f"- **{text(r['when'])}** \u2014 {links.item(r['id'], r['title'])}")


def _index_front(title: str, kind: str, tags: list[str]) -> str:
    from khalkhin.render.markdown import _yaml

    out = ["---", f"title: {_yaml(title)}", f"kind: {_yaml(kind)}"]
    out.append("tags:" if tags else "tags: []")
    out.extend(f"  - {_yaml(t)}" for t in tags)
    out.append(f"generator: {_yaml(GENERATOR)}")
    out.append("---")
    return "\n".join(out) + "\n\n"


def _home(vault: Vault, links: WikiLinks) -> str:
    lines = ["# Khalkhin chronology", "",
             "The Soviet–Japanese–Mongolian conflicts of 1904–1946, one note per event and "
             "per entity.", ""]
    if vault.year_notes:
        lines += ["## Years", "", " · ".join(links.year(y) for y in sorted(vault.year_notes)),
                  ""]
    if vault.tag_notes:
        lines += ["## Tags", "", " · ".join(links.tag(t) for t in sorted(vault.tag_notes)), ""]
    for kind in sorted(vault.kinds):
        lines += [f"## {kind_heading(kind)}", ""]
        lines += [f"- {links.item(i, n)}" for i, n in vault.kinds[kind]]
        lines.append("")
    return _index_front("Khalkhin chronology", "index", ["khalkhin"]) + "\n".join(lines)


def _year(n: Note, vault: Vault, links: WikiLinks) -> str:
    year = int(n.title)
    lines = [f"# {year}", "", f"Back to {wikilink(HOME, 'the index')}."]
    before = [y for y in vault.year_notes if y < year]
    after = [y for y in vault.year_notes if y > year]
    nav = []
    if before:
        nav.append("← " + links.year(max(before)))
    if after:
        nav.append(links.year(min(after)) + " →")
    if nav:
        lines += ["", " · ".join(nav)]
    lines += ["", f"## Events ({len(n.data)})", ""]
    _events(lines, n.data, links)
    return _index_front(str(year), "year", []) + "\n".join(lines) + "\n"


def _tag(n: Note, links: WikiLinks) -> str:
    lines = [f"# {text(n.title)}", "", f"Events tagged {text(n.title)}. Back to "
             f"{wikilink(HOME, 'the index')}.", "", f"## Events ({len(n.data)})", ""]
    _events(lines, n.data, links)
    return _index_front(n.title, "tag", [tag_name(n.title)]) + "\n".join(lines) + "\n"


def notes(vault: Vault, ctx: Ctx) -> Iterator[tuple[str, str]]:
    """(path, text) of every note, in the folder's order."""
    links = WikiLinks(vault)
    for n in vault.notes:
        if n.kind in ("entity", "event"):
            buf = io.StringIO()
            body_ctx = replace(ctx, out=buf)
            buf.write(front_matter(n.data, {"generator": GENERATOR}) + "\n")
            note(n.data, body_ctx, links)
            body = buf.getvalue()
            yield n.path, body if body.endswith("\n") else body + "\n"
        elif n.kind == "year":
            yield n.path, _year(n, vault, links)
        elif n.kind == "tag":
            yield n.path, _tag(n, links)
        else:
            yield n.path, _home(vault, links)

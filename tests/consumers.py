"""The real consumers of the notes formats, for the tests: citeproc-py reads CSL-JSON,
bibtexparser reads BibTeX, pandoc (from pypandoc-binary) reads Markdown with citations."""

from __future__ import annotations

import json
from typing import Any

import pytest

STYLE = "harvard-cite-them-right"  # the style citeproc-py ships with


def citeproc_bibliography(items: list[dict[str, Any]],
                          cites: list[tuple[str, Any]] | None = None) -> list[str]:
    """The bibliography citeproc-py renders for CSL-JSON items (plain text, one entry each),
    after citing each item (or CITES: (id, citeproc Locator or None))."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    bib = CitationStylesBibliography(CitationStylesStyle(STYLE, validate=False),
                                     CiteProcJSON(items), formatter.plain)
    for key, loc in cites or [(i["id"], None) for i in items]:
        item = CitationItem(key, locator=loc) if loc is not None else CitationItem(key)
        citation = Citation([item])
        bib.register(citation)
        bib.cite(citation, lambda missing: pytest.fail(f"citeproc: no item {missing.key}"))
    return [str(entry) for entry in bib.bibliography()]


def citeproc_cite(items: list[dict[str, Any]], key: str, label: str, locator: str) -> str:
    """One in-text citation with a locator, as citeproc-py renders it."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source import Locator
    from citeproc.source.json import CiteProcJSON

    bib = CitationStylesBibliography(CitationStylesStyle(STYLE, validate=False),
                                     CiteProcJSON(items), formatter.plain)
    citation = Citation([CitationItem(key, locator=Locator(label, locator))])
    bib.register(citation)
    return str(bib.cite(citation, lambda missing: pytest.fail(f"citeproc: no {missing.key}")))


def bibtex_entries(text: str) -> dict[str, dict[str, str]]:
    """BibTeX parsed by bibtexparser: {key: {"ENTRYTYPE": type, field: value}}; every block
    must parse and every key be unique."""
    import bibtexparser

    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    out: dict[str, dict[str, str]] = {}
    for entry in library.entries:
        assert entry.key not in out, f"duplicate key {entry.key}"
        out[entry.key] = {"ENTRYTYPE": entry.entry_type,
                          **{f.key: f.value for f in entry.fields}}
    return out


def pandoc_ast(markdown: str, *args: str, source: str = "markdown") -> dict[str, Any]:
    """Pandoc's reading of Markdown (its JSON AST), with extra pandoc arguments."""
    pypandoc = pytest.importorskip("pypandoc", reason="pandoc comes with pypandoc-binary")
    out = pypandoc.convert_text(markdown, "json", format=source, extra_args=list(args))
    return dict(json.loads(out))


def walk(node: Any) -> Any:
    """Every element of a pandoc AST."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def notes(ast: dict[str, Any]) -> list[str]:
    """The footnotes pandoc made, each as its plain text."""
    return [stringify(n["c"]) for n in walk(ast.get("blocks")) if n.get("t") == "Note"]


def bibliography_ids(ast: dict[str, Any]) -> list[str]:
    """The entries of the bibliography citeproc wrote (ids of the ref-… divs)."""
    out = []
    for n in walk(ast.get("blocks")):
        if n.get("t") == "Div":
            ident = n["c"][0][0]
            if ident.startswith("ref-"):
                out.append(ident[4:])
    return out


def stringify(node: Any) -> str:
    parts = []
    for n in walk(node):
        if n.get("t") == "Str":
            parts.append(n["c"])
        elif n.get("t") in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
    return "".join(parts)

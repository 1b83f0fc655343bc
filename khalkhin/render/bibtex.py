"""BibTeX for LaTeX (BibTeX and biblatex): one entry per source cited, keyed by its id.

Entry types that both BibTeX and biblatex know: ``@book``, ``@incollection`` (a FRUS
document, a chapter, an encyclopedia entry: ``booktitle``), ``@article`` (``journal``) and
``@misc`` (a web page: ``howpublished``). Names are ``Family, Given`` joined by ``and``;
an institution is one braced name. Titles are braced as a whole, so that no style changes
the case of a proper name. Text is UTF-8 with LaTeX's special characters escaped; a ``url``
is kept as it is (only http and https). The source's note goes in ``annotation``, which
styles do not print.
"""

from __future__ import annotations

from typing import Any

from khalkhin.render import Ctx, web_url
from khalkhin.render.csljson import COMMANDS as COMMANDS
from khalkhin.render.csljson import sources_of
from khalkhin.text import clean
from khalkhin.views import bibliography
from khalkhin.views.listing import Listing

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
            "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}"}
_TYPES = {"book": "book", "chapter": "incollection", "entry-encyclopedia": "incollection",
          "article-journal": "article", "article-magazine": "article",
          "article-newspaper": "article"}
_CONTAINER = {"incollection": "booktitle", "article": "journal", "misc": "howpublished",
              "book": "series"}


def escape(value: str) -> str:
    """Text as a BibTeX field value: one line, LaTeX's special characters escaped (so the
    braces of the value always balance)."""
    return "".join(_SPECIAL.get(ch, ch) for ch in clean(" ".join(str(value).split())))


def name(n: dict[str, str]) -> str:
    if "literal" in n:
        return "{" + escape(n["literal"]) + "}"
    family = " ".join(x for x in (n.get("non-dropping-particle"), n["family"]) if x)
    parts = [escape(family)]
    if n.get("suffix"):
        parts.append(escape(n["suffix"]))
    if n.get("given"):
        parts.append(escape(n["given"]))
    # "and" inside a part would split the name: brace it.
    return ", ".join("{" + p + "}" if " and " in f" {p} " else p for p in parts)


def entry(item: dict[str, Any]) -> str:
    """One CSL item as a BibTeX entry."""
    kind = _TYPES.get(item["type"], "misc")
    fields: list[tuple[str, str]] = []
    for role in ("author", "editor"):
        if item.get(role):
            fields.append((role, " and ".join(name(n) for n in item[role])))
    fields.append(("title", "{" + escape(item["title"]) + "}"))
    if item.get("container-title"):
        fields.append((_CONTAINER.get(kind, "howpublished"), escape(item["container-title"])))
    if item.get("publisher"):
        fields.append(("publisher", escape(item["publisher"])))
    issued = (item.get("issued") or {}).get("date-parts") or []
    month = None
    if issued:
        first = issued[0]
        fields.append(("year", str(first[0])))
        if len(first) > 1:
            month = _MONTHS[first[1] - 1]
    url = web_url(item.get("URL"))
    if url:
        fields.append(("url", url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")))
    if item.get("note"):
        fields.append(("annotation", escape(item["note"])))
    lines = [f"@{kind}{{{item['id']},"]
    for key, value in fields:
        lines.append(f"  {key} = {{{value}}},")
    if month is not None:
        lines.append(f"  month = {month},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _write(view_name: str, data: Any, ctx: Ctx) -> None:
    items = [bibliography.csl_item(s) for s in sources_of(view_name, data, ctx)]
    ctx.out.write("\n".join(entry(i) for i in items))


def timeline(rows: list[dict[str, Any]], ctx: Ctx) -> None:
    _write("timeline", rows, ctx)


def profile(view: dict[str, Any], ctx: Ctx) -> None:
    _write("profile", view, ctx)


def compare(view: dict[str, Any], ctx: Ctx) -> None:
    _write("compare", view, ctx)


def records(view: Listing, ctx: Ctx) -> None:
    _write("records", view, ctx)

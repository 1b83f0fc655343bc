"""Text from data made safe and comparable: folding for look-ups, cleaning for terminals."""

from __future__ import annotations

import re

# Terminal control characters (C0 but tab/newline, DEL, C1), bidirectional overrides and
# marks, and lone surrogates (an undecodable file name): none may reach a terminal raw.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f"
                      "\u061c\ud800-\udfff]")
_SPACE = re.compile(r"[\t\n\u2028\u2029]+")  # what would break a line

#: Longest echo of user input in a message (a query, a name, a value from a file).
ECHO = 60


def clean(text: str | None, *, one_line: bool = True) -> str:
    """Text from data made safe for a terminal: control characters never pass through raw."""
    if not text:
        return ""
    text = _CONTROL.sub("\ufffd", text)
    if one_line:
        text = _SPACE.sub(" ", text)
    return text


def short(text: str, limit: int = ECHO) -> str:
    """Text shortened for a one-line message, cleaned: at most ``limit`` characters."""
    text = clean(text)
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of a name, for comparing and indexing."""
    if text.isascii():  # the common case, without Unicode decomposition
        t = text.lower().replace("-", " ")
        if "  " in t or t[:1] == " " or t[-1:] == " " or not t.isprintable():
            return " ".join(t.split())
        return t
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("-", " ").replace("\u2013", " ").split())

"""Read chronology files safely and turn YAML into plain values that remember their position.

The YAML is read as a stream of parser events (libyaml when PyYAML has it), and the
values are built here, iteratively, so that:

- every mapping and list remembers the line and column of each of its values;
- nothing but plain data can be built (tags that construct Python objects are refused);
- nesting depth and alias expansion are bounded before anything large is built;
- duplicate mapping keys and several documents in one file are reported, not hidden;
- plain scalars are resolved as YAML 1.1 would, and the raw text is kept wherever that
  resolution changes it (``no`` -> false, ``017`` -> 15, ``12:30`` -> 750), so that the
  checker can say what happened.
"""

from __future__ import annotations

import os
import re
import stat
from typing import Any

from khalkhin.errors import DataError, Problem

MAX_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 48
MAX_EXPANDED = 2_000_000
MAX_EXPANDED_BYTES = 64 * 1024 * 1024  # text that aliases may repeat, in all

Pos = tuple[int, int]


class YMap(dict[str, Any]):
    """A YAML mapping: a dict that knows where it and each of its values start."""

    __slots__ = ("line", "col", "pos", "kpos", "raw")

    def __init__(self, line: int, col: int) -> None:
        super().__init__()
        self.line = line
        self.col = col
        self.pos: dict[str, Pos] = {}
        self.kpos: dict[str, Pos] = {}
        self.raw: dict[str, str] = {}

    def where(self, key: str) -> Pos:
        return self.pos.get(key, (self.line, self.col))

    def where_in(self, key: str, i: int) -> Pos:
        """Where item I of the list KEY starts (where KEY's value does, when it is not a
        list or has no item I)."""
        node = self.get(key)
        return node.where(i) if isinstance(node, YList) else self.where(key)


class YList(list[Any]):
    """A YAML sequence that knows where it and each item start."""

    __slots__ = ("line", "col", "pos", "raw")

    def __init__(self, line: int, col: int) -> None:
        super().__init__()
        self.line = line
        self.col = col
        self.pos: list[Pos] = []
        self.raw: dict[int, str] = {}

    def where(self, i: int) -> Pos:
        return self.pos[i] if i < len(self.pos) else (self.line, self.col)


class LoadFailed(DataError):
    """A file that cannot be read or parsed at all: one problem, with its position."""

    def __init__(self, problem: Problem) -> None:
        super().__init__([problem])
        self.problem = problem


def _fail(path: str, message: str, rule: str, line: int = 0, col: int = 0) -> LoadFailed:
    return LoadFailed(Problem(path, line, col, "error", message, rule))


def read_text(path: str) -> str:
    """Read a data file as text, refusing anything that is not a sane regular file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise _fail(path, "no such file", "file") from None
    except PermissionError:
        raise _fail(path, "permission denied", "file") from None
    except OSError as e:
        raise _fail(path, f"cannot read: {e.strerror or e}", "file") from None
    if stat.S_ISDIR(st.st_mode):
        raise _fail(path, "is a directory; give a .yaml file or a directory of them", "file")
    if not stat.S_ISREG(st.st_mode):
        raise _fail(path, "not a regular file (a device, FIFO or socket); give a .yaml file",
                    "file")
    if st.st_size > MAX_BYTES:
        raise _fail(path, f"file is {st.st_size / 2**20:,.0f} MiB, more than the "
                          f"{MAX_BYTES // 2**20} MiB a chronology may be", "file")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except PermissionError:
        raise _fail(path, "permission denied", "file") from None
    except OSError as e:
        raise _fail(path, f"cannot read: {e.strerror or e}", "file") from None
    if len(data) > MAX_BYTES:
        raise _fail(path, f"file is larger than the {MAX_BYTES // 2**20} MiB a chronology may be",
                    "file")
    return decode(data, path)


def decode(data: bytes, path: str) -> str:
    """UTF-8 (a BOM is accepted and dropped); invalid bytes are reported with their position."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        start = data.rfind(b"\n", 0, e.start) + 1
        col = len(data[start:e.start].decode("utf-8", "replace")) + 1
        raise _fail(path, f"invalid UTF-8 (byte 0x{data[e.start]:02x}); save the file as UTF-8",
                    "encoding", line, col) from None
    if not text.strip():
        raise _fail(path, "file is empty; a chronology is a mapping with 'events', "
                          "'entities', 'sources' or 'claims'", "structure", 1, 1)
    return text


# --- scalar resolution (YAML 1.1, as PyYAML's SafeLoader does it) -------------------------

_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_BOOL = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
}
_INT = re.compile(
    r"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
)
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_MAYBE_TYPED = frozenset("0123456789+-.~nNyYtTfFoO")


def _int(text: str) -> int:
    s = text.replace("_", "")
    sign = -1 if s[0] == "-" else 1
    if s[0] in "+-":
        s = s[1:]
    if s == "0":
        return 0
    if s.startswith("0b"):
        return sign * int(s[2:], 2)
    if s.startswith("0x"):
        return sign * int(s[2:], 16)
    if s[0] == "0":
        return sign * int(s, 8)
    if ":" in s:
        value = 0
        for digit in s.split(":"):
            value = value * 60 + int(digit)
        return sign * value
    return sign * int(s)


def _float(text: str) -> float:
    s = text.replace("_", "").lower()
    if s in (".inf", "+.inf"):
        return float("inf")
    if s == "-.inf":
        return float("-inf")
    if s == ".nan":
        return float("nan")
    if ":" in s:
        sign = -1.0 if s[0] == "-" else 1.0
        s = s.lstrip("+-")
        value = 0.0
        for digit in s.split(":"):
            value = value * 60 + float(digit)
        return sign * value
    return float(s)


def resolve_plain(text: str) -> Any:
    """What YAML 1.1 makes of an unquoted scalar; dates stay text (they are EDTF here)."""
    if not text or text[0] in _MAYBE_TYPED:
        if text in _NULL:
            return None
        b = _BOOL.get(text)
        if b is not None:
            return b
        try:
            if _INT.fullmatch(text):
                return _int(text)
            if _FLOAT.fullmatch(text) and text not in (".", "-", "+"):
                return _float(text)
        except ValueError:  # an integer too long for Python to convert: keep the text
            return text
    return text


_STD_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(_STD_TAG + t for t in ("str", "map", "seq", "int", "float", "bool",
                                                  "null", "timestamp"))


def parse_yaml(text: str, path: str, *, pure: bool = False) -> tuple[YMap, list[Problem]]:
    """Parse one YAML document into YMap/YList/scalars.

    Duplicate keys are reported and skipped (the first value is kept); anything that stops
    the file from being read raises LoadFailed with its position. ``pure`` uses PyYAML's
    own parser instead of libyaml.
    """
    import yaml

    loader = yaml.SafeLoader if pure else getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    composer = _Composer(path, text)
    try:
        composer.feed(yaml.parse(text, Loader=loader))  # parser events, one at a time
    except yaml.MarkedYAMLError as e:
        if not pure and loader is not yaml.SafeLoader and "nesting depth" in str(e.problem):
            # libyaml 0.2.6 and later stop deep flow nesting while scanning ahead, before the
            # parser hands over the events that our own depth limit counts. PyYAML's parser
            # scans ahead at most a line, so it reaches our limit first: the same error at
            # the same place whichever libyaml is installed.
            return parse_yaml(text, path, pure=True)
        raise composer.syntax_error(e) from None
    except yaml.reader.ReaderError as e:
        index = e.position
        if loader is not yaml.SafeLoader:  # libyaml counts its reader's offsets in bytes
            index = len(text.encode("utf-8", "surrogatepass")[:index].decode("utf-8", "ignore"))
        line, col = composer.where_index(index)
        char = e.character
        code = char if isinstance(char, int) else ord(char) if isinstance(char, str) else 0
        raise _fail(path, f"character U+{code:04X} is not allowed in YAML text (a control "
                          "character); remove it or write it as an escape in double quotes",
                    "encoding", line, col) from None
    except yaml.YAMLError as e:
        raise _fail(path, f"YAML syntax: {e}", "syntax") from None
    except RecursionError:
        raise _fail(path, "nesting too deep to read", "structure") from None
    return composer.result(), composer.problems


_ABSENT = object()
_DISCARD = object()
#: Line breaks to YAML (1.1) but not to editors: positions are counted in '\n' lines.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")


class _Composer:
    """Builds values from parser events, step by step: scalars, collections, aliases.

    Each stack frame is [container, pending key or _ABSENT, key position, values, bytes]:
    the expanded size of every collection is counted as it is built, so an alias to a big
    anchor is refused before anything is copied or stored.
    """

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.problems: list[Problem] = []
        self.stack: list[list[Any]] = []
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # name -> (value, values, bytes)
        self.anchored: dict[int, str] = {}
        self.root: Any = _ABSENT
        self.documents = 0
        self.expanded = 0
        self.expanded_bytes = 0
        # Offsets of the '\n's, when the text holds breaks that libyaml counts as lines.
        self.newlines: list[int] | None = None
        if _ODD_BREAKS.search(text):
            self.newlines = [m.start() for m in re.finditer("\n", text)]

    # -- positions ---------------------------------------------------------------------------

    def where(self, mark: Any) -> Pos:
        """1-based (line, column) of a parser mark, as an editor counts them."""
        if self.newlines is None:
            return mark.line + 1, mark.column + 1
        return self.where_index(mark.index)

    def where_index(self, index: int) -> Pos:
        """1-based (line, column) of a character offset in the text."""
        if self.newlines is None:
            self.newlines = [m.start() for m in re.finditer("\n", self.text)]
        import bisect

        n = bisect.bisect_left(self.newlines, index)
        start = self.newlines[n - 1] + 1 if n else 0
        return n + 1, index - start + 1

    # -- events --------------------------------------------------------------------------------

    def feed(self, events: Any) -> None:
        import yaml

        handlers = {yaml.ScalarEvent: self.scalar, yaml.AliasEvent: self.alias,
                    yaml.MappingStartEvent: self.start, yaml.SequenceStartEvent: self.start,
                    yaml.MappingEndEvent: self.end, yaml.SequenceEndEvent: self.end,
                    yaml.DocumentStartEvent: self.document}
        for ev in events:
            handler = handlers.get(type(ev))
            if handler is not None:
                handler(ev)

    def scalar(self, ev: Any) -> None:
        line, col = self.where(ev.start_mark)
        self.check_tag(ev.tag, line, col)
        value: Any = ev.value
        raw = None
        if ev.implicit[0] and not ev.style:
            resolved = resolve_plain(value)
            if resolved is not value:
                raw, value = value, resolved
        elif ev.tag and ev.tag != _STD_TAG + "str":
            raise _fail(self.path, "explicit YAML type tags are not supported; write the value "
                                   "plainly", "yaml-tag", line, col)
        size = len(ev.value)
        self.add(value, line, col, raw, 1, size)
        if ev.anchor:
            self.anchors[ev.anchor] = (value, 1, size)

    def start(self, ev: Any) -> None:
        import yaml

        line, col = self.where(ev.start_mark)
        self.check_tag(ev.tag, line, col)
        if len(self.stack) >= MAX_DEPTH:
            raise _fail(self.path, f"nesting deeper than {MAX_DEPTH} levels; a chronology "
                                   "needs only a few", "structure", line, col)
        mapping = type(ev) is yaml.MappingStartEvent
        container = YMap(line, col) if mapping else YList(line, col)
        if ev.anchor:
            self.anchored[id(container)] = ev.anchor
        self.stack.append([container, _ABSENT, None, 1, 0])

    def end(self, ev: Any) -> None:
        container, _, _, size, nbytes = self.stack.pop()
        name = self.anchored.pop(id(container), None)
        if name is not None:
            self.anchors[name] = (container, size, nbytes)
        self.add(container, container.line, container.col, None, size, nbytes)

    def alias(self, ev: Any) -> None:
        line, col = self.where(ev.start_mark)
        hit = self.anchors.get(ev.anchor)
        if hit is None:
            if ev.anchor in self.anchored.values():
                raise _fail(self.path, f"alias *{ev.anchor} refers to itself (a recursive "
                                       "alias)", "yaml-alias", line, col)
            raise _fail(self.path, f"unknown alias *{ev.anchor}", "yaml-alias", line, col)
        value, size, nbytes = hit
        self.expanded += size
        self.expanded_bytes += nbytes
        if self.expanded > MAX_EXPANDED:
            raise _fail(self.path, f"aliases expand to more than {MAX_EXPANDED:,} values (an "
                                   "alias bomb?)", "yaml-alias", line, col)
        if self.expanded_bytes > MAX_EXPANDED_BYTES:
            raise _fail(self.path, "aliases expand to more than "
                                   f"{MAX_EXPANDED_BYTES // 2**20} MiB of text (an alias bomb?)",
                        "yaml-alias", line, col)
        self.add(value, line, col, None, size, nbytes)

    def document(self, ev: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            line, col = self.where(ev.start_mark)
            raise _fail(self.path, "more than one YAML document ('---') in one file; put each "
                                   "chronology in its own file", "structure", line, col)

    # -- building ------------------------------------------------------------------------------

    def add(self, value: Any, line: int, col: int, raw: str | None, size: int,
            nbytes: int) -> None:
        """Put a finished value into the open container (or make it the root)."""
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame[3] += size
        frame[4] += nbytes
        container = frame[0]
        if type(container) is YList:
            if raw is not None:
                container.raw[len(container)] = raw
            container.append(value)
            container.pos.append((line, col))
            return
        key = frame[1]
        if key is _ABSENT:
            self.add_key(frame, value, line, col, raw)
            return
        frame[1] = _ABSENT
        if key is _DISCARD:
            return
        container[key] = value
        container.kpos[key] = frame[2]
        container.pos[key] = (line, col)
        if raw is not None:
            container.raw[key] = raw

    def add_key(self, frame: list[Any], value: Any, line: int, col: int,
                raw: str | None) -> None:
        container = frame[0]
        if type(value) in (YMap, YList):
            raise _fail(self.path, "a mapping key must be a plain name", "syntax", line, col)
        k = raw if raw is not None else ("" if value is None else str(value))
        if k in container or k in container.kpos:
            first = container.kpos[k]
            self.problems.append(Problem(self.path, line, col, "error",
                                         f"duplicate key '{k}' (first at line {first[0]}); "
                                         "YAML would silently keep only the last",
                                         "duplicate-key"))
            frame[1] = _DISCARD
            return
        frame[1] = k
        frame[2] = (line, col)

    def check_tag(self, tag: str | None, line: int, col: int) -> None:
        if tag is not None and tag not in ("!", "?") and tag not in _ALLOWED_TAGS:
            shown = "!!" + tag[len(_STD_TAG):] if tag.startswith(_STD_TAG) else tag
            raise _fail(self.path, f"YAML tag '{shown}' is not allowed; a chronology holds "
                                   "plain text, numbers, lists and mappings", "yaml-tag",
                        line, col)

    # -- the end -------------------------------------------------------------------------------

    def syntax_error(self, e: Any) -> LoadFailed:
        m = e.problem_mark or e.context_mark
        line, col = self.where(m) if m is not None else (0, 0)
        msg = e.problem or "invalid YAML"
        if e.context:
            c = e.context_mark
            if c is not None and m is not None and (c.line, c.column) != (m.line, m.column):
                cl, cc = self.where(c)
                msg = f"{msg} ({e.context} at line {cl}, column {cc})"
            else:
                msg = f"{msg} ({e.context})"
        return _fail(self.path, f"YAML syntax: {msg}", "syntax", line, col)

    def result(self) -> YMap:
        root = self.root
        if root is _ABSENT or root is None:
            raise _fail(self.path, "file holds no data; a chronology is a mapping with "
                                   "'events', 'entities', 'sources' or 'claims'", "structure",
                        1, 1)
        if type(root) is not YMap:
            kind = "a list" if type(root) is YList else "a single value"
            raise _fail(self.path, f"the top level is {kind}; a chronology is a mapping with "
                                   "'events', 'entities', 'sources' or 'claims'", "structure",
                        1, 1)
        return root


# --- parsed files kept between runs (the cache's parts) -------------------------------------


def _pack(v: Any) -> Any:
    tv = type(v)
    if tv is YMap:
        return (0, v.line, v.col, [(k, _pack(x)) for k, x in v.items()], v.pos, v.kpos, v.raw)
    if tv is YList:
        return (1, v.line, v.col, [_pack(x) for x in v], v.pos, v.raw)
    return v  # a scalar: never a tuple


def _unpack(x: tuple[Any, ...]) -> Any:
    if x[0] == 0:
        m = YMap(x[1], x[2])
        for k, v in x[3]:
            m[k] = _unpack(v) if type(v) is tuple else v
        m.pos, m.kpos, m.raw = x[4], x[5], x[6]
        return m
    seq = YList(x[1], x[2])
    seq.extend([_unpack(v) if type(v) is tuple else v for v in x[3]])
    seq.pos, seq.raw = x[4], x[5]
    return seq


def _pack_root(root: YMap) -> Any:
    """The root with the items of its lists (the records of each section) packed one by one,
    each as its own marshalled bytes, so that they can be unpacked one at a time."""
    import marshal

    items = []
    for k, v in root.items():
        if type(v) is YList:
            v = (1, v.line, v.col, [marshal.dumps(_pack(x), 4) for x in v], v.pos, v.raw)
        items.append((k, v))
    return (0, root.line, root.col, items, root.pos, root.kpos, root.raw)


def pack(root: YMap, problems: list[Problem]) -> bytes:
    """A parsed file as bytes (marshal, compressed): its values, their positions, the raw
    texts and the problems the parse found, so that it need not be parsed again. Each
    record is marshalled on its own (see :func:`thaw`)."""
    import marshal
    import zlib

    return zlib.compress(marshal.dumps((_pack_root(root), [tuple(p) for p in problems]), 4), 1)


def thaw(item: Any) -> Any:
    """A record of a file unpacked with ``lazy``: its value (unpacked now), as it was."""
    if type(item) is not bytes:
        return item
    import marshal

    x = marshal.loads(item)
    return _unpack(x) if type(x) is tuple else x


def unpack(blob: bytes, *, lazy: bool = False) -> tuple[YMap, list[Problem]]:
    """What :func:`pack` made, as it was; ValueError when the bytes are not such a file.
    With ``lazy``, the items of the root's lists (the records) are left packed, for
    :func:`thaw` to unpack one at a time: a file's records need not all be held at once."""
    import marshal
    import zlib

    try:
        tree, problems = marshal.loads(zlib.decompress(blob))
        root = _unpack(tree)
        if type(root) is not YMap:
            raise TypeError("not a parsed file")
        if not lazy:
            for v in root.values():
                if type(v) is YList:
                    v[:] = [thaw(x) for x in v]
        return root, [Problem(*p) for p in problems]
    except (zlib.error, EOFError, TypeError, IndexError, KeyError, AttributeError) as e:
        raise ValueError(f"not a parsed file: {e}") from None

"""Where the data is: the bundled chronology, KHALKHIN_DATA, --data, and the files they name."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from khalkhin.errors import DataError, Problem

_PKG = Path(__file__).resolve().parent


def bundled_path() -> Path:
    """The chronology shipped with the package (in the wheel) or beside it (a checkout)."""
    inside = _PKG / "data" / "events.yaml"
    if inside.is_file():
        return inside
    return _PKG.parent / "data" / "events.yaml"


def env_paths(env: Mapping[str, str] | None = None) -> list[str]:
    """The paths in KHALKHIN_DATA (separated by ':', or ';' on Windows), empty ones dropped."""
    environ = os.environ if env is None else env
    return [p for p in environ.get("KHALKHIN_DATA", "").split(os.pathsep) if p]


def expand(paths: Iterable[str]) -> list[str]:
    """Files to load: each path as given, directories replaced by their .yaml/.yml files."""
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            try:
                names = sorted(os.listdir(p))
            except OSError as e:
                raise DataError([Problem(p, 0, 0, "error", f"cannot list directory: "
                                         f"{e.strerror or e}", "file")]) from None
            found = [os.path.join(p, n) for n in names if n.endswith((".yaml", ".yml"))
                     and not n.startswith(".")]
            if not found:
                raise DataError([Problem(p, 0, 0, "error", "directory holds no .yaml files",
                                         "file")])
            out.extend(found)
        else:
            out.append(p)
    return out


def given_paths(extra: Iterable[str] = (), *, bundled: bool = True,
                env: Mapping[str, str] | None = None) -> list[str]:
    """The data paths as given: the bundled file (unless left out), KHALKHIN_DATA, --data."""
    paths: list[str] = [str(bundled_path())] if bundled else []
    return [*paths, *env_paths(env), *(p for p in extra if p)]


def data_paths(extra: Iterable[str] = (), *, bundled: bool = True,
               env: Mapping[str, str] | None = None) -> list[str]:
    """The files to load, in order: bundled, then KHALKHIN_DATA, then --data (dirs expanded)."""
    paths: list[str] = [str(bundled_path())] if bundled else []
    return paths + expand(env_paths(env)) + expand(p for p in extra if p)


def is_bundled(path: str) -> bool:
    """Whether PATH is the bundled chronology itself."""
    try:
        return os.path.samefile(path, bundled_path())
    except OSError:
        return False

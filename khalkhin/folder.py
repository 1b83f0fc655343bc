"""Writing a folder of files (the notes export) by the rules of every other output.

Each file is written atomically (a temporary file in its directory, then renamed onto it)
and the temporary file is removed whatever happens. The folder keeps a manifest,
``.khalkhin-notes.json``, of every file khalkhin wrote there with a checksum of what it
wrote; a later run replaces a file only when it is still exactly that. A file someone
edited, a file khalkhin did not write, anything that is not a regular file, and any path
that would leave the folder through a link are left alone and reported as skipped. The
folder may not be a data directory. Only ``.md`` files are written.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field

from khalkhin.errors import KhalkhinError, UsageError
from khalkhin.tempfiles import TEMP_PREFIX, TEMP_SUFFIX, replacing
from khalkhin.term import protected_files

MANIFEST = ".khalkhin-notes.json"
MANIFEST_FORMAT = 1
MAX_MANIFEST = 64 * 1024 * 1024


class FolderFailed(KhalkhinError):
    """The folder could not be written (exit 1)."""


@dataclass
class Report:
    """What a run did, file by file (paths relative to the folder, with '/')."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)  # changed since written: kept
    foreign: list[str] = field(default_factory=list)  # not written by khalkhin: kept
    stale: list[str] = field(default_factory=list)  # written by an earlier run, not this one

    @property
    def skipped(self) -> list[str]:
        return self.edited + self.foreign


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(root: str) -> dict[str, str]:
    path = os.path.join(root, MANIFEST)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise FolderFailed(f"{path}: cannot read: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_MANIFEST:
        raise FolderFailed(f"{path}: is not a manifest khalkhin wrote; move it away")
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError) as e:
        raise FolderFailed(f"{path}: cannot be read as khalkhin's manifest ({e}); "
                           "move it away to start afresh") from None
    files = doc.get("files") if isinstance(doc, dict) else None
    if doc.get("format") != MANIFEST_FORMAT or not isinstance(files, dict):
        raise FolderFailed(f"{path}: is not a manifest of this version of khalkhin")
    return {str(k): str(v) for k, v in files.items()}


def _atomic(path: str, data: bytes) -> None:
    mask = os.umask(0)
    os.umask(mask)
    with replacing(path, TEMP_SUFFIX, TEMP_PREFIX) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fchmod(fh.fileno(), 0o666 & ~mask)


def _inside(root: str, path: str) -> bool:
    real = os.path.realpath(path)
    return real == root or real.startswith(root + os.sep)


def write(folder: str, files: Iterable[tuple[str, str]], protected: list[str]) -> Report:
    """Write FILES ((relative path, text)) into FOLDER as the module docstring says."""
    root = os.path.realpath(folder)
    if os.path.exists(root) and not os.path.isdir(root):
        raise UsageError(f"{folder}: is not a directory")
    data_files, data_dirs = protected_files(protected)
    data_dirs |= {os.path.dirname(f) for f in data_files}
    if root in data_dirs:
        raise UsageError(f"{folder}: is a data directory; khalkhin never writes to its data")
    try:
        os.makedirs(root, exist_ok=True)
    except OSError as e:
        raise FolderFailed(f"{folder}: cannot create it: {e.strerror or e}") from None
    manifest = _read_manifest(root)
    written = dict(manifest)
    report = Report()
    seen: set[str] = set()
    try:
        for rel, body in files:
            if not rel.endswith(".md") or rel.startswith("/") or ".." in rel.split("/"):
                raise ValueError(f"not a note path: {rel!r}")
            seen.add(rel)
            data = body.encode("utf-8")
            target = os.path.join(root, *rel.split("/"))
            parent = os.path.dirname(target)
            if not _inside(root, parent if os.path.exists(parent) else root):
                report.foreign.append(rel)
                continue
            try:
                st: os.stat_result | None = os.lstat(target)
            except FileNotFoundError:
                st = None
            if st is not None:
                if not stat.S_ISREG(st.st_mode):
                    report.foreign.append(rel)
                    continue
                with open(target, "rb") as fh:
                    current = digest(fh.read())
                if current == digest(data):
                    written[rel] = current
                    report.unchanged.append(rel)
                    continue
                if rel not in manifest:
                    report.foreign.append(rel)
                    continue
                if manifest[rel] != current:
                    report.edited.append(rel)
                    continue
            os.makedirs(parent, exist_ok=True)
            if not _inside(root, parent):
                report.foreign.append(rel)
                continue
            _atomic(target, data)
            written[rel] = digest(data)
            (report.updated if st is not None else report.new).append(rel)
    except OSError as e:
        raise FolderFailed(f"{folder}: cannot write: {e.strerror or e}") from None
    finally:
        # Even when stopped part-way (Ctrl-C, a full disk), what was written is recorded.
        if written != manifest:
            doc = {"format": MANIFEST_FORMAT, "generator": "khalkhin",
                   "files": dict(sorted(written.items()))}
            try:
                _atomic(os.path.join(root, MANIFEST),
                        (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode())
            except OSError as e:
                raise FolderFailed(f"{folder}: cannot write its manifest: "
                                   f"{e.strerror or e}") from None
    report.stale = sorted(p for p in manifest if p not in seen)
    return report

"""Exit codes, problems found in data files, and the errors the library raises."""

from __future__ import annotations

import enum
from typing import NamedTuple


class ExitCode(enum.IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    NOT_FOUND = 1  # nothing matches, ambiguous name, or bad data
    USAGE = 2  # bad option or argument
    INTERRUPTED = 130  # Ctrl-C
    TERMINATED = 143  # SIGTERM


class Problem(NamedTuple):
    """One thing wrong in a data file, with its position (1-based; 0 when unknown)."""

    path: str
    line: int
    col: int
    severity: str  # "error" or "warning"
    message: str
    rule: str

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col}"
        return f"{where}: {self.severity}: {self.message} [{self.rule}]"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class KhalkhinError(Exception):
    """An error to show the user as one line, with an exit code."""

    exit_code: ExitCode = ExitCode.NOT_FOUND


class DataError(KhalkhinError):
    """The chronology could not be loaded: carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.is_error]
        super().__init__(str(errors[0]) if errors else "invalid data")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


class LookupFailed(KhalkhinError):
    """A name matched nothing, or several things equally (candidates: id, kind, label,
    dates)."""

    def __init__(self, message: str,
                 candidates: list[tuple[str, str, str, str]] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


class UsageError(KhalkhinError):
    """A bad value for an option or argument (exit 2)."""

    exit_code = ExitCode.USAGE

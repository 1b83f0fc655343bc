"""The problem report of ``check``: the files checked and every problem found in them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from khalkhin.errors import Problem


@dataclass
class Report:
    """Files checked and their problems, in order."""

    files: list[str]
    problems: list[Problem]

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def summary(self) -> str:
        """"2 errors, 1 warning in 3 files", or "no problems in 1 file"."""
        n = len(self.files)
        where = f"in {n} file{'s' if n != 1 else ''}"
        if not self.problems:
            return f"no problems {where}"
        e, w = self.errors, self.warnings
        return f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''} {where}"

    def document(self) -> dict[str, Any]:
        """The whole report as one JSON-ready document."""
        return {"files": self.files, "errors": self.errors, "warnings": self.warnings,
                "summary": self.summary, "problems": [record(p) for p in self.problems]}


def record(p: Problem) -> dict[str, Any]:
    """One problem as a JSON-ready record (line and col are null when unknown)."""
    return {"path": p.path, "line": p.line or None, "col": p.col or None,
            "severity": p.severity, "message": p.message, "rule": p.rule}

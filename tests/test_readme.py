"""The README's console examples are run, and their output must match what is shown."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def examples() -> list[tuple[str, str]]:
    """(command, expected output) for every `$ khalkhin …` line of a console block."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        current: list[str] | None = None
        for line in block.splitlines():
            if line.startswith("$ "):
                current = [line[2:]]
                out.append(current)
            elif current is not None:
                current.append(line)
    return [(c[0], "\n".join(c[1:])) for c in out]


def runnable(cmd: str) -> bool:
    # Illustrations that use the reader's own files are not run.
    return "my-events.yaml" not in cmd and "~/" not in cmd


CASES = [pytest.param(cmd, expected, id=cmd[:60]) for cmd, expected in examples()
         if runnable(cmd)]


def test_there_are_examples() -> None:
    assert len(CASES) >= 8


@pytest.mark.parametrize(("cmd", "expected"), CASES)
def test_readme_example(cmd: str, expected: str, tmp_path: Path) -> None:
    bindir = str(Path(sys.executable).parent)
    if not shutil.which("khalkhin", path=bindir + os.pathsep + os.environ.get("PATH", "")):
        pytest.fail("the khalkhin console script is not installed; run the README set-up")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KHALKHIN_", "NO_COLOR", "FORCE_COLOR", "COLUMNS"))}
    env.update({"XDG_CACHE_HOME": str(tmp_path / "cache"),
                "PATH": bindir + os.pathsep + env.get("PATH", "")})
    proc = subprocess.run(["bash", "-c", cmd], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    shown = (proc.stderr + proc.stdout).rstrip("\n")
    assert shown == expected.rstrip("\n")

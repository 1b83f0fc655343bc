"""Shell completion as the shells use it: what bash, zsh and fish get, and that what bash
inserts is a runnable line — names with spaces and apostrophes too; tags complete."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

KHALKHIN = [sys.executable, "-m", "khalkhin"]


def complete(shell: str, line: str) -> list[str]:
    env = dict(os.environ, _KHALKHIN_COMPLETE=f"complete_{shell}")
    if shell == "bash":
        words = line.split(" ")
        env.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = subprocess.run([*KHALKHIN], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return [x for x in done.stdout.splitlines() if x]


@pytest.mark.parametrize(("typed", "name"), [
    ("Kwantung", "Kwantung Army"),
    ("Zhukov", "Zhukov's First Army Group"),
    ("kwantung", "Kwantung Army"),  # typed in lower case: the typed beginning is kept
])
def test_bash_inserts_a_runnable_line(typed: str, name: str) -> None:
    offered = complete("bash", f"khalkhin show {typed}")
    wanted = [o for o in offered if o.lower().replace("\\", "") == name.lower()]
    assert wanted, offered[:10]
    assert all(o.startswith(typed) for o in offered)
    line = f"{' '.join(KHALKHIN)} show {wanted[0]} -f json"
    done = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert '"type": "entity"' in done.stdout


def test_zsh_and_fish_get_the_names_themselves() -> None:
    zsh = "\n".join(complete("zsh", "khalkhin show Kwantung"))
    assert zsh.startswith("_arguments") and '"Kwantung Army":"unit' in zsh
    fish = complete("fish", "khalkhin show Kwantung")
    assert any(f.split("\t")[0] == "Kwantung Army" for f in fish)


def test_tags_complete_with_their_counts() -> None:
    fish = complete("fish", "khalkhin timeline --tag khal")
    assert fish and fish[0].split("\t")[0] == "khalkhin-gol"
    assert "events" in fish[0]
    assert complete("bash", "khalkhin timeline --tag Khal") == ["Khalkhin-gol"]

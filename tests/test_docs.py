"""The docs stay true: every command is in the README and has help with an example."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from khalkhin.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_every_command_is_documented_and_has_an_example(run: Any) -> None:
    names = commands()
    assert "timeline" in names
    for name in names:
        assert f"khalkhin {name}" in README, f"README does not show 'khalkhin {name}'"
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Example: khalkhin " + name in result.stdout, name


def test_readme_has_exactly_two_setup_commands() -> None:
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", setup, re.S)
    assert [b.strip() for b in blocks] == [
        "python3 -m pip install . && khalkhin timeline --from 1931",
        'python3 -m pip install ".[test]" -c constraints.txt && python3 -m pytest',
    ]


def test_the_lock_pins_every_test_dependency() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    pinned = {line.split("==")[0].casefold().replace("_", "-")
              for line in lock.splitlines() if "==" in line and not line.startswith("#")}
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    for req in wanted:
        name = re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0].casefold().replace("_", "-")
        assert name in pinned, f"{name} is not locked in constraints.txt"
    assert all("==" in line for line in lock.splitlines() if line and not line.startswith("#"))


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m pip install \"\\.\\[test\\]\"" in ci
    assert 'bash -c "$cmd"' in ci


def test_exit_codes_documented() -> None:
    from khalkhin.errors import ExitCode

    table = README.split("## Exit codes", 1)[1]
    for code in ExitCode:
        assert f"| {int(code)} |" in table

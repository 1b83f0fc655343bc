"""Shared fixtures: an isolated cache and environment, the CLI runner, the test chronology."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from khalkhin.cli import app

# Property tests: the same examples on every run (a red CI is then a real bug, not a new
# random draw), no time limit per example on a busy machine, nothing written to disk.
settings.register_profile("khalkhin", derandomize=True, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("khalkhin")

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "data" / "mini.yaml"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test gets its own cache directory and a plain, predictable environment."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for var in ("KHALKHIN_DATA", "KHALKHIN_NO_CACHE", "NO_COLOR", "FORCE_COLOR", "COLUMNS",
                "GITHUB_ACTIONS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("_TYPER_FORCE_DISABLE_TERMINAL", "1")
    monkeypatch.setenv("TERMINAL_WIDTH", "100")


@pytest.fixture
def run() -> Callable[..., object]:
    """Invoke the CLI in-process: run("timeline", "--from", "1939") -> Result."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> object:
        return runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def mini() -> list[str]:
    """Options that load only the small test chronology."""
    return ["--no-bundled", "--data", str(MINI)]


def env_without_cache(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    return env

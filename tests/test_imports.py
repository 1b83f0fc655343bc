"""Start-up cost guards: each command imports only what it needs (checked in a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI

# Runs the real entry point, then writes the names of the imported modules to a file.
_PROBE = """
import json, sys
out = sys.argv[1]
sys.argv = ["khalkhin", *sys.argv[2:]]
from khalkhin.cli import main
try:
    main()
except SystemExit:
    pass
with open(out, "w") as fh:
    json.dump(sorted(sys.modules), fh)
"""


def modules(tmp_path: Path, *args: str) -> set[str]:
    out = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHALKHIN_")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(out), *args,
                           "--no-bundled", "--data", str(MINI)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(out.read_text()))


def loaded(mods: set[str], package: str) -> bool:
    return package in mods or any(m.startswith(package + ".") for m in mods)


@pytest.mark.parametrize("fmt", ["plain", "json"])
def test_plain_and_json_timeline_do_not_import_rich(tmp_path: Path, fmt: str) -> None:
    mods = modules(tmp_path, "timeline", "--from", "1931", "--format", fmt)
    assert "khalkhin.cli" in mods
    assert not loaded(mods, "rich")
    assert not loaded(mods, "rapidfuzz")
    assert not loaded(mods, "convertdate")


def test_table_imports_rich_but_not_its_table(tmp_path: Path) -> None:
    # The guard above can fail: the table format does import Rich. A timeline table is
    # drawn by Grid, which needs Rich's console, not rich.table (the slow path).
    mods = modules(tmp_path, "timeline", "--from", "1931", "--format", "table")
    assert "rich.console" in mods
    assert "rich.table" not in mods
    # show's profile is made of Rich tables and panels.
    assert "rich.table" in modules(tmp_path, "show", "--format", "table", "zhukov")


def test_warm_cache_hit_does_not_import_yaml(tmp_path: Path) -> None:
    cold = modules(tmp_path, "timeline", "--format", "plain")
    assert loaded(cold, "yaml")  # the first run parses the YAML and fills the cache
    warm = modules(tmp_path, "timeline", "--format", "plain")
    assert not loaded(warm, "yaml")
    assert "khalkhin.load" not in warm and "khalkhin.validate" not in warm


def test_no_cache_imports_yaml_every_time(tmp_path: Path) -> None:
    modules(tmp_path, "timeline", "--format", "plain")
    assert loaded(modules(tmp_path, "timeline", "--format", "plain", "--no-cache"), "yaml")


def test_exact_names_do_not_import_rapidfuzz(tmp_path: Path) -> None:
    assert not loaded(modules(tmp_path, "timeline", "--entity", "zhukov", "--format", "plain"),
                      "rapidfuzz")
    assert not loaded(modules(tmp_path, "timeline", "--entity", "Georgi Zhukov", "--format",
                              "plain"), "rapidfuzz")
    assert not loaded(modules(tmp_path, "show", "zhukov", "--format", "plain"), "rapidfuzz")


def test_fuzzy_look_up_imports_rapidfuzz(tmp_path: Path) -> None:
    mods = modules(tmp_path, "timeline", "--entity", "Zhukoff", "--format", "plain")
    assert loaded(mods, "rapidfuzz")

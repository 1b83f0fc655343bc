"""The package as a user gets it: the wheel carries the chronology; the entry points run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_the_chronology(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    builder = WheelBuilder(str(ROOT))
    wheel = next(iter(builder.build(directory=str(tmp_path), versions=["standard"])))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert "khalkhin/data/events.yaml" in names
        assert "khalkhin/cli/__init__.py" in names
        bundled = zf.read("khalkhin/data/events.yaml")
        entry = next(n for n in names if n.endswith("entry_points.txt"))
        assert "khalkhin = khalkhin.cli:main" in zf.read(entry).decode()
    assert bundled == (ROOT / "data" / "events.yaml").read_bytes()
    assert not any(n.startswith(("tests/", "bench/")) for n in names)


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env.pop("KHALKHIN_DATA", None)
    return env


def test_console_script_runs_from_any_directory(tmp_path: Path) -> None:
    exe = shutil.which("khalkhin") or str(Path(sys.executable).parent / "khalkhin")
    if not os.path.exists(exe):
        pytest.fail("the khalkhin console script is not installed; run the README set-up")
    proc = subprocess.run([exe, "timeline", "--from", "1931"], cwd=tmp_path,
                          capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.splitlines()
    assert len(out) > 100
    assert "1931-09-18  " in proc.stdout
    assert "┃" not in proc.stdout and "\x1b" not in proc.stdout
    assert proc.stderr == ""


def test_python_dash_m(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "khalkhin", "timeline", "--from", "1945-09-02",
                           "--to", "1945-09-02", "--strict"], cwd=tmp_path,
                          capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("1945-09-02  ")


def test_plain_run_does_not_import_rich(tmp_path: Path) -> None:
    code = ("import sys; from khalkhin.cli import main; sys.argv=['khalkhin','timeline',"
            "'--format','plain','--from','1939']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('RICH' if any(m == 'rich' or m.startswith('rich.') for m in sys.modules)"
            " else 'NORICH', file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, env=_env(tmp_path), timeout=60)
    assert proc.stderr.strip().endswith("NORICH"), proc.stderr

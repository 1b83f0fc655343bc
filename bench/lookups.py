"""Look-up benchmark: warm show and search, this checkout beside a baseline, in one run.

    python bench/lookups.py                                    # this checkout alone
    python bench/lookups.py --baseline /path/to/venv/bin/python  # and an older install

The baseline is another Python with khalkhin installed (for example from an earlier commit:
``git worktree add /tmp/base <ref> && python3 -m venv /tmp/base-venv &&
/tmp/base-venv/bin/pip install /tmp/base``). Each command runs warm (the parse cache
filled by a first run), the median of --runs whole processes is reported with the peak
memory, and the ratio of this checkout to the baseline. Sizes: the bundled chronology and
generated chronologies of --sizes events over it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from run import Result, fmt_row, machine, measure  # noqa: E402

# (label, arguments): exact names, a loose name, a name with a year and a kind, searches.
QUERIES = [
    ("show ID", ["show", "zhukov"]),
    ("show NAME", ["show", "Kwantung Army"]),
    ("show loose name", ["show", "zhukow"]),
    ("show name + year", ["show", "Sino-Soviet treaty 1937"]),
    ("search WORD", ["search", "nomonhan"]),
    ("search sentence", ["search", "the battle at the Halhin Gol river in 1939"]),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", help="a Python with the baseline khalkhin installed")
    ap.add_argument("--sizes", nargs="*", type=int, default=[100_000])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="khalkhin-bench-lookups-"))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KHALKHIN_", "FORCE_COLOR", "NO_COLOR"))}
    env.update({"COLUMNS": "100", "LC_ALL": "C.UTF-8"})
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"# khalkhin look-ups — {machine()}")
    print(f"# {args.runs} warm runs (median; peak RSS the largest run); temp dir {tmp}")
    data: list[tuple[str, list[str]]] = [("bundled", [])]
    for n in args.sizes:
        path = tmp / f"events-{n}.yaml"
        generate.write_yaml(generate.chronology(n), path)
        data.append((f"{n:,} events over the bundled", ["--data", str(path)]))
    sides = [("now", args.python)] + ([("baseline", args.baseline)] if args.baseline else [])
    for label, extra in data:
        print(f"\n## {label}")
        for name, argv in QUERIES:
            results: dict[str, Result] = {}
            for side, py in sides:
                side_env = dict(env, XDG_CACHE_HOME=str(tmp / f"cache-{side}"))
                cmd = [py, "-P", "-m", "khalkhin", *argv, *extra, "--format", "plain"]
                results[side] = measure(f"{name} ({side})", cmd, side_env, args.runs)
            base = results.get("baseline")
            print(fmt_row(results["now"], base, "of the baseline") if base else
                  fmt_row(results["now"]))
            if base:
                print(fmt_row(base))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

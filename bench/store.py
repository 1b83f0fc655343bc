"""Benchmark of the indexed store: what a command costs at 10,000, 100,000 and 1,000,000
events, beside the same command at the bundled size, and beside an earlier khalkhin.

    python bench/store.py --today /path/to/older/venv/bin/python
    python bench/store.py --sizes 10000 100000 --runs 3

``--today`` names the Python of another installation of khalkhin (say, the release before
the store, whose cache was one JSON document): each size is then measured with both, in
the same run, and the table gives both. Everything happens in a temporary directory (the
generated data as YAML files of at most 100,000 events each, and JSON for jq; the caches),
never in the user's cache. Each warm command is run once to warm up, then --runs times
(the median wall time; the peak resident memory of the runs, from GNU time).

Printed: a Markdown table per size (cold build, the warm commands, the store's size beside
the YAML's), the peers (jq over the same data as JSON, a yaml.CSafeLoader script), and the
ratios the targets are stated in.
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
from run import Result, machine, measure  # noqa: E402

RANGE = ["--from", "1939-08-20", "--to", "1939-08-31"]


def khalkhin(python: str) -> list[str]:
    # -P: the installation of that Python, never a khalkhin in the current directory.
    return [python, "-P", "-m", "khalkhin"]


def commands(name: str, word: str, ident: str) -> list[tuple[str, list[str]]]:
    return [
        ("show ID", ["show", ident, "-f", "plain"]),
        ("show NAME", ["show", name, "-f", "plain"]),
        ("search WORD", ["search", word, "-f", "plain"]),
        ("timeline 20-31 Aug 1939", ["timeline", *RANGE, "-f", "plain"]),
        ("timeline --from 1931 (streamed)", ["timeline", "--from", "1931", "-f", "plain"]),
    ]


def store_size(cache: Path, suffixes: tuple[str, ...] = (".sqlite", ".json")) -> int:
    return sum(p.stat().st_size for p in cache.rglob("*") if p.suffix in suffixes)


def run_size(label: str, data: list[str], python: str, env: dict[str, str], cache: Path,
             cmds: list[tuple[str, list[str]]], runs: int, cold_runs: int) -> dict[str, Result]:
    out: dict[str, Result] = {}
    env = dict(env, XDG_CACHE_HOME=str(cache))
    base = [*khalkhin(python), "tags", *data]

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    out["cold build"] = measure(f"{label}: cold build", base, env, cold_runs, warmup=0,
                                before=clear)
    out["store size"] = Result("store size", 0.0, [], store_size(cache) // 1024)
    kept = store_size(cache, (".part",))
    if kept:
        out["kept parses (.part)"] = Result("store size", 0.0, [], kept // 1024)
    for name, argv in cmds:
        out[name] = measure(f"{label}: {name}", [*khalkhin(python), *argv, *data], env, runs)
    files = [a for a in data if a.endswith(".yaml")]
    if len(files) > 1:
        def edit() -> None:  # one more line in the last file: its bytes have changed
            with open(files[-1], "a", encoding="utf-8") as fh:
                fh.write("# edited\n")

        out["rebuild after editing one file"] = measure(f"{label}: rebuild after an edit", base,
                                                        env, cold_runs, warmup=0, before=edit)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--today", help="the Python of an earlier khalkhin to compare with")
    ap.add_argument("--today-max", type=int, default=1_000_000,
                    help="largest size to measure the earlier khalkhin at")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--jq", default=shutil.which("jq") or "/usr/bin/jq")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="khalkhin-store-bench-"))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KHALKHIN_") and k != "PYTHONDONTWRITEBYTECODE"}
    print(f"# {machine()}")
    try:
        bundled = run_size("bundled", [], args.python, env, tmp / "c-bundled",
                           commands("Georgy Zhukov", "tanks", "zhukov"), args.runs, 1)
        _table("bundled chronology", bundled, None, 0)
        for n in args.sizes:
            chron = generate.chronology(n)
            paths = generate.write_yaml_parts(chron, tmp / f"yaml-{n}")
            json_path = tmp / f"{n}.json"
            generate.write_json(chron, json_path)
            yaml_bytes = sum(p.stat().st_size for p in paths)
            ent = chron["entities"][123 % len(chron["entities"])]
            cmds = commands(str(ent["name"]), "skirmish", "ev-000123")
            data = ["--no-bundled", *(a for p in paths for a in ("--data", str(p)))]
            del chron
            now = run_size(f"{n:,}", data, args.python, env, tmp / f"c-{n}", cmds, args.runs, 1)
            today = None
            if args.today and n <= args.today_max:
                today = run_size(f"{n:,} today", data, args.today, env, tmp / f"t-{n}", cmds,
                                 1 if n >= 1_000_000 else args.runs, 1)
            _table(f"{n:,} events ({yaml_bytes / 2**20:.0f} MiB of YAML)", now, today,
                   yaml_bytes)
            peers = {}
            if os.access(args.jq, os.X_OK):
                peers["jq"] = measure("jq", [args.jq, "-r", '.events[] | select(.date >= "1931")'
                                      ' | "\\(.date)  \\(.title)"', str(json_path)], env,
                                      args.runs)
            peers["csafe"] = measure("csafe", [args.python, str(HERE / "csafe_filter.py"),
                                               *map(str, paths), "1931"], env, 1)
            _ratios(n, now, bundled, peers, today, yaml_bytes)
            for p in paths:
                p.unlink()
            json_path.unlink()
            shutil.rmtree(tmp / f"c-{n}", ignore_errors=True)
            shutil.rmtree(tmp / f"t-{n}", ignore_errors=True)
    finally:
        if args.keep:
            print(f"# kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _cell(r: Result | None) -> str:
    if r is None:
        return "—"
    if r.name == "store size":
        return f"{r.peak_kb / 1024:.1f} MiB"
    flag = "" if r.ok else f" (failed: {r.note})"
    return f"{r.median:.2f} s, {r.peak_kb / 1024:.0f} MiB{flag}"


def _table(title: str, now: dict[str, Result], today: dict[str, Result] | None,
           yaml_bytes: int) -> None:
    print(f"\n### {title}\n")
    print("| | today | now |" if today else "| | now |")
    print("| --- | --- | --- |" if today else "| --- | --- |")
    for key, r in now.items():
        row = f"| {key} | {_cell(today.get(key)) + ' | ' if today else ''}{_cell(r)} |"
        print(row)
    if yaml_bytes:
        size = f"{yaml_bytes / 2**20:.1f} MiB"
        print(f"| YAML size | {size} | {size} |" if today else f"| YAML size | {size} |")
    sys.stdout.flush()


def _ratios(n: int, now: dict[str, Result], bundled: dict[str, Result],
            peers: dict[str, Result], today: dict[str, Result] | None, yaml_bytes: int) -> None:
    print(f"\nRatios at {n:,} events (this run):\n")
    for key in ("show ID", "show NAME", "search WORD", "timeline 20-31 Aug 1939"):
        a, b = now[key], bundled[key]
        print(f"- {key}: {a.median / b.median:.2f}× the bundled size's time, "
              f"{a.peak_kb / b.peak_kb:.2f}× its memory")
    tail = now["timeline --from 1931 (streamed)"]
    if "jq" in peers:
        print(f"- timeline --from 1931 -f plain: {tail.median / peers['jq'].median:.2f}× jq's "
              "time over the same data as JSON")
    print(f"- timeline --from 1931 -f plain: {tail.peak_kb / peers['csafe'].peak_kb:.2f}× the "
          "memory of a yaml.CSafeLoader script")
    if today:
        for key in ("cold build", "rebuild after editing one file"):
            if key in now and key in today:
                a, b = now[key], today[key]
                print(f"- {key}: {a.median / b.median:.2f}× today's time, "
                      f"{a.peak_kb / b.peak_kb:.2f}× today's memory")
    print(f"- store size: {now['store size'].peak_kb * 1024 / yaml_bytes:.2f}× the YAML's")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

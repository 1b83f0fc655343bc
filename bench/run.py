"""Benchmarks: khalkhin against its start-up floors and its peers, as whole processes.

Run from a checkout, with the Python that has khalkhin installed:

    python bench/run.py                      # all sizes: bundled, 300, 10,000, 100,000 events
    python bench/run.py --sizes 300 10000 --runs 5
    python bench/run.py --jrnl /path/to/venv/bin/jrnl --jq /usr/bin/jq

Everything happens in a temporary directory (the generated data, the parse caches, the jrnl
configuration); the user's own cache and configuration are never touched. Each command is
run once to warm up, then --runs times; the median wall time and the peak resident memory
(the largest of the runs, from the kernel's rusage) are reported.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

START = "1931"
GNU_TIME = "/usr/bin/time"


@dataclass
class Result:
    name: str
    median: float  # seconds
    runs: list[float]
    peak_kb: int
    ok: bool = True
    note: str = ""


def measure(name: str, argv: list[str], env: dict[str, str], runs: int, *, warmup: int = 1,
            before: object = None, stdout: int | None = None) -> Result:
    """Median wall time and peak RSS of a whole process; ``before`` runs before each run."""
    times: list[float] = []
    peak = 0
    ok = True
    note = ""
    # GNU time reports the child's own peak RSS. (The kernel's rusage for a child spawned
    # straight from this process would start at this process's size: vfork shares it.)
    mem_file = Path(tempfile.mkstemp(prefix="khalkhin-bench-rss-")[1])
    if os.access(GNU_TIME, os.X_OK):
        argv = [GNU_TIME, "-f", "%M", "-o", str(mem_file), *argv]
    for i in range(warmup + runs):
        if callable(before):
            before()
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL if stdout is None else stdout,
                                stderr=subprocess.PIPE)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            ok = False
            note = err.decode("utf-8", "replace").strip().splitlines()[-1:][0] if err else \
                f"exit {proc.returncode}"
        if i >= warmup:
            times.append(elapsed)
            try:
                peak = max(peak, int(mem_file.read_text().split()[-1]))
            except (OSError, ValueError, IndexError):
                peak = max(peak, usage.ru_maxrss)
    mem_file.unlink()
    return Result(name, statistics.median(times), times, peak, ok, note)


def fmt_row(r: Result, ref: Result | None = None, label: str = "") -> str:
    ratio = ""
    if ref is not None and ref.median > 0:
        ratio = f"{r.median / ref.median:5.2f}x {label}"
    mem = f"{r.peak_kb / 1024:7.1f} MiB"
    flag = "" if r.ok else f"  FAILED: {r.note}"
    return f"  {r.name:<44} {r.median * 1000:9.1f} ms  {mem}  {ratio}{flag}"


def machine() -> str:
    cpu = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            if line.startswith("Model name"):
                cpu = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs ({cpu}), "
            f"Python {platform.python_version()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="*", type=int, default=[300, 10_000, 100_000])
    ap.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    ap.add_argument("--big-runs", type=int, default=3,
                    help="timed runs for the slow cold loads of 100,000 events (default 3)")
    ap.add_argument("--no-bundled", action="store_true", help="skip the bundled chronology")
    ap.add_argument("--jq", default=shutil.which("jq") or "/usr/bin/jq")
    ap.add_argument("--jrnl", default=shutil.which("jrnl") or "jrnl")
    ap.add_argument("--python", default=sys.executable,
                    help="the Python that has khalkhin, typer and rich installed")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()

    py = args.python
    khalkhin = [py, "-m", "khalkhin"]
    exe = Path(py).with_name("khalkhin")
    if exe.exists():
        khalkhin = [str(exe)]
    tmp = Path(tempfile.mkdtemp(prefix="khalkhin-bench-"))
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("KHALKHIN_", "FORCE_COLOR", "NO_COLOR"))}
    base_env.update({"XDG_CACHE_HOME": str(tmp / "cache"), "XDG_CONFIG_HOME": str(tmp / "cfg"),
                     "COLUMNS": "100", "LC_ALL": "C.UTF-8"})
    # A pip-installed package has its bytecode compiled at install time; a checkout gets it
    # from the warm-up run. Forbidding it would time Python's compiler, not the tool.
    base_env.pop("PYTHONDONTWRITEBYTECODE", None)
    has_jq = os.access(args.jq, os.X_OK)
    has_jrnl = os.access(args.jrnl, os.X_OK)
    print(f"# khalkhin benchmarks — {machine()}")
    print(f"# {args.runs} runs after a warm-up (median; peak RSS is the largest run); "
          f"temp dir {tmp}")
    if not has_jq:
        print(f"# jq not found at {args.jq}: jq rows skipped")
    if not has_jrnl:
        print(f"# jrnl not found at {args.jrnl}: jrnl rows skipped (pip install jrnl in a "
              "separate venv and pass --jrnl)")

    def cold_cache() -> None:
        shutil.rmtree(tmp / "cache", ignore_errors=True)

    floor = measure("floor: minimal Typer app", [py, str(HERE / "floor_typer.py"), "timeline",
                                                  "--from", START, "--format", "plain"],
                    base_env, args.runs)
    floor_rich = measure("floor: Typer + rich.table, one row",
                         [py, str(HERE / "floor_rich.py"), "timeline", "--from", START,
                          "--format", "table"], base_env, args.runs)
    print("\n## Start-up floors")
    print(fmt_row(floor))
    print(fmt_row(floor_rich, floor, "of the Typer floor"))

    datasets: list[tuple[str, Path, list[str], str]] = []
    if not args.no_bundled:
        from khalkhin.paths import bundled_path

        datasets.append(("bundled", bundled_path(), [], ""))
    for n in args.sizes:
        datasets.append((f"{n:,} events", tmp / f"events-{n}.yaml", ["--no-bundled"], str(n)))

    for label, path, extra, size in datasets:
        t0 = time.perf_counter()
        if size:
            chron = generate.chronology(int(size))
            generate.write_yaml(chron, path)
        else:
            try:
                chron = generate.from_yaml_file(path)
            except Exception as e:  # the bundled data is broken: say so and go on
                print(f"\n## {label}: cannot load ({str(e)[:100]}); skipped")
                continue
        stem = tmp / (path.stem if size else "bundled")  # never beside the user's data
        json_path = stem.with_suffix(".json")
        generate.write_json(chron, json_path)
        journal = stem.with_suffix(".journal.txt")
        generate.write_jrnl(chron, journal)
        n_events = len(chron["events"])
        del chron
        gen = time.perf_counter() - t0
        data = [] if not size else ["--data", str(path)]
        big = n_events >= 50_000
        cold_runs = args.big_runs if big else args.runs
        print(f"\n## {label} ({n_events:,} events, {path.stat().st_size / 2**20:.1f} MiB YAML; "
              f"generated in {gen:.1f} s)")

        tl = [*khalkhin, "timeline", "--from", START, "--format", "plain", *extra, *data]
        rows: list[tuple[Result, Result | None, str]] = []
        cold = measure("timeline --format plain, cold", tl, base_env, cold_runs,
                       before=cold_cache)
        warm = measure("timeline --format plain, warm", tl, base_env, args.runs)
        table = measure("timeline --format table, warm",
                        [*khalkhin, "timeline", "--from", START, "--format", "table", *extra,
                         *data],
                        base_env, args.runs)
        rows += [(cold, None, ""), (warm, floor, "of the Typer floor"),
                 (table, floor_rich, "of the Typer + Rich floor")]

        name_query = ""
        if size:
            # An entity from the middle of the file, by one of its names.
            name_query = generate.chronology(40)["entities"][7]["name"]  # type: ignore[assignment]
        else:
            name_query = "Zhukov"
        for cmd in ("search", "show"):
            argv = [*khalkhin, cmd, str(name_query), "--format", "plain", *extra, *data]
            r = measure(f"{cmd} '{name_query}', warm", argv, base_env, args.runs)
            rows.append((r, None, ""))

        csafe = None
        if size:
            csafe = measure("peer: yaml.CSafeLoader script",
                            [py, str(HERE / "csafe_filter.py"), str(path), START], base_env,
                            cold_runs)
        jq = None
        if has_jq:
            jq = measure("peer: jq '.events[] | select(.date >= \"1931\")'",
                         [args.jq, "-c", f'.events[] | select(.date >= "{START}")',
                          str(json_path)], base_env, args.runs)
        jrnl = None
        if has_jrnl and (not big or os.environ.get("BENCH_JRNL_BIG")):
            cfg = tmp / "cfg" / "jrnl"
            cfg.mkdir(parents=True, exist_ok=True)
            (cfg / "jrnl.yaml").write_text(
                "colors: {body: none, date: none, tags: none, title: none}\n"
                "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\n"
                "highlight: false\nindent_character: '|'\n"
                f"journals:\n  default:\n    journal: {journal}\n"
                "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\n"
                "timeformat: '%Y-%m-%d %H:%M'\nversion: v4.2\n", encoding="utf-8")
            jrnl = measure("peer: jrnl -from 1931-01-01 --format short",
                           [args.jrnl, "-from", f"{START}-01-01", "--format", "short"],
                           base_env, args.runs)

        for r, ref, lab in rows:
            print(fmt_row(r, ref, lab))
        for peer in (csafe, jq, jrnl):
            if peer is not None:
                print(fmt_row(peer))
        print("  ratios:")
        if jrnl is not None:
            print(f"    timeline plain, warm / jrnl   {warm.median / jrnl.median:5.2f}x")
            print(f"    timeline table, warm / jrnl   {table.median / jrnl.median:5.2f}x")
        if jq is not None:
            print(f"    timeline plain, warm / jq     {warm.median / jq.median:5.2f}x")
            for r, _ref, _lab in rows[3:]:
                print(f"    {r.name.split(' ')[0]:<6} warm / jq            "
                      f"{r.median / jq.median:5.2f}x")
        if csafe is not None:
            print(f"    timeline plain, cold / CSafeLoader   {cold.median / csafe.median:5.2f}x "
                  f"time, {cold.peak_kb / csafe.peak_kb:5.2f}x memory")
            print(f"    timeline plain, warm / CSafeLoader   memory "
                  f"{warm.peak_kb / csafe.peak_kb:5.2f}x")
        sys.stdout.flush()

    if args.keep:
        print(f"\n# kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

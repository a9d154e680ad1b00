"""`make bench`: szei at 100k, 1M and 10M enterprise rows against the floor (one DuckDB query).

For each scale, on the same files in the same run:

1. floor    — `python -m benchmarks.floor`: one DuckDB query reads every CSV file and sums the
              values by district and industry (the least any implementation must do);
2. pipeline — `szei run --no-report` end to end (read, validate, quarantine, attribute, marts, publish);
3. validate — `szei validate` on one quarter's file (the largest data file of the last year);

each in a fresh child process, timed by wall clock, with its peak RSS read from the child's own
rusage (`os.wait4`), i.e. whole-process figures as `/usr/bin/time -v` gives them. A step shorter
than `--short` seconds is repeated (`--repeats`) and its median reported; peak memory is the
largest of the runs. The machines are shared and noisy: the ratio pipeline/floor is the figure
that counts.

Data: `szei sample --formats csv --no-bad-rows` (quarterly year-to-date files of 2010–2012, the
contract's CSV format), generated once per seed and size under `$SZEI_BENCH_DIR` (default
`/tmp/szei-bench`), `seed-S-rows-N/raw/{targets,output}`, outside the repository, and reused.

    uv run python -m benchmarks.run                       # 100k, 1M, 10M
    uv run python -m benchmarks.run --sizes 100000 --repeats 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from pipelines.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (100_000, 1_000_000, 10_000_000)
DEFAULT_SEED = 2012
# `szei sample` writes ~12.58 rows per enterprise (12 quarterly YTD files + the revision;
# 生物 lines report one row per output district); measured, used only to pick --enterprises.
ROWS_PER_ENTERPRISE = 12.58
READY = "bench.json"


class BenchError(RuntimeError):
    """A step of the benchmark failed (non-zero exit or wrong output)."""


@dataclass
class Measure:
    """One step at one scale: wall seconds and peak RSS (MB) of each run."""

    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    @property
    def median_s(self) -> float:
        return statistics.median(self.seconds)

    @property
    def max_mb(self) -> float:
        return max(self.peak_mb)


@dataclass
class Scale:
    rows_target: int
    rows: int
    files: int
    validate_file: str
    validate_rows: int
    floor: Measure
    pipeline: Measure
    validate: Measure

    @property
    def ratio(self) -> float:
        return self.pipeline.median_s / self.floor.median_s


# ---------------------------------------------------------------------------- processes


def run_child(cmd: list[str], *, ok_codes=(0,), env: dict | None = None, cwd: Path | None = None) -> tuple[float, float, str]:
    """Run `cmd` in a fresh process: (wall seconds, peak RSS MB, output). Raises BenchError on failure."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode not in ok_codes:
        raise BenchError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{text[-4000:]}")
    peak_mb = usage.ru_maxrss / 1024  # Linux: kilobytes
    return elapsed, peak_mb, text


def _szei() -> list[str]:
    return [sys.executable, "-m", "pipelines.cli"]


def _child_env() -> dict:
    env = dict(os.environ)
    env.pop("DAGSTER_HOME", None)  # an ephemeral instance, like a plain `szei run`
    return env


# ---------------------------------------------------------------------------- data


def data_dir(root: Path, seed: int, rows: int) -> Path:
    return root / f"seed-{seed}-rows-{rows}"


def ensure_data(root: Path, seed: int, rows: int, log=print) -> tuple[Path, dict]:
    """The raw folder (targets/ + output/) for `rows` rows, generated once and cached."""
    base = data_dir(root, seed, rows)
    ready = base / READY
    if ready.is_file():
        info = json.loads(ready.read_text(encoding="utf-8"))
        if (base / "raw" / "output").is_dir():
            return base / "raw", info
    if base.exists():
        shutil.rmtree(base)
    enterprises = max(10, round(rows / ROWS_PER_ENTERPRISE))
    raw = base / "raw"
    log(f"  generating {rows:,} rows ({enterprises:,} enterprises, seed {seed}) in {base} …")
    started = time.perf_counter()
    # `szei sample --out RAW` writes RAW/output/ and RAW/targets/ (a raw folder `szei run` accepts)
    run_child([*_szei(), "sample", "--out", str(raw), "--seed", str(seed),
               "--enterprises", str(enterprises), "--formats", "csv", "--no-bad-rows"], cwd=PROJECT_ROOT)
    files = sorted((raw / "output").glob("*.csv"))
    counts = {p.name: _count_rows(p) for p in files}
    info = {"seed": seed, "rows_target": rows, "enterprises": enterprises, "rows": sum(counts.values()),
            "files": counts, "generated_s": round(time.perf_counter() - started, 1),
            "generated_at": datetime.now().isoformat(timespec="seconds")}
    ready.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return raw, info


def _count_rows(path: Path) -> int:
    with path.open("rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 24), b""))
    return lines - 1  # header


def quarter_file(info: dict) -> str:
    """One quarter's file: the largest non-revision data file (the last year's 1-12月)."""
    return max((n for n in info["files"] if "修订" not in n), key=lambda n: (info["files"][n], n))


# ---------------------------------------------------------------------------- measuring


def measure(cmd: list[str], repeats: int, short: float, *, ok_codes=(0,), check=None, env=None) -> Measure:
    """Run once; when shorter than `short` s, run until `repeats` runs and report the median."""
    m = Measure()
    while True:
        seconds, peak, text = run_child(cmd, ok_codes=ok_codes, env=env, cwd=PROJECT_ROOT)
        if check is not None:
            check(text)
        m.seconds.append(seconds)
        m.peak_mb.append(peak)
        if len(m.seconds) >= repeats or m.median_s >= short:
            return m


def bench_scale(root: Path, seed: int, rows: int, repeats: int, short: float, log=print) -> Scale:
    raw, info = ensure_data(root, seed, rows, log)
    output = raw / "output"
    qfile = quarter_file(info)
    env = _child_env()

    def floor_ok(text: str) -> None:
        if f"rows={info['rows']}" not in text:
            raise BenchError(f"floor read the wrong number of rows: {text.strip()} (expected {info['rows']})")

    def validate_ok(text: str) -> None:
        if f"读取 {info['files'][qfile]} 行" not in text:
            raise BenchError(f"szei validate did not read {info['files'][qfile]} rows:\n{text[-2000:]}")

    log(f"  floor ({info['rows']:,} rows) …")
    floor = measure([sys.executable, "-m", "benchmarks.floor", str(output)], repeats, short, check=floor_ok, env=env)
    with tempfile.TemporaryDirectory(prefix="szei-bench-marts-") as tmp:
        marts = Path(tmp) / "szei.duckdb"

        def pipeline_ok(_text: str) -> None:
            _check_marts(marts, info["rows"])

        log("  szei run --no-report …")
        pipeline = measure([*_szei(), "run", "--no-report", "--raw-dir", str(raw), "--marts", str(marts)],
                           repeats, short, check=pipeline_ok, env=env)
    log(f"  szei validate {qfile} …")
    validate = measure([*_szei(), "validate", str(output / qfile), "--raw-dir", str(raw)],
                       repeats, short, check=validate_ok, env=env)
    return Scale(rows, info["rows"], len(info["files"]), qfile, info["files"][qfile], floor, pipeline, validate)


def _check_marts(marts: Path, rows: int) -> None:
    """The published marts account for every row read (the pipeline really ran)."""
    import duckdb

    con = duckdb.connect(str(marts), read_only=True)
    try:
        read, accepted = con.execute("select sum(rows_read), sum(rows_accepted) from dq_file_summary").fetchone()
        records = con.execute("select count(*) from int_attributed_output").fetchone()[0]
    finally:
        con.close()
    if read != rows or accepted != rows or records == 0:
        raise BenchError(f"marts account for {read} rows read / {accepted} accepted, expected {rows}")


# ---------------------------------------------------------------------------- report


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem_kb = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal")), 0)
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), platform.processor())
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cores": cores, "memory_gb": round(mem_kb / 1024**2, 1), "cpu": model, "python": platform.python_version(),
            "os": platform.platform(terse=True), "load_avg": [round(x, 2) for x in os.getloadavg()]}


def versions() -> dict:
    from importlib.metadata import version

    return {pkg: version(pkg) for pkg in ("szei", "polars", "duckdb", "dagster", "pandera")}


def table(scales: list[Scale]) -> str:
    head = ("| rows | floor s | pipeline s | ratio pipeline/floor | validate s (1 quarter file) "
            "| pipeline peak MB | validate peak MB |")
    lines = [head, "|---:|---:|---:|---:|---:|---:|---:|"]
    for s in scales:
        lines.append(
            f"| {s.rows:,} | {s.floor.median_s:.2f} | {s.pipeline.median_s:.2f} | {s.ratio:.1f} "
            f"| {s.validate.median_s:.2f} ({s.validate_rows:,} rows) | {s.pipeline.max_mb:,.0f} | {s.validate.max_mb:,.0f} |"
        )
    return "\n".join(lines)


def report(scales: list[Scale], mach: dict, when: datetime) -> str:
    runs = ", ".join(f"{s.rows_target:,}: {len(s.floor.seconds)}/{len(s.pipeline.seconds)}/{len(s.validate.seconds)}"
                     for s in scales)
    return "\n".join([
        f"szei benchmark, {when:%Y-%m-%d %H:%M} — {mach['cores']} cores, {mach['memory_gb']} GB, {mach['cpu']}; "
        f"Python {mach['python']}; load average at start {mach['load_avg']}",
        "",
        table(scales),
        "",
        f"Medians of the runs (floor/pipeline/validate runs per scale — {runs}); peak MB is the largest "
        "peak RSS of the runs; whole processes, start-up included.",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.run", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
                        help="rows per scale, comma-separated (default 100000,1000000,10000000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--repeats", type=int, default=5, help="runs of a short step (median reported)")
    parser.add_argument("--short", type=float, default=20.0, help="a step shorter than this (s) is repeated")
    parser.add_argument("--dir", type=Path, default=Settings.from_env().bench_dir,
                        help="cache of generated data (env SZEI_BENCH_DIR)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.dir.mkdir(parents=True, exist_ok=True)


    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    mach, when = machine(), datetime.now()
    scales = []
    for rows in sizes:
        log(f"scale {rows:,} rows")
        scales.append(bench_scale(args.dir, args.seed, rows, args.repeats, args.short, log))
    text = report(scales, mach, when)
    print(text)
    if args.json:
        payload = {"when": when.isoformat(timespec="seconds"), "machine": mach, "versions": versions(),
                   "scales": [asdict(s) | {"ratio": s.ratio} for s in scales]}
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

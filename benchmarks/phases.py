"""Where the time goes: one in-process run of validation and the marts build, phase by phase.

`uv run python -m benchmarks.phases RAW_DIR` (RAW_DIR holds `targets/` and `output/`, e.g. a
`make bench` folder `/tmp/szei-bench/seed-2012-rows-10000000/raw`) prints the seconds of each
validation phase (reading and parsing summed over the files), of each SQL model, and the process's
resident-memory high-water mark after each. No Dagster, no report: this is the profile that
`benchmarks/README-performance.md` quotes, not the benchmark (`make bench` times whole processes).

The phases are timed by wrapping, by name, the module functions `validate_output_files` and
`build_marts` call (the names below): a renamed function fails loudly (AttributeError); a function
that is still defined but no longer called through that module name would silently go untimed, which
is why the smoke test asserts that every name below appears in the output.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pipelines.marts as marts_package
import pipelines.marts.build as marts_build
import pipelines.validation.core as core
import pipelines.validation.schemas as schemas
from pipelines.marts import RunParams, build_marts
from pipelines.reference import load_reference
from pipelines.validation import list_output_files, validate_output_files

# functions of pipelines.validation.core called once per file (summed) and once per run. The files are read
# and parsed by worker threads (`core.read_workers`): the per-file sums of reading, parsing and _raw_json
# overlap in time and can exceed the validation total; SZEI_READ_WORKERS=1 gives the one-thread split
PER_FILE = ("read_output_file", "_parse_file", "compact", "_raw_json")
PER_RUN = ("find_duplicates", "apply_revisions", "warnings_of", "file_summary")


def peak_mb() -> int:
    """The process's resident-memory high-water mark (VmHWM), MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) // 1024
    return 0


class PhaseTimer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.peak: dict[str, int] = {}
        self._originals: list[tuple[object, str, object]] = []
        self._lock = threading.Lock()

    def add(self, name: str, seconds: float) -> None:
        with self._lock:  # called from the reading threads too
            self.seconds[name] += seconds
            self.calls[name] += 1
            self.peak[name] = peak_mb()

    def replace(self, module, name: str, new) -> None:
        self._originals.append((module, name, getattr(module, name)))
        setattr(module, name, new)

    def restore(self) -> None:
        """Put every wrapped function back (the profile leaves the modules as it found them)."""
        while self._originals:
            module, name, original = self._originals.pop()
            setattr(module, name, original)

    def wrap(self, module, name: str, label=None) -> None:
        """Time every call of `module.name`, under `label` (text, or a function of the call's arguments)."""
        original = getattr(module, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                text = label(*args, **kwargs) if callable(label) else label or name
                self.add(text, time.perf_counter() - started)

        self.replace(module, name, timed)

    def rows(self) -> list[tuple[str, int, float, int]]:
        return [(name, self.calls[name], self.seconds[name], self.peak[name]) for name in self.seconds]


def profile(raw_dir: Path) -> PhaseTimer:
    timer = PhaseTimer()
    for name in PER_FILE + PER_RUN:
        timer.wrap(core, name)
    timer.wrap(schemas, "check_accepted")
    timer.wrap(marts_package, "enterprise_ids")
    timer.wrap(marts_build, "run_checks")
    timer.wrap(marts_build, "run_model", lambda con, model, available: f"model {model.name}")
    try:
        _run(raw_dir, timer)
    finally:
        timer.restore()
    return timer


def _run(raw_dir: Path, timer: PhaseTimer) -> None:
    started = time.perf_counter()
    reference = load_reference(raw_dir / "targets")
    batch = validate_output_files(list_output_files(raw_dir / "output"), reference)
    timer.add("validation (total)", time.perf_counter() - started)
    params = RunParams(run_id="phases", built_at=datetime.now(), is_synthetic=True, szei_version="phases")
    with tempfile.TemporaryDirectory(prefix="szei-phases-") as tmp:
        started = time.perf_counter()
        build = build_marts(batch, reference, Path(tmp) / "szei.duckdb", params)
        timer.add("marts (total)", time.perf_counter() - started)
    if not build.published:
        raise SystemExit(f"blocking checks failed: {[c.name for c in build.failed_checks]}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.strip().splitlines()[0], "\nusage: python -m benchmarks.phases RAW_DIR", file=sys.stderr)
        return 2
    timer = profile(Path(args[0]))
    print("| phase | calls | s | peak MB after |\n|---|---:|---:|---:|")
    for name, calls, seconds, peak in timer.rows():
        print(f"| {name} | {calls} | {seconds:.2f} | {peak:,} |")
    workers = core.read_workers()
    if workers > 1:
        print(f"\n(files read by {workers} threads: the per-file rows are sums over threads that overlap in time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

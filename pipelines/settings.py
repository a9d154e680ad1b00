"""Every setting of szei in one place: an argument if given, else the environment, else the default.

README "Settings" lists them. `Settings.from_env()` reads the environment when called, not at import, so a
deployment (or a test) that sets a variable is heard by the next run. No other module reads os.environ for
a setting (child processes are handed the environment whole, which is not a setting)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.errors import SzeiError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"
REPORTS_DIR = PROJECT_ROOT / "reports"

QUARTO_VARS = ("SZEI_QUARTO", "QUARTO_PATH")  # a quarto executable (or the folder holding bin/quarto), first set wins
# How `szei report` hands its parameters to the report's kernel (Quarto's -P needs papermill, not installed).
REPORT_PARAM_VARS = {"marts_db": "SZEI_REPORT_MARTS_DB", "period": "SZEI_REPORT_PERIOD"}
# The ranking's cap on one cell's attainment (method, recorded in mart_ranking_method): a setting, not a variable.
RANK_CAP = 1.2


@dataclass(frozen=True)
class Settings:
    raw_dir: Path  # SZEI_RAW_DIR: holds targets/ and output/
    marts_db: Path  # SZEI_MARTS_DB: the published DuckDB file (Parquet copies beside it)
    report_dir: Path  # SZEI_REPORT_DIR
    duckdb_memory: str = "1.5GB"  # SZEI_DUCKDB_MEMORY: DuckDB's memory_limit for the build
    lock_wait_seconds: float = 3600.0  # SZEI_LOCK_WAIT_SECONDS: how long a run waits for another's build
    read_workers: int = 0  # SZEI_READ_WORKERS: files read and parsed at once (0: two, or one on one processor)
    rank_cap: float = RANK_CAP
    quarto: tuple[str, str] | None = None  # (variable, value) from QUARTO_VARS, when one is set
    no_quarto: bool = False  # SZEI_NO_QUARTO: szei's own renderer even where Quarto is installed
    sensor_interval_seconds: int = 60  # SZEI_SENSOR_INTERVAL_SECONDS
    # SZEI_SCHEDULE_CRON: 09:00 on 15 January, April, July and October, Beijing time: the quarter just closed
    schedule_cron: str = "0 9 15 1,4,7,10 *"
    dagster_home: Path | None = None  # DAGSTER_HOME: where `szei run` records its runs (else a throw-away instance)
    report_marts_db: Path | None = None  # SZEI_REPORT_MARTS_DB (set by `szei report` for the kernel)
    report_period: str | None = None  # SZEI_REPORT_PERIOD (likewise)
    bench_dir: Path = Path("/tmp/szei-bench")  # SZEI_BENCH_DIR: `make bench`'s generated data

    @property
    def targets_dir(self) -> Path:
        return self.raw_dir / "targets"

    @property
    def output_dir(self) -> Path:
        return self.raw_dir / "output"

    @classmethod
    def from_env(
        cls,
        raw_dir: str | Path | None = None,
        marts_db: str | Path | None = None,
        report_dir: str | Path | None = None,
    ) -> Settings:
        env = os.environ
        raw = raw_dir or env.get("SZEI_RAW_DIR") or PROJECT_ROOT / "data" / "raw"
        marts = marts_db or env.get("SZEI_MARTS_DB") or PROJECT_ROOT / "data" / "marts" / "szei.duckdb"
        report = report_dir or env.get("SZEI_REPORT_DIR") or REPORTS_DIR / "_output"
        quarto = next(((var, env[var]) for var in QUARTO_VARS if env.get(var)), None)
        defaults = cls(Path(), Path(), Path())
        return cls(
            Path(raw).resolve(),
            Path(marts).resolve(),
            Path(report).resolve(),
            duckdb_memory=env.get("SZEI_DUCKDB_MEMORY") or defaults.duckdb_memory,
            lock_wait_seconds=_number("SZEI_LOCK_WAIT_SECONDS", float, defaults.lock_wait_seconds),
            read_workers=_number("SZEI_READ_WORKERS", int, defaults.read_workers),
            quarto=quarto,
            no_quarto=bool(env.get("SZEI_NO_QUARTO")),
            sensor_interval_seconds=_number("SZEI_SENSOR_INTERVAL_SECONDS", int, defaults.sensor_interval_seconds),
            schedule_cron=env.get("SZEI_SCHEDULE_CRON") or defaults.schedule_cron,
            dagster_home=Path(env["DAGSTER_HOME"]) if env.get("DAGSTER_HOME") else None,
            report_marts_db=Path(env["SZEI_REPORT_MARTS_DB"]) if env.get("SZEI_REPORT_MARTS_DB") else None,
            report_period=env.get("SZEI_REPORT_PERIOD") or None,
            bench_dir=Path(env.get("SZEI_BENCH_DIR") or defaults.bench_dir),
        )


def _number(var: str, kind: type, default: float) -> float:
    """A numeric variable, or a message naming it (never a ValueError traceback)."""
    text = os.environ.get(var)
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = -1
    if value < 0:
        what = "整数" if kind is int else "数"
        raise SzeiError(f"环境变量 {var} 应为不小于 0 的{what}，实际为「{text}」",
                        f"{var} must be a {'whole ' if kind is int else ''}number of 0 or more, not {text!r}")
    return value

"""Paths and options, from arguments or the environment (SZEI_RAW_DIR, SZEI_MARTS_DB)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"
REPORTS_DIR = PROJECT_ROOT / "reports"


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    marts_db: Path
    report_dir: Path

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
        raw = raw_dir or os.environ.get("SZEI_RAW_DIR") or PROJECT_ROOT / "data" / "raw"
        marts = marts_db or os.environ.get("SZEI_MARTS_DB") or PROJECT_ROOT / "data" / "marts" / "szei.duckdb"
        report = report_dir or os.environ.get("SZEI_REPORT_DIR") or REPORTS_DIR / "_output"
        return cls(Path(raw).resolve(), Path(marts).resolve(), Path(report).resolve())

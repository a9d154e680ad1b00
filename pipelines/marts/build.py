"""Build a candidate marts file: load reference + validated records, run sql/, run the checks.

The candidate is a new DuckDB file beside the published one; `publish.py` swaps it in.
Nothing here touches the published file, so a failure at any point leaves it intact.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.marts.models import CHECKS, check_files, model_files, storage_kind
from pipelines.settings import SQL_DIR

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class RunParams:
    run_id: str
    built_at: datetime
    is_synthetic: bool
    szei_version: str
    rank_cap: float = 1.2

    def as_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "built_at": self.built_at,
            "is_synthetic": self.is_synthetic,
            "szei_version": self.szei_version,
            "rank_cap": self.rank_cap,
        }


@dataclass
class CheckResult:
    name: str
    description: str
    failing_rows: int
    sample: list[dict] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.failing_rows == 0


def duckdb_config(temp_directory: str) -> dict[str, str]:
    """Bounded memory for the build: aggregates and joins spill to `temp_directory` beyond the limit
    (`SZEI_DUCKDB_MEMORY`, default 1.5GB) instead of growing with the number of records."""
    return {
        "memory_limit": os.environ.get("SZEI_DUCKDB_MEMORY", "1.5GB"),
        "temp_directory": temp_directory,
    }


def load_table(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """Create table `name` from a polars frame (through Arrow, no copy in Python)."""
    if not _IDENTIFIER.match(name):  # identifiers cannot be bound: accept only our own names
        raise ValueError(f"not a table name: {name!r}")
    con.register("incoming_frame", frame.to_arrow())
    try:
        con.execute(f"create or replace table {name} as select * from incoming_frame")
    finally:
        con.unregister("incoming_frame")


def register_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """Make a polars frame readable as `name` without copying it into the file (a build-time input).

    Through Arrow (string views, no copy in Python); the view lives as long as the connection and
    is never written to the database file.
    """
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a table name: {name!r}")
    con.register(name, frame.to_arrow(compat_level=pl.CompatLevel.newest()))


def model_bindings(con: duckdb.DuckDBPyConnection, params: RunParams) -> dict[str, object]:
    """What a model may bind: the run's parameters, and facts of the data being built —
    `firm_id_max`, the largest enterprise id (ids are dense, 0 … n−1), the size of the bitmaps with
    which the marts count distinct enterprises (`bitstring_agg(firm_id, 0, $firm_id_max)`)."""
    (firm_id_max,) = con.execute("select coalesce(max(firm_id), 0) from raw_enterprise_codes").fetchone()
    return params.as_dict() | {"firm_id_max": int(firm_id_max)}


def run_model(con: duckdb.DuckDBPyConnection, model, available: dict[str, object]) -> None:
    kind = storage_kind(model.name)  # one of our own fixed words (see models.py)
    con.execute(f"create or replace {kind} {model.name} as\n{model.text}", model.params(available))


def run_models(con: duckdb.DuckDBPyConnection, params: RunParams, sql_dir: Path = SQL_DIR) -> None:
    available = model_bindings(con, params)
    for model in model_files(sql_dir):
        run_model(con, model, available)


def run_checks(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[CheckResult]:
    results = []
    for check in check_files(sql_dir):
        rel = con.execute(check.text)
        columns = [d[0] for d in rel.description]
        rows = rel.fetchall()
        sample = [dict(zip(columns, row)) for row in rows[:5]]
        results.append(CheckResult(check.name, CHECKS[check.name], len(rows), sample))
    return results


def build_candidate(
    candidate: Path,
    staging_tables: dict[str, pl.DataFrame],
    params: RunParams,
    sql_dir: Path = SQL_DIR,
) -> list[CheckResult]:
    """Write a complete marts database to `candidate` and return the blocking checks' results.

    `staging_tables` maps raw_*/ref_* table names to frames (validated records, reference data).
    """
    candidate.unlink(missing_ok=True)
    spill = tempfile.TemporaryDirectory(prefix="szei-duckdb-")
    con = duckdb.connect(str(candidate), config=duckdb_config(spill.name))
    try:
        for name, frame in staging_tables.items():
            if name.startswith("raw_"):  # the validated batch: read in place, never stored
                register_frame(con, name, frame)
            else:
                load_table(con, name, frame)
        run_models(con, params, sql_dir)
        results = run_checks(con, sql_dir)
        con.execute((sql_dir / "comments.sql").read_text(encoding="utf-8"))
        con.execute("checkpoint")
    finally:
        con.close()
        spill.cleanup()
    return results

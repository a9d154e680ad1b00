"""Build a candidate marts file: load reference + validated records, run sql/, run the checks.

The candidate is a new DuckDB file beside the published one; `publish.py` swaps it in.
Nothing here touches the published file, so a failure at any point leaves it intact.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.marts.models import check_files, comment_statements, model_files
from pipelines.settings import RANK_CAP, SQL_DIR, Settings

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class RunParams:
    run_id: str
    built_at: datetime
    is_synthetic: bool
    szei_version: str
    rank_cap: float = RANK_CAP

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
    messages: list[str] = field(default_factory=list)  # every failing row's `message`, when the check has one

    @property
    def passed(self) -> bool:
        return self.failing_rows == 0


def memory_setting() -> str:
    """DuckDB's memory limit for the build (`SZEI_DUCKDB_MEMORY`, default 1.5GB)."""
    return Settings.from_env().duckdb_memory


def duckdb_config(temp_directory: str) -> dict[str, str]:
    """Bounded memory for the build: aggregates and joins spill to `temp_directory` beyond the limit
    instead of growing with the number of records. The enterprise bitmaps cannot spill: their size
    is checked before the models run (`check_bitmap_memory`)."""
    return {"memory_limit": memory_setting(), "temp_directory": temp_directory}


_SIZE = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*([kmgt]?)(i?)b?\s*$", re.IGNORECASE)


def size_in_bytes(setting: str) -> int | None:
    """'1.5GB' → 1.5e9 (GiB etc. in powers of 1024, as DuckDB reads them); None when not a plain size."""
    match = _SIZE.match(setting)
    if not match:
        return None
    number, unit, binary = match.groups()
    power = "kmgt".find(unit.lower()) + 1 if unit else 0
    return int(float(number) * (1024 if binary else 1000) ** power)


# At its peak the comparable-growth model holds about this many copies of its presence bitmaps
# (materialised CTEs, the join hash tables, the overlaps): measured 5–8× on synthetic builds.
BITMAP_COPIES = 8


def check_bitmap_memory(con: duckdb.DuckDBPyConnection, firm_id_max: int) -> None:
    """Refuse, with a message, a build whose enterprise bitmaps would not fit DuckDB's memory limit.

    Distinct enterprises are counted and matched across years as bitmaps of one bit per enterprise,
    one bitmap per period × place × industry; unlike joins and aggregates they cannot spill to disk,
    so a build that outgrows the limit would fail midway with an out-of-memory error instead."""
    limit = size_in_bytes(memory_setting())
    if limit is None:
        return
    (periods,) = con.execute("select count(*) from (select distinct year, ytd_months from raw_accepted)").fetchone()
    (places,) = con.execute("select count(*) + 1 from ref_districts where is_target_unit").fetchone()  # + 全市
    (industries,) = con.execute("select count(*) from ref_industries").fetchone()
    groups = periods * places * industries
    need = groups * (firm_id_max // 8 + 1) * BITMAP_COPIES
    if need > limit:
        from pipelines.errors import SzeiError

        suggest = f"{-(-need * 3 // 2 // 10**9)}GB"
        raise SzeiError(
            f"数据集市中的企业位图约需 {need / 1e9:.1f} GB 内存（{firm_id_max + 1:,} 家企业 × {groups:,} 个期别×地区×产业单元），"
            f"超过 DuckDB 内存上限 SZEI_DUCKDB_MEMORY={memory_setting()}；请设为 {suggest} 或更大后重新运行",
            f"the marts' enterprise bitmaps need about {need / 1e9:.1f} GB ({firm_id_max + 1:,} enterprises × "
            f"{groups:,} period × place × industry cells), more than DuckDB's memory limit "
            f"SZEI_DUCKDB_MEMORY={memory_setting()}; set it to {suggest} or more and run again",
        )


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
    check_bitmap_memory(con, int(firm_id_max))
    return params.as_dict() | {"firm_id_max": int(firm_id_max)}


def run_model(con: duckdb.DuckDBPyConnection, model, available: dict[str, object]) -> None:
    kind = model.kind  # checked by models.py against fixed words, the name against [a-z0-9_]: identifiers cannot be bound
    con.execute(f"create or replace {kind} {model.name} as\n{model.text}", model.params(available))


def run_models(con: duckdb.DuckDBPyConnection, params: RunParams, sql_dir: Path = SQL_DIR) -> None:
    """Every model of sql/, each after the models it reads (`models.model_files`)."""
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
        messages = [row[columns.index("message")] for row in rows] if "message" in columns else []
        if "message_en" in columns:  # every blocking line in Chinese and English
            messages = [f"{zh} / {row[columns.index('message_en')]}" if row[columns.index("message_en")] else zh
                        for zh, row in zip(messages, rows)]
        results.append(CheckResult(check.name, check.description, len(rows), sample, messages))
    return results


# The storage format the published file is written in: DuckDB 1.2 and later read it (the pip duckdb-cli
# 1.5.6 and the DBeaver drivers of 2025 stop at 1.x; duckdb 2.x's own default format is newer).
STORAGE_VERSION = "v1.2.0"


def open_candidate(candidate: Path, temp_directory: str) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is a new file at `candidate`, in `STORAGE_VERSION`."""
    con = duckdb.connect(":memory:", config=duckdb_config(temp_directory))
    con.execute("attach ? as marts (storage_version 'v1.2.0')", [str(candidate)])  # = STORAGE_VERSION
    con.execute("use marts")
    return con


def build_candidate(
    candidate: Path,
    staging_tables: dict[str, pl.DataFrame],
    params: RunParams,
    sql_dir: Path = SQL_DIR,
) -> list[CheckResult]:
    """Write a complete marts database to `candidate` and return the blocking checks' results.

    `staging_tables` maps raw_*/ref_* table names to frames (validated records, reference data), as
    `pipelines.marts.staging_tables` makes them: `raw_accepted` with dense `firm_id` / `name_id`, and
    `raw_enterprise_codes` / `raw_enterprise_names` (see `enterprise_ids`).
    """
    candidate.unlink(missing_ok=True)
    spill = tempfile.TemporaryDirectory(prefix="szei-duckdb-")
    con = open_candidate(candidate, spill.name)
    try:
        for name, frame in staging_tables.items():
            if name.startswith("raw_"):  # the validated batch: read in place, never stored
                register_frame(con, name, frame)
            else:
                load_table(con, name, frame)
        # the whole build in one transaction: ~60 models and ~400 COMMENT statements (the data dictionary,
        # from the models' headers) would otherwise commit, and sync the file, one by one; the commit
        # writes the file once (a failure leaves a candidate that is removed, so nothing is lost)
        con.execute("begin transaction")
        run_models(con, params, sql_dir)
        results = run_checks(con, sql_dir)
        for statement in comment_statements(sql_dir):
            con.execute(statement)
        con.execute("commit")
        con.execute("checkpoint")
    finally:
        con.close()
        spill.cleanup()
    return results

"""DuckDB marts: load validated records, run sql/, check, publish atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.errors import SzeiError, storage_error
from pipelines.marts.build import CheckResult, RunParams, build_candidate, memory_setting
from pipelines.marts.export import point_link, remove_old_versions, version_folder, write_parquet
from pipelines.marts.publish import build_lock, candidate_path, check_publish_target, publish, remove_stale_candidates
from pipelines.reference import Reference
from pipelines.settings import SQL_DIR

__all__ = ["CheckResult", "MartsBuild", "RunParams", "build_marts", "staging_tables"]

BATCH_TABLES = {
    "raw_accepted": "accepted",
    "raw_replaced": "replaced",
    "raw_quarantine": "quarantine",
    "raw_quarantine_reasons": "quarantine_reasons",
    "raw_warnings": "warnings",
    "raw_file_summary": "file_summary",
    "raw_gate": "gate",
}


@dataclass
class MartsBuild:
    published: bool
    marts_db: Path
    checks: list[CheckResult]
    staged: Path | None = None  # checked and kept for publication with the report (pipelines.publication)

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]


def enterprise_ids(records: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The accepted records with integer ids in place of their two many-valued text columns, and the
    id → text tables: `raw_accepted` carries `firm_id` for `unit_code` and `name_id` for `unit_name`;
    `raw_enterprise_codes` (firm_id, unit_code) and `raw_enterprise_names` (name_id, unit_name) hold
    each distinct text once. Ids are dense, 0 … n−1 in order of first appearance: one id per distinct
    string, so equal ids mean equal text, exactly (found through the Categorical's category ids; a
    String column is made Categorical first). Dense ids let the marts count distinct enterprises as
    bitmaps of n bits (`bitstring_agg`).

    Why: the marts count enterprises on integers, and the record-level table is stored with ids
    (`int_attributed_facts`; the view `int_attributed_output` joins the text back), so the ~800k
    distinct codes and names are handed to DuckDB and written once each, not once per record."""
    as_categorical = {
        c: pl.col(c) if records.schema[c] == pl.Categorical else pl.col(c).cast(pl.Categorical)
        for c in ("unit_code", "unit_name")
    }
    records = records.with_columns(as_categorical.values())
    ids = {"unit_code": ("firm_id", "raw_enterprise_codes"), "unit_name": ("name_id", "raw_enterprise_names")}

    tables, dense = {}, {}
    for column, (id_name, table) in ids.items():
        # each distinct value once (first appearance first), numbered 0 … n−1; a lookup by category id
        # gives every row its dense id (a gather, no join on text)
        values = records.select(pl.col(column).unique(maintain_order=True)).drop_nulls()
        category = values[column].to_physical()
        lookup = pl.Series([None], dtype=pl.UInt32).extend_constant(None, int(category.max() or 0))
        lookup = lookup.scatter(category, pl.int_range(values.height, dtype=pl.UInt32, eager=True))
        dense[id_name] = pl.lit(lookup).gather(pl.col(column).to_physical())
        tables[table] = values.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias(id_name), pl.col(column).cast(pl.String))
    return {"raw_accepted": records.with_columns(**dense).drop(list(ids)), **tables}


def staging_tables(batch, reference: Reference) -> dict[str, pl.DataFrame]:
    """The frames a build loads: the validated batch (raw_*) and the reference data (ref_*)."""
    # the accepted records as held (Categorical text columns: DuckDB reads them as VARCHAR, no copy);
    # hand-made test batches carry only `accepted`
    records = batch.records if hasattr(batch, "records") else batch.accepted
    tables = enterprise_ids(records)
    tables.update({name: getattr(batch, attr) for name, attr in BATCH_TABLES.items()
                   if name != "raw_accepted" and hasattr(batch, attr)})
    if not hasattr(batch, "gate"):  # a hand-made batch (tests of the SQL): no gate findings
        from pipelines.validation.gate import GATE_SCHEMA

        tables["raw_gate"] = pl.DataFrame(schema=GATE_SCHEMA)
    tables.update(reference.frames())
    return tables


def build_marts(
    batch,
    reference: Reference,
    marts_db: Path,
    params: RunParams,
    sql_dir: Path = SQL_DIR,
    on_wait=None,
    stage: bool = False,
) -> MartsBuild:
    """Build a new marts file and publish it only if every blocking check passes (waiting for another
    run's build first, if one holds the lock; `on_wait` is told once).

    With `stage`, a build that passes is not published but staged (`MartsBuild.staged`, its Parquet
    folder written), to be published together with the report rendered from it (`pipelines.publication`)."""
    from pipelines.publication import remove_stale_staged, stage_marts

    marts_db = Path(marts_db)
    staged = None
    check_publish_target(marts_db)  # `szei run` checks before any work; a run from the Dagster UI, here
    with build_lock(marts_db, on_wait=on_wait):
        remove_stale_candidates(marts_db)
        remove_stale_staged(marts_db)
        candidate = candidate_path(marts_db, params.run_id)
        try:
            checks = build_candidate(candidate, staging_tables(batch, reference), params, sql_dir)
            ok = all(c.passed for c in checks)
            if ok:
                parquet = version_folder(marts_db, params.run_id)
                write_parquet(candidate, parquet)
            if ok and stage:
                staged = stage_marts(candidate, marts_db, params.run_id)
            elif ok:
                publish(candidate, marts_db)
                point_link(marts_db, parquet)
        except duckdb.OutOfMemoryException:
            # the build's memory limit is a setting: say which one; the published file was never touched
            raise SzeiError(
                f"生成数据集市时超出 DuckDB 内存上限 SZEI_DUCKDB_MEMORY={memory_setting()}，请设置更大的值后重新运行",
                f"building the marts ran out of DuckDB's memory limit SZEI_DUCKDB_MEMORY={memory_setting()}; "
                "set a larger value and run again",
            ) from None
        except (OSError, duckdb.Error) as err:
            # a full disk or a read-only folder: a message for people; the published file was never touched
            clear = storage_error(err, marts_db.parent)
            if clear is None:
                raise
            raise clear from None
        finally:
            candidate.unlink(missing_ok=True)
            candidate.with_name(candidate.name + ".wal").unlink(missing_ok=True)
            if staged is None:  # a staged build's Parquet waits for its publication
                remove_old_versions(marts_db)  # earlier runs' Parquet, and this run's if it was not published
    return MartsBuild(published=ok and not stage, marts_db=marts_db, checks=checks, staged=staged)

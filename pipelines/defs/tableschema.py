"""Column schemas for the Dagster UI (`dagster/column_schema`), from polars frames or DuckDB tables."""

from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl


def frame_schema(frame: pl.DataFrame) -> dg.TableSchema:
    return dg.TableSchema(columns=[dg.TableColumn(name, str(dtype)) for name, dtype in frame.schema.items()])


def duckdb_table_schema(marts_db: Path, name: str) -> tuple[dg.TableSchema, int]:
    """The columns of table `name` with their Chinese comments, and its row count (read-only)."""
    if not re.match(r"^[a-z_][a-z0-9_]*$", name):  # identifiers cannot be bound: our own names only
        raise ValueError(f"not a table name: {name!r}")
    con = duckdb.connect(str(marts_db), read_only=True)
    try:
        columns = con.execute(
            "select column_name, data_type, comment from duckdb_columns() where table_name = ? order by column_index",
            [name],
        ).fetchall()
        (rows,) = con.execute(f"select count(*) from {name}").fetchone()
    finally:
        con.close()
    schema = dg.TableSchema(columns=[dg.TableColumn(n, t, description=c) for n, t, c in columns])
    return schema, int(rows)

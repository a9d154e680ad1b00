"""The public tables as Parquet files beside the marts, with the data dictionary.

For tools that do not read DuckDB files (or an older DuckDB): `data/marts/parquet/<table>.parquet`,
`dictionary.csv` and `dictionary.parquet` (table, column, type, Chinese comment). `parquet` is a
symbolic link to a folder named after the run; publishing points it at the new run's folder in one
atomic rename, so a reader sees one run's files, never a mix. Folders of earlier runs are removed
by the next run (an open file stays readable until closed).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb

# Everything an analyst reads; the record-level int_* tables (10 million rows at full scale) stay in DuckDB.
PUBLIC_PREFIXES = ("mart_", "dq_", "meta_", "ref_")
LINK_NAME = "parquet"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

DICTIONARY_SQL = """
select c.table_name, coalesce(t.comment, v.comment) as table_comment, c.column_name, c.column_index,
       c.data_type, c.comment, list_contains(?::varchar[], c.table_name) as in_parquet
from duckdb_columns() c
left join duckdb_tables() t using (database_name, schema_name, table_name)
left join duckdb_views() v on v.database_name = c.database_name and v.schema_name = c.schema_name
                          and v.view_name = c.table_name
where not c.internal and c.database_name = current_database() and c.schema_name = 'main'
order by c.table_name, c.column_index
"""
COPY_DICTIONARY_PARQUET = f"copy ({DICTIONARY_SQL}) to ? (format parquet)"
COPY_DICTIONARY_CSV = f"copy ({DICTIONARY_SQL}) to ? (format csv, header)"


def public_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    names = con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() and not internal "
        "order by table_name"
    ).fetchall()
    return [n for (n,) in names if n.startswith(PUBLIC_PREFIXES) and _IDENTIFIER.match(n)]


def version_folder(published: Path, run_id: str) -> Path:
    return published.parent / f".{LINK_NAME}-{run_id}"


def write_parquet(marts_db: Path, dest: Path) -> list[str]:
    """Write every public table of `marts_db` to `dest/<table>.parquet`, and the dictionary."""
    dest.mkdir(parents=True)
    con = duckdb.connect(str(marts_db), read_only=True)
    try:
        tables = public_tables(con)
        for name in tables:  # names checked against _IDENTIFIER: identifiers cannot be bound
            con.execute(f"copy (select * from {name}) to ? (format parquet)", [str(dest / f"{name}.parquet")])
        con.execute(COPY_DICTIONARY_PARQUET, [tables, str(dest / "dictionary.parquet")])
        con.execute(COPY_DICTIONARY_CSV, [tables, str(dest / "dictionary.csv")])
    finally:
        con.close()
    return tables


def point_link(published: Path, folder: Path) -> Path:
    """Point `<marts folder>/parquet` at `folder` in one atomic rename; return the link."""
    link = published.parent / LINK_NAME
    if link.is_dir() and not link.is_symlink():  # a folder someone made by hand: generated data, replaced
        shutil.rmtree(link)
    staged = published.parent / f".{LINK_NAME}.link-{folder.name}"
    staged.unlink(missing_ok=True)
    staged.symlink_to(folder.name)  # relative: the marts folder can be moved or mounted elsewhere
    os.replace(staged, link)
    return link


def remove_old_versions(published: Path) -> None:
    """Earlier runs' folders, staged links and half-written folders of killed runs (under the build lock)."""
    link = published.parent / LINK_NAME
    current = os.readlink(link) if link.is_symlink() else None
    for path in published.parent.glob(f".{LINK_NAME}*"):
        if path.name == current:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)

"""Compare two marts files table by table: `python -m benchmarks.compare_marts OLD.duckdb NEW.duckdb`.

For a change that must not change the outputs (a performance change): the same tables and views, the
same columns (names, types, order) and comments, the same rows as multisets. Numbers (DOUBLE, DECIMAL) may differ by
`--rel` (default 1e-9) relative: the rows that differ exactly are paired by their other columns and
their numbers compared within the tolerance. Run metadata is left out (`meta_run.run_id/built_at`,
`mart_provenance.run_id/loaded_at`). Prints one line a table; exit 0 when every table is the same, 1
otherwise, 2 when a file cannot be opened.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

# differ by run, by design: not outputs
RUN_METADATA = {"meta_run": {"run_id", "built_at"}, "mart_provenance": {"run_id", "loaded_at"}}
NUMERIC = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(con: duckdb.DuckDBPyConnection, db: str) -> dict[str, str]:
    rows = con.execute("select table_name, table_type from information_schema.tables "
                       "where table_catalog = ? and table_schema = 'main' order by table_name", [db]).fetchall()
    return dict(rows)


def _columns(con: duckdb.DuckDBPyConnection, db: str, table: str) -> list[tuple[str, str]]:
    return con.execute("select column_name, data_type from information_schema.columns "
                       "where table_catalog = ? and table_schema = 'main' and table_name = ? order by ordinal_position",
                       [db, table]).fetchall()


def _comments(con: duckdb.DuckDBPyConnection, db: str, table: str) -> list[tuple[str | None, str | None]]:
    """The table's comment and its columns' (the data dictionary, from the models' headers)."""
    table_comment = con.execute("select comment from duckdb_tables() where database_name = ? and table_name = ? "
                                "union all select comment from duckdb_views() where database_name = ? and view_name = ?",
                                [db, table, db, table]).fetchall()
    columns = con.execute("select column_name, comment from duckdb_columns() where database_name = ? and table_name = ? "
                          "order by column_index", [db, table]).fetchall()
    return [(None, c) for (c,) in table_comment] + columns


def compare_table(con: duckdb.DuckDBPyConnection, table: str, rel: float) -> str | None:
    """None when the table is the same in `old` and `new`, else what differs."""
    cols_old, cols_new = _columns(con, "old", table), _columns(con, "new", table)
    if cols_old != cols_new:
        return f"columns differ: {cols_old} vs {cols_new}"
    values = _compare_values(con, table, cols_old, rel)
    if _comments(con, "old", table) != _comments(con, "new", table):
        return "comments differ" + (f"; {values}" if values else " (values the same)")
    return values


def _compare_values(con: duckdb.DuckDBPyConnection, table: str, cols_old: list, rel: float) -> str | None:
    """None when the rows are the same (numbers within `rel`), else what differs."""
    skip = RUN_METADATA.get(table, set())
    cols = [(n, t) for n, t in cols_old if n not in skip]
    if not cols:
        return None
    listed = ", ".join(_quote(n) for n, _ in cols)
    t = _quote(table)
    n_old, n_new = (con.execute(f"select count(*) from {db}.main.{t}").fetchall()[0][0] for db in ("old", "new"))
    if n_old != n_new:
        return f"{n_old:,} rows vs {n_new:,}"
    only = {}
    for a, b in (("old", "new"), ("new", "old")):
        only[a] = con.sql(f"select {listed} from {a}.main.{t} except all select {listed} from {b}.main.{t}").pl()
    if only["old"].height == 0:
        return None
    # rows that differ exactly: paired by every non-numeric column, numbers within `rel`
    numeric = [n for n, ty in cols if ty.startswith(NUMERIC)]
    keys = [n for n, _ in cols if n not in numeric]
    if not numeric:
        return f"{only['old'].height:,} rows differ (no numeric column)"
    old, new = (only[s].sort(keys + numeric, nulls_last=True) for s in ("old", "new"))
    if keys and not old.select(keys).equals(new.select(keys)):
        return f"{only['old'].height:,} rows differ beyond their numbers"
    worst = 0.0
    for n in numeric:
        a, b = old[n].cast(float), new[n].cast(float)
        if not a.is_null().equals(b.is_null()):
            return f"column {n}: nulls differ"
        both = a.is_not_null()
        diff = ((a - b).abs() / b.abs().clip(lower_bound=1e-300)).filter(both & (a != b))
        if diff.len():
            worst = max(worst, diff.max())
    if worst > rel:
        return f"{only['old'].height:,} rows differ; largest relative difference {worst:.3g} > {rel:g}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.compare_marts", description=__doc__.split("\n", 1)[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--rel", type=float, default=1e-9, help="relative tolerance on numbers (default 1e-9)")
    args = parser.parse_args(argv)
    con = duckdb.connect()
    try:
        for name, path in (("old", args.old), ("new", args.new)):
            if not path.is_file():
                raise duckdb.IOException(f"no such file: {path}")
            con.execute(f"attach ? as {name} (read_only)", [str(path)])
    except duckdb.Error as err:
        print(f"cannot open the marts: {err}", file=sys.stderr)
        return 2
    old, new = _tables(con, "old"), _tables(con, "new")
    differ = 0
    for table in sorted(old.keys() | new.keys()):
        if table not in new or table not in old:
            problem = "only in " + ("the old file" if table in old else "the new file")
        elif old[table] != new[table]:
            problem = f"{old[table]} vs {new[table]}"
        else:
            problem = compare_table(con, table, args.rel)
        differ += problem is not None
        print(f"{'DIFFERS' if problem else 'same   '} {table}" + (f": {problem}" if problem else ""))
    print(f"{len(old.keys() | new.keys()) - differ} of {len(old.keys() | new.keys())} tables the same")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

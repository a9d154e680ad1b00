"""Exact amounts (issue 16): 万元 values are carried and summed as DECIMAL, so the same input always
publishes the same marts, byte for byte apart from run metadata; a value the DECIMAL cannot hold is
rejected at validation, even when confirmed, instead of failing the build."""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.outcome import EXIT_FINDINGS
from tests.test_publication_gate import VALUE, Deployment, accounted_for

# what changes from one run to the next by design: the run's id and time
RUN_METADATA = {"meta_run": None, "mart_provenance": ("run_id", "loaded_at")}


def _published_tables(path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' order by 1").fetchall()]
        out = {}
        for table in tables:
            if table in RUN_METADATA and RUN_METADATA[table] is None:
                continue
            columns = [c for (c,) in con.execute(
                "select column_name from duckdb_columns() where table_name = ? and schema_name = 'main' "
                "order by column_index", [table]).fetchall() if c not in (RUN_METADATA.get(table) or ())]
            select = ", ".join(f'"{c}"' for c in columns)
            out[table] = con.execute(f"select {select} from {table} order by all").fetchall()  # noqa: S608 (names from the catalog)
        return out
    finally:
        con.close()


def test_two_runs_on_the_same_input_publish_identical_marts(tmp_path, capsys):
    first = Deployment(tmp_path / "first")
    second = Deployment(tmp_path / "second")
    assert first.run(capsys)[0] == EXIT_FINDINGS  # the sample's injected bad rows
    assert second.run(capsys)[0] == EXIT_FINDINGS
    a, b = _published_tables(first.marts), _published_tables(second.marts)
    assert a.keys() == b.keys() and "mart_attainment" in a
    differing = [t for t in a if a[t] != b[t]]
    assert differing == []


def test_amounts_are_decimal_up_to_the_marts_and_double_in_them(sample_marts):
    con = duckdb.connect(str(sample_marts), read_only=True)
    try:
        types = dict(con.execute(
            "select table_name || '.' || column_name, data_type from duckdb_columns() "
            "where column_name in ('ytd_value_wan', 'actual_yi', 'target_yi')").fetchall())
    finally:
        con.close()
    assert types["int_attributed_facts.ytd_value_wan"] == "DECIMAL(18,6)"
    assert types["int_unit_actuals.actual_yi"] == "DECIMAL(38,10)"
    # the public tables keep their documented types
    assert types["mart_attainment.actual_yi"] == "DOUBLE"
    assert types["mart_attainment.target_yi"] == "DOUBLE"
    assert types["int_attributed_output.ytd_value_wan"] == "DOUBLE"


def test_a_confirmed_value_the_marts_cannot_hold_is_rejected_not_a_crash(tmp_path, capsys):
    dep = Deployment(tmp_path)
    year_end = dep.read("2012_1-12月.csv")
    first = year_end.row(0, named=True)
    dep.write("2012_1-12月.csv", year_end.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("1e300")).otherwise(pl.col(VALUE)).alias(VALUE)))
    with (dep.raw / "targets" / "confirmed_outliers.csv").open("a", encoding="utf-8") as f:
        f.write(f"2012,1-12月,{first['单位代码']},{first['产业类别']},1e300,核实,市统计局张三,2013-01-20\n")
    code, text = dep.run(capsys)
    assert code == EXIT_FINDINGS, text
    reasons = dep.query("select source_row, reason_code from dq_quarantine_reasons "
                        "where source_file = '2012_1-12月.csv' and reason_code = 'value_above_bound'")
    assert reasons == [(2, "value_above_bound")]
    accounted_for(dep.batch())

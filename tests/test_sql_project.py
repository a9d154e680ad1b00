"""The SQL project as a project: models found in sql/ and built in dependency order, documented beside
themselves (the data dictionary generated from their headers), reading their inputs through staging."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.marts import build_marts
from pipelines.marts.models import (
    SqlFile,
    SqlProjectError,
    check_files,
    documented,
    model_files,
    sources,
)
from pipelines.reference import load_reference
from pipelines.settings import SQL_DIR
from tests.conftest import TARGETS_DIR
from tests.marts_fixtures import batch_of, params, records

ROWS = [
    (2011, 12, "91440300708461136T", "生物", "福田区", "南山区", 20000),
    (2012, 12, "91440300708461136T", "生物", "福田区", "南山区", 30000),
    (2012, 12, "914403001922038216", "互联网", "福田区", "南山区", 1000000),
]


def code_of(sql: str) -> str:
    """SQL without its line comments (which may name what they explain)."""
    return re.sub(r"--[^\n]*", "", sql)


def sql_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "sql"
    shutil.copytree(SQL_DIR, dest)
    return dest


def add_model(sql_dir: Path, layer: str, name: str, body: str, header: str = "kind: table") -> Path:
    path = sql_dir / layer / f"{name}.sql"
    path.write_text(f"/*\n{header}\n*/\n{body}\n", encoding="utf-8")
    return path


def build(sql_dir: Path, tmp_path: Path) -> Path:
    db = tmp_path / "szei.duckdb"
    result = build_marts(batch_of(records(ROWS)), load_reference(TARGETS_DIR), db, params(), sql_dir=sql_dir)
    assert result.published, [c for c in result.checks if not c.passed]
    return db


def test_a_model_dropped_in_the_folder_is_built_after_what_it_reads(tmp_path):
    """Two new marts, the one named first alphabetically reading the other: both built, in the order
    their reads give, with the comments their headers state."""
    sql_dir = sql_copy(tmp_path)
    add_model(sql_dir, "marts", "mart_aa_share",
              "select industry, actual_yi / total_yi as share, from mart_zz_city_totals",
              "kind: table\ndescription: 各产业占比\ncolumns:\n  industry: 产业类别\n  share: 占全市合计的比值")
    add_model(sql_dir, "marts", "mart_zz_city_totals",
              "with totals as (\n    select * from mart_attainment\n)\n\n"
              "select industry, actual_yi, sum(actual_yi) over () as total_yi, from totals\n"
              "where year = 2012 and ytd_months = 12 and district = '全市' and industry <> '合计'",
              "kind: table\ndescription: 全市分产业\ncolumns:\n  industry: 产业类别\n"
              "  actual_yi: 规模（亿元）\n  total_yi: 合计（亿元）")
    names = [m.name for m in model_files(sql_dir)]
    assert names.index("mart_attainment") < names.index("mart_zz_city_totals") < names.index("mart_aa_share")

    con = duckdb.connect(str(build(sql_dir, tmp_path)), read_only=True)
    try:
        shares = dict(con.execute("select industry, share from mart_aa_share").fetchall())
        comment = con.execute("select comment from duckdb_columns() where table_name = 'mart_aa_share'"
                              " and column_name = 'share'").fetchone()[0]
    finally:
        con.close()
    assert shares["互联网"] == pytest.approx(100 / 103)  # 1,000,000 万元 of 1,030,000
    assert sum(shares.values()) == pytest.approx(1)
    assert comment == "占全市合计的比值"


def test_a_read_of_no_model_is_an_error_naming_the_file(tmp_path):
    sql_dir = sql_copy(tmp_path)
    add_model(sql_dir, "marts", "mart_orphan", "select * from int_no_such_model")
    with pytest.raises(SqlProjectError, match=r"mart_orphan\.sql.*int_no_such_model"):
        model_files(sql_dir)


def test_a_cycle_is_an_error_naming_the_files(tmp_path):
    sql_dir = sql_copy(tmp_path)
    add_model(sql_dir, "marts", "mart_hen", "select * from mart_egg")
    add_model(sql_dir, "marts", "mart_egg", "select * from mart_hen")
    with pytest.raises(SqlProjectError, match="循环") as err:
        model_files(sql_dir)
    assert "mart_hen.sql" in str(err.value) and "mart_egg.sql" in str(err.value)


def test_a_model_without_its_kind_is_an_error(tmp_path):
    sql_dir = sql_copy(tmp_path)
    add_model(sql_dir, "marts", "mart_kindless", "select 1 as one", header="description: 无")
    with pytest.raises(SqlProjectError, match=r"mart_kindless\.sql.*kind"):
        model_files(sql_dir)


def test_a_view_with_a_bound_parameter_is_an_error(tmp_path):
    """DuckDB cannot prepare a view that binds a parameter: said before the build, not as a binder error."""
    sql_dir = sql_copy(tmp_path)
    add_model(sql_dir, "intermediate", "int_capped", "select least(attainment, $rank_cap) as capped, from mart_attainment",
              header="kind: temp view")
    with pytest.raises(SqlProjectError, match=r"int_capped\.sql.*table"):
        model_files(sql_dir)


def test_reads_skip_ctes_functions_and_distinct_from():
    model = next(m for m in model_files() if m.name == "dq_file_summary")
    assert model.reads == {"stg_file_summary"}
    check = next(c for c in check_files() if c.name == "row_accounting_holds")  # `is distinct from rows_…`
    assert check.reads == {"dq_file_summary"}
    probe = SqlFile("probe", Path("probe.sql"), {}, "with x as (select * from mart_attainment)\n"
                    "select extract(year from built_at), trim(both ' ' from period_label), year\n"
                    "from x join (select * from meta_run) as m on true")
    assert probe.reads == {"mart_attainment", "meta_run"}


def test_only_staging_reads_the_inputs():
    """Intermediates, marts and checks read models only: every raw_* and ref_* input has a staging
    model, so a change of an input's shape is met in one place."""
    readers = [m for m in model_files() if m.layer != "staging"] + check_files()
    direct = {m.name: sorted(r for r in m.reads if r.startswith(("raw_", "ref_"))) for m in readers}
    assert {name: reads for name, reads in direct.items() if reads} == {}
    staged = {r for m in model_files() if m.layer == "staging" for r in m.reads}
    assert {"raw_accepted", "raw_file_summary", "ref_industries", "ref_districts"} <= staged


def test_every_check_states_its_description():
    checks = check_files()
    assert {c.name for c in checks} == {p.stem for p in (SQL_DIR / "checks").glob("*.sql")}
    assert all(" / " in c.description for c in checks)  # Chinese / English


def test_every_stored_column_has_a_comment_and_every_comment_a_column(tmp_path):
    """The dictionary of a real build: each table and view of the file, and each of its columns,
    carries a comment, and no header or sources.yml entry documents a column the file does not have."""
    db = build(SQL_DIR, tmp_path)
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = con.execute(
            "select table_name, column_name, comment from duckdb_columns()"
            " where database_name = current_database()"
        ).fetchall()
        relations = con.execute(
            "select table_name, comment from duckdb_tables() where database_name = current_database()"
            " union all select view_name, comment from duckdb_views()"
            " where database_name = current_database() and not internal"
        ).fetchall()
    finally:
        con.close()
    assert [(t, c) for t, c, comment in columns if not comment] == []
    assert [t for t, comment in relations if not comment] == []
    stored = {(t, c) for t, c, _ in columns}
    stated = {(t, c) for t, (_, _, cols) in documented().items() for c in cols}
    assert stated - stored == set()
    assert stored - stated == set()
    assert {t for t, _ in relations} == set(documented())
    assert set(sources()) == {t for t, _ in relations if t.startswith("ref_")}


def test_the_bitmap_technique_is_fenced_in_one_model():
    """Enterprises are counted as bitmaps in int_enterprise_counts only; the other models read counts."""
    bitmap = re.compile(r"\b(bitstring_agg|bit_count|bit_or|get_bit)\s*\(|\$firm_id_max", re.I)
    users = {m.name for m in [*model_files(), *check_files()] if bitmap.search(code_of(m.text))}
    assert users == {"int_enterprise_counts"}


def test_no_mart_joins_the_attainment_cells_to_themselves():
    """The comparisons between periods are int_period_pairs' columns: no mart joins the cells (under
    their own name or a CTE's) to a second copy of themselves."""
    cells = r"(?:mart_attainment|int_period_pairs)"
    self_joined = set()
    for model in model_files():
        code = code_of(model.text)
        aliases = re.findall(rf"\b([a-z_]+)\s+as\s*\(\s*select\s+\*\s+from\s+{cells}\b", code)
        names = "|".join([cells, *aliases])
        # a from-clause that reads the cells and joins them again (a join from the dictionary to the
        # cells, as the ranking's pivot does, is not a comparison between periods)
        clause = rf"\bfrom\s+(?:{names})\b(?:(?!\bfrom\b|\bselect\b|[()]).)*?\bjoin\s+(?:{names})\b"
        if model.layer == "marts" and re.search(clause, code, re.S):
            self_joined.add(model.name)
    assert self_joined == set()

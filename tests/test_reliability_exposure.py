"""Exposure (issue 8): user text reaches SQL only as data, listeners bind to loopback, analysts read only."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys

import duckdb

from tests.conftest import ROOT, TARGETS_DIR
from tests.test_reliability_corpus import code, csv_text, rec
from tests.test_validation_rules import HEADER

INJECTION = "'; DROP TABLE mart_attainment; --"


def test_sql_injection_as_unit_name_file_name_and_header(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(TARGETS_DIR, raw / "targets")
    out = raw / "output"
    out.mkdir()
    good = out / f"{INJECTION}.csv"  # a file name that is SQL
    good.write_text(csv_text([rec(90, 0, name=INJECTION), rec(90, 1, reg=INJECTION)], header=[*HEADER, INJECTION]),
                    encoding="utf-8")
    (out / "unit.csv").write_text(csv_text([rec(90, 2)], header=[*HEADER[:-1], f"本年累计产值（{INJECTION}）"]),
                                  encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    marts = tmp_path / "szei.duckdb"

    def run():
        return subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--raw-dir", str(raw), "--marts",
                               str(marts), "--no-report"], cwd=ROOT, capture_output=True, text=True, timeout=300)

    # unit.csv is rejected whole and it holds 2012 1-12月 rows: that period is incomplete, the gate blocks
    # (issue 12; exit 3, nothing published) and says so with the header's text verbatim
    proc = run()
    assert proc.returncode == 3, proc.stderr
    assert "2012年1-12月：文件 unit.csv 整个被拒收" in proc.stderr and INJECTION in proc.stderr
    assert not marts.exists()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # without it, the rest is published (exit 1: a rejected row to review)
    (out / "unit.csv").rename(tmp_path / "unit.csv")
    proc = run()
    assert proc.returncode == 1, proc.stderr
    con = duckdb.connect(str(marts), read_only=True)
    try:
        assert con.execute("select count(*) from mart_attainment").fetchone()[0] > 0  # still there
        # the text is stored as data, verbatim
        assert con.execute("select source_file, unit_name from int_attributed_output where unit_code = ?",
                           [code(90, 0)]).fetchall() == [(f"{INJECTION}.csv", INJECTION)]
        assert con.execute("select count(*) from dq_quarantine where source_file = ? and source_row = 3",
                           [f"{INJECTION}.csv"]).fetchone()[0] == 1
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        assert {"mart_attainment", "mart_enterprise_bands", "dq_quarantine", "dq_file_summary"} <= tables
    finally:
        con.close()


SQL_CALLS = {"execute", "sql", "query", "executemany"}
# the only names ever formatted into SQL text: our own identifiers and our own sql/ files
SAFE_INTERPOLATIONS = {"name", "kind", "model.name", "model.text"}


def test_no_user_text_is_formatted_into_sql():
    """Every SQL string built with an f-string/concatenation/format interpolates only our own names."""
    offenders = []
    for path in sorted((ROOT / "pipelines").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SQL_CALLS and node.args):
                continue
            arg = node.args[0]
            if isinstance(arg, ast.JoinedStr):
                parts = [ast.unparse(v.value) for v in arg.values if isinstance(v, ast.FormattedValue)]
                offenders += [f"{path.name}:{node.lineno} {p}" for p in parts if p not in SAFE_INTERPOLATIONS]
            elif isinstance(arg, ast.BinOp) or (isinstance(arg, ast.Call) and getattr(arg.func, "attr", "") == "format"):
                offenders.append(f"{path.name}:{node.lineno} {ast.unparse(arg)}")
    assert offenders == []


def test_table_names_are_checked_before_use(tmp_path):
    import polars as pl
    import pytest

    from pipelines.marts.build import load_table

    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    with pytest.raises(ValueError):
        load_table(con, INJECTION, pl.DataFrame({"a": [1]}))
    con.close()


def test_listeners_bind_to_loopback_by_default():
    from dagster_webserver.cli import dagster_webserver
    from jupyter_client.manager import KernelManager

    # `dagster dev` / `dg dev` without -h: the webserver's default host
    assert {p.name: p.default for p in dagster_webserver.params}["host"] == "127.0.0.1"
    assert "-h 127.0.0.1" in (ROOT / "Makefile").read_text(encoding="utf-8")  # make dev
    # the report's notebook kernel (ZeroMQ) listens on loopback
    km = KernelManager()
    assert (km.transport, km.ip) == ("tcp", "127.0.0.1")


def test_the_documented_analyst_connection_is_read_only(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'duckdb.connect("data/marts/szei.duckdb", read_only=True)' in readme
    assert "duckdb -readonly" in readme
    db = tmp_path / "m.duckdb"
    w = duckdb.connect(str(db))
    w.execute("create table t as select 1 as a")
    w.close()
    ro = duckdb.connect(str(db), read_only=True)
    try:
        assert ro.execute("select a from t").fetchone() == (1,)
        for statement in ("drop table t", "insert into t values (2)", "create table u (a int)"):
            try:
                ro.execute(statement)
            except duckdb.Error as err:
                assert "read-only" in str(err).lower()
            else:
                raise AssertionError(f"{statement} succeeded on a read-only connection")
    finally:
        ro.close()

"""Marts every reader opens: the DuckDB file in a storage format DuckDB 1.2+ reads (opened here with the
pip `duckdb-cli` 1.5.6, the newest CLI on the package index), the public tables as Parquet with the
data dictionary, and a published file that a writable connection cannot silently write into."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT


def duckdb_cli() -> str | None:
    """The pip duckdb-cli (a dev dependency, so in the project's venv), else one on PATH."""
    beside = Path(sys.executable).with_name("duckdb")
    return str(beside) if beside.exists() else shutil.which("duckdb")


def cli_json(db: Path, sql: str, *flags: str) -> subprocess.CompletedProcess:
    cli = duckdb_cli()
    if cli is None:
        pytest.skip("pip duckdb-cli not installed (uv sync installs it with the dev group)")
    return subprocess.run([cli, "-readonly", "-json", *flags, str(db), "-c", sql],
                          capture_output=True, text=True, timeout=60)


def test_the_pip_duckdb_cli_opens_every_table_and_view(sample_marts):
    version = subprocess.run([duckdb_cli() or "duckdb", "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("v1."), version.stdout  # an older reader than the writer (2.x)
    con = duckdb.connect(str(sample_marts), read_only=True)
    try:
        names = [n for (n,) in con.execute(
            "select table_name from duckdb_tables() where not internal union all "
            "select view_name from duckdb_views() where not internal order by 1").fetchall()]
        counts = {n: con.execute(f"select count(*) from {n}").fetchone()[0] for n in names}
    finally:
        con.close()
    assert "int_attributed_output" in names and "mart_attainment" in names
    sql = " union all ".join(f"select '{n}' as name, count(*) as n from {n}" for n in names)
    proc = cli_json(sample_marts, sql)
    assert proc.returncode == 0, proc.stderr
    assert {r["name"]: r["n"] for r in json.loads(proc.stdout)} == counts
    # the marts' bitmap counting (bitstring_agg / bit_count) works the same in 1.5.6 on the stored facts
    con = duckdb.connect(str(sample_marts), read_only=True)
    top, distinct = con.execute("select max(firm_id), count(distinct firm_id) from int_attributed_facts").fetchone()
    con.close()
    proc = cli_json(sample_marts, f"select bit_count(bitstring_agg(firm_id, 0, {int(top)})) as n from int_attributed_facts")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["n"] == distinct


def test_the_readme_queries_run_in_the_pip_cli(sample_marts):
    """Every SQL block of the README's analyst section, as written, in duckdb-cli 1.5.6."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```sql\n")[1:]]
    assert blocks
    for block in blocks:
        proc = cli_json(sample_marts, block)
        assert proc.returncode == 0, f"{block}\n{proc.stderr}"
        assert "Error" not in proc.stderr, proc.stderr
    first = cli_json(sample_marts, blocks[0].split(";")[0])
    industries = [r["industry"] for r in json.loads(first.stdout)]
    assert industries[-1] == "合计" and len(industries) == 4  # 生物, 互联网, 新能源, then 合计


def test_parquet_beside_the_file_with_the_dictionary(sample_marts):
    folder = sample_marts.parent / "parquet"
    assert folder.is_symlink() and folder.is_dir()
    con = duckdb.connect(str(sample_marts), read_only=True)
    try:
        for name in ("mart_attainment", "mart_enterprise_bands", "dq_quarantine", "dq_file_summary", "meta_run"):
            file = folder / f"{name}.parquet"
            same = con.execute(f"select count(*) from (select * from {name} except all select * from read_parquet(?))",
                               [str(file)]).fetchone()[0]
            assert same == 0 and con.execute("select count(*) from read_parquet(?)", [str(file)]).fetchone()[0] == \
                con.execute(f"select count(*) from {name}").fetchone()[0]
        assert not (folder / "int_attributed_facts.parquet").exists()  # record level: DuckDB only
        columns = con.execute("select count(*) from duckdb_columns() where not internal").fetchone()[0]
    finally:
        con.close()
    with open(folder / "dictionary.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == columns
    att = {r["column_name"]: r for r in rows if r["table_name"] == "mart_attainment"}
    assert att["attainment"]["comment"] and att["attainment"]["in_parquet"] == "true"
    assert all(r["comment"] for r in rows), [r for r in rows if not r["comment"]][:3]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another user")
def test_a_writable_connection_to_the_published_file_fails_loudly(sample_marts, request):
    """The published file is 0444: an analyst's connection without read_only is refused at once,
    instead of writing into a file the next run replaces (writes lost without a word)."""
    assert sample_marts.stat().st_mode & 0o777 == 0o444
    cli = duckdb_cli()
    if cli is None or not shutil.which("setpriv"):
        pytest.skip("duckdb-cli or setpriv not available")
    shared = Path(tempfile.mkdtemp(prefix="szei-readers-"))  # pytest's tmp_path is private to root (0700)
    shared.chmod(0o755)
    request.addfinalizer(lambda: shutil.rmtree(shared, ignore_errors=True))
    binary = shared / "duckdb"
    real = Path(cli)
    # the pip package's script runs a binary inside the package; copy it where another user can run it
    inner = next(Path(sys.prefix).glob("lib/python*/site-packages/duckdb_cli/duckdb"), real)
    shutil.copy(inner, binary)
    binary.chmod(0o755)
    db = shared / "published.duckdb"
    shutil.copy(sample_marts, db)
    db.chmod(0o444)
    as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    writable = subprocess.run([*as_nobody, str(binary), str(db), "-c", "select 1"],
                              capture_output=True, text=True, timeout=60)
    assert writable.returncode != 0 and "Permission denied" in writable.stderr
    readonly = subprocess.run([*as_nobody, str(binary), "-readonly", str(db), "-c", "select count(*) from meta_run"],
                              capture_output=True, text=True, timeout=60)
    assert readonly.returncode == 0, readonly.stderr

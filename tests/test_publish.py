"""Safe for analysts: readers never block a run, a killed run never leaves half-written marts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from pipelines.errors import MartsLockedError
from pipelines.marts import build_marts
from pipelines.marts.publish import build_lock
from pipelines.reference import load_reference
from tests.conftest import ROOT, TARGETS_DIR
from tests.marts_fixtures import batch_of, params, records

FIRST = [(2012, 12, "91440300708461136T", "生物", "福田区", "南山区", 30000)]
SECOND = [(2012, 12, "91440300708461136T", "生物", "福田区", "南山区", 50000)]


def city_bio(con) -> float:
    return con.execute(
        "select actual_yi from mart_attainment where year = 2012 and ytd_months = 12"
        " and district = '全市' and industry = '生物'"
    ).fetchone()[0]


@pytest.fixture(scope="module")
def reference():
    return load_reference(TARGETS_DIR)


def test_a_reader_held_open_across_a_run(tmp_path, reference):
    db = tmp_path / "szei.duckdb"
    assert build_marts(batch_of(records(FIRST)), reference, db, params("one")).published
    analyst = duckdb.connect(str(db), read_only=True)
    assert city_bio(analyst) == 3.0

    assert build_marts(batch_of(records(SECOND)), reference, db, params("two")).published

    assert city_bio(analyst) == 3.0  # the analyst's session keeps working on the marts it opened
    analyst.close()
    fresh = duckdb.connect(str(db), read_only=True)
    assert city_bio(fresh) == 5.0 and fresh.execute("select run_id from meta_run").fetchone() == ("two",)
    fresh.close()


def test_a_second_run_refuses_when_the_wait_runs_out(tmp_path, reference, monkeypatch):
    monkeypatch.setenv("SZEI_LOCK_WAIT_SECONDS", "0")
    db = tmp_path / "szei.duckdb"
    with build_lock(db), pytest.raises(MartsLockedError) as err:
        build_marts(batch_of(records(FIRST)), reference, db, params())
    assert "另一个运行正在生成该数据集市" in err.value.message()
    assert not db.exists()


KILLED_BUILD = textwrap.dedent(
    """
    import sys
    import polars as pl
    from pipelines.marts import build_marts
    from pipelines.reference import load_reference
    from tests.marts_fixtures import batch_of, params, ACCEPTED_SCHEMA
    n = 3_000_000
    frame = pl.DataFrame({
        "source_file": ["big.csv"] * n, "source_row": pl.int_range(2, n + 2, eager=True).cast(pl.Int32),
        "year": [2012] * n, "ytd_months": [12] * n, "period_label": ["1-12月"] * n,
        "unit_code": pl.int_range(0, n, eager=True).cast(pl.String), "unit_name": ["x"] * n,
        "industry": ["生物"] * n, "reg_district": ["福田区"] * n, "output_district": ["南山区"] * n,
        "ytd_value_wan": [1.0] * n, "normalized": [None] * n,
    }, schema=ACCEPTED_SCHEMA)
    build_marts(batch_of(frame), load_reference(sys.argv[1]), sys.argv[2], params("killed"))
    """
)


def test_a_run_killed_midway_leaves_the_previous_marts(tmp_path, reference):
    db = tmp_path / "szei.duckdb"
    assert build_marts(batch_of(records(FIRST)), reference, db, params("published")).published
    before = db.read_bytes()

    proc = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(TARGETS_DIR), str(db)], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".szei.*.building.duckdb")):
        assert proc.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(0.3)  # well inside the build
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    assert db.read_bytes() == before
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select run_id from meta_run").fetchone() == ("published",)
    con.close()
    assert list(tmp_path.glob(".szei.*.building.duckdb"))  # the stray candidate is still there…
    assert build_marts(batch_of(records(SECOND)), reference, db, params("next")).published
    assert not list(tmp_path.glob(".szei.*.building.duckdb*"))  # …and the next run cleans it up

"""Smoke test of the benchmark (`make bench`): 100k rows through floor, `szei run`, `szei validate`.

It fails on an error (a step exits non-zero, the marts do not account for every row, the table
is not printed) — never on a time: the machines are shared and noisy.
"""

from __future__ import annotations

import pytest

from benchmarks import run as bench

pytestmark = pytest.mark.slow


def test_bench_100k_runs_and_prints_the_table(tmp_path, capsys):
    assert bench.main(["--sizes", "100000", "--repeats", "1", "--dir", str(tmp_path), "--json", str(tmp_path / "r.json")]) == 0
    out = capsys.readouterr().out
    assert "| rows | floor s | pipeline s | ratio pipeline/floor |" in out
    assert "cores" in out
    (cached,) = tmp_path.glob("seed-2012-rows-100000")
    info = bench.json.loads((cached / bench.READY).read_text(encoding="utf-8"))
    assert 95_000 <= info["rows"] <= 105_000  # ~100k rows: 12 quarterly YTD files + the revision
    assert f"| {info['rows']:,} |" in out
    # cached: a second call reuses the files
    raw, again = bench.ensure_data(tmp_path, 2012, 100_000)
    assert again == info and (raw / "targets").is_dir()


def test_bench_child_failure_is_an_error(tmp_path):
    with pytest.raises(bench.BenchError):
        bench.run_child([bench.sys.executable, "-c", "import sys; sys.exit(3)"])
    seconds, peak_mb, _ = bench.run_child([bench.sys.executable, "-c", "print('ok')"])
    assert seconds > 0 and peak_mb > 1


def test_phase_profile_times_every_model(capsys):
    """`python -m benchmarks.phases` on the bundled sample: every SQL model and the validation phases
    are timed (a renamed function would make it fail, not time nothing)."""
    import pipelines.marts.build as marts_build
    import pipelines.validation.core as core
    from benchmarks import phases
    from pipelines.marts.models import model_files
    from tests.conftest import ROOT

    before = (core.find_duplicates, marts_build.run_model)
    assert phases.main([str(ROOT / "data" / "raw")]) == 0
    assert (core.find_duplicates, marts_build.run_model) == before  # the modules are left as found
    out = capsys.readouterr().out
    for model in model_files():
        assert f"| model {model.name} | 1 |" in out
    for name in (*phases.PER_FILE, *phases.PER_RUN, "check_accepted", "enterprise_ids", "run_checks",
                 "validation (total)", "marts (total)"):
        assert f"| {name} |" in out, name


def test_compare_marts_finds_every_kind_of_difference(tmp_path, capsys):
    """`python -m benchmarks.compare_marts`: the same file is the same; a number beyond the tolerance,
    a missing row, a changed text, a changed column type or comment or a missing table is a difference; a
    last-bit difference in a sum and the run metadata are not."""
    import duckdb

    from benchmarks import compare_marts

    def make(path, *, value=1.25, rows=3, text="南山区", kind="double", drop=False, run_id="a", note="实际值"):
        con = duckdb.connect(str(path))
        con.execute(f"create table mart_x (district varchar, v {kind}, n integer)")
        con.execute(f"comment on column mart_x.v is '{note}'")  # a constant of this test (COMMENT takes no parameter)
        con.execute("insert into mart_x select ?, ? * i, i from range(?) t(i)", [text, value, rows])
        con.execute("create table meta_run (run_id varchar, built_at timestamp, szei_version varchar)")
        con.execute("insert into meta_run values (?, now(), '0.1.0')", [run_id])
        if not drop:
            con.execute("create table dq_y as select 1 as k")
        con.close()
        return path

    old = make(tmp_path / "old.duckdb")
    same = {"same": make(tmp_path / "same.duckdb", run_id="b"),
            "last bits": make(tmp_path / "bits.duckdb", value=1.25 * (1 + 1e-13))}
    different = {"beyond tolerance": make(tmp_path / "far.duckdb", value=1.25 * (1 + 1e-6)),
                 "a row missing": make(tmp_path / "rows.duckdb", rows=2),
                 "a text": make(tmp_path / "text.duckdb", text="福田区"),
                 "a type": make(tmp_path / "type.duckdb", kind="decimal(18,6)"),
                 "a comment": make(tmp_path / "note.duckdb", note="目标值"),
                 "a table missing": make(tmp_path / "drop.duckdb", drop=True)}
    for what, new in same.items():
        assert compare_marts.main([str(old), str(new)]) == 0, what
    for what, new in different.items():
        assert compare_marts.main([str(old), str(new)]) == 1, what
        assert "DIFFERS" in capsys.readouterr().out, what
    assert compare_marts.main([str(old), str(tmp_path / "none.duckdb")]) == 2

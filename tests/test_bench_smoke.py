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

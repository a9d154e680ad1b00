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
    from pipelines.marts.models import MODELS
    from tests.conftest import ROOT

    before = (core.find_duplicates, marts_build.run_model)
    assert phases.main([str(ROOT / "data" / "raw")]) == 0
    assert (core.find_duplicates, marts_build.run_model) == before  # the modules are left as found
    out = capsys.readouterr().out
    for _, model in MODELS:
        assert f"| model {model} | 1 |" in out
    for name in (*phases.PER_FILE, *phases.PER_RUN, "check_accepted", "enterprise_ids", "run_checks",
                 "validation (total)", "marts (total)"):
        assert f"| {name} |" in out, name

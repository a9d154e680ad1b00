"""The szei command line as a user meets it: exit codes, messages in Chinese and English, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from pipelines.marts.publish import build_lock
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "raw" / "output"


def szei(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=300)


def test_missing_raw_dir_is_a_clear_error(tmp_path):
    result = szei("run", "--raw-dir", str(tmp_path / "nowhere"), "--marts", str(tmp_path / "m.duckdb"))
    assert result.returncode == 2
    assert "输入目录不存在" in result.stderr and "input folder does not exist" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_validate_exit_codes_and_outputs(tmp_path):
    bad = szei("validate", str(SAMPLE / "2012_1-6月.csv"), "--out", str(tmp_path / "退回清单"))
    assert bad.returncode == 1, bad.stderr
    assert "第 1609 行" in bad.stdout and "校验位错误" in bad.stdout
    listing = pl.read_csv(tmp_path / "退回清单.csv")
    assert len(listing) == 8
    assert (tmp_path / "退回清单.xlsx").stat().st_size > 0

    good = szei("validate", str(SAMPLE / "2012_1-9月.csv"))
    assert good.returncode == 0, good.stdout + good.stderr

    binary = tmp_path / "图片.csv"
    binary.write_bytes(bytes(range(256)) * 64)
    unreadable = szei("validate", str(binary))
    assert unreadable.returncode == 2
    assert "图片.csv" in unreadable.stdout + unreadable.stderr
    assert "Traceback" not in unreadable.stdout + unreadable.stderr


def test_validate_a_100k_row_quarter_file(tmp_path):
    """The statistician's check of a 100,000-row quarterly file, in-process: every row accounted for.
    Its speed is measured by `make bench`, never asserted here (the machines are shared)."""
    from pipelines.reference import load_reference
    from pipelines.sample import generate_sample
    from pipelines.validation import validate_output_files

    files = generate_sample(tmp_path / "out", enterprises=95_000, years=(2012,), formats="csv")
    quarter = next(f for f in files if f.name == "2012_1-12月.csv")
    reference = load_reference(ROOT / "data" / "raw" / "targets")
    batch = validate_output_files([quarter], reference)
    summary = batch.file_summary
    rows = int(summary["rows_read"].sum())
    assert rows >= 100_000
    assert rows == int(summary["rows_accepted"].sum()) + int(summary["rows_rejected"].sum())


def test_a_second_run_refuses_while_the_first_builds(tmp_path):
    marts = tmp_path / "szei.duckdb"
    with build_lock(marts):
        result = szei("run", "--no-report", "--marts", str(marts))
    assert result.returncode == 1
    assert "另一个运行正在生成该数据集市" in result.stderr
    assert "Traceback" not in result.stderr
    assert not marts.exists()


@pytest.mark.slow
def test_run_then_report_from_the_cli(tmp_path):
    marts, out = tmp_path / "szei.duckdb", tmp_path / "report"
    run = szei("run", "--no-report", "--marts", str(marts))
    assert run.returncode == 0, run.stderr
    assert "完成 / done" in run.stderr and marts.exists()
    report = szei("report", "--marts", str(marts), "--out", str(out))
    assert report.returncode == 0, report.stderr
    assert (out / "report.html").exists() and (out / "report.pdf").exists() and (out / "tables.xlsx").exists()

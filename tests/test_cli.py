"""The szei command line as a user meets it: exit codes, messages in Chinese and English, no tracebacks."""

from __future__ import annotations

import os
import re
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


@pytest.mark.parametrize("target", ["folder", "not_duckdb"])
def test_a_marts_path_that_is_no_marts_file_is_refused_before_any_work(tmp_path, target):
    """--marts naming a folder ended in a Dagster stack trace (IsADirectoryError at publication); naming a
    file that is not a DuckDB database (a mistyped path) overwrote it and said 'published, clean'. Both are
    refused at once, exit 2, and the thing named is left as it was."""
    marts = tmp_path / "m.duckdb"
    if target == "folder":
        marts.mkdir()
        (marts / "keep.txt").write_text("x", encoding="utf-8")
    else:
        marts.write_text("季度汇总表，不是数据库\n", encoding="utf-8")
    result = szei("run", "--no-report", "--raw-dir", str(ROOT / "data" / "raw"), "--marts", str(marts))
    text = result.stdout + result.stderr
    assert result.returncode == 2, text
    assert "Traceback" not in text and "IsADirectoryError" not in text
    assert "--marts" in result.stderr and "数据集市" in result.stderr
    if target == "folder":
        assert (marts / "keep.txt").read_text(encoding="utf-8") == "x"
        assert "指向的是一个文件夹" in result.stderr and "names a folder" in result.stderr
    else:
        assert marts.read_text(encoding="utf-8") == "季度汇总表，不是数据库\n"
        assert "不是 DuckDB" in result.stderr and "not a DuckDB" in result.stderr


def test_validate_of_a_missing_file_says_so_on_stderr(tmp_path):
    result = szei("validate", str(tmp_path / "nope.csv"))
    assert result.returncode == 2
    assert "文件不存在" in result.stderr and "file(s) not found" in result.stderr and result.stdout == ""


def test_a_usage_error_is_said_in_chinese_and_english():
    for args in (("run", "--bogus"), ("validate",), ("nope",)):
        result = szei(*args)
        assert result.returncode == 2, result.stderr
        assert "错误：命令行参数有误" in result.stderr and "\nError: " in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


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


def test_a_run_waits_for_the_lock_then_gives_up_with_a_message(tmp_path):
    marts = tmp_path / "szei.duckdb"
    with build_lock(marts):
        result = szei("run", "--no-report", "--marts", str(marts),
                      env={**os.environ, "SZEI_LOCK_WAIT_SECONDS": "1"})
    assert result.returncode == 2  # failed (an error): exit 2 since issue 12 (was 1, now "published with findings")
    assert "另一个运行正在生成该数据集市，已等待 1 秒仍未结束" in result.stderr
    assert "等待其结束 / another run is building the marts; waiting for it" in result.stdout
    assert "Traceback" not in result.stderr
    assert not marts.exists()


def test_progress_lines_appear_when_the_output_is_piped(tmp_path):
    """Not a terminal: each step's start and end are plain lines with counts and seconds, in order."""
    marts = tmp_path / "szei.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run", "--no-report", "--marts", str(marts)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err  # published; the sample's 8 bad rows are findings (issue 12's exit codes)
    lines = out.splitlines()
    assert not any("\x1b[" in line for line in lines)  # no terminal codes
    steps = ["bureau_output_files", "reference_data", "validated_output", "marts_database"]
    for n, step in enumerate(steps, start=1):
        start = next(i for i, line in enumerate(lines) if f"{n} of 4 开始 START {step}" in line)
        end = next(i for i, line in enumerate(lines) if f"{n} of 4 完成 OK {step}" in line)
        assert start < end
        assert re.search(r"\[\d+\.\d s\]$", lines[end]), lines[end]
    validated = next(line for line in lines if "完成 OK validated_output" in line)
    assert "读入 19,090 行，接受 19,082，退回 8" in validated  # the bundled sample's counts
    assert "mart_attainment" in next(line for line in lines if "完成 OK marts_database" in line)
    assert any("完成 / done" in line for line in lines)

    quiet = szei("run", "--no-report", "--quiet", "--marts", str(marts))
    assert quiet.returncode == 1 and quiet.stdout == ""  # published with findings (the sample's bad rows)
    verbose = szei("run", "--no-report", "--verbose", "--marts", str(marts))
    assert "检查通过 / check passed: districts_sum_to_city" in verbose.stdout
    assert "新的统计期" in verbose.stdout or "校验完成 / validated" in verbose.stdout


def test_version_and_bilingual_help_with_exit_codes_and_examples():
    from importlib.metadata import version

    assert szei("--version").stdout.strip() == f"szei {version('szei')}"
    for command in ("run", "validate", "report", "sample"):
        text = szei(command, "--help").stdout
        assert "退出码 / exit codes" in text and "示例 / examples" in text, command
        options = [line for line in text.splitlines() if line.strip().startswith("-")]
        assert options
        # every option's help has Chinese and English (CJK characters and a ' / ')
        for line in options:
            block = text[text.index(line):].split("\n  -", 1)[0]
            assert re.search(r"[\u4e00-\u9fff]", block) and re.search(r"/\s+[A-Za-z]", block), (command, block)


def test_sample_out_is_a_raw_folder_that_run_accepts(tmp_path):
    raw = tmp_path / "raw"
    made = szei("sample", "--out", str(raw), "--enterprises", "30")
    assert made.returncode == 0, made.stderr
    assert (raw / "targets" / "scale_targets.csv").is_file() and (raw / "output" / "模拟数据.json").is_file()
    run = szei("run", "--raw-dir", str(raw), "--marts", str(tmp_path / "m.duckdb"), "--no-report")
    assert run.returncode == 1, run.stderr  # published, with the sample's deliberately bad rows to review
    again = szei("sample", "--out", str(raw), "--enterprises", "30", "--seed", "7")  # regenerates its own files
    assert again.returncode == 0, again.stderr and "保留现有参考数据" in again.stdout


@pytest.mark.slow
def test_run_then_report_from_the_cli(tmp_path):
    marts, out = tmp_path / "szei.duckdb", tmp_path / "report"
    run = szei("run", "--no-report", "--marts", str(marts))
    assert run.returncode == 1, run.stderr  # published; the sample's 8 bad rows are findings to review
    assert "完成 / done" in run.stdout and marts.exists()
    report = szei("report", "--marts", str(marts), "--out", str(out))
    assert report.returncode == 0, report.stderr
    assert (out / "report.html").exists() and (out / "report.pdf").exists() and (out / "tables.xlsx").exists()

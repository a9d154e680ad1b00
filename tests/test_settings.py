"""One settings object (pipelines/settings.py): every variable read there, when asked, and a bad value named."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.errors import SzeiError
from pipelines.marts.build import duckdb_config
from pipelines.marts.publish import lock_wait_seconds
from pipelines.report.quarto import find_quarto
from pipelines.settings import PROJECT_ROOT, Settings

SOURCES = [p for folder in ("pipelines", "benchmarks") for p in sorted((PROJECT_ROOT / folder).rglob("*.py"))]


def test_no_module_but_settings_reads_a_variable():
    """A variable read elsewhere would be a second home for a setting (child processes get os.environ
    whole: that copies the environment, it reads no setting)."""
    reads = re.compile(r"os\.environ(\.get|\[)|os\.getenv|environ\.get\(")
    found = [f"{p.relative_to(PROJECT_ROOT)}:{n}" for p in SOURCES if p.name != "settings.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if reads.search(line) and "PYTHONPATH" not in line]
    assert found == []


def test_every_variable_read_is_in_the_readme_table():
    named = set(re.findall(r'"([A-Z]+_[A-Z_]+)"', (PROJECT_ROOT / "pipelines" / "settings.py").read_text(encoding="utf-8")))
    table = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").split("### Settings", 1)[1].split("\n## ", 1)[0]
    assert named and {v for v in named if f"`{v}`" not in table} == set()


def test_variables_are_heard_when_asked_not_at_import(monkeypatch, tmp_path):
    monkeypatch.setenv("SZEI_DUCKDB_MEMORY", "640MB")
    monkeypatch.setenv("SZEI_LOCK_WAIT_SECONDS", "7")
    monkeypatch.setenv("SZEI_MARTS_DB", str(tmp_path / "m.duckdb"))
    monkeypatch.delenv("SZEI_NO_QUARTO", raising=False)
    monkeypatch.setenv("SZEI_QUARTO", str(tmp_path / "no-quarto-here"))
    assert duckdb_config(str(tmp_path))["memory_limit"] == "640MB"
    assert lock_wait_seconds() == 7
    assert Settings.from_env().marts_db == tmp_path / "m.duckdb"
    assert Settings.from_env(marts_db=tmp_path / "arg.duckdb").marts_db == tmp_path / "arg.duckdb"  # the option wins
    with pytest.raises(SzeiError) as err:  # a variable naming nothing is refused, not passed over
        find_quarto()
    assert "SZEI_QUARTO" in err.value.zh and "SZEI_QUARTO" in err.value.en
    monkeypatch.setenv("SZEI_NO_QUARTO", "1")
    assert find_quarto() is None


def test_a_bad_number_is_named_in_both_languages_without_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("SZEI_LOCK_WAIT_SECONDS", "an hour")
    code = main(["validate", str(PROJECT_ROOT / "data" / "raw" / "output")])
    err = capsys.readouterr().err
    assert code == 2
    assert "环境变量 SZEI_LOCK_WAIT_SECONDS" in err and "「an hour」" in err and "must be a number" in err
    assert "Traceback" not in err


def test_the_schedule_and_the_sensor_take_their_timing_from_the_settings(tmp_path):
    code = ("from pipelines.defs.schedules import quarterly_refresh as s\n"
            "from pipelines.defs.sensors import new_output_files as n\n"
            "print(s.cron_schedule, n.minimum_interval_seconds, sep='|')")
    env = {**os.environ, "SZEI_SCHEDULE_CRON": "5 4 * * *", "SZEI_SENSOR_INTERVAL_SECONDS": "17"}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "5 4 * * *|17"
    default = Settings(Path(), Path(), Path())
    env = {k: v for k, v in env.items() if k not in ("SZEI_SCHEDULE_CRON", "SZEI_SENSOR_INTERVAL_SECONDS")}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == f"{default.schedule_cron}|{default.sensor_interval_seconds}"

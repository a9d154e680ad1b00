"""Publishing is one unit (issue 12): the marts and the report go out together or not at all, and a
failure says exactly what changed."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.errors import SzeiError
from pipelines.publication import PartialPublicationError, PublicationError, swap_in
from tests.conftest import ROOT


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_swap_in_replaces_every_file(tmp_path):
    new = [tmp_path / "new_a", tmp_path / "new_b"]
    old = [tmp_path / "a", tmp_path / "b"]
    for n, o in zip(new, old):
        n.write_text("new " + n.name)
        o.write_text("old " + o.name)
    swap_in(list(zip(new, old)), "t1")
    assert [o.read_text() for o in old] == ["new new_a", "new new_b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]  # no backups left behind


def test_a_failed_swap_puts_every_file_back(tmp_path):
    marts, report = tmp_path / "szei.duckdb", tmp_path / "report.html"
    marts.write_text("old marts")
    staged = tmp_path / "staged"
    staged.write_text("new marts")
    missing = tmp_path / "never-rendered.html"  # the second replace fails
    with pytest.raises(PublicationError) as caught:
        swap_in([(staged, marts), (missing, report)], "t2")
    assert not isinstance(caught.value, PartialPublicationError)
    assert "数据集市与报告均未替换，仍为上次发布的结果" in caught.value.message()
    assert marts.read_text() == "old marts" and not report.exists()


def test_a_failed_render_replaces_neither_marts_nor_report(tmp_path, monkeypatch, capsys):
    """Before issue 12 the marts were replaced first, and the message said 'marts untouched'."""
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    marts, report = tmp_path / "marts" / "szei.duckdb", tmp_path / "report"
    args = ["run", "--raw-dir", str(raw), "--marts", str(marts), "--report-dir", str(report)]
    assert main([*args, "--no-report"]) == 1  # the sample published (its 8 bad rows: findings)
    before = digest(marts)
    (report).mkdir()
    (report / "report.html").write_text("last good report")

    import pipelines.report

    def broken(marts_db, out_dir, period=None):
        assert ".staged" in Path(marts_db).name  # the report is rendered from this run's unpublished marts
        raise SzeiError("报告无法生成：找不到中文字体", "the report cannot be rendered: no CJK font")

    monkeypatch.setattr(pipelines.report, "render_report", broken)
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "报告无法生成：找不到中文字体；数据集市与报告均未替换，仍为上次发布的结果" in err
    assert "运行失败，已发布的数据集市与报告未被替换" in err and "Traceback" not in err
    assert digest(marts) == before
    assert (report / "report.html").read_text() == "last good report"
    # nothing of the failed run is left beside them
    assert not [p.name for p in marts.parent.iterdir() if ".staged" in p.name or ".building" in p.name]
    assert [p.name for p in marts.parent.iterdir() if p.name.startswith(".parquet-")] == [
        os.readlink(marts.parent / "parquet")]  # only the published run's Parquet folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["marts", "raw", "report"]

"""Issue 12, items 4–6 (ingest part): every entry under output/ accounted for, what clerks send is read,
exports neutralise formulas. Each test writes its files into tmp_path and asserts the exact outcome."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from pipelines.exports import neutralise_formulas
from pipelines.ingest import inventory, list_output_files
from pipelines.reference import load_reference
from pipelines.validation import validate_output_files
from pipelines.validation.command import run_validate
from tests.conftest import TARGETS_DIR
from tests.test_validation_rules import HEADER, uscc

VALUE = HEADER[-1]


@pytest.fixture(scope="module")
def ref():
    return load_reference(TARGETS_DIR)


def rec(n: int, *, period="1-12月", val="100", name="甲公司", ind="生物", reg="南山区", out="南山区") -> list[str]:
    return ["2012", period, uscc(9000 + n), name, ind, reg, out, val]


def text(rows: list[list[str]], sep: str = ",", nl: str = "\n", header=HEADER) -> str:
    return nl.join(sep.join(r) for r in [header, *rows]) + nl


def validate_folder(ref, folder: Path):
    entries = inventory(folder)
    return validate_output_files([e.path for e in entries if e.to_read], ref, root=folder,
                                 skipped=[e for e in entries if not e.to_read])


def summary(batch) -> dict[str, dict]:
    return {r["source_file"]: r for r in batch.file_summary.iter_rows(named=True)}


def accounted(batch) -> None:
    """rows read = accepted + rejected for every file; the quarantine holds exactly the rejected rows."""
    fs = batch.file_summary
    assert (fs["rows_read"] == fs["rows_accepted"] + fs["rows_rejected"]).all(), fs
    per_file = batch.quarantine.group_by("source_file").len()
    for f, n in per_file.iter_rows():
        assert summary(batch)[f]["rows_rejected"] == n


# ------------------------------------------------------------------- 4. nothing ignored in silence
def make_mixed_folder(d: Path) -> None:
    (d / "2012_1-3月.csv").write_text(text([rec(1, period="1-3月")]), encoding="utf-8")
    (d / "南山").mkdir()
    (d / "南山" / "2012_1-3月.csv").write_text(text([rec(2, period="1-3月")]), encoding="utf-8")
    (d / "~$2012_1-3月.xlsx").write_bytes(b"\x05clerk" + b"\x00" * 40)
    (d / ".~lock.2012.csv#").write_text("x", encoding="utf-8")
    (d / "._2012_1-3月.csv").write_bytes(b"\x00\x05\x16\x07" + b"\x00" * 60)
    (d / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (d / "说明.pdf").write_bytes(b"%PDF-1.4\n")
    (d / "备注.txt").write_text("这些文件是南山区报送的。\n", encoding="utf-8")
    (d / "空").mkdir()
    (d / ".git").mkdir()
    (d / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (d / "模拟数据.json").write_text("{}", encoding="utf-8")
    (d / "2012_1-6月.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)


EXPECTED_STATUS = {
    "2012_1-3月.csv": "read",
    "南山/2012_1-3月.csv": "read",
    "~$2012_1-3月.xlsx": "ignored",
    ".~lock.2012.csv#": "ignored",
    "._2012_1-3月.csv": "ignored",
    ".DS_Store": "ignored",
    "说明.pdf": "ignored",
    "备注.txt": "ignored",
    "空/": "ignored",
    ".git/": "ignored",
    "模拟数据.json": "ignored",
    "2012_1-6月.xls": "rejected",
}


def test_every_entry_under_output_has_a_status(ref, tmp_path):
    make_mixed_folder(tmp_path)
    batch = validate_folder(ref, tmp_path)
    fs = summary(batch)
    assert {f: r["status"] for f, r in fs.items()} == EXPECTED_STATUS
    assert fs["~$2012_1-3月.xlsx"]["status_reason"].startswith("Office 打开文件时生成的锁文件")
    assert "lock file" in fs["~$2012_1-3月.xlsx"]["status_reason_en"]
    assert fs["说明.pdf"]["status_reason"].startswith("文件类型「.pdf」不是数据文件")
    assert fs["备注.txt"]["status_reason"].startswith("文本文件中没有约定的列名")
    assert fs["备注.txt"]["file_error"] is None  # ignored, not rejected
    assert fs[".git/"]["status_reason"] == "隐藏或系统文件夹（含 1 个条目），其中的文件不读取"
    assert fs["2012_1-6月.xls"]["status_reason"] == fs["2012_1-6月.xls"]["file_error"]
    assert "旧版 Excel（.xls）" in fs["2012_1-6月.xls"]["file_error"]
    # the subfolder's file is read and named by its path; both records are accepted
    assert fs["南山/2012_1-3月.csv"]["rows_accepted"] == 1 and fs["2012_1-3月.csv"]["rows_accepted"] == 1
    assert sorted(batch.accepted["source_file"].to_list()) == ["2012_1-3月.csv", "南山/2012_1-3月.csv"]
    # the rejected and ignored files, as data, for the end-of-run summary
    assert sorted(batch.files_not_read["source_file"]) == sorted(f for f, s in EXPECTED_STATUS.items() if s != "read")
    accounted(batch)


def test_validate_a_folder_lists_what_is_not_read(tmp_path, capsys):
    make_mixed_folder(tmp_path)
    code = run_validate([tmp_path], None, TARGETS_DIR)
    out = capsys.readouterr().out
    assert code == 2  # the .xls is rejected whole
    assert "未读取的条目 / entries not read：9 个" in out
    assert "~$2012_1-3月.xlsx：Office 打开文件时生成的锁文件" in out
    assert "南山/2012_1-3月.csv：读取 1 行，接收 1 行" in out
    assert "Traceback" not in out


def test_a_lock_file_named_on_the_command_line_is_listed_not_read(tmp_path, capsys):
    lock = tmp_path / "~$2012_1-3月.xlsx"
    lock.write_bytes(b"\x05clerk" + b"\x00" * 40)
    assert run_validate([lock], None, TARGETS_DIR) == 2
    assert "~$2012_1-3月.xlsx：Office 打开文件时生成的锁文件" in capsys.readouterr().out


def test_revisions_apply_in_numeric_order(ref, tmp_path):
    (tmp_path / "2012_1-12月.csv").write_text(text([rec(1, val="100"), rec(2, val="100")]), encoding="utf-8")
    (tmp_path / "2012_1-12月_修订.csv").write_text(text([rec(1, val="150")]), encoding="utf-8")
    (tmp_path / "2012_1-12月_修订2.csv").write_text(text([rec(1, val="200"), rec(2, val="222")]), encoding="utf-8")
    (tmp_path / "2012_1-12月_修订10.csv").write_text(text([rec(1, val="300")]), encoding="utf-8")
    assert [p.name for p in list_output_files(tmp_path)] == [
        "2012_1-12月.csv", "2012_1-12月_修订.csv", "2012_1-12月_修订2.csv", "2012_1-12月_修订10.csv"]
    batch = validate_folder(ref, tmp_path)
    final = dict(batch.accepted.select("unit_code", "ytd_value_wan").rows())
    assert final == {uscc(9001): 300.0, uscc(9002): 222.0}
    replaced = sorted(batch.replaced.select("source_file", "ytd_value_wan", "replaced_by_file").rows())
    assert replaced == [("2012_1-12月.csv", 100.0, "2012_1-12月_修订.csv"),
                        ("2012_1-12月.csv", 100.0, "2012_1-12月_修订2.csv"),
                        ("2012_1-12月_修订.csv", 150.0, "2012_1-12月_修订2.csv"),
                        ("2012_1-12月_修订2.csv", 200.0, "2012_1-12月_修订10.csv")]
    accounted(batch)


# ------------------------------------------------------------------- 6. exports neutralise formulas
def test_neutralise_formulas_text_only():
    df = pl.DataFrame({"t": ["=HYPERLINK(\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-3.5", "+12", "甲", None],
                       "v": [-3.5] * 10})
    out = neutralise_formulas(df)
    assert out["t"].to_list() == ["'=HYPERLINK(\"x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "-3.5", "+12",
                                  "甲", None]
    assert out["v"].to_list() == [-3.5] * 10 and out.schema["v"] == pl.Float64


def test_quarantine_exports_neutralise_formulas(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    bad = folder / "=cmd()_2012_1-12月.csv"
    bad.write_text(text([rec(1, name="=1+2", val="-3.5"), rec(2, name="@SUM(1)", val="abc")]), encoding="utf-8")
    out = tmp_path / "q"
    assert run_validate([bad], out, TARGETS_DIR) == 1
    rows = list(csv.reader(io.StringIO((tmp_path / "q.csv").read_text(encoding="utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["'=cmd()_2012_1-12月.csv"] * 2
    assert all(not c.startswith(("=", "+", "@")) for r in rows for c in r)
    assert '"单位名称":"=1+2"' in rows[1][-1]  # the JSON of the raw values starts with { and is kept verbatim
    wb = openpyxl.load_workbook(tmp_path / "q.xlsx")
    cells = [c.value for row in wb.active.iter_rows(min_row=2) for c in row]
    assert "'=cmd()_2012_1-12月.csv" in cells
    assert not any(isinstance(c, str) and c.startswith(("=", "+", "@")) for c in cells)
    assert all(c.data_type != "f" for row in wb.active.iter_rows() for c in row)

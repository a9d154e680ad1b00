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

from pipelines.cli_validate import run_validate
from pipelines.exports import neutralise_formulas
from pipelines.ingest import inventory, list_output_files
from pipelines.reference import load_reference
from pipelines.validation import validate_output_files
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
    # both rows rejected: the period the file names would vanish, which the gate says (exit 3)
    assert run_validate([bad], out, TARGETS_DIR) == 3
    rows = list(csv.reader(io.StringIO((tmp_path / "q.csv").read_text(encoding="utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["'=cmd()_2012_1-12月.csv"] * 2
    assert all(not c.startswith(("=", "+", "@")) for r in rows for c in r)
    assert '"单位名称":"=1+2"' in rows[1][-1]  # the JSON of the raw values starts with { and is kept verbatim
    wb = openpyxl.load_workbook(tmp_path / "q.xlsx")
    cells = [c.value for row in wb.active.iter_rows(min_row=2) for c in row]
    assert "'=cmd()_2012_1-12月.csv" in cells
    assert not any(isinstance(c, str) and c.startswith(("=", "+", "@")) for c in cells)
    assert all(c.data_type != "f" for row in wb.active.iter_rows() for c in row)


# ------------------------------------------------------------------- 5. read what clerks send
def outcome(batch) -> tuple[list, list]:
    rejected = sorted(batch.quarantine.select("source_file", "source_row", "reason_codes", "columns").rows())
    accepted = sorted(batch.accepted.select("source_file", "source_row", "ytd_value_wan").rows())
    return rejected, accepted


def test_cr_only_line_endings_csv_macintosh(ref, tmp_path):
    f = tmp_path / "2012_1-12月.csv"
    f.write_bytes(text([rec(1), rec(2, val="abc"), rec(3, val="7")], nl="\r").encode("gbk"))
    batch = validate_folder(ref, tmp_path)
    rejected, accepted = outcome(batch)
    assert rejected == [("2012_1-12月.csv", 3, "value_invalid", VALUE)]
    assert accepted == [("2012_1-12月.csv", 2, 100.0), ("2012_1-12月.csv", 4, 7.0)]
    fs = summary(batch)["2012_1-12月.csv"]
    assert (fs["status"], fs["file_error"], fs["value_unit"], fs["rows_read"]) == ("read", None, "万元", 3)
    accounted(batch)


def test_utf8_file_with_one_gbk_line_rejects_that_line(ref, tmp_path, capsys):
    f = tmp_path / "2012_1-12月.csv"
    lines = text([rec(1, name="深圳市甲公司"), rec(2, name="深圳市乙公司"), rec(3, name="深圳市丙公司")]).split("\n")
    body = b"\n".join(ln.encode("gbk" if i == 2 else "utf-8") for i, ln in enumerate(lines))
    f.write_bytes(body)
    batch = validate_folder(ref, tmp_path)
    rejected, accepted = outcome(batch)
    assert [(r[0], r[1], r[2].split(",")[0]) for r in rejected] == [("2012_1-12月.csv", 3, "cell_undecodable")]
    assert set(rejected[0][3].split(",")) == {"累计期", "单位名称", "产业类别", "注册地", "产值发生地"}
    assert accepted == [("2012_1-12月.csv", 2, 100.0), ("2012_1-12月.csv", 4, 100.0)]
    assert summary(batch)["2012_1-12月.csv"]["encoding"] == "utf-8"
    assert sorted(batch.accepted["unit_name"]) == ["深圳市丙公司", "深圳市甲公司"]
    accounted(batch)
    assert run_validate([f], None, TARGETS_DIR) == 1
    out = capsys.readouterr().out
    assert "2012_1-12月.csv 第 3 行，列「累计期」：列「累计期」的值「1-12" in out and "含无法解码的字节" in out


def test_a_file_mixing_encodings_throughout_is_rejected_with_that_cause(ref, tmp_path):
    rows = [rec(i, name="深圳市甲公司") for i in range(50)]
    lines = text(rows).split("\n")
    body = b"\n".join(ln.encode("gbk" if i % 2 else "utf-8") for i, ln in enumerate(lines))
    (tmp_path / "混合.csv").write_bytes(body)
    fs = summary(validate_folder(ref, tmp_path))["混合.csv"]
    assert fs["status"] == "rejected"
    assert fs["file_error"].startswith("文件 混合.csv：文件混用了两种编码：52 行中有 25 行不是 UTF-8（第一处在第 2 行")


@pytest.mark.parametrize("sep,name,encoding", [("\t", "tab.csv", "utf-8"), (";", "semicolon.csv", "gbk"),
                                               ("|", "pipe.csv", "utf-8"), ("\t", "unicode.txt", "utf-16"),
                                               ("\t", "tab_gbk.txt", "gbk"), ("\t", "utf16le_no_bom.tsv", "utf-16-le")])
def test_separated_by_tab_semicolon_pipe_and_unicode_text(ref, tmp_path, sep, name, encoding):
    rows = [rec(1, name="甲,公司"), rec(2, val="1,234.5"), rec(3, val="x")]
    (tmp_path / name).write_bytes(text(rows, sep=sep, nl="\r\n").encode(encoding))
    batch = validate_folder(ref, tmp_path)
    rejected, accepted = outcome(batch)
    assert rejected == [(name, 4, "value_invalid", VALUE)]
    assert accepted == [(name, 2, 100.0), (name, 3, 1234.5)]
    assert batch.accepted.filter(pl.col("source_row") == 2)["unit_name"].item() == "甲,公司"
    assert summary(batch)[name]["status"] == "read"
    accounted(batch)


def test_compressed_and_archived_files(ref, tmp_path):
    (tmp_path / "2012_1-12月.csv.gz").write_bytes(gzip.compress(text([rec(1), rec(2, val="-1")]).encode("gbk")))
    (tmp_path / "坏.csv.gz").write_bytes(gzip.compress(text([rec(3)]).encode())[:30])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("2012_1-3月.csv", text([rec(4)]))
        z.writestr("2012_1-6月.csv", text([rec(5)]))
    (tmp_path / "报送.zip").write_bytes(buf.getvalue())
    batch = validate_folder(ref, tmp_path)
    rejected, accepted = outcome(batch)
    assert rejected == [("2012_1-12月.csv.gz", 3, "value_negative", VALUE)]
    assert accepted == [("2012_1-12月.csv.gz", 2, 100.0)]
    fs = summary(batch)
    assert fs["2012_1-12月.csv.gz"]["encoding"] == "gzip+gbk"
    assert fs["坏.csv.gz"]["status"] == "rejected" and "gzip 压缩文件已损坏，无法解压" in fs["坏.csv.gz"]["file_error"]
    assert fs["报送.zip"]["file_error"] == ("文件 报送.zip：压缩包（内含 2 个文件：2012_1-3月.csv、2012_1-6月.csv）"
                                           "不会自动解压：请解压后把其中的数据文件放入 output/")
    accounted(batch)


def workbook(path: Path, sheets: list[tuple[str, list[list], dict]]) -> Path:
    """sheets: (name, rows, options) with options hidden=True, hidden_rows=[0-based rows], active=True."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    for name, rows, opt in sheets:
        ws = wb.add_worksheet(name)
        for i, r in enumerate(rows):
            ws.write_row(i, 0, r)
        for r in opt.get("hidden_rows", []):
            ws.set_row(r, None, None, {"hidden": True})
        if opt.get("active"):
            ws.activate()
        if opt.get("hidden"):
            ws.hide()
    wb.close()
    return path


def test_sheet_name_with_a_trailing_space(ref, tmp_path):
    workbook(tmp_path / "a.xlsx", [("说明", [["本表说明"]], {}), ("数据 ", [HEADER, rec(1, val=55)], {"active": True})])
    batch = validate_folder(ref, tmp_path)
    assert outcome(batch) == ([], [("a.xlsx", 2, 55.0)])
    assert summary(batch)["a.xlsx"]["sheet"] == "数据 "


def test_hidden_sheet_never_preferred_and_hidden_rows_warned(ref, tmp_path):
    workbook(tmp_path / "a.xlsx", [
        ("数据", [HEADER, rec(1, val=999)], {"hidden": True}),  # a stale sheet, hidden
        ("Sheet1", [HEADER, rec(1, val=100), rec(2, val=200), rec(3, val="x")], {"active": True, "hidden_rows": [2, 3]}),
    ])
    batch = validate_folder(ref, tmp_path)
    assert outcome(batch) == ([("a.xlsx", 4, "value_invalid", VALUE)], [("a.xlsx", 2, 100.0), ("a.xlsx", 3, 200.0)])
    fs = summary(batch)["a.xlsx"]
    assert fs["sheet"] == "Sheet1" and fs["rows_warned"] == 1
    w = batch.warnings.select("source_row", "warning_code", "message").rows()
    assert w == [(None, "hidden_sheet", "工作簿含隐藏的工作表 「数据」，未读取；读取的是可见的工作表「Sheet1」"),
                 (3, "hidden_row", "该行在 Excel 中被隐藏，已读取并接收；请确认它应当计入")]
    accounted(batch)


def test_invisible_characters_are_shown_as_escapes(ref, tmp_path, capsys):
    header = ["\ufeff统计年度", "累计期", "单位代码\u200b", "单位名称", "产业类别", "注册地", "产值发生地", VALUE]
    rows = [rec(1), rec(2), rec(3)]
    rows[1][2] = rows[1][2][:5] + "\u200b" + rows[1][2][5:]
    rows[2][5] = "南山\u00a0区"
    f = tmp_path / "2012_1-12月\u200b.csv"
    f.write_text(text(rows, header=header), encoding="utf-8")
    batch = validate_folder(ref, tmp_path)
    rejected, accepted = outcome(batch)
    assert [(r[1], r[2]) for r in rejected] == [(3, "code_format"), (4, "reg_district_unknown")]
    reasons = batch.quarantine["reasons"].to_list()
    assert "U+200B" in reasons[0] and "\u200b" not in reasons[0]
    assert "南山U+00A0区" in reasons[1]
    assert accepted == [("2012_1-12月\u200b.csv", 2, 100.0)]
    accounted(batch)
    run_validate([f], None, TARGETS_DIR)
    out = capsys.readouterr().out
    assert "U+200B" in out


def test_sheets_split_by_district_warn_about_the_sheets_not_read(ref, tmp_path):
    workbook(tmp_path / "a.xlsx", [("说明", [["本表说明"]], {}), ("南山", [HEADER, rec(1)], {}), ("福田", [HEADER, rec(2)], {})])
    batch = validate_folder(ref, tmp_path)
    assert outcome(batch) == ([], [("a.xlsx", 2, 100.0)])
    assert summary(batch)["a.xlsx"]["sheet"] == "南山"  # the first sheet with a data header, not 说明
    assert batch.warnings.select("warning_code", "message").rows() == [
        ("other_sheet_not_read", "工作簿中另有含数据表头的工作表 「福田」，未读取（只读取「南山」）；"
                                 "如需计入，请把数据合并到一个工作表，或另存为单独的文件")]


def test_file_names_that_are_not_utf8(ref, tmp_path):
    import os

    gbk_name = os.fsdecode("2012_1-12月_修订.csv".encode("gbk"))  # a zip from Chinese Windows, unpacked here
    junk_name = os.fsdecode(b"bad\xff|*<b>.csv")
    (tmp_path / "2012_1-12月.csv").write_text(text([rec(1)]), encoding="utf-8")
    (tmp_path / gbk_name).write_text(text([rec(1, val="120")]), encoding="utf-8")
    (tmp_path / junk_name).write_text(text([rec(2)]), encoding="utf-8")
    batch = validate_folder(ref, tmp_path)
    fs = summary(batch)
    assert set(fs) == {"2012_1-12月.csv", "2012_1-12月_修订.csv", "bad\\xff|*<b>.csv"}
    assert fs["2012_1-12月_修订.csv"]["is_revision"] and fs["2012_1-12月_修订.csv"]["rows_accepted"] == 1
    assert dict(batch.accepted.select("unit_code", "ytd_value_wan").rows()) == {uscc(9001): 120.0, uscc(9002): 100.0}
    accounted(batch)


# ------------------------------------------------------------------- all of it through `szei run`
def test_szei_run_accounts_for_every_entry(tmp_path):
    import hashlib
    import shutil
    import subprocess
    import sys

    import duckdb

    from tests.conftest import ROOT

    raw = tmp_path / "raw"
    shutil.copytree(TARGETS_DIR, raw / "targets")
    out = raw / "output"
    out.mkdir()
    make_mixed_folder(out)
    (out / "cr.csv").write_bytes(text([rec(11), rec(12, val="x")], nl="\r").encode("gbk"))
    (out / "tab.txt").write_bytes(text([rec(13)], sep="\t", nl="\r\n").encode("utf-16"))
    (out / "semi.csv").write_bytes(text([rec(14)], sep=";").encode("utf-8"))
    (out / "gz.csv.gz").write_bytes(gzip.compress(text([rec(15)]).encode()))
    (out / "2012_1-12月_修订10.csv").write_text(text([rec(11, val="300")]), encoding="utf-8")
    (out / "2012_1-12月_修订2.csv").write_text(text([rec(11, val="200")]), encoding="utf-8")
    lines = text([rec(16, name="深圳市甲公司"), rec(17, name="深圳市乙公司"), rec(18, name="深圳市丙公司")]).split("\n")
    (out / "stray.csv").write_bytes(b"\n".join(ln.encode("gbk" if i == 2 else "utf-8") for i, ln in enumerate(lines)))
    (out / "=cmd()|*.csv").write_text(text([rec(19, name="=1+2")]), encoding="utf-8")
    workbook(out / "wb.xlsx", [("数据", [HEADER, rec(20, val=999)], {"hidden": True}),
                               ("数据 ", [HEADER, rec(20), rec(21)], {"active": True, "hidden_rows": [2]})])
    files = sorted(p for p in out.rglob("*") if p.is_file())
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    marts = tmp_path / "marts" / "szei.duckdb"
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--raw-dir", str(raw), "--marts", str(marts),
                           "--no-report"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert "Traceback" not in proc.stdout + proc.stderr
    # 2012_1-6月.xls is the only file of its period and rejected whole: the period would vanish — blocked
    # (exit 3), the file listed with the files rejected whole
    assert proc.returncode == 3, proc.stderr
    assert "2012年1-6月：文件 2012_1-6月.xls 整个被拒收，该期没有其他可用的记录，整个统计期会缺失" in proc.stderr
    assert "  - 文件 2012_1-6月.xls：旧版 Excel（.xls）格式无法读取" in proc.stderr
    assert not marts.exists()
    # the statistician removes it to publish without the period: published, with findings to review (a row
    # and files rejected, files ignored)
    (out / "2012_1-6月.xls").unlink()
    files.remove(out / "2012_1-6月.xls")
    before.pop(out / "2012_1-6月.xls")
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--raw-dir", str(raw), "--marts", str(marts),
                           "--no-report"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 1, proc.stderr
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files} == before  # raw files untouched
    con = duckdb.connect(str(marts), read_only=True)
    try:
        status = dict(con.execute("select source_file, status from dq_file_summary").fetchall())
        kept = {f: s for f, s in EXPECTED_STATUS.items() if f != "2012_1-6月.xls"}  # removed after blocking
        expected = {**kept, "cr.csv": "read", "tab.txt": "read", "semi.csv": "read", "gz.csv.gz": "read",
                    "2012_1-12月_修订10.csv": "read", "2012_1-12月_修订2.csv": "read", "stray.csv": "read",
                    "=cmd()|*.csv": "read", "wb.xlsx": "read"}
        assert status == expected
        # every row read is accepted or rejected, per file, and the quarantine holds the rejected ones
        assert con.execute("select count(*) from dq_file_summary where rows_read <> rows_accepted + rows_rejected"
                           ).fetchone()[0] == 0
        assert con.execute("select sum(rows_rejected) from dq_file_summary").fetchone()[0] == con.execute(
            "select count(*) from dq_quarantine").fetchone()[0] == 2  # cr.csv row 3, stray.csv row 3
        assert con.execute("select value_wan from (select unit_code, ytd_value_wan as value_wan from "
                           "int_attributed_output) where unit_code = ?", [uscc(9011)]).fetchone()[0] == 300.0
        assert con.execute("select sum(rows_accepted) from dq_file_summary").fetchone()[0] == 13
        codes = {c for (c,) in con.execute("select distinct warning_code from dq_warnings").fetchall()}
        assert {"hidden_sheet", "hidden_row"} <= codes
        reason = con.execute("select status_reason from dq_file_summary where source_file = '~$2012_1-3月.xlsx'"
                             ).fetchone()[0]
        assert reason.startswith("Office 打开文件时生成的锁文件")
        # the run's summary says why in both languages
        reason_en = con.execute("select status_reason_en from dq_file_summary where source_file = '~$2012_1-3月.xlsx'"
                                ).fetchone()[0]
        assert f"  - ~$2012_1-3月.xlsx：{reason} / {reason_en}" in proc.stdout + proc.stderr
        comment = con.execute("select comment from duckdb_columns() where table_name = 'dq_file_summary' "
                              "and column_name = 'status'").fetchone()[0]
        assert comment.startswith("处理状态：read（已读取）")
    finally:
        con.close()


# ------------------------------------------------------------------- `szei validate`, file by file
def _stray(path: Path) -> None:
    lines = text([rec(1, name="深圳市甲公司"), rec(2, name="深圳市乙公司")]).split("\n")
    path.write_bytes(b"\n".join(ln.encode("gbk" if i == 2 else "utf-8") for i, ln in enumerate(lines)))


VALIDATE_CASES = {  # file name → (writer, exit code of `szei validate FILE`, a line its output must hold)
    "cr.csv": (lambda p: p.write_bytes(text([rec(1)], nl="\r").encode()), 0, "cr.csv：读取 1 行，接收 1 行"),
    "tab.csv": (lambda p: p.write_bytes(text([rec(1), rec(2, val="x")], sep="\t").encode()), 1,
                "tab.csv 第 3 行，列「本年累计产值（万元）」：本年累计产值「x」不是数字"),
    "unicode.txt": (lambda p: p.write_bytes(text([rec(1)], sep="\t", nl="\r\n").encode("utf-16")), 0,
                    "unicode.txt：读取 1 行，接收 1 行"),
    "stray.csv": (_stray, 1, "stray.csv 第 3 行，列「累计期」"),
    "a.csv.gz": (lambda p: p.write_bytes(gzip.compress(text([rec(1)]).encode())), 0, "编码 gzip+utf-8"),
    "a.zip": (lambda p: p.write_bytes(b"PK\x05\x06" + b"\x00" * 18), 2, "整个文件无法接收：文件 a.zip："),
    "~$a.xlsx": (lambda p: p.write_bytes(b"\x05x" + b"\x00" * 40), 2, "~$a.xlsx：Office 打开文件时生成的锁文件"),
    "pipe.csv": (lambda p: __import__("os").mkfifo(p), 2, "pipe.csv：不是普通文件（设备、管道或失效的链接），不读取"),
}


@pytest.mark.parametrize("name", list(VALIDATE_CASES))
def test_szei_validate_each_class(tmp_path, capsys, name):
    write, code, line = VALIDATE_CASES[name]
    path = tmp_path / name
    write(path)
    assert run_validate([path], None, TARGETS_DIR) == code
    out = capsys.readouterr()
    assert line in out.out
    assert "Traceback" not in out.out + out.err


def test_a_table_only_on_a_hidden_sheet_is_rejected_with_that_cause(ref, tmp_path):
    workbook(tmp_path / "a.xlsx", [("数据", [HEADER, rec(1)], {"hidden": True}),
                                   ("封面", [["2012年报表"]], {"active": True})])
    fs = summary(validate_folder(ref, tmp_path))["a.xlsx"]
    assert fs["status"] == "rejected" and fs["sheet"] == "封面"
    assert fs["file_error"] == ("文件 a.xlsx：不是数据表：前 10 个非空行中没有任何约定的列名（统计年度、累计期、单位代码……）；"
                                "数据表头在被隐藏的工作表 「数据」 上，隐藏的工作表不读取：如它就是要报送的数据，请在 Excel 中取消隐藏后重新报送")

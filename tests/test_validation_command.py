import polars as pl

from pipelines.cli_validate import run_validate
from tests.test_validation_rules import HEADER, ROOT, row, write_csv

TARGETS = ROOT / "data" / "raw" / "targets"


def test_all_accepted_returns_0(tmp_path, capsys):
    p = write_csv(tmp_path / "a.csv", [row()])
    assert run_validate([p], None, TARGETS) == 0
    assert "接收 1 行" in capsys.readouterr().out
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.csv"]  # nothing written without --out


def test_rejected_rows_return_1_and_write_quarantine(tmp_path, capsys):
    p = write_csv(tmp_path / "a.csv", [row(), row(period="1-6月", val="abc"), row(period="1-9月", year="2099")])
    out = tmp_path / "out" / "r"
    assert run_validate([p], out, TARGETS) == 1
    text = capsys.readouterr().out
    assert "value_invalid" in text and "第 3 行" in text and "拒收 2 行" in text
    csv = pl.read_csv(out.with_name("r.csv"))
    assert csv.height == 2 and csv["行号 row"].to_list() == [3, 4]
    xl = pl.read_excel(out.with_name("r.xlsx"))
    assert xl.height == 2


def test_unreadable_file_returns_2(tmp_path, capsys):
    p = write_csv(tmp_path / "a.csv", [row()[:-1]], header=HEADER[:-1])
    assert run_validate([p], None, TARGETS) == 2
    assert "缺少必需列" in capsys.readouterr().out
    assert run_validate([tmp_path / "nope.csv"], None, TARGETS) == 2

"""tables.xlsx and the CSVs: number formats, ranks as numbers, widths, frozen headers, the cover's
dates (Beijing time, as on the report's cover), formulas neutralised, UTF-8 with BOM."""

from __future__ import annotations

import csv
from datetime import date

import openpyxl
import pytest

from pipelines.report import sections, spreadsheet
from pipelines.report.data import open_report_data
from pipelines.report.tables import all_tables
from tests.report_fixtures.marts_fixture import HOSTILE_REASON, build_marts, make_hostile

EVIL = "=HYPERLINK(\"http://x\",\"a\").csv"


@pytest.fixture(scope="module")
def marts(tmp_path_factory):
    return make_hostile(build_marts(tmp_path_factory.mktemp("xlsx") / "szei.duckdb"))


@pytest.fixture(scope="module")
def written(marts, tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx-out")
    m = open_report_data(marts, "2012-12")
    try:
        ts = all_tables(m)
        files = next(t for t in ts if t.sheet == "报送文件")
        files.rows.append([EVIL, "3", "3", "0", "0", "0", "@SUM(1)"])
        cover = sections.cover_lines(m, today=date(2013, 1, 20))
        xlsx = spreadsheet.write_xlsx(ts, out / "tables.xlsx", title=sections.report_name(m), period_title=m.period.title,
                                      cover=cover)
        csvs = spreadsheet.write_csvs(ts, out / "csv")
    finally:
        m.con.close()
    return ts, openpyxl.load_workbook(xlsx), csvs


def _header_row(ws) -> int:
    return next(r for r in range(1, 6) if ws.cell(r, 2).value and ws.cell(r, 1).font.b and r > 1)


def test_number_formats_and_ranks_as_numbers(written):
    _, wb, _ = written
    ws = wb["目标完成"]
    h = _header_row(ws)
    heads = [c.value for c in ws[h]]
    assert heads[1] == "规模（亿元）" and heads[3] == "完成进度（%）"
    row = ws[h + 1]
    assert isinstance(row[1].value, float) and row[1].number_format == "#,##0.00"
    assert isinstance(row[3].value, float) and row[3].number_format == "0.0"
    assert row[5].number_format == "0.0"  # 个百分点
    rk = wb["排名"]
    hr = _header_row(rk)
    assert rk.cell(hr, 1).value == "排名"
    ranks = [rk.cell(r, 1).value for r in range(hr + 1, rk.max_row + 1)]
    assert ranks and all(isinstance(x, int) for x in ranks) and rk.cell(hr + 1, 1).number_format == "0"
    dist = wb["各区完成"]
    hd = _header_row(dist)
    col = [c.value for c in dist[hd]].index("排名") + 1
    assert all(isinstance(dist.cell(r, col).value, int) for r in range(hd + 1, dist.max_row))


def test_frozen_headers_and_widths(written):
    ts, wb, _ = written
    for t in ts:
        ws = wb[spreadsheet.sheet_name(t)]
        h = _header_row(ws) if t.rows else None
        if h:
            assert ws.freeze_panes == f"B{h + 1}"
        for k, head in enumerate(t.columns):
            width = next(d.width for d in ws.column_dimensions.values() if d.min <= k + 1 <= d.max)
            assert width >= min(60, sum(2 if ord(c) > 0x2E80 else 1 for c in head)), (t.sheet, head)


def test_cover_has_dates_in_beijing_time(written, marts):
    _, wb, _ = written
    cover = [c.value for c in wb["封面"]["A"] if c.value]
    assert any(x == "发布日期：2013-01-20" for x in cover)
    assert any(x.startswith("下次发布：2013年1-3月（预计于2013年4月中旬）") for x in cover)
    built = next(x for x in cover if x.startswith("数据版本"))
    assert built.endswith("2026-11-27 17:00（北京时间）")  # meta_run.built_at 09:00 UTC
    assert any("表2" in x and "三大产业规模及目标完成情况" in x for x in cover)


def test_formulas_neutralised_in_xlsx_and_csv(written):
    ts, wb, csvs = written
    files = wb["报送文件"]
    names = [c.value for c in files["A"] if c.value]
    assert "'" + EVIL in names and EVIL not in names
    assert any(c.value == "'@SUM(1)" for row in files.iter_rows() for c in row)
    reasons = [c.value for c in wb["拒收原因"]["A"] if c.value]
    assert "'" + HOSTILE_REASON in reasons
    files_table = next(t for t in ts if t.sheet == "报送文件")
    f = next(p for p in csvs if p.name.startswith(f"表{files_table.number}_"))
    raw = f.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == files_table.columns
    assert ["'" + EVIL, "3", "3", "0", "0", "0", "'@SUM(1)"] in rows


def test_one_csv_per_table(written):
    ts, _, csvs = written
    assert [p.name for p in csvs] == [f"表{t.number}_{t.sheet}.csv" for t in ts]
    t1 = list(csv.reader(csvs[0].read_text(encoding="utf-8-sig").splitlines()))
    assert t1[1:] == ts[0].rows  # as printed in the report

"""The rendered report (szei's renderer) on synthetic marts, at the year end and mid-year: every sentence
of the analysis is in the HTML as built from the marts, every PDF page and every spreadsheet sheet says
模拟数据, the bureau is never credited, and nothing reads as a to-do."""

from __future__ import annotations

import html as htmllib
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from pipelines.report import render_report
from pipelines.report.analysis import Analysis
from pipelines.report.data import open_report_data
from tests.conftest import ROOT, TARGETS_DIR

POPPLER = all(shutil.which(t) for t in ("pdfinfo", "pdftotext"))
TODO = re.compile(r"需在|有待|待分析|分析原因|进一步分析|TODO|待补充")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def synthetic_marts(tmp_path_factory) -> Path:
    from pipelines.marts import RunParams, build_marts
    from pipelines.reference import load_reference
    from pipelines.validation import list_output_files, validate_output_files

    reference = load_reference(TARGETS_DIR)
    batch = validate_output_files(list_output_files(ROOT / "data" / "raw" / "output"), reference)
    db = tmp_path_factory.mktemp("synthetic") / "szei.duckdb"
    params = RunParams(run_id="analysis-render", built_at=datetime(2013, 1, 15, 9), is_synthetic=True,
                       szei_version="test", rank_cap=1.2)
    assert build_marts(batch, reference, db, params).published
    return db


@pytest.fixture(scope="module", params=["2012-12", "2012-06"])
def rendered(request, synthetic_marts, tmp_path_factory):
    os.environ["SZEI_NO_QUARTO"] = "1"
    out = tmp_path_factory.mktemp("report") / "_output"
    paths = render_report(synthetic_marts, out, request.param)
    m = open_report_data(synthetic_marts, request.param)
    try:
        texts = Analysis(m).all_texts()
    finally:
        m.con.close()
    return request.param, paths, texts


def visible_text(path: Path) -> str:
    body = path.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    return re.sub(r"\s+", "", htmllib.unescape(re.sub(r"<[^>]+>", "", body)))


def test_every_analysis_sentence_is_printed(rendered):
    _, paths, texts = rendered
    page = visible_text(paths["html"])
    for s in texts:
        assert re.sub(r"\s+", "", s) in page, s


def test_bureau_never_credited_and_no_to_dos(rendered):
    _, paths, _ = rendered
    page = visible_text(paths["html"])
    assert "模拟数据" in page and 'class="synthetic-bar"' in paths["html"].read_text(encoding="utf-8")
    assert all(before == "非" for before in re.findall(r"(.)深圳市统计局", page)), re.findall(r".{8}深圳市统计局", page)
    assert not TODO.search(page)
    assert "上季度" not in page


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_every_pdf_page_says_synthetic(rendered):
    _, paths, _ = rendered
    info = subprocess.run(["pdfinfo", str(paths["pdf"])], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 8
    for n in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(paths["pdf"]), "-"],
                              capture_output=True, text=True).stdout
        assert "模拟数据" in re.sub(r"\s+", "", text), f"page {n}"


def test_every_sheet_says_synthetic(rendered):
    import openpyxl

    _, paths, _ = rendered
    wb = openpyxl.load_workbook(paths["xlsx"])
    for ws in wb.worksheets:
        cells = " ".join(str(c.value) for row in ws.iter_rows(max_row=12) for c in row if c.value is not None)
        assert "模拟数据" in cells, ws.title
        assert not re.search(r"(?<!非)深圳市统计局", cells), ws.title


def test_real_data_credit_the_bureau(tmp_path, synthetic_marts):
    """The same marts marked as real data: the source lines credit 深圳市统计局 and 模拟数据 is gone."""
    db = tmp_path / "real.duckdb"
    shutil.copy(synthetic_marts, db)
    with duckdb.connect(str(db)) as con:
        con.execute("update meta_run set is_synthetic = false, data_label = '', source_credit = '深圳市统计局'")
    m = open_report_data(db, "2012-12")
    try:
        assert Analysis(m).source_line() == "资料来源：深圳市统计局；szei 数据集市。"
    finally:
        m.con.close()

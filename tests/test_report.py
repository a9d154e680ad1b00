"""The report: rendered end to end (without Quarto) from a fixture marts database."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from pipelines.errors import SzeiError
from pipelines.render.typst_pdf import compile_pdf
from pipelines.report import formatting as F
from pipelines.report import render_report
from pipelines.report.values import load_values
from tests.report_fixtures.marts_fixture import build_marts

POPPLER = all(shutil.which(t) for t in ("pdffonts", "pdftotext", "pdfinfo"))


# szei's own renderer even where Quarto is installed (tests/conftest.py: undone after the module)
pytestmark = pytest.mark.usefixtures("builtin_renderer")


@pytest.fixture(scope="module")
def marts(tmp_path_factory) -> Path:
    return build_marts(tmp_path_factory.mktemp("marts") / "szei.duckdb")


@pytest.fixture(scope="module")
def rendered(marts, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return render_report(marts, out)


def _rows(marts: Path, sql: str, params=()):
    con = duckdb.connect(str(marts), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _pdftext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout


# ---- the full render ---------------------------------------------------------------------------
@pytest.mark.slow
def test_outputs_exist(rendered):
    paths = rendered
    assert set(paths) == {"html", "pdf", "xlsx"}
    for p in paths.values():
        assert p.is_file() and p.stat().st_size > 1000


@pytest.mark.slow
def test_html_is_self_contained(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    external = re.findall(r"""(?:src|href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", html, re.I)
    assert external == []
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html)
    assert '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN"' in html or 'lang="zh-CN"' in html
    assert html.count("data:image/png;base64,") >= 4  # charts embedded (2x PNG, fonts drawn in)
    assert "模拟数据" in html and "主要结论" in html
    assert "viewport" in html  # readable on a phone


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_pdf_embeds_cjk_font_and_is_a4(rendered):
    pdf = rendered["pdf"]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    cjk = [ln for ln in fonts.splitlines() if "CJK" in ln]
    assert cjk and all(" yes " in ln for ln in cjk), fonts  # embedded
    assert any("NotoSerifCJKsc" in ln for ln in cjk) and any("NotoSansCJKsc" in ln for ln in cjk)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 5


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_pdf_text_has_city_attainment_from_marts(rendered, marts):
    text = _pdftext(rendered["pdf"])
    rows = _rows(marts, """SELECT industry, actual_yi, target_yi, attainment FROM mart_attainment
                           WHERE district = '全市' AND year = 2012 AND ytd_months = 12""")
    assert len(rows) == 4
    for industry, actual, _target, attainment in rows:
        assert F.pct(attainment) in text, industry
        assert F.yi(actual) in text, industry
    assert "2012 年 1-12 月" in text or "2012年1-12月" in text
    assert "模拟数据" in text.replace(" ", "")
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)  # page numbers
    assert "\ufffd" not in text  # no replacement characters (tofu)


@pytest.mark.slow
def test_key_findings_numbers_match_marts(rendered, marts):
    """主要结论 prints the analysis' key findings; every number in them is one the analysis read from
    the marts (a claim). These fixture marts predate the analysis marts: the findings fall back to
    what mart_attainment holds."""
    from pipelines.report.analysis import Analysis
    from pipelines.report.data import open_report_data

    html = rendered["html"].read_text(encoding="utf-8")
    sec = html.split('id="主要结论"', 1)[1].split("<h1", 1)[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", sec))
    bullets = [b.strip() for b in re.findall(r"<li>(.*?)</li>", sec, re.S)]
    assert 1 <= len(bullets) <= 6
    m = open_report_data(marts, "2012-12")
    try:
        a = Analysis(m)
        findings = a.key_findings()
    finally:
        m.con.close()
    assert [re.sub(r"\s+", "", b) for b in bullets] == [re.sub(r"\s+", "", f) for f in findings]
    allowed = {"2012", "1", "12"} | {n for c in a.claims.items for n in re.findall(r"\d+(?:\.\d+)?", c.shown)}
    numbers = re.findall(r"\d+(?:\.\d+)?", text)
    assert numbers and [x for x in numbers if x not in allowed] == []
    (actual, target, att), = _rows(marts, """SELECT actual_yi, target_yi, attainment
        FROM mart_attainment WHERE district = '全市' AND industry = '合计' AND year = 2012 AND ytd_months = 12""")
    assert f"规模 {F.yi(actual)} 亿元，完成年度目标（{F.yi(target)} 亿元）的 {F.pct(att)}%" in text


@pytest.mark.slow
def test_tables_xlsx(rendered):
    import openpyxl

    wb = openpyxl.load_workbook(rendered["xlsx"])
    assert wb.sheetnames[0] == "封面" and len(wb.sheetnames) >= 8
    assert "统计分析报告" in wb["封面"]["A1"].value and "模拟数据" in "".join(
        str(c.value) for c in wb["封面"]["A"] if c.value)
    for ws in wb.worksheets[1:]:
        assert str(ws["A1"].value).startswith("表")
        assert not ws.merged_cells.ranges
        values = [[c.value for c in row] for row in ws.iter_rows()]
        assert all(any(v is not None for v in row) for row in values)  # no blank rows
    ws = wb["目标完成"]
    numeric = [c.value for row in ws.iter_rows(min_row=4) for c in row[1:] if c.value is not None]
    assert numeric and all(isinstance(v, (int, float)) for v in numeric)


@pytest.mark.slow
def test_period_without_targets_or_prior_year(marts, tmp_path):
    """2010 has no targets, no prior year, no ranking and no bands: the report says so and renders."""
    paths = render_report(marts, tmp_path, period="2010-12")
    html = paths["html"].read_text(encoding="utf-8")
    assert "2010年1-12月" in html
    assert "本年未设" in html or "未设规模目标" in html
    assert "同比" in html


# ---- units without a render ---------------------------------------------------------------------
def test_values_base_year_say_there_is_no_target(marts):
    v = load_values(str(marts), "2010-6")
    assert v.period.title == "2010年1\\-6月"  # escaped Markdown: prints 2010年1-6月
    assert v.total.attain_clause == "本年未设规模目标" and v.total.outlook == "。"
    assert all(i.attain_clause == "本年未设规模目标" for i in v.ind) and len(v.ind) == 3
    assert "无上年同期数据" in v.total.growth


def test_missing_marts_is_a_user_error(tmp_path):
    with pytest.raises(SzeiError) as e:
        render_report(tmp_path / "nope.duckdb", tmp_path / "out")
    assert "szei run" in e.value.zh and "szei run" in e.value.en


def test_unknown_period_is_a_user_error(marts, tmp_path):
    with pytest.raises(SzeiError) as e:
        render_report(marts, tmp_path / "out", period="2013-3")
    assert "2013年1-3月" in e.value.zh and "2012年1-12月" in e.value.zh


def test_no_cjk_font_stops_with_install_hint(marts, tmp_path, monkeypatch):
    import typst

    class NoCJK:
        def __init__(self, *a, **k):
            pass

        def families(self):
            return ["DejaVu Sans"]

    monkeypatch.setattr(typst, "Fonts", NoCJK)
    with pytest.raises(SzeiError) as e:
        render_report(marts, tmp_path / "out")
    assert "apt-get install fonts-noto-cjk" in e.value.zh and "apt-get install fonts-noto-cjk" in e.value.en


def test_unknown_font_in_typst_is_an_error(tmp_path):
    typ = tmp_path / "x.typ"
    typ.write_text('#set text(font: "No Such Font SC")\n中文', encoding="utf-8")
    with pytest.raises(SzeiError) as e:
        compile_pdf(typ, tmp_path / "x.pdf")
    assert "apt-get install fonts-noto-cjk" in e.value.zh


def test_qmd_reads_marts_read_only():
    qmd = (Path(__file__).resolve().parent.parent / "reports" / "report.qmd").read_text(encoding="utf-8")
    assert "#| tags: [parameters]" in qmd
    src = (Path(__file__).resolve().parent.parent / "pipelines" / "report" / "data.py").read_text(encoding="utf-8")
    assert "read_only=True" in src


def test_marts_without_dictionaries_is_a_user_error(tmp_path):
    """The report takes its industries and districts from the marts; a file without them is a message."""
    db = build_marts(tmp_path / "szei.duckdb")
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE ref_districts")
    with pytest.raises(SzeiError) as e:
        render_report(db, tmp_path / "out")
    assert "ref_districts" in e.value.zh and "szei run" in e.value.en

"""The report rendered twice from the same marts — by the genuine Quarto CLI and by szei's own renderer
(pipelines/render) — must read the same: the same text (HTML and PDF, whitespace removed), the same
tables cell by cell, the same numbers, and the PDF's 表 captions. Text from input files (a file name
with markup and `|`/`*`, a warning with a script) prints as text in both.

Quarto is looked for in SZEI_QUARTO, QUARTO_PATH, .tools/quarto (where .ci/run installs the kit
from ../shared/tools/quarto) and PATH; without it these tests are skipped, saying so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipelines.render import render_qmd
from pipelines.report import QMD
from pipelines.report.quarto import render_with_quarto
from pipelines.settings import PROJECT_ROOT
from tests.report_compare import html_text, numbers, pdf_text
from tests.report_fixtures.marts_fixture import HOSTILE_FILE, HOSTILE_MESSAGE, build_marts, make_hostile


def _quarto() -> str | None:
    for var in ("SZEI_QUARTO", "QUARTO_PATH"):
        if os.environ.get(var):
            p = Path(os.environ[var])
            return str(p / "bin" / "quarto") if p.is_dir() else str(p)
    kit = PROJECT_ROOT / ".tools" / "quarto" / "bin" / "quarto"
    return str(kit) if kit.is_file() else shutil.which("quarto")


QUARTO = _quarto()
POPPLER = all(shutil.which(t) for t in ("pdftotext", "pdfinfo"))
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(QUARTO is None, reason="the Quarto CLI is not installed (no SZEI_QUARTO, QUARTO_PATH, "
                                              ".tools/quarto or quarto on PATH): only szei's renderer is tested"),
    pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed"),
]
TABLE_CAPTIONS = ["工作方案期三大产业规模与目标", "三大产业规模及目标完成情况", "各区三大产业与目标的差额", "三大产业同比增长",
                  "三大产业增长贡献", "三大产业单季规模", "各区三大产业目标完成进度", "各区综合得分（暂行方法）与合计完成进度",
                  "新区单列与并入口径三大产业规模", "重点企业规模分组", "报送文件及记录处理情况", "拒收原因"]


@pytest.fixture(scope="module")
def renders(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("two-paths")
    marts = make_hostile(build_marts(d / "szei.duckdb"))
    params = {"marts_db": str(marts), "period": "2012-12"}
    env = {"PYTHONPATH": str(PROJECT_ROOT)}
    out = {"quarto": d / "quarto", "szei": d / "szei"}
    for p in out.values():
        p.mkdir()
    render_with_quarto(QUARTO, QMD, out["quarto"], params, env)
    render_qmd(QMD, out["szei"], params, env=env)
    return out


def test_same_html_text_and_tables(renders):
    qt, q_tables = html_text(renders["quarto"] / "report.html")
    st, s_tables = html_text(renders["szei"] / "report.html")
    # 12 numbered tables and the data files of the appendix; these fixture marts predate the analysis
    # marts, so the plan-period, gap and contribution tables print a sentence instead of a table
    assert len(q_tables) == 10
    assert q_tables == s_tables
    assert qt == st
    assert "{python}" not in qt  # every inline expression had a value


def test_same_pdf_text_and_numbers(renders):
    q = pdf_text(renders["quarto"] / "report.pdf")
    s = pdf_text(renders["szei"] / "report.pdf")
    assert q == s
    assert numbers(q) == numbers(s) and len(numbers(q)) > 300
    html_numbers = numbers(html_text(renders["quarto"] / "report.html")[0])
    assert sorted(html_numbers) == sorted(numbers(html_text(renders["szei"] / "report.html")[0]))


def test_quarto_pdf_has_table_captions_and_title(renders):
    for name in ("quarto", "szei"):
        flat = pdf_text(renders[name] / "report.pdf")
        for k, cap in enumerate(TABLE_CAPTIONS, start=1):
            assert f"表{k}{cap}" in flat, (name, k, cap)
        for k in range(1, 6):
            assert f"图{k}" in flat, (name, k)
        assert "Table" not in flat and "Figure" not in flat
        info = subprocess.run(["pdfinfo", str(renders[name] / "report.pdf")], capture_output=True, text=True).stdout
        assert re.search(r"Title:\s+深圳市生物、互联网、新能源产业发展统计分析报告", info), (name, info)


def test_input_text_is_text_in_both(renders):
    for name in ("quarto", "szei"):
        html = (renders[name] / "report.html").read_text(encoding="utf-8")
        assert "<img src=x" not in html and "<script>alert" not in html, name
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, name
        text, tables = html_text(renders[name] / "report.html")
        assert re.sub(r"\s+", "", HOSTILE_FILE) in text and re.sub(r"\s+", "", HOSTILE_MESSAGE) in text
        files = tables[7]  # 报送文件: every row keeps its 7 cells although a name holds `|`
        assert all(len(r) == 7 for r in files) and any(r[0] == HOSTILE_FILE for r in files)
        prov = tables[9]
        assert all(len(r) == 3 for r in prov) and any(r[0] == HOSTILE_FILE for r in prov)
        pdf = pdf_text(renders[name] / "report.pdf")  # the name wraps inside its table cell
        assert "<imgsrc=xonerror=alert(1)>_2012_1-12月|" in pdf and "a*b*.csv" in pdf


def test_szei_report_renders_with_quarto_when_named(tmp_path, monkeypatch):
    """render_report (what `szei report` runs) uses the Quarto named by SZEI_QUARTO, both formats,
    and publishes the files as with szei's renderer."""
    from pipelines.report import render_report

    monkeypatch.delenv("SZEI_NO_QUARTO", raising=False)
    monkeypatch.setenv("SZEI_QUARTO", QUARTO)
    marts = build_marts(tmp_path / "szei.duckdb")
    paths = render_report(marts, tmp_path / "out", period="2012-9")
    html = paths["html"].read_text(encoding="utf-8")
    assert '<meta name="generator" content="quarto-1.7' in html
    assert "2012年1-9月" in html_text(paths["html"])[0]
    assert "2012年1-9月" in pdf_text(paths["pdf"]) and paths["xlsx"].is_file()
    assert not list(tmp_path.glob(".szei-report-*"))  # the temporary folder is gone

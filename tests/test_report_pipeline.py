"""The report on REAL marts: the bundled synthetic sample → validation → marts (the library, no Dagster)
→ render_report. Checks what a reader sees: self-contained offline HTML, embedded CJK fonts, the
全市 figures of the latest period as printed, 主要结论 numbers traceable to the marts, the 模拟数据
banner, and that a failed or killed render leaves the published report untouched."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from pipelines.report import formatting as F
from pipelines.report import render_report
from tests.conftest import ROOT, TARGETS_DIR

POPPLER = all(shutil.which(t) for t in ("pdffonts", "pdftotext"))
OUTPUT_DIR = ROOT / "data" / "raw" / "output"
DISTRICTS = ["福田区", "罗湖区", "南山区", "盐田区", "宝安区", "龙岗区", "光明新区", "坪山新区"]

# slow; szei's own renderer even where Quarto is installed (tests/conftest.py: undone after the module)
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("builtin_renderer")]


@pytest.fixture(scope="module")
def real_marts(tmp_path_factory) -> Path:
    from pipelines.marts import RunParams, build_marts
    from pipelines.reference import load_reference
    from pipelines.sample import SAMPLE_MARKER
    from pipelines.validation import validate_output_files

    files = sorted(p for p in OUTPUT_DIR.iterdir() if p.suffix in (".csv", ".xlsx"))
    reference = load_reference(TARGETS_DIR)
    batch = validate_output_files(files, reference)
    db = tmp_path_factory.mktemp("real-marts") / "szei.duckdb"
    params = RunParams(run_id="report-pipeline-test", built_at=datetime(2013, 1, 15, 9),
                       is_synthetic=(OUTPUT_DIR / SAMPLE_MARKER).exists(), szei_version="test", rank_cap=1.2)
    build = build_marts(batch, reference, db, params)
    assert build.published, [c for c in build.checks if not c.passed]
    return db


@pytest.fixture(scope="module")
def report(real_marts, tmp_path_factory):
    out = tmp_path_factory.mktemp("pub") / "_output"
    return render_report(real_marts, out)


def q(db: Path, sql: str, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def latest(db: Path) -> tuple[int, int]:
    (y, m), = q(db, "SELECT latest_year, latest_ytd_months FROM meta_run")
    return int(y), int(m)


def pdftext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout


def key_findings_text(html: str) -> tuple[str, list[str]]:
    sec = html.split('id="主要结论"', 1)[1].split("<h1", 1)[0]
    bullets = re.findall(r"<li>(.*?)</li>", sec, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", sec)), bullets


def test_sample_is_what_the_report_expects(real_marts):
    assert latest(real_marts) == (2012, 12)
    assert q(real_marts, "SELECT is_synthetic FROM meta_run") == [(True,)]


def test_renders_every_output(report):
    paths = report
    assert {k: p.is_file() for k, p in paths.items()} == {"html": True, "pdf": True, "xlsx": True}


def test_html_offline_self_contained_and_light(report):
    html = report["html"].read_text(encoding="utf-8")
    refs = re.findall(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]+)""", html, re.I)
    assert [r for r in refs if not r.startswith(("data:", "#"))] == []  # nothing fetched, not even a relative file
    assert not re.search(r"url\(\s*['\"]?(?!data:|#)", html)
    assert 'lang="zh-CN"' in html and "viewport" in html
    # charts: 2x PNGs drawn with the report's CJK font (no SVG text left to the reader's fonts), with alt text
    imgs = re.findall(r"<img [^>]*>", html)
    assert len(imgs) == 5 and all('src="data:image/png;base64,' in i for i in imgs)
    assert all(re.search(r'alt="[^"]{8,}"', i) for i in imgs)
    assert "<text" not in html
    assert report["html"].stat().st_size < 3_000_000


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_pdf_embeds_cjk_fonts(report):
    fonts = subprocess.run(["pdffonts", str(report["pdf"])], capture_output=True, text=True).stdout
    cjk = [ln for ln in fonts.splitlines() if "CJK" in ln]
    assert cjk and all(re.search(r"\byes\s+yes\b", ln) for ln in cjk), fonts  # embedded, subset
    assert any("NotoSansCJKsc" in ln for ln in cjk) and any("NotoSerifCJKsc" in ln for ln in cjk)


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_pdf_has_city_attainment_of_latest_period(report, real_marts):
    text = pdftext(report["pdf"])
    flat = re.sub(r"\s+", "", text)
    y, m = latest(real_marts)
    rows = q(real_marts, """SELECT industry, actual_yi, target_yi, attainment FROM mart_attainment
                            WHERE district = '全市' AND year = ? AND ytd_months = ?""", [y, m])
    assert {r[0] for r in rows} == {"生物", "互联网", "新能源", "合计"}
    for industry, actual, target, attainment in rows:
        assert F.pct(attainment) in text and F.yi(actual) in text and F.yi(target) in text, industry
    assert f"{y}年1-{m}月" in flat
    assert "模拟数据" in flat
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)  # page numbers
    assert "\ufffd" not in text


def test_key_findings_numbers_come_from_the_marts(report, real_marts):
    """主要结论 is the analysis' key findings, every number one it read from the marts (its claims,
    each read back in tests/test_report_claims.py); at the year end they say whether targets were met."""
    from pipelines.report.analysis import Analysis
    from pipelines.report.data import open_report_data

    html = report["html"].read_text(encoding="utf-8")
    text, bullets = key_findings_text(html)
    assert 1 <= len(bullets) <= 6
    y, m = latest(real_marts)
    marts = open_report_data(real_marts, f"{y}-{m}")
    try:
        a = Analysis(marts)
        findings = a.key_findings()
    finally:
        marts.con.close()
    assert [re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", b)) for b in bullets] == [re.sub(r"\s+", "", f) for f in findings]
    allowed = {str(y), "1", str(m)} | {n for c in a.claims.items for n in re.findall(r"\d+(?:\.\d+)?", c.shown)}
    numbers = re.findall(r"\d+(?:\.\d+)?", text)
    assert numbers and [x for x in numbers if x not in allowed] == []
    if m == 12:  # at the year end the question is whether the target was met, not time progress
        assert "时间进度" not in text


def test_synthetic_banner_on_the_cover(report):
    html = report["html"].read_text(encoding="utf-8")
    cover = html.split('id="cover"', 1)[1].split("</header>", 1)[0]
    assert '<div class="banner">模拟数据' in cover
    if POPPLER:
        first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(report["pdf"]), "-"],
                                    capture_output=True, text=True).stdout
        assert "模拟数据" in re.sub(r"\s+", "", first_page)


def test_tables_xlsx_on_real_marts(report, real_marts):
    import openpyxl

    wb = openpyxl.load_workbook(report["xlsx"])
    assert wb.sheetnames[0] == "封面"
    cover = "".join(str(c.value) for c in wb["封面"]["A"] if c.value)
    assert "模拟数据" in cover and "非深圳市统计局发布" in cover  # the bureau credited only for real data
    ws = wb["目标完成"]
    y, m = latest(real_marts)
    (actual,), = q(real_marts, """SELECT actual_yi FROM mart_attainment WHERE district = '全市' AND industry = '合计'
                                  AND year = ? AND ytd_months = ?""", [y, m])
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))]
    assert float(F.yi(actual)) in values
    files = wb["报送文件"]
    names = [r[0].value for r in files.iter_rows(min_row=4) if r[0].value]
    assert names[0].startswith("2010_1-3月") and names[-1].endswith("修订.csv")  # period order, not string order
    for ws in wb.worksheets[1:]:
        assert not ws.merged_cells.ranges
        assert all(any(c.value is not None for c in row) for row in ws.iter_rows())


# ---- publishing: all or nothing -------------------------------------------------------------------
def _snapshot(d: Path) -> dict[str, bytes]:
    return {n: (d / n).read_bytes() for n in ("report.html", "report.pdf", "tables.xlsx")}


def _temporaries(d: Path) -> list[Path]:
    return list(d.parent.glob(f".szei-report-{d.name}-*"))


def test_failed_render_keeps_the_published_report(report, real_marts, monkeypatch):
    from pipelines.render import typst_pdf

    out = report["html"].parent
    before = _snapshot(out)

    def boom(*a, **k):
        raise RuntimeError("typst crashed")

    monkeypatch.setattr(typst_pdf, "compile_pdf", boom)
    with pytest.raises(RuntimeError, match="typst crashed"):
        render_report(real_marts, out)
    assert _snapshot(out) == before
    assert _temporaries(out) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")
def test_killed_render_keeps_the_published_report(report, real_marts):
    out = report["html"].parent
    before = _snapshot(out)
    code = ("import os, sys; os.environ['SZEI_NO_QUARTO'] = '1'\n"
            "from pipelines.report import render_report\n"
            f"render_report({str(real_marts)!r}, {str(out)!r})\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180  # a bound on waiting, not on speed: the loop stops at the middle
        midway = None
        while time.monotonic() < deadline and proc.poll() is None:  # wait until the cells have run
            midway = next((t for t in _temporaries(out) if (t / "_build" / "report.md").exists()), None)
            if midway:
                break
            time.sleep(0.05)
        assert midway is not None, "the render never reached the middle"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the render and its kernel: the group this test started
        proc.wait(timeout=10)
    assert _snapshot(out) == before  # every published file is the old one, whole


def test_publish_uses_a_temporary_folder_and_os_replace():
    src = (ROOT / "pipelines" / "report" / "__init__.py").read_text(encoding="utf-8")
    assert "tempfile.mkdtemp(" in src and "dir=out_dir.parent" in src and "os.replace(" in src


def test_kernel_is_quiet_and_shut_down(tmp_path, capfd):
    """No ipykernel warnings on the user's terminal ('running over TCP without encryption',
    'Parent appears to have exited'), and no kernel left running after execute()."""
    import nbformat.v4 as v4

    from pipelines.render.kernel import execute

    nb = v4.new_notebook(cells=[v4.new_code_cell("import os, sys; print(os.getpid()); print('x', file=sys.stderr)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    execute(nb, cwd=tmp_path, log=tmp_path / "kernel.log")
    pid = int(nb.cells[0].outputs[0]["text"].split()[0])
    time.sleep(0.2)
    captured = capfd.readouterr()
    assert "IPKernelApp" not in captured.err + captured.out
    assert "without encryption" not in (tmp_path / "kernel.log").read_text()  # IPC, not TCP
    with pytest.raises(ProcessLookupError):
        for _ in range(50):
            os.kill(pid, 0)
            time.sleep(0.1)

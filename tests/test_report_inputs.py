"""The report on awkward marts, with szei's renderer: text from input files prints as text (HTML,
Markdown, Typst), and any subset of periods renders — a quarter whose previous quarter is missing
has a blank single-quarter value and a note saying why, never a crash and never a 0."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess

import pytest

from pipelines.report import render_report
from pipelines.report.values import load_values
from tests.report_compare import html_text
from tests.report_fixtures.marts_fixture import HOSTILE_FILE, HOSTILE_MESSAGE, build_marts, drop_period, make_hostile

POPPLER = shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def awkward(tmp_path_factory):
    """2012 without its 1-3月 file, with hostile names, rendered by szei's renderer."""
    d = tmp_path_factory.mktemp("awkward")
    marts = drop_period(make_hostile(build_marts(d / "szei.duckdb")), 2012, 3)
    os.environ["SZEI_NO_QUARTO"] = "1"
    return marts, render_report(marts, d / "out", period="2012-12")


@pytest.mark.slow
def test_file_names_and_messages_are_text(awkward):
    _, paths = awkward
    html = paths["html"].read_text(encoding="utf-8")
    assert "<img src=x" not in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;script&gt;" in html
    text, tables = html_text(paths["html"])
    assert re.sub(r"\s+", "", HOSTILE_FILE) in text
    assert re.sub(r"\s+", "", HOSTILE_MESSAGE) in text
    files, prov = tables[7], tables[9]
    assert all(len(r) == 7 for r in files) and any(r[0] == HOSTILE_FILE for r in files)
    assert all(len(r) == 3 for r in prov) and any(r[0] == HOSTILE_FILE for r in prov)
    if POPPLER:
        pdf = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-layout", str(paths["pdf"]), "-"],
                                                capture_output=True, text=True).stdout)
        assert "<imgsrc=xonerror=alert(1)>_2012_1-12月|" in pdf and "a*b*.csv" in pdf


@pytest.mark.slow
def test_missing_quarter_is_blank_with_a_note(awkward):
    _, paths = awkward
    text, tables = html_text(paths["html"])
    quarters = next(t for t in tables if t and t[0][0] == "季度")
    rows = {r[0]: r[1:] for r in quarters[1:]}
    assert set(rows) == {"第二季度", "第三季度", "第四季度"}  # no 1-3月 data: no first quarter
    assert rows["第二季度"] == ["", "", "", ""]  # blank, not 0.00
    assert all(v and v != "0.00" for q in ("第三季度", "第四季度") for v in rows[q])
    assert "第二季度的上一季度累计数缺失，其单季规模空白。" in text


PERIODS_2012 = [3, 6, 9, 12]


@pytest.mark.parametrize("kept", [k for n in range(1, 4) for k in itertools.combinations(PERIODS_2012, n)
                                  if 12 in k] + [(3,), (3, 6)])
def test_any_subset_of_periods_gives_values(tmp_path, kept):
    """Every subset of 2012's periods (the report period the latest kept): the values, tables and
    charts of the report build without error, and blank quarters are named in the note."""
    marts = build_marts(tmp_path / "szei.duckdb")
    for m in PERIODS_2012:
        if m not in kept:
            drop_period(marts, 2012, m)
    v = load_values(str(marts), f"2012-{max(kept)}")
    for t in vars(v.tables).values():
        assert t._repr_markdown_()
    f = v.charts.quarters  # the chart that crashed on a NULL single-quarter value
    assert f._repr_markdown_()
    blanks = [q for q in range(1, max(kept) // 3 + 1) if q * 3 in kept and q > 1 and (q - 1) * 3 not in kept]
    for q in blanks:
        assert f"第{'一二三四'[q - 1]}季度" in v.quarters_gap_note
    if not blanks:
        assert v.quarters_gap_note == ""


@pytest.mark.slow
def test_readme_sentence_edit_needs_only_report_qmd(tmp_path):
    """The README's example ("Changing a sentence of the report"): the sentence as quoted is in
    report.qmd; reworded there alone, it reaches the HTML as the README says it prints."""
    import shutil as sh

    from pipelines.render import render_qmd
    from pipelines.settings import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Changing a sentence of the report", 1)[1].split("\n#", 1)[0]
    before, after = re.findall(r"```markdown\n(.*?)\n```", section, re.S)
    printed = re.search(r'prints "(.*?)"', section, re.S).group(1)
    src = tmp_path / "reports"
    sh.copytree(PROJECT_ROOT / "reports", src, ignore=sh.ignore_patterns("_output", ".quarto"))
    qmd = (src / "report.qmd").read_text(encoding="utf-8")
    assert before in qmd  # the README quotes the file as it is
    (src / "report.qmd").write_text(qmd.replace(before, after), encoding="utf-8")
    marts = build_marts(tmp_path / "szei.duckdb")
    out = render_qmd(src / "report.qmd", tmp_path / "out", {"marts_db": str(marts), "period": "2012-12"},
                     formats=("html",), env={"PYTHONPATH": str(PROJECT_ROOT)})
    text, _ = html_text(out["html"])
    assert re.sub(r"\s+", "", printed) in text

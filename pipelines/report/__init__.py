"""The statistical analysis report: reports/report.qmd rendered to HTML, PDF (Typst) and tables.xlsx.

`render_report` uses the Quarto CLI when one is found (SZEI_QUARTO, QUARTO_PATH or `quarto` on PATH;
`quarto.py`), and otherwise renders the same .qmd with szei's own renderer (`pipelines.render`), which
runs the engines Quarto uses (nbclient/ipykernel, pandoc, typst). The report's values come from
`values.py`; its words are in report.qmd.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from pipelines.settings import PROJECT_ROOT, REPORTS_DIR

from .data import Marts, connect, open_report_data, resolve_period

QMD = REPORTS_DIR / "report.qmd"

__all__ = ["render_report", "QMD"]


def _write_tables(marts_db: Path, period_key: str, out_dir: Path) -> Path:
    """tables.xlsx and csv/表N_….csv, from the same tables (and cover dates) as the report."""
    from . import sections, spreadsheet, tables

    m = open_report_data(marts_db, period_key)
    try:
        ts = tables.all_tables(m)
        cover = sections.cover_lines(m)
        if m.is_synthetic():
            cover.insert(0, "数据说明：模拟数据（非真实统计数据）")
        spreadsheet.write_csvs(ts, out_dir / "csv")
        return spreadsheet.write_xlsx(ts, out_dir / "tables.xlsx", title=sections.report_name(m),
                                      period_title=m.period.title, cover=[f"报告期：{m.period.title}", *cover],
                                      label="模拟数据" if m.is_synthetic() else "")
    finally:
        m.con.close()


TMP_PREFIX = ".szei-report-"
PUBLISHED = ("report.pdf", "tables.xlsx", "report.html")  # replaced in this order; the HTML last
PUBLISHED_DIRS = ("csv", "_build")
STALE_AFTER_S = 3600


def _remove_stale_temporaries(parent: Path, out_name: str) -> None:
    """Leftovers of a run that was killed mid-render (older than an hour, so never a live render)."""
    now = time.time()
    for d in parent.glob(f"{TMP_PREFIX}{out_name}-*"):
        try:
            if d.is_dir() and now - d.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            pass


def _publish(tmp: Path, out_dir: Path) -> dict[str, Path]:
    """Move each finished file into `out_dir` with os.replace (atomic on one file system: a reader
    sees the old file or the new one, never half of one). The folders (the CSVs, the intermediate
    _build) are swapped whole."""
    out = {}
    for name in PUBLISHED:
        os.replace(tmp / name, out_dir / name)
        out[name] = out_dir / name
    for folder in PUBLISHED_DIRS:
        if (tmp / folder).is_dir():
            old = out_dir / folder
            if old.exists():
                os.replace(old, tmp / f"{folder}.old")
            os.replace(tmp / folder, old)
    return out


def render_report(marts_db: Path, out_dir: Path, period: str | None = None) -> dict[str, Path]:
    """Render the report for `period` (default: the latest in the marts) into `out_dir`.

    Returns {"html": ..., "pdf": ..., "xlsx": ...}; the tables are also in out_dir/csv/ (one CSV each).
    Raises SzeiError for problems the user can fix:
    marts file missing, period not in the marts, no CJK font installed.

    Everything is rendered into a temporary folder beside `out_dir` and moved into place only when
    all three files are finished, so a failed or killed run leaves the published report as it was.
    """
    from pipelines.render import render_qmd
    from pipelines.render.typst_pdf import check_cjk_fonts

    from .quarto import find_quarto, render_with_quarto

    marts_db = Path(marts_db).resolve()
    out_dir = Path(out_dir).resolve()
    con = connect(marts_db)
    try:
        p = resolve_period(con, period)
        Marts(con, p)  # the dictionaries are there (a message here, not a failed notebook cell)
    finally:
        con.close()
    check_cjk_fonts()
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(out_dir.parent, out_dir.name)
    tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{out_dir.name}-", dir=out_dir.parent))
    try:
        params = {"marts_db": str(marts_db), "period": p.key}
        env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
               "SZEI_MARTS_DB": str(marts_db)}
        quarto = find_quarto()
        if quarto:
            render_with_quarto(quarto, QMD, tmp, params, env)
        else:
            render_qmd(QMD, tmp, params, env=env)
        _write_tables(marts_db, p.key, tmp)
        done = _publish(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"html": done["report.html"], "pdf": done["report.pdf"], "xlsx": done["tables.xlsx"]}

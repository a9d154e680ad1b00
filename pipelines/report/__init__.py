"""The statistical analysis report: reports/report.qmd rendered to HTML, PDF (Typst) and tables.xlsx.

`render_report` uses the Quarto CLI when it is on PATH, and otherwise renders the same .qmd with
the engines Quarto uses (nbclient/ipykernel, pandoc, typst) — see `render.py`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from pipelines.errors import SzeiError
from pipelines.settings import PROJECT_ROOT, REPORTS_DIR

from .data import connect, open_report_data, resolve_period

QMD = REPORTS_DIR / "report.qmd"

__all__ = ["render_report", "QMD"]


def _write_tables(marts_db: Path, period_key: str, out: Path) -> Path:
    from . import sections, tables

    m = open_report_data(marts_db, period_key)
    try:
        meta = m.meta()
        built = meta.get("built_at")
        return tables.write_xlsx(
            tables.all_tables(m), out, title=sections.TITLE, period_title=m.period.title,
            built=f"{built:%Y-%m-%d %H:%M}" if built else "", label="模拟数据" if m.is_synthetic() else "")
    finally:
        m.con.close()


def _render_with_quarto(quarto: str, out_dir: Path, params: dict) -> dict[str, Path]:
    args = [quarto, "render", str(QMD), "--to", "html,typst", "--output-dir", str(out_dir)]
    for k, v in params.items():
        args += ["-P", f"{k}:{v}"]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"quarto render failed:\n{r.stderr}")
    return {"html": out_dir / "report.html", "pdf": out_dir / "report.pdf"}


def render_report(marts_db: Path, out_dir: Path, period: str | None = None) -> dict[str, Path]:
    """Render the report for `period` (default: the latest in the marts) into `out_dir`.

    Returns {"html": ..., "pdf": ..., "xlsx": ...}. Raises SzeiError for problems the user can fix:
    marts file missing, period not in the marts, no CJK font installed.
    """
    from .render import check_cjk_fonts, render_qmd

    marts_db = Path(marts_db).resolve()
    out_dir = Path(out_dir).resolve()
    con = connect(marts_db)
    try:
        p = resolve_period(con, period)
    finally:
        con.close()
    check_cjk_fonts()
    out_dir.mkdir(parents=True, exist_ok=True)
    params = {"marts_db": str(marts_db), "period": p.key}
    quarto = shutil.which("quarto")
    if quarto and not os.environ.get("SZEI_NO_QUARTO"):
        paths = _render_with_quarto(quarto, out_dir, params)
    else:
        from .sections import TITLE

        env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
               "SZEI_MARTS_DB": str(marts_db)}
        paths = render_qmd(QMD, out_dir, params, title=f"{TITLE}（{p.title}）", env=env)
    xlsx = _write_tables(marts_db, p.key, out_dir / "tables.xlsx")
    return {"html": paths["html"], "pdf": paths["pdf"], "xlsx": xlsx}

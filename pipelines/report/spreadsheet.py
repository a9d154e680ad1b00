"""The report's tables for spreadsheet users: tables.xlsx and one CSV per table.

tables.xlsx: a cover sheet (title, period, publication and next-release dates in Beijing time,
contents), then one sheet per table: caption in A1, notes under it, a frozen header row, numbers
stored as numbers with their display format (`0.0` for %, `#,##0.00` for 亿元, `0` for counts and
ranks), columns as wide as their longest header or cell. CSV: UTF-8 with a byte-order mark (Excel
opens it as UTF-8), header and rows as printed. Text cells that could be read as formulas (`=`, `+`,
`-`, `@` first: a file name such as `=cmd().csv`) are neutralised by pipelines.exports.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from pipelines.exports import neutralise_formulas, neutralise_text

from .tables import Table, _width

FORMATS = (  # (pattern on the column header, number format)
    (re.compile(r"（%）|个百分点"), "0.0"),
    (re.compile(r"亿元"), "#,##0.00"),
    (re.compile(r"（家）|（行）|^排名$|^合计排名$|记录"), "0"),
)
MAX_WIDTH = 60


def column_format(header: str) -> str | None:
    return next((fmt for rx, fmt in FORMATS if rx.search(header)), None)


def _number(cell: str) -> float | int | None:
    """A printed cell as the number it shows ('1,234.50' -> 1234.5, '3' -> 3); None if it is text."""
    s = str(cell).replace(",", "").strip()
    if not re.fullmatch(r"[+-−]?\d+(\.\d+)?", s):
        return None
    s = s.replace("−", "-")
    return int(s) if "." not in s else float(s)


def sheet_name(t: Table) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", t.sheet or f"表{t.number}")[:31]


def csv_name(t: Table) -> str:
    return f"表{t.number}_{sheet_name(t)}.csv"


def write_xlsx(tables: list[Table], path: Path, *, title: str, period_title: str, cover: list[str],
               label: str = "") -> Path:
    """`label` (模拟数据 for synthetic data) follows every sheet's caption in A1, so a sheet copied on its
    own still says what its numbers are."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    num = {f: wb.add_format({"num_format": f}) for _, f in FORMATS}
    ws = wb.add_worksheet("封面")
    lines = [f"{title}（{period_title}）", *cover, "舍入：四舍五入，合计数与分项之和可能因舍入略有出入。",
             "符号：空白表示无数据，“…”表示数值小于表中单位，“#”表示其中项。", "目录："]
    lines += [f"{sheet_name(t)}：{t.caption}" for t in tables]
    for i, ln in enumerate(lines):
        ws.write_string(i, 0, neutralise_text(ln), bold if i == 0 else None)
    ws.set_column(0, 0, min(MAX_WIDTH * 2, max(_width(x) for x in lines) + 2))
    for t in tables:
        ws = wb.add_worksheet(sheet_name(t))
        ws.write_string(0, 0, neutralise_text(f"{t.caption}（{label}）" if label else t.caption), bold)
        r = 1
        for n in t.notes:
            ws.write_string(r, 0, neutralise_text(n))
            r += 1
        for c, h in enumerate(t.columns):
            ws.write_string(r, c, h, head)
        ws.freeze_panes(r + 1, 1)  # header row and first column stay in view
        fmts = [column_format(h) for h in t.columns]
        for row in t.rows:
            r += 1
            for c, v in enumerate(row):
                n = _number(v) if fmts[c] else None
                if n is not None:
                    ws.write_number(r, c, n, num[fmts[c]])
                elif v != "":
                    ws.write_string(r, c, neutralise_text(str(v)))
        for c, h in enumerate(t.columns):
            w = max([_width(h)] + [_width(row[c]) for row in t.rows]) + 2
            ws.set_column(c, c, min(MAX_WIDTH, max(8, w)))
    wb.close()
    return path


def write_csvs(tables: list[Table], folder: Path) -> list[Path]:
    """One CSV per table, UTF-8 with BOM, named 表N_<sheet>.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for t in tables:
        frame = pl.DataFrame([[str(c) for c in r] for r in t.rows], schema=[str(c) for c in t.columns],
                             orient="row") if t.rows else pl.DataFrame(schema={c: pl.String for c in t.columns})
        f = folder / csv_name(t)
        neutralise_formulas(frame).write_csv(f, include_bom=True)
        out.append(f)
    return out

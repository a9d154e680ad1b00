"""Reading an .xlsx workbook: the sheet 数据 (else the first), every cell as text, Excel error values kept."""

from __future__ import annotations

import io
import re

import polars as pl

from pipelines.ingest.rawfile import RawFile

PREFERRED_SHEET = "数据"


def read_xlsx(raw: RawFile, data: bytes) -> pl.DataFrame | None:
    """Every row of the sheet from row 1 on (skip_rows=0 keeps leading blank rows: row numbers stay the sheet's)."""
    import fastexcel

    raw.encoding = "xlsx"
    try:
        reader = fastexcel.read_excel(data)
        names = reader.sheet_names
        if not names:
            raw.fail("工作簿中没有工作表", "the workbook has no sheet")
            return None
        sheet = PREFERRED_SHEET if PREFERRED_SHEET in names else names[0]
        raw.sheet = sheet
        loaded = reader.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="string")
        frame = loaded.to_polars()
        if frame.width:
            frame = _with_error_cells(frame, data, sheet, loaded.available_columns()[0].absolute_index)
    except Exception as exc:  # noqa: BLE001
        raw.fail(f"无法读取 Excel 工作簿（{type(exc).__name__}）", f"cannot read the Excel workbook: {exc}")
        return None
    if frame.width == 0 or frame.height == 0:
        raw.fail(f"工作表「{raw.sheet}」是空的", f"sheet '{raw.sheet}' is empty")
        return None
    # calamine returns typed cells as text already; make sure every column is String
    frame = frame.select(pl.all().cast(pl.String)).rename({c: f"c{j}" for j, c in enumerate(frame.columns)})
    return frame.with_columns((pl.int_range(pl.len(), dtype=pl.Int32) + 1).alias("__row"))


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _with_error_cells(frame: pl.DataFrame, data: bytes, sheet: str, first_col: int) -> pl.DataFrame:
    """Put Excel error values (#N/A, #DIV/0!, …) back into the cells calamine reads as empty.

    An error cell is stored as `<c r="H2" t="e"><v>#DIV/0!</v></c>`; without this it would be
    rejected as "empty", which is not what the person sees in Excel. Only sheets holding such a
    cell are parsed (a substring test on the sheet's XML).
    """
    import posixpath
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        rid = None
        for attrs in re.findall(r"<sheet\b([^>]*)/?>", book):
            name = re.search(r'\bname="([^"]*)"', attrs)
            if name and _xml_unescape(name.group(1)) == sheet:
                m = re.search(r'\br:id="([^"]*)"', attrs) or re.search(r'\bid="([^"]*)"', attrs)
                rid = m.group(1) if m else None
        target = None
        for attrs in re.findall(r"<Relationship\b([^>]*)/?>", rels):
            if rid and re.search(rf'\bId="{re.escape(rid)}"', attrs):
                target = re.search(r'\bTarget="([^"]*)"', attrs).group(1)
        if target is None:
            return frame
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        xml = z.read(path)
    if b't="e"' not in xml:
        return frame
    cells = []
    for attrs, body in re.findall(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", xml.decode("utf-8"), flags=re.S):
        if 't="e"' not in attrs:
            continue
        ref = re.search(r'\br="([A-Z]+)(\d+)"', attrs)
        value = re.search(r"<v>(.*?)</v>", body or "", flags=re.S)
        if ref and value:
            cells.append((int(ref.group(2)) - 1, _column_index(ref.group(1)) - first_col, _xml_unescape(value.group(1))))
    columns = frame.columns
    updates: dict[str, list[tuple[int, str]]] = {}
    for row, col, text in cells:
        if 0 <= row < frame.height and 0 <= col < len(columns):
            updates.setdefault(columns[col], []).append((row, text))
    for name, items in updates.items():
        values = frame[name].cast(pl.String).to_list()
        for row, text in items:
            values[row] = text
        frame = frame.with_columns(pl.Series(name, values, dtype=pl.String))
    return frame


def _xml_unescape(text: str) -> str:
    import html

    return html.unescape(text)

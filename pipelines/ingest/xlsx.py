"""Reading an .xlsx workbook: the sheet 数据 (else the first), every cell as text, Excel error values kept."""

from __future__ import annotations

import io
import re

import polars as pl

from pipelines.ingest.headers import HEADER_SCAN_ROWS, is_header_cell
from pipelines.ingest.rawfile import RawFile
from pipelines.ingest.text import TRIM_CHARS, visible_text

PREFERRED_SHEET = "数据"


def zip_kind(data: bytes) -> tuple[str, str] | None:
    """None for an Excel workbook (.xlsx/.xlsm, whatever its file name); else why a zip is not read."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            mimetype = z.read("mimetype")[:100].decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return ("文件已损坏：不是完整的 zip/xlsx 文件（可能未传输完整），无法读取",
                f"the file is damaged: not a complete zip/xlsx file (perhaps cut short): {exc}")
    except NotImplementedError as exc:
        return ("zip 文件使用了不支持的压缩或加密方式，无法读取", f"the zip file uses an unsupported method: {exc}")
    if "xl/workbook.xml" in names:
        return None
    if "xl/workbook.bin" in names:
        return ("Excel 二进制工作簿（.xlsb）无法读取，请在 Excel 中另存为 .xlsx 或 CSV",
                "an Excel binary workbook (.xlsb) cannot be read; save it as .xlsx or CSV")
    if "opendocument" in mimetype:
        return ("OpenDocument 表格（.ods）无法读取，请另存为 .xlsx 或 CSV",
                "an OpenDocument spreadsheet (.ods) cannot be read; save it as .xlsx or CSV")
    if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
        return ("Apple Numbers 表格无法读取，请导出为 .xlsx 或 CSV", "an Apple Numbers file cannot be read; export it as .xlsx or CSV")
    files = [n for n in names if not n.endswith("/")]
    shown = "、".join(files[:5]) + ("……" if len(files) > 5 else "")
    return (f"压缩包（内含 {len(files)} 个文件：{shown}）不会自动解压：请解压后把其中的数据文件放入 output/",
            f"a zip archive ({len(files)} files: {', '.join(files[:5])}{', …' if len(files) > 5 else ''}) "
            "is not unpacked: unpack it and put its data files in output/")


def sheet_key(name: str) -> str:
    """A sheet name as compared: without spaces or invisible characters at its ends (`数据 ` is 数据)."""
    return (name or "").strip(TRIM_CHARS)


def _workbook_sheets(data: bytes) -> list[tuple[str, str]]:
    """(name, state) of every sheet in workbook order; state is visible, hidden or veryHidden."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book = z.read("xl/workbook.xml").decode("utf-8", errors="replace")
    out = []
    for attrs in re.findall(r"<(?:\w+:)?sheet\b([^>]*)/?>", book):
        name = re.search(r'\bname="([^"]*)"', attrs)
        state = re.search(r'\bstate="([^"]*)"', attrs)
        if name:
            out.append((_xml_unescape(name.group(1)), state.group(1) if state else "visible"))
    return out


def pick_sheet(sheets: list[tuple[str, str]], with_header: list[str] = ()) -> str:
    """The sheet named 数据 (trimmed), else the first sheet with a data header, else the first; a
    visible sheet always before a hidden one."""
    visible = [n for n, st in sheets if st == "visible"] or [n for n, _ in sheets]
    named = [n for n in visible if sheet_key(n) == PREFERRED_SHEET]
    return (named or [n for n in visible if n in with_header] or visible)[0]


def _sheets_with_header(reader, names: list[str], always: bool = False) -> list[str]:
    """The sheets among `names` whose first rows hold a row of contract headers (three or more); a
    single sheet is taken as it is unless `always`."""
    if len(names) < 2 and not always:
        return list(names)
    found = []
    for name in names:
        try:
            head = reader.load_sheet(name, header_row=None, n_rows=HEADER_SCAN_ROWS * 3, dtypes="string").to_polars()
        except Exception:  # noqa: BLE001 - a sheet that cannot be loaded has no header to offer
            continue
        if any(sum(is_header_cell(v) for v in row) >= 3 for row in head.iter_rows()):
            found.append(name)
    return found


def read_xlsx(raw: RawFile, data: bytes) -> pl.DataFrame | None:
    """Every row of the sheet from row 1 on (skip_rows=0 keeps leading blank rows: row numbers stay the sheet's).

    Hidden sheets are never preferred over visible ones; a hidden sheet and hidden rows are warned
    (`raw.file_warnings`, `raw.hidden_rows`), the rows themselves are read like any other."""
    import fastexcel

    raw.encoding = "xlsx"
    try:
        reader = fastexcel.read_excel(data)
        names = reader.sheet_names
        if not names:
            raw.fail("工作簿中没有工作表", "the workbook has no sheet")
            return None
        try:
            sheets = [(n, st) for n, st in _workbook_sheets(data) if n in names] or [(n, "visible") for n in names]
        except Exception:  # noqa: BLE001 - an unusual package layout: every sheet counts as visible
            sheets = [(n, "visible") for n in names]
        with_header = _sheets_with_header(reader, [n for n, st in sheets if st == "visible"])
        sheet = pick_sheet(sheets, with_header)
        raw.sheet = sheet
        hidden_names = [n for n, st in sheets if st != "visible"]
        if hidden_names and sheet not in hidden_names and not _sheets_with_header(reader, [sheet], always=True):
            raw.hidden_sheets_with_header = [visible_text(n) for n in _sheets_with_header(reader, hidden_names, always=True)]
        others = [n for n in with_header if n != sheet]
        if others:
            shown = "、".join(f"「{visible_text(n)}」" for n in others)
            raw.file_warnings.append((
                "other_sheet_not_read",
                f"工作簿中另有含数据表头的工作表 {shown}，未读取（只读取「{visible_text(sheet)}」）；"
                "如需计入，请把数据合并到一个工作表，或另存为单独的文件",
                f"the workbook has other sheet(s) with a data header ({', '.join(visible_text(n) for n in others)}), "
                f"not read (only '{visible_text(sheet)}' is); merge them into one sheet or save them as files",
            ))
        hidden = [n for n, st in sheets if st != "visible"]
        if hidden:
            shown = "、".join(f"「{visible_text(n)}」" for n in hidden)
            raw.file_warnings.append((
                "hidden_sheet",
                f"工作簿含隐藏的工作表 {shown}，未读取；读取的是可见的工作表「{visible_text(sheet)}」"
                if sheet not in hidden else f"工作簿的工作表都被隐藏，读取的是「{visible_text(sheet)}」",
                f"the workbook has hidden sheet(s) {', '.join(visible_text(n) for n in hidden)}, not read; "
                f"the visible sheet '{visible_text(sheet)}' was read",
            ))
        loaded = reader.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="string")
        frame = loaded.to_polars()
        if frame.width:
            frame = _with_error_cells(raw, frame, data, sheet, loaded.available_columns()[0].absolute_index)
    except Exception as exc:  # noqa: BLE001
        raw.fail(f"无法读取 Excel 工作簿（{type(exc).__name__}）", f"cannot read the Excel workbook: {exc}")
        return None
    if frame.width == 0 or frame.height == 0:
        raw.fail(f"工作表「{visible_text(raw.sheet)}」是空的", f"sheet '{visible_text(raw.sheet)}' is empty")
        return None
    # calamine returns typed cells as text already; make sure every column is String
    frame = frame.select(pl.all().cast(pl.String)).rename({c: f"c{j}" for j, c in enumerate(frame.columns)})
    return frame.with_columns((pl.int_range(pl.len(), dtype=pl.Int32) + 1).alias("__row"))


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _with_error_cells(raw: RawFile, frame: pl.DataFrame, data: bytes, sheet: str, first_col: int) -> pl.DataFrame:
    """Put Excel error values (#N/A, #DIV/0!, …) back into the cells calamine reads as empty, and
    note the hidden rows of the sheet (`raw.hidden_rows`, spreadsheet row numbers).

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
        for attrs in re.findall(r"<(?:\w+:)?sheet\b([^>]*)/?>", book):
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
    if b'hidden="1"' in xml or b'hidden="true"' in xml:
        raw.hidden_rows = [int(r) for r in re.findall(rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"', xml)]
        raw.hidden_rows += [int(r) for r in re.findall(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"', xml)]
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

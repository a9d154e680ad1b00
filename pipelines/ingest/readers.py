"""Read one output file as text, whatever its encoding or format; never modify it.

A file is opened read-only, hashed (sha256) and parsed into a polars DataFrame whose
columns are all `String` — parsing happens later, cell by cell, so that one bad cell
rejects one row and not the file. The header is mapped to the contract's fields
(Chinese headers and English aliases); the value header must carry its unit.

Anything that makes the whole file unreadable (binary, empty, not a table, an old `.xls`,
a missing required column, a value header without a unit) is returned as a `RawFile`
with `file_error_zh` / `file_error_en` set — never raised — so that the caller can record
it in the file summary and still quarantine any readable rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

DATA_SUFFIXES = (".csv", ".xlsx", ".xls")
REVISION_MARK = "修订"
PREFERRED_SHEET = "数据"

# contract field → (standard Chinese header, English alias)
CANONICAL_HEADERS: dict[str, tuple[str, str]] = {
    "year": ("统计年度", "year"),
    "period": ("累计期", "period"),
    "unit_code": ("单位代码", "unit_code"),
    "unit_name": ("单位名称", "unit_name"),
    "industry": ("产业类别", "industry"),
    "reg_district": ("注册地", "reg_district"),
    "output_district": ("产值发生地", "output_district"),
    "ytd_value": ("本年累计产值（万元）", "ytd_value_wan"),
}
FIELDS = tuple(CANONICAL_HEADERS)
# 产值发生地 may be absent as a column (a file of 互联网/新能源 rows only); the 生物 rule is per row.
REQUIRED_FIELDS = tuple(f for f in FIELDS if f != "output_district")

# unit of the value header → factor to 万元
UNIT_FACTORS: dict[str, float] = {"万元": 1.0, "千元": 0.1, "元": 0.0001, "亿元": 10000.0}
_EN_UNITS = {"wan": "万元", "qian": "千元", "yuan": "元", "yi": "亿元"}

_VALUE_ZH = "本年累计产值"
_VALUE_EN = "ytd_value"
_HEADER_TRANS = str.maketrans({"（": "(", "）": ")", "\u3000": "", " ": "", "\ufeff": "", "\t": ""})

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# the header row is looked for among the first non-blank rows (title lines above it, as Excel exports have)
HEADER_SCAN_ROWS = 10
# a file whose undecodable bytes exceed this share of its characters is not text in a known encoding
MAX_DAMAGED_SHARE = 0.01
MAX_DAMAGED_CHARS = 20  # …or, in a small file, this many
ISSUE_SCHEMA = {"__row": pl.Int32, "reason_code": pl.String, "reason": pl.String, "reason_en": pl.String,
                "column": pl.String}
# reasons found while reading (see RawFile.row_issues): code → (Chinese title, English title)
READ_REASONS = {
    "row_extra_fields": ("该行字段数多于表头（值无法对应到列）", "more fields than the header (values cannot be assigned)"),
    "cell_undecodable": ("单元格含无法解码的字节", "the cell holds bytes that cannot be decoded"),
}
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class RawFile:
    """One file as read: text cells plus what is known about the file."""

    path: Path
    sha256: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    value_unit: str | None = None
    # all-String frame with the original headers + `__row` (Int32, spreadsheet row number);
    # fully blank rows are removed (counted in `rows_blank`).
    frame: pl.DataFrame | None = None
    header_map: dict[str, str] = field(default_factory=dict)  # field → original header
    rows_blank: int = 0
    recognised: bool = False  # at least one contract header found: the rows are records
    file_error_zh: str | None = None
    file_error_en: str | None = None
    error_column: str | None = None
    # the file's name in messages and in the marts (the file name, or folder/name when two
    # files of one batch share a name)
    label: str | None = None
    header_row: int | None = None  # spreadsheet row number of the header row (1 unless title lines precede it)
    encoding_damaged: bool = False  # a few bytes could not be decoded: the rows holding them are rejected
    # problems of single rows found while reading (extra fields, undecodable bytes): one row per
    # reason, ISSUE_SCHEMA; validation rejects these rows with these reasons
    row_issues: pl.DataFrame | None = None

    @property
    def name(self) -> str:
        return self.label or self.path.name

    @property
    def is_revision(self) -> bool:
        return REVISION_MARK in self.path.name

    @property
    def factor(self) -> float:
        return UNIT_FACTORS.get(self.value_unit or "万元", 1.0)

    def fail(self, zh: str, en: str, column: str | None = None) -> "RawFile":
        row = f" 第 {self.header_row} 行（表头）" if column and self.header_row else ""
        row_en = f", row {self.header_row} (header)" if column and self.header_row else ""
        where = f"文件 {self.name}{row}" + (f" 列「{column}」" if column else "")
        where_en = f"file {self.name}{row_en}" + (f", column '{column}'" if column else "")
        self.file_error_zh = f"{where}：{zh}"
        self.file_error_en = f"{where_en}: {en}"
        self.error_column = column
        return self


def list_output_files(output_dir: Path) -> list[Path]:
    """The data files of a folder (.csv, .xlsx, .xls; case-insensitive), sorted by file name.

    Revisions (`*修订*`) are applied in this order. Hidden files and Excel lock files
    (`~$…`) are skipped. A missing folder gives an empty list.
    """
    output_dir = Path(output_dir)
    if not output_dir.is_dir():
        return []
    files = [
        p
        for p in output_dir.iterdir()
        if p.is_file() and p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith((".", "~$"))
    ]
    return sorted(files, key=lambda p: (p.name, str(p)))


# ---------------------------------------------------------------------------- headers


def normalise_header(header: str) -> str:
    return (header or "").translate(_HEADER_TRANS).strip().lower()


def _value_header_unit(norm: str) -> tuple[bool, str | None]:
    """(is a value header, its unit or None when missing/unrecognised)."""
    if norm.startswith(_VALUE_ZH):
        m = re.fullmatch(r"本年累计产值\((万元|千元|元|亿元)\)", norm)
        return True, (m.group(1) if m else None)
    if norm.startswith(_VALUE_EN):
        m = re.fullmatch(r"ytd_value_(wan|qian|yuan|yi)", norm)
        return True, (_EN_UNITS[m.group(1)] if m else None)
    return False, None


def map_headers(raw: RawFile, columns: list[str]) -> RawFile:
    """Fill raw.header_map / raw.value_unit, or set the file error (missing column, no unit, ambiguity)."""
    lookup = {}
    for f, (zh, en) in CANONICAL_HEADERS.items():
        if f != "ytd_value":
            lookup[normalise_header(zh)] = f
            lookup[en] = f
    mapping: dict[str, str] = {}
    for col in columns:
        norm = normalise_header(col)
        is_value, unit = _value_header_unit(norm)
        f = "ytd_value" if is_value else lookup.get(norm)
        if f is None:
            continue  # unknown extra column: kept in the raw record
        raw.recognised = True
        if is_value and unit is None:
            return raw.fail(
                "产值列表头未注明可识别的计量单位（应为「本年累计产值（万元）」，或千元、元、亿元），单位无法推测，整个文件不予接收",
                "the value header carries no recognised unit (expected 本年累计产值（万元）, or 千元/元/亿元; "
                "English ytd_value_wan/_qian/_yuan/_yi); a unit is never guessed, the file is rejected",
                col,
            )
        if f in mapping:
            return raw.fail(
                f"列「{mapping[f]}」与列「{col}」表示同一字段，无法确定使用哪一列",
                f"columns '{mapping[f]}' and '{col}' both map to field {f}; ambiguous",
                col,
            )
        mapping[f] = col
        if is_value:
            raw.value_unit = unit
    if not mapping:
        return raw.fail(
            f"不是数据表：前 {HEADER_SCAN_ROWS} 个非空行中没有任何约定的列名（统计年度、累计期、单位代码……）",
            f"not a data table: none of the first {HEADER_SCAN_ROWS} non-blank rows holds a contract header "
            "(统计年度/year, 累计期/period, …)",
        )
    missing = [f for f in REQUIRED_FIELDS if f not in mapping]
    if missing:
        names = "、".join(CANONICAL_HEADERS[f][0] for f in missing)
        names_en = ", ".join(f"{CANONICAL_HEADERS[f][0]}/{CANONICAL_HEADERS[f][1]}" for f in missing)
        raw.header_map = mapping
        return raw.fail(f"缺少必需列：{names}", f"missing required column(s): {names_en}", names)
    raw.header_map = mapping
    return raw


# ---------------------------------------------------------------------------- reading


def _is_header_cell(cell: str | None) -> bool:
    """A cell that names a contract field (Chinese header, English alias, or a value header)."""
    if not cell:
        return False
    norm = normalise_header(cell)
    if _value_header_unit(norm)[0]:
        return True
    return any(norm in (normalise_header(zh), en) for f, (zh, en) in CANONICAL_HEADERS.items() if f != "ytd_value")


def _is_utf8(body: bytes) -> bool:
    """Whether `body` is valid UTF-8 (as a strict `body.decode("utf-8")` would say; Rust's check, ~2× faster)."""
    try:
        pl.Series([body], dtype=pl.Binary).cast(pl.String, strict=True)
        return True
    except pl.exceptions.ComputeError:
        return False
    except Exception:  # noqa: BLE001 - any other failure: let Python decide
        try:
            body.decode("utf-8")
            return True
        except UnicodeDecodeError:
            return False


def _decode(data: bytes) -> tuple[bytes, str, bool]:
    """UTF-8 bytes for polars, the detected encoding, and whether a few bytes were undecodable.

    UTF-8, UTF-8 with BOM, GB18030 ⊇ GBK, UTF-16 with BOM. A BOM that declares UTF-8 over GBK
    bytes (the declared and actual encodings differ) is read as GBK: the header row must then
    match the contract, which confirms the guess. A file with a few undecodable bytes is read with
    those bytes replaced by U+FFFD, in whichever encoding leaves fewer of them; the rows holding
    them are rejected later (`cell_undecodable`), never the whole file. One `bytes.decode` call per
    attempt, never per line. Raises UnicodeDecodeError when the bytes are no known text encoding.
    """
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16").encode("utf-8"), "utf-16", False
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    if _is_utf8(body):
        return body, ("utf-8-sig" if bom else "utf-8"), False
    declared = "（BOM 标称 UTF-8）" if bom else ""
    try:
        text = body.decode("gb18030")
        try:
            body.decode("gbk")
            enc = "gbk"
        except UnicodeDecodeError:
            enc = "gb18030"
        return text.encode("utf-8"), enc + declared, False
    except UnicodeDecodeError as strict_error:
        best = min(
            ((body.decode(e, errors="replace"), e) for e in ("gb18030", "utf-8")),
            key=lambda te: te[0].count("\ufffd"),
        )
        text, enc = best
        if text.count("\ufffd") > max(MAX_DAMAGED_CHARS, len(text) * MAX_DAMAGED_SHARE):
            raise strict_error
        return text.encode("utf-8"), ("gbk" if enc == "gb18030" else enc) + declared, True


def _frame_of_records(records: list[list[str]]) -> pl.DataFrame:
    """Records (lists of cells) → all-String frame c0…cN, `__row` (record number) and `__nfields`."""
    width = max((len(r) for r in records), default=0)
    cols = {f"c{j}": [(r[j] or None) if j < len(r) else None for r in records] for j in range(width)}
    frame = pl.DataFrame(cols, schema={k: pl.String for k in cols})
    return frame.with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int32) + 1).alias("__row"),
        pl.Series("__nfields", [len(r) for r in records], dtype=pl.Int32),
    )


def _read_csv(raw: RawFile, data: bytes) -> pl.DataFrame | None:
    """Every record of the file, header included, as text; `__row` is the record's spreadsheet row.

    The fast path is polars. A record with more fields than the first one (ragged rows, or a
    title line above the header) takes the slow path through the csv module, which counts the
    fields of every record so that none is cut to the header width.
    """
    try:
        body, enc, damaged = _decode(data)
    except UnicodeDecodeError:
        raw.fail("无法识别文件编码（不是 UTF-8、GBK 或 GB18030 文本）", "cannot decode the file as UTF-8, GBK or GB18030 text")
        return None
    raw.encoding = enc
    raw.encoding_damaged = damaged
    newline = body.find(b"\n")
    first_line = body if newline < 0 else body[:newline]
    separator = "\t" if enc == "utf-16" and b"\t" in first_line and b"," not in first_line else ","
    try:
        frame = pl.read_csv(
            io.BytesIO(body), infer_schema=False, has_header=False, separator=separator,
            truncate_ragged_lines=False, raise_if_empty=True,
        )
        frame = frame.rename({c: f"c{j}" for j, c in enumerate(frame.columns)})
        return frame.with_columns((pl.int_range(pl.len(), dtype=pl.Int32) + 1).alias("__row"))
    except Exception:  # noqa: BLE001 - ragged or odd: the slow path decides
        pass
    try:
        records = list(csv.reader(io.StringIO(body.decode("utf-8"), newline=""), delimiter=separator))
        if not records:
            raise ValueError("no records")
        return _frame_of_records(records)
    except Exception as exc:  # noqa: BLE001 - any parse problem is a file error, never a traceback
        raw.fail(f"不是可读取的 CSV 表格（{type(exc).__name__}）", f"not a readable CSV table: {exc}")
        return None


def _read_xlsx(raw: RawFile, data: bytes) -> pl.DataFrame | None:
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


def _blank(columns: list[str]) -> pl.Expr:
    return pl.all_horizontal(
        [pl.col(c).is_null() | (pl.col(c).str.strip_chars(" \t\r\n\u3000\xa0") == "") for c in columns]
    )


def _apply_header(raw: RawFile, records: pl.DataFrame, is_csv: bool) -> tuple[pl.DataFrame, list[str]]:
    """Find the header row, name the columns after it and keep the records below it.

    The header is the first of the first HEADER_SCAN_ROWS non-blank rows holding the most contract
    headers (title lines above it are not records). Row numbers stay the spreadsheet's. A CSV
    record with more fields than the header row gets its extra values in columns named
    「超出表头的第 k 列」 (kept in the raw record) and a `row_extra_fields` issue.
    """
    cells = [c for c in records.columns if c.startswith("c")]
    # the first HEADER_SCAN_ROWS non-blank rows: looked for among the first rows, the whole file only
    # when those are not enough
    head = records.head(HEADER_SCAN_ROWS * 100)
    scan = (head.filter(~_blank(cells)) if cells else head).head(HEADER_SCAN_ROWS)
    if scan.height < HEADER_SCAN_ROWS and head.height < records.height:
        scan = (records.filter(~_blank(cells)) if cells else records).head(HEADER_SCAN_ROWS)
    if scan.height == 0:
        return records.clear().select("__row"), []
    counts = [sum(_is_header_cell(v) for v in row) for row in scan.select(cells).iter_rows()]
    pick = counts.index(max(counts))
    header_row = int(scan["__row"][pick])
    raw.header_row = header_row
    header_cells = scan.select(cells).row(pick)
    width = len(cells)
    if is_csv and "__nfields" in records.columns:
        width = int(scan["__nfields"][pick])
    names: list[str] = []
    seen: set[str] = set()
    for j, value in enumerate(header_cells):
        name = (value or "").strip()
        if j >= width:
            name = f"超出表头的第 {j + 1} 列"
        elif not name:
            name = f"未命名列 {j + 1}"
        while name in seen:
            name = f"{name}（第 {j + 1} 列）"
        seen.add(name)
        names.append(name)
    body = records.slice(header_row)  # `__row` is the position + 1: the rows below the header, no copy
    rename = dict(zip(cells, names))
    body = body.rename(rename)
    # columns with neither a header nor any value are not part of the table
    empty = [n for j, n in enumerate(names) if (j >= width or not (header_cells[j] or "").strip())
             and body[n].is_null().all()]
    body = body.drop(empty)
    columns = [n for n in names if n not in empty]
    issues = []
    extra = [n for j, n in enumerate(names) if j >= width and n in columns]
    if extra:
        has_extra = pl.any_horizontal([pl.col(c).is_not_null() & (pl.col(c).str.strip_chars() != "") for c in extra])
        vals = pl.concat_str([pl.col(c) for c in extra], separator="，", ignore_nulls=True)
        issues.append(body.filter(has_extra).select(
            pl.col("__row"),
            pl.lit("row_extra_fields").alias("reason_code"),
            pl.format(f"该行有 {{}} 个字段，多于表头（第 {header_row} 行）的 {width} 列；多出的值「{{}}」无法对应到列，"
                      "整行退回（常见原因：数值或名称中含未加引号的逗号）", pl.col("__nfields"), vals).alias("reason"),
            pl.format(f"the row has {{}} fields, more than the {width} columns of the header (row {header_row}); "
                      "the extra values '{}' cannot be assigned to a column, the row is rejected "
                      "(often an unquoted comma in a number or a name)", pl.col("__nfields"), vals).alias("reason_en"),
            pl.lit(",".join(extra)).alias("column"),
        ))
    if issues:
        raw.row_issues = pl.concat(issues).cast(ISSUE_SCHEMA)
    return body.select(*columns, "__row"), columns


def _undecodable_issues(raw: RawFile) -> None:
    """Rows whose contract cells hold undecodable bytes (U+FFFD): one issue per cell."""
    parts = []
    for field_name, col in raw.header_map.items():
        hit = raw.frame.filter(pl.col(col).str.contains("\ufffd", literal=True))
        if hit.height:
            parts.append(hit.select(
                pl.col("__row"),
                pl.lit("cell_undecodable").alias("reason_code"),
                pl.format(f"列「{col}」的值「{{}}」含无法解码的字节（文件按 {raw.encoding} 读取，这些字节不是有效字符，"
                          "原值无法可靠还原），整行退回", pl.col(col)).alias("reason"),
                pl.format(f"column '{col}' value '{{}}' holds bytes that are not valid {raw.encoding} "
                          "(shown as U+FFFD); the original value cannot be recovered, the row is rejected",
                          pl.col(col)).alias("reason_en"),
                pl.lit(col).alias("column"),
            ))
    if parts:
        new = pl.concat(parts).cast(ISSUE_SCHEMA)
        raw.row_issues = new if raw.row_issues is None else pl.concat([raw.row_issues, new])


def read_output_file(path: Path, label: str | None = None) -> RawFile:
    """Read one data file (read-only) into a RawFile; problems become `file_error_*`, never exceptions.

    `label` names the file in messages (default: the file name).
    """
    path = Path(path)
    raw = RawFile(path=path, label=label)
    try:
        with path.open("rb") as fh:  # read-only: raw files are never modified, moved or deleted
            data = fh.read()
    except OSError as exc:
        return raw.fail(f"无法打开文件（{exc.strerror}）", f"cannot open the file: {exc}")
    if len(data) < _HASH_BESIDE_BYTES:
        raw.sha256 = hashlib.sha256(data).hexdigest()
        return _read_bytes(raw, data)
    # the sha256 of these very bytes, computed in a second thread while they are parsed (hashlib
    # releases the GIL on large buffers)
    digest = _hash_thread().submit(lambda: hashlib.sha256(data).hexdigest())
    try:
        return _read_bytes(raw, data)
    finally:
        raw.sha256 = digest.result()


_HASH_BESIDE_BYTES = 1 << 20
_HASHER: list = []


def _hash_thread():
    if not _HASHER:
        from concurrent.futures import ThreadPoolExecutor

        _HASHER.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="szei-sha256"))
    return _HASHER[0]


def _read_bytes(raw: RawFile, data: bytes) -> RawFile:
    path = raw.path
    suffix = path.suffix.lower()
    if not data or data.isspace():  # all ASCII whitespace (as `not data.strip()`, without the copy)
        return raw.fail("文件是空的", "the file is empty")
    if data.startswith(OLE_MAGIC) or suffix == ".xls":
        return raw.fail(
            "旧版 Excel（.xls）格式无法读取，请在 Excel 中另存为 .xlsx 或 CSV",
            "old Excel .xls format is not supported; save it as .xlsx or CSV",
        )
    is_csv = False
    if data.startswith(ZIP_MAGIC):
        records = _read_xlsx(raw, data)
    elif suffix == ".xlsx":
        return raw.fail("不是有效的 .xlsx 文件（文件内容不是 Excel 工作簿）", "not a valid .xlsx workbook")
    elif b"\x00" in data[:65536] and not data.startswith(UTF16_BOMS):
        return raw.fail("二进制文件，不是文本表格", "binary file, not a text table")
    else:
        is_csv = True
        records = _read_csv(raw, data)
    if records is None:
        return raw
    frame, columns = _apply_header(raw, records, is_csv)
    if columns:
        n_before = frame.height
        # a fully blank row is blank in its first column: when none is, there is nothing to remove
        if frame.select(_blank(columns[:1]).any()).item():
            frame = frame.filter(~_blank(columns))
        raw.rows_blank = n_before - frame.height
    raw.frame = frame
    map_headers(raw, columns)
    if raw.encoding_damaged and raw.frame is not None and not raw.file_error_zh:
        _undecodable_issues(raw)
    return raw

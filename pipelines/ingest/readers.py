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
            "不是数据表：第一行没有任何约定的列名（统计年度、累计期、单位代码……）",
            "not a data table: the first row holds none of the contract's headers (统计年度/year, 累计期/period, …)",
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


def _decode(data: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes for polars and the detected encoding (UTF-8, UTF-8 with BOM, GB18030 ⊇ GBK).

    One `bytes.decode` call for the whole file, never per line. Raises UnicodeDecodeError.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        body = data[3:]
        body.decode("utf-8")
        return body, "utf-8-sig"
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("gb18030")  # strict: raises when the bytes are not GBK/GB18030 either
    try:
        data.decode("gbk")
        enc = "gbk"
    except UnicodeDecodeError:
        enc = "gb18030"
    return text.encode("utf-8"), enc


def _read_csv(raw: RawFile, data: bytes) -> pl.DataFrame | None:
    try:
        body, enc = _decode(data)
    except UnicodeDecodeError:
        raw.fail("无法识别文件编码（不是 UTF-8、GBK 或 GB18030 文本）", "cannot decode the file as UTF-8, GBK or GB18030 text")
        return None
    raw.encoding = enc
    try:
        return pl.read_csv(
            io.BytesIO(body),
            infer_schema=False,
            has_header=True,
            truncate_ragged_lines=True,
            raise_if_empty=True,
        )
    except Exception as exc:  # noqa: BLE001 - any parse problem is a file error, never a traceback
        raw.fail(f"不是可读取的 CSV 表格（{type(exc).__name__}）", f"not a readable CSV table: {exc}")
        return None


def _read_xlsx(raw: RawFile, data: bytes) -> pl.DataFrame | None:
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
        frame = reader.load_sheet(sheet, header_row=0, dtypes="string").to_polars()
    except Exception as exc:  # noqa: BLE001
        raw.fail(f"无法读取 Excel 工作簿（{type(exc).__name__}）", f"cannot read the Excel workbook: {exc}")
        return None
    if frame.width == 0:
        raw.fail("工作表是空的", f"sheet '{raw.sheet}' is empty")
        return None
    # calamine returns typed cells as text already; make sure every column is String
    return frame.with_columns(pl.all().cast(pl.String))


def read_output_file(path: Path) -> RawFile:
    """Read one data file (read-only) into a RawFile; problems become `file_error_*`, never exceptions."""
    path = Path(path)
    raw = RawFile(path=path)
    try:
        with path.open("rb") as fh:  # read-only: raw files are never modified, moved or deleted
            data = fh.read()
    except OSError as exc:
        return raw.fail(f"无法打开文件（{exc.strerror}）", f"cannot open the file: {exc}")
    raw.sha256 = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if not data.strip():
        return raw.fail("文件是空的", "the file is empty")
    if data.startswith(OLE_MAGIC) or suffix == ".xls":
        return raw.fail(
            "旧版 Excel（.xls）格式无法读取，请在 Excel 中另存为 .xlsx 或 CSV",
            "old Excel .xls format is not supported; save it as .xlsx or CSV",
        )
    if data.startswith(ZIP_MAGIC):
        frame = _read_xlsx(raw, data)
    elif suffix == ".xlsx":
        return raw.fail("不是有效的 .xlsx 文件（文件内容不是 Excel 工作簿）", "not a valid .xlsx workbook")
    elif b"\x00" in data[:65536]:
        return raw.fail("二进制文件，不是文本表格", "binary file, not a text table")
    else:
        frame = _read_csv(raw, data)
    if frame is None:
        return raw
    columns = list(frame.columns)
    # spreadsheet row numbers: header = row 1, first record = row 2 (blank lines are kept by the reader)
    frame = frame.with_columns((pl.int_range(pl.len(), dtype=pl.Int32) + 2).alias("__row"))
    if columns:
        blank = pl.all_horizontal(
            [pl.col(c).is_null() | (pl.col(c).str.strip_chars(" \t\r\n\u3000\xa0") == "") for c in columns]
        )
        n_before = frame.height
        frame = frame.filter(~blank)
        raw.rows_blank = n_before - frame.height
    raw.frame = frame
    return map_headers(raw, columns)

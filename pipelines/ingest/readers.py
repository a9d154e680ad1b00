"""Read one output file as text, whatever its encoding or format; never modify it.

A file is opened read-only, hashed (sha256) and parsed into a polars DataFrame whose
columns are all `String` — parsing happens later, cell by cell, so that one bad cell
rejects one row and not the file. The header is mapped to the contract's fields
(Chinese headers and English aliases); the value header must carry its unit.

Anything that makes the whole file unreadable (binary, empty, not a table, an old `.xls`,
a missing required column, a value header without a unit) is returned as a `RawFile`
with `file_error_zh` / `file_error_en` set — never raised — so that the caller can record
it in the file summary and still quarantine any readable rows.

The jobs live beside this module: `headers` (the header row and units), `encoding` (text
encodings, undecodable bytes), `xlsx` (workbooks); `rawfile` holds `RawFile`.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import polars as pl

from pipelines.ingest.encoding import UTF16_BOMS, decode, undecodable_issues
from pipelines.ingest.headers import apply_header, blank, map_headers
from pipelines.ingest.rawfile import RawFile
from pipelines.ingest.xlsx import read_xlsx

DATA_SUFFIXES = (".csv", ".xlsx", ".xls")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


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
        body, enc, damaged = decode(data)
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
        records = read_xlsx(raw, data)
    elif suffix == ".xlsx":
        return raw.fail("不是有效的 .xlsx 文件（文件内容不是 Excel 工作簿）", "not a valid .xlsx workbook")
    elif b"\x00" in data[:65536] and not data.startswith(UTF16_BOMS):
        return raw.fail("二进制文件，不是文本表格", "binary file, not a text table")
    else:
        is_csv = True
        records = _read_csv(raw, data)
    if records is None:
        return raw
    frame, columns = apply_header(raw, records, is_csv)
    if columns:
        n_before = frame.height
        # a fully blank row is blank in its first column: when none is, there is nothing to remove
        if frame.select(blank(columns[:1]).any()).item():
            frame = frame.filter(~blank(columns))
        raw.rows_blank = n_before - frame.height
    raw.frame = frame
    map_headers(raw, columns)
    if raw.encoding_damaged and raw.frame is not None and not raw.file_error_zh:
        undecodable_issues(raw)
    return raw

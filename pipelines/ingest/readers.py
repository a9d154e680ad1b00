"""Read one output file as text, whatever its encoding or format; never modify it.

A file is opened read-only, hashed (sha256) and parsed into a polars DataFrame whose
columns are all `String` — parsing happens later, cell by cell, so that one bad cell
rejects one row and not the file. The header is mapped to the contract's fields
(Chinese headers and English aliases); the value header must carry its unit.

Text tables are read whatever their separator (`,` tab `;` `|`, found from the header row) and
line ends (LF, CRLF, CR alone); a `.gz` is unpacked and read as the file it holds.

Anything that makes the whole file unreadable (binary, empty, not a table, an old `.xls`, a zip
archive, a damaged workbook, a missing required column, a value header without a unit) is returned as a `RawFile`
with `file_error_zh` / `file_error_en` set — never raised — so that the caller can record
it in the file summary and still quarantine any readable rows.

The jobs live beside this module: `headers` (the header row and units), `encoding` (text
encodings, undecodable bytes), `xlsx` (workbooks); `rawfile` holds `RawFile`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import threading
from pathlib import Path

import polars as pl

from pipelines.ingest.encoding import UTF16_BOMS, MixedEncodingError, decode, looks_utf16, undecodable_issues
from pipelines.ingest.headers import HEADER_SCAN_ROWS, apply_header, blank, is_header_cell, map_headers
from pipelines.ingest.inventory import suffix_of
from pipelines.ingest.rawfile import RawFile
from pipelines.ingest.xlsx import read_xlsx, zip_kind

NO_RECORDS_WARNING = ("file_no_records", "文件只有表头，没有数据行；如这是要报送的数据，请核对后重新报送",
                      "the file holds a header and no data rows; if it is meant as a delivery, check it and send it again")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
GZIP_MAGIC = b"\x1f\x8b"
ARCHIVE_MAGIC = (b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07")
# a .gz larger than this once unpacked is not read (a delivery is ~100 MB; this guards the memory)
MAX_GUNZIPPED_BYTES = 4 << 30


def _frame_of_records(records: list[list[str]]) -> pl.DataFrame:
    """Records (lists of cells) → all-String frame c0…cN, `__row` (record number) and `__nfields`."""
    width = max((len(r) for r in records), default=0)
    cols = {f"c{j}": [(r[j] or None) if j < len(r) else None for r in records] for j in range(width)}
    frame = pl.DataFrame(cols, schema={k: pl.String for k in cols})
    return frame.with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int32) + 1).alias("__row"),
        pl.Series("__nfields", [len(r) for r in records], dtype=pl.Int32),
    )


SEPARATORS = (",", "\t", ";", "|")  # in order of preference when they tie


def _unix_newlines(raw: RawFile, body: bytes) -> bytes:
    """CR-only line ends ("CSV (Macintosh)", old Mac programs) and mixtures of CR and CRLF become LF.

    Counting is two C-level passes; the copy is made only when a bare CR is present."""
    if b"\r" not in body:
        return body
    crs, crlfs = body.count(b"\r"), body.count(b"\r\n")
    if crs == crlfs:
        return body  # plain CRLF: polars and the csv module read it as it is
    raw.line_endings = "CR" if crlfs == 0 and b"\n" not in body else "mixed"
    return body.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def sniff_separator(body: bytes) -> str:
    """The field separator: the one that splits some line among the first non-blank ones into the
    most contract headers (`,` tab `;` `|`; a tie goes to the earlier one). Nothing is guessed from
    data rows: without a recognisable header the file is comma-separated (and then not a table)."""
    head = body[:65536].decode("utf-8", errors="replace")
    lines = [ln for ln in head.split("\n")[:HEADER_SCAN_ROWS * 3] if ln.strip()][:HEADER_SCAN_ROWS]
    best, best_score = ",", 0
    for sep in SEPARATORS:
        score = max((sum(is_header_cell(c.strip().strip('"')) for c in ln.split(sep)) for ln in lines), default=0)
        if score > best_score:
            best, best_score = sep, score
    return best


def _read_csv(raw: RawFile, data: bytes) -> pl.DataFrame | None:
    """Every record of the file, header included, as text; `__row` is the record's spreadsheet row.

    The fast path is polars. A record with more fields than the first one (ragged rows, or a
    title line above the header) takes the slow path through the csv module, which counts the
    fields of every record so that none is cut to the header width.
    """
    try:
        body, enc, damaged = decode(data)
    except MixedEncodingError as mixed:
        raw.fail(f"文件混用了两种编码：{mixed.lines} 行中有 {mixed.damaged} 行不是 UTF-8（第一处在第 {mixed.first} 行，"
                 "可能是从 GBK 文件粘贴的），太多而无法逐行退回；请统一另存为 UTF-8 或 GBK 后重新报送",
                 f"the file mixes two encodings: {mixed.damaged} of {mixed.lines} lines are not UTF-8 (the first: "
                 f"line {mixed.first}, perhaps pasted from a GBK file), too many to reject line by line; save it "
                 "in one encoding")
        return None
    except UnicodeDecodeError:
        raw.fail("无法识别文件编码（不是 UTF-8、GBK 或 GB18030 文本）", "cannot decode the file as UTF-8, GBK or GB18030 text")
        return None
    raw.encoding = enc
    raw.encoding_damaged = damaged
    if not body or body.isspace():  # without the copy `strip()` would make of a large file
        raw.fail("文件是空的（只有字节顺序标记或空白）", "the file is empty (a byte-order mark or blanks only)")
        return None
    body = _unix_newlines(raw, body)
    separator = sniff_separator(body)
    raw.separator = separator
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


def _read_gzip(raw: RawFile, data: bytes) -> RawFile:
    """A gzip-compressed file (`x.csv.gz`): unpacked in memory and read as the file it holds."""
    import gzip
    import zlib

    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            inner = gz.read(MAX_GUNZIPPED_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        return raw.fail(f"gzip 压缩文件已损坏，无法解压（{exc}）", f"the gzip file is damaged and cannot be unpacked: {exc}")
    if len(inner) > MAX_GUNZIPPED_BYTES:
        return raw.fail(f"解压后超过 {MAX_GUNZIPPED_BYTES >> 30} GB，不予读取", f"larger than {MAX_GUNZIPPED_BYTES >> 30} GB unpacked; not read")
    if inner.startswith(GZIP_MAGIC):
        return raw.fail("gzip 文件中又是 gzip 压缩文件，不予读取", "a gzip file inside a gzip file; not read")
    name = raw.path.name
    inner_suffix = suffix_of(name[:-3]) if name.lower().endswith(".gz") else ""
    _read_bytes(raw, inner, inner_suffix)
    raw.encoding = f"gzip+{raw.encoding}" if raw.encoding else "gzip"
    return raw


def read_output_file(path: Path, label: str | None = None) -> RawFile:
    """Read one data file (read-only) into a RawFile; problems become `file_error_*`, never exceptions.

    `label` names the file in messages (default: the file name).
    """
    path = Path(path)
    raw = RawFile(path=path, label=label)
    try:
        if not path.is_file():  # a pipe or a device: opening it could block for ever
            return raw.fail("不是普通文件（设备、管道或文件夹），无法读取", "not a regular file (device, pipe or folder)")
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
_HASHER_LOCK = threading.Lock()


def _hash_thread():
    if not _HASHER:
        from concurrent.futures import ThreadPoolExecutor

        with _HASHER_LOCK:  # files are read by several threads at once (validation/core.py read_workers)
            if not _HASHER:
                _HASHER.append(ThreadPoolExecutor(max_workers=2, thread_name_prefix="szei-sha256"))
    return _HASHER[0]


def _read_bytes(raw: RawFile, data: bytes, suffix: str | None = None) -> RawFile:
    path = raw.path
    suffix = suffix if suffix is not None else suffix_of(path.name)
    if not data or data.isspace():  # all ASCII whitespace (as `not data.strip()`, without the copy)
        return raw.fail("文件是空的", "the file is empty")
    if data.startswith(GZIP_MAGIC):
        return _read_gzip(raw, data)
    if data.startswith(OLE_MAGIC) or suffix == ".xls":
        if suffix in (".xls", ".csv", ".txt", ".tsv"):
            return raw.fail(
                "旧版 Excel（.xls）格式无法读取，请在 Excel 中另存为 .xlsx 或 CSV",
                "old Excel .xls format is not supported; save it as .xlsx or CSV",
            )
        return raw.fail(
            "旧版 Excel（.xls）、WPS 表格（.et）或设有打开密码的工作簿无法读取，请另存为不加密的 .xlsx 或 CSV",
            "an old Excel (.xls), WPS (.et) or password-protected workbook cannot be read; save it as an "
            "unencrypted .xlsx or CSV",
        )
    if data.startswith(ARCHIVE_MAGIC):
        return raw.fail("压缩包（.7z/.rar）不会自动解压：请解压后把其中的数据文件放入 output/",
                        "an archive (.7z/.rar) is not unpacked: unpack it and put its data files in output/")
    is_csv = False
    if data.startswith(ZIP_MAGIC):
        why = zip_kind(data)
        if why is not None:
            return raw.fail(*why)
        records = read_xlsx(raw, data)
    elif suffix in (".xlsx", ".xlsm"):
        return raw.fail("不是有效的 .xlsx 文件（文件内容不是 Excel 工作簿）", "not a valid .xlsx workbook")
    elif suffix in (".zip", ".ods", ".xlsb", ".numbers", ".et", ".ett", ".7z", ".rar"):
        return raw.fail(f"文件内容不是可读取的格式（扩展名 {suffix}），请另存为 .xlsx 或 CSV",
                        f"the content is not a readable format (extension {suffix}); save it as .xlsx or CSV")
    elif b"\x00" in data[:65536] and not data.startswith(UTF16_BOMS) and not looks_utf16(data):
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
    if raw.not_a_table and raw.hidden_sheets_with_header:
        # the real cause: the table is on a sheet that is hidden (hidden sheets are never read)
        shown = "、".join(f"「{n}」" for n in raw.hidden_sheets_with_header)
        raw.file_error_zh += f"；数据表头在被隐藏的工作表 {shown} 上，隐藏的工作表不读取：如它就是要报送的数据，请在 Excel 中取消隐藏后重新报送"
        raw.file_error_en += (f"; the data header is on hidden sheet(s) {', '.join(raw.hidden_sheets_with_header)}, "
                              "and hidden sheets are not read: unhide it if it is the delivery")
    if raw.encoding_damaged and raw.frame is not None and not raw.file_error_zh:
        undecodable_issues(raw)
    if raw.recognised and not raw.file_error_zh and raw.frame is not None and raw.frame.height == 0:
        raw.file_warnings.append(NO_RECORDS_WARNING)  # nothing wrong to reject, but a delivery of nothing
    return raw

"""Which text encoding a CSV file is in, and the rows holding bytes that cannot be decoded."""

from __future__ import annotations

import polars as pl

from pipelines.ingest.rawfile import ISSUE_SCHEMA, RawFile

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# a file whose undecodable bytes exceed this share of its characters is not text in a known encoding
MAX_DAMAGED_SHARE = 0.01
MAX_DAMAGED_CHARS = 20  # …or, in a small file, this many


def is_utf8(body: bytes) -> bool:
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


def looks_utf16(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' for UTF-16 text without a BOM (some tools write it so): NUL bytes
    only at odd (LE) or only at even (BE) positions, for a good share of the first 4 KB."""
    head = data[:4096]
    if len(head) < 8:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    pairs = len(head) // 2
    if odd >= pairs // 10 and even == 0:
        return "utf-16-le"
    if even >= pairs // 10 and odd == 0:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[bytes, str, bool]:
    """UTF-8 bytes for polars, the detected encoding, and whether a few bytes were undecodable.

    UTF-8, UTF-8 with BOM, GB18030 ⊇ GBK, UTF-16 with or without BOM. A UTF-8 file with a few
    lines in another encoding is UTF-8 with those lines damaged (see `_utf8_with_stray_lines`). A BOM that declares UTF-8 over GBK
    bytes (the declared and actual encodings differ) is read as GBK: the header row must then
    match the contract, which confirms the guess. A file with a few undecodable bytes is read with
    those bytes replaced by U+FFFD, in whichever encoding leaves fewer of them; the rows holding
    them are rejected later (`cell_undecodable`), never the whole file. One `bytes.decode` call per
    attempt, never per line. Raises UnicodeDecodeError when the bytes are no known text encoding.
    """
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16", errors="replace").encode("utf-8"), "utf-16", False
    bare16 = looks_utf16(data)
    if bare16:
        return data.decode(bare16, errors="replace").encode("utf-8"), bare16, False
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    if is_utf8(body):
        return body, ("utf-8-sig" if bom else "utf-8"), False
    stray = _utf8_with_stray_lines(body)
    if stray is not None:
        return stray, ("utf-8-sig" if bom else "utf-8"), True
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


# a UTF-8 file may hold up to this many lines (or this share) in another encoding, fewer than its
# UTF-8 lines (a line pasted from a GBK file): those lines are rejected as rows; more, and the file is
# rejected as mixing encodings
MAX_STRAY_LINE_SHARE = 0.01
MAX_STRAY_LINES = 20


def _utf8_with_stray_lines(body: bytes) -> bytes | None:
    """A UTF-8 file with a few lines in another encoding (GBK pasted in): UTF-8 with those lines'
    bad bytes as U+FFFD, so that the rows are rejected (`cell_undecodable`) and not the file.

    Line by line (as polars string tests): lines with non-ASCII text that is valid UTF-8 vs lines
    holding undecodable bytes. GBK text is almost never valid UTF-8, so a GBK file has no such
    valid lines and goes on to the GBK reading. Raises MixedEncodingError when both kinds are
    there in numbers (a file pasted together from two encodings): too many lines to reject one by one.
    """
    text = body.decode("utf-8", errors="replace")
    lines = pl.Series(text.split("\n"), dtype=pl.String)
    bad = lines.str.contains("\ufffd", literal=True)
    good = lines.str.contains(r"[^\x00-\x7f]") & ~bad
    n_bad, n_good = int(bad.sum()), int(good.sum())
    if n_good == 0:
        return None
    few = n_bad <= max(MAX_STRAY_LINES, lines.len() * MAX_STRAY_LINE_SHARE) and n_bad < n_good
    if few:
        return text.encode("utf-8")
    if n_good >= max(2, (n_good + n_bad) * 0.1):  # a tenth of the lines UTF-8, more than chance in GBK text
        raise MixedEncodingError(n_bad, lines.len(), int(bad.arg_max()) + 1)
    return None


class MixedEncodingError(ValueError):
    """A UTF-8 file with too many lines in another encoding to reject them one by one."""

    def __init__(self, damaged: int, lines: int, first: int):
        super().__init__(f"{damaged} of {lines} lines are not UTF-8 (the first: line {first})")
        self.damaged, self.lines, self.first = damaged, lines, first


def undecodable_issues(raw: RawFile) -> None:
    """Rows whose contract cells hold undecodable bytes (U+FFFD): one issue per cell."""
    parts = []
    for col in raw.header_map.values():
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

"""dq_file_summary: one row per entry of the output folder — read, rejected whole or ignored, and why —
with its row accounting (rows_read = rows_accepted + rows_rejected)."""

from __future__ import annotations

import polars as pl

from pipelines.ingest import RawFile
from pipelines.ingest.inventory import suffix_of
from pipelines.ingest.text import display_name

SUMMARY_SCHEMA = {
    "source_file": pl.String, "sha256": pl.String, "encoding": pl.String, "sheet": pl.String,
    "value_unit": pl.String, "is_revision": pl.Boolean, "rows_read": pl.Int64, "rows_accepted": pl.Int64,
    "rows_rejected": pl.Int64, "rows_warned": pl.Int64, "rows_replaced": pl.Int64, "file_error": pl.String,
    "file_error_en": pl.String, "error_column": pl.String, "rows_blank": pl.Int64, "source_path": pl.String,
    "status": pl.String, "status_reason": pl.String, "status_reason_en": pl.String,
}
# dq_file_summary.status: every entry under output/ is one of these
STATUS_READ, STATUS_REJECTED, STATUS_IGNORED = "read", "rejected", "ignored"


def file_status(raw: RawFile) -> tuple[str, str | None, str | None]:
    """read / rejected (with the file error) / ignored (a .txt that holds no table: a note, not a delivery)."""
    if not raw.file_error_zh:
        return STATUS_READ, None, None
    if raw.not_a_table and suffix_of(raw.path.name) == ".txt":
        return (STATUS_IGNORED, "文本文件中没有约定的列名（统计年度、累计期、单位代码……），不是数据表，不读取",
                "a text file without any contract header (统计年度/year, 累计期/period, …): not a data table, not read")
    return STATUS_REJECTED, raw.file_error_zh, raw.file_error_en


def file_summary(raws, rows_read, quarantine, accepted, replaced, warnings, skipped=()) -> pl.DataFrame:
    def counts(df: pl.DataFrame, col: str, by: str = "file_idx") -> dict[int, int]:
        if df.height == 0:
            return {}
        return dict(df.group_by(by).agg(pl.len().alias(col)).iter_rows())

    n_rejected = counts(quarantine, "n")

    def by_name(df: pl.DataFrame) -> dict:
        return counts(df, "n", "source_file") if df.height else {}

    n_acc = by_name(accepted)
    n_repl = by_name(replaced)
    row_warnings = warnings.filter(pl.col("source_row").is_not_null())  # not the file-level ones
    n_warned = by_name(row_warnings.unique(["source_file", "source_row"])) if row_warnings.height else {}
    records = []
    for i, raw in enumerate(raws):
        read = rows_read[i]  # the file's records; a file that is not a table at all has none
        rejected = n_rejected.get(i, 0)
        status, why, why_en = file_status(raw)
        records.append({
            "source_file": raw.name,
            "sha256": raw.sha256,
            "encoding": raw.encoding,
            "sheet": raw.sheet,
            "value_unit": raw.value_unit,
            "is_revision": raw.is_revision,
            "rows_read": read,
            "rows_accepted": 0 if raw.file_error_zh else n_acc.get(raw.name, 0) + n_repl.get(raw.name, 0),
            "rows_rejected": rejected,
            "rows_warned": n_warned.get(raw.name, 0),
            "rows_replaced": n_repl.get(raw.name, 0),
            "file_error": raw.file_error_zh if status == STATUS_REJECTED else None,
            "file_error_en": raw.file_error_en if status == STATUS_REJECTED else None,
            "error_column": raw.error_column if status == STATUS_REJECTED else None,
            "rows_blank": raw.rows_blank,
            "source_path": display_name(str(raw.path)),
            "status": status, "status_reason": why, "status_reason_en": why_en,
        })
    for e in skipped:
        records.append({
            "source_file": e.label, "is_revision": False, "rows_read": 0, "rows_accepted": 0, "rows_rejected": 0,
            "rows_warned": 0, "rows_replaced": 0, "rows_blank": 0, "source_path": display_name(str(e.path)),
            "file_error": e.reason_zh if e.status == STATUS_REJECTED else None,
            "file_error_en": e.reason_en if e.status == STATUS_REJECTED else None,
            "status": e.status, "status_reason": e.reason_zh, "status_reason_en": e.reason_en,
        })
    return pl.DataFrame(records, schema=SUMMARY_SCHEMA)

"""One delivered file as read (`RawFile`): its text cells and what is known about the file.

The bottom of `pipelines.ingest`: the other modules fill a RawFile (headers, encoding, xlsx) and
`readers.read_output_file` returns it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.ingest.text import display_name, visible_text

REVISION_MARK = "修订"

# unit of the value header → factor to 万元
UNIT_FACTORS: dict[str, float] = {"万元": 1.0, "千元": 0.1, "元": 0.0001, "亿元": 10000.0}

ISSUE_SCHEMA = {"__row": pl.Int32, "reason_code": pl.String, "reason": pl.String, "reason_en": pl.String,
                "column": pl.String}
# reasons found while reading (see RawFile.row_issues): code → (Chinese title, English title)
READ_REASONS = {
    "row_extra_fields": ("该行字段数多于表头（值无法对应到列）", "more fields than the header (values cannot be assigned)"),
    "cell_undecodable": ("单元格含无法解码的字节", "the cell holds bytes that cannot be decoded"),
}


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
    # column name → its header cell as written, for the columns whose name differs (a header written twice
    # is named 「…（第 N 列）」 the second time, but is judged by what it says)
    header_texts: dict[str, str] = field(default_factory=dict)
    rows_blank: int = 0
    recognised: bool = False  # at least one contract header found: the rows are records
    separator: str | None = None  # a text file's field separator (`,` tab `;` `|`)
    line_endings: str | None = None  # 'CR' (CSV (Macintosh)) or 'mixed' when bare CRs were read as line ends
    not_a_table: bool = False
    # warnings about the whole file, kept with it: (code, Chinese, English), e.g. a hidden sheet
    file_warnings: list = field(default_factory=list)
    hidden_rows: list = field(default_factory=list)  # spreadsheet rows hidden in Excel (warned, still read)
    # sheets read as a table but with no contract header near the top; named when the sheet read holds no table
    hidden_sheets_with_header: list = field(default_factory=list)
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
        return self.label or display_name(self.path.name)

    @property
    def is_revision(self) -> bool:
        return REVISION_MARK in display_name(self.path.name)

    @property
    def factor(self) -> float:
        return UNIT_FACTORS.get(self.value_unit or "万元", 1.0)

    def fail(self, zh: str, en: str, column: str | None = None) -> RawFile:
        row = f" 第 {self.header_row} 行（表头）" if column and self.header_row else ""
        row_en = f", row {self.header_row} (header)" if column and self.header_row else ""
        where = f"文件 {self.name}{row}" + (f" 列「{column}」" if column else "")
        where_en = f"file {self.name}{row_en}" + (f", column '{column}'" if column else "")
        # text from the file (its name, a header) shows its invisible characters as U+XXXX
        self.file_error_zh = visible_text(display_name(f"{where}：{zh}"))
        self.file_error_en = visible_text(display_name(f"{where_en}: {en}"))
        self.error_column = column
        return self

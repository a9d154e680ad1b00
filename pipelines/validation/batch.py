"""What a validation returns (`OutputBatch`) and the shapes of its frames."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from pipelines.validation.gate import GATE_SCHEMA
from pipelines.validation.summary import STATUS_READ

ACCEPTED_COLUMNS = [
    "source_file", "source_row", "year", "ytd_months", "period_label", "unit_code", "unit_name",
    "industry", "reg_district", "output_district", "ytd_value_wan", "normalized", "target_unit",
]
QUARANTINE_SCHEMA = {
    "source_file": pl.String, "source_row": pl.Int32, "reasons": pl.String, "reasons_en": pl.String,
    "columns": pl.String, "raw": pl.String, "reason_codes": pl.String,
}
REASONS_SCHEMA = {
    "source_file": pl.String, "source_row": pl.Int32, "reason_code": pl.String, "reason": pl.String,
    "column": pl.String, "reason_en": pl.String,
}

# Text columns of the kept rows held as Categorical (4 bytes a row, each distinct value once): across
# 13 files of ~0.8M rows the same enterprises, districts and periods repeat on every row.
COMPACT = ("period_label", "unit_code", "unit_name", "industry", "reg_district", "output_district")


def as_text(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(pl.col(c).cast(pl.String) for c, t in df.schema.items() if t == pl.Categorical)


def compact(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(pl.col(c).cast(pl.Categorical) for c in COMPACT if c in df.columns)


@dataclass
class OutputBatch:
    """The result of validating a set of output files (see docs/interfaces.md)."""

    records: pl.DataFrame  # the accepted records as held: repeated text columns Categorical (see `accepted`)
    replaced: pl.DataFrame
    quarantine: pl.DataFrame
    quarantine_reasons: pl.DataFrame
    warnings: pl.DataFrame
    file_summary: pl.DataFrame
    # the publication gate's findings (pipelines.validation.gate): blocking ones stop publication
    gate: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=GATE_SCHEMA))

    @property
    def accepted(self) -> pl.DataFrame:
        """The accepted records, text columns as String (built on each access from `records`; the marts
        read `records` directly, DuckDB sees the same VARCHAR values)."""
        return as_text(self.records)

    @property
    def has_file_errors(self) -> bool:
        return self.file_summary["file_error"].is_not_null().any()

    @property
    def rows_rejected(self) -> int:
        return self.quarantine.height

    @property
    def files_not_read(self) -> pl.DataFrame:
        """The files rejected whole or ignored, with why (source_file, status, status_reason, status_reason_en)."""
        return self.file_summary.filter(pl.col("status") != STATUS_READ).select(
            "source_file", "status", "status_reason", "status_reason_en")

"""Hand-made validated batches for testing the SQL models without reading files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl

from pipelines.marts import RunParams

ACCEPTED_SCHEMA = {
    "source_file": pl.String, "source_row": pl.Int32, "year": pl.Int32, "ytd_months": pl.Int32,
    "period_label": pl.String, "unit_code": pl.String, "unit_name": pl.String, "industry": pl.String,
    "reg_district": pl.String, "output_district": pl.String, "ytd_value_wan": pl.Float64, "normalized": pl.String,
}


@dataclass
class Batch:
    accepted: pl.DataFrame
    replaced: pl.DataFrame
    quarantine: pl.DataFrame
    quarantine_reasons: pl.DataFrame
    warnings: pl.DataFrame
    file_summary: pl.DataFrame


def records(rows: list[tuple]) -> pl.DataFrame:
    """rows: (year, ytd_months, unit_code, industry, reg_district, output_district, ytd_value_wan)."""
    frame = pl.DataFrame(
        [
            {
                "source_file": f"{y}_1-{m}月.csv", "source_row": i + 2, "year": y, "ytd_months": m,
                "period_label": f"1-{m}月", "unit_code": code, "unit_name": f"企业{code[-4:]}",
                "industry": ind, "reg_district": reg, "output_district": out, "ytd_value_wan": float(v),
                "normalized": None,
            }
            for i, (y, m, code, ind, reg, out, v) in enumerate(rows)
        ],
        schema=ACCEPTED_SCHEMA,
    )
    return frame


def batch_of(accepted: pl.DataFrame) -> Batch:
    files = accepted.group_by("source_file").len().sort("source_file")
    summary = files.select(
        "source_file",
        pl.lit("0" * 64).alias("sha256"),
        pl.lit("utf-8").alias("encoding"),
        pl.lit(None, pl.String).alias("sheet"),
        pl.lit("万元").alias("value_unit"),
        pl.lit(False).alias("is_revision"),
        pl.col("len").cast(pl.Int64).alias("rows_read"),
        pl.col("len").cast(pl.Int64).alias("rows_accepted"),
        pl.lit(0, pl.Int64).alias("rows_rejected"),
        pl.lit(0, pl.Int64).alias("rows_warned"),
        pl.lit(0, pl.Int64).alias("rows_replaced"),
        pl.lit(None, pl.String).alias("file_error"),
        pl.lit("read").alias("status"),
        pl.lit(None, pl.String).alias("status_reason"),
        pl.lit(None, pl.String).alias("status_reason_en"),
    )
    return Batch(
        accepted=accepted,
        replaced=accepted.clear().with_columns(pl.lit(None, pl.String).alias("replaced_by_file")),
        quarantine=pl.DataFrame(schema={"source_file": pl.String, "source_row": pl.Int32, "reasons": pl.String,
                                        "reasons_en": pl.String, "columns": pl.String, "raw": pl.String}),
        quarantine_reasons=pl.DataFrame(schema={"source_file": pl.String, "source_row": pl.Int32,
                                                "reason_code": pl.String, "reason": pl.String, "column": pl.String}),
        warnings=pl.DataFrame(schema={"source_file": pl.String, "source_row": pl.Int32, "year": pl.Int32,
                                      "ytd_months": pl.Int32, "unit_code": pl.String, "industry": pl.String,
                                      "output_district": pl.String, "warning_code": pl.String,
                                      "message": pl.String, "message_en": pl.String}),
        file_summary=summary,
    )


def params(run_id: str = "test-run", rank_cap: float = 1.2) -> RunParams:
    return RunParams(run_id=run_id, built_at=datetime(2013, 1, 15, 9), is_synthetic=False,
                     szei_version="test", rank_cap=rank_cap)

"""The bundled sample with unit slips, falling YTD values, a duplicate file and two revisions at once:
everything is accounted for and warned, nothing crashes (a polars 2.1 panic in the warnings step
was found on such a set)."""

from __future__ import annotations

import shutil

import polars as pl

from pipelines.reference import load_reference
from pipelines.validation import list_output_files, validate_output_files
from tests.conftest import ROOT, TARGETS_DIR

VALUE = "本年累计产值（万元）"


def test_mixed_faults_are_warned_and_accounted_for(tmp_path):
    out = tmp_path / "output"
    shutil.copytree(ROOT / "data" / "raw" / "output", out)
    q3 = pl.read_csv(out / "2012_1-9月.csv", infer_schema=False)
    n = q3.height
    slipped = q3.with_columns(
        pl.when(pl.int_range(n) % 50 == 0).then(pl.col(VALUE).cast(pl.Float64) * 20)
        .when(pl.int_range(n) % 50 == 1).then(pl.col(VALUE).cast(pl.Float64) / 20)
        .otherwise(pl.col(VALUE).cast(pl.Float64)).cast(pl.String).alias(VALUE)
    )
    slipped.write_csv(out / "2012_1-9月.csv")
    year_end = pl.read_csv(out / "2012_1-12月.csv", infer_schema=False)
    copies = year_end.head(60).with_columns(
        pl.when(pl.int_range(60) % 2 == 0).then(pl.col(VALUE))
        .otherwise((pl.col(VALUE).cast(pl.Float64) + 1).cast(pl.String)).alias(VALUE)
    )
    copies.write_csv(out / "2012_1-12月_b.csv")
    year_end.slice(100, 30).with_columns(
        (pl.col(VALUE).cast(pl.Float64) * 0.5).cast(pl.String).alias(VALUE)
    ).write_csv(out / "2011_1-12月_修订.csv")

    batch = validate_output_files(list_output_files(out), load_reference(TARGETS_DIR))

    summary = batch.file_summary
    assert (summary["rows_read"] == summary["rows_accepted"] + summary["rows_rejected"]).all()
    codes = set(batch.warnings["warning_code"])
    assert {"unit_slip", "ytd_decrease"} <= codes
    reasons = set(batch.quarantine_reasons["reason_code"])
    assert {"duplicate_exact", "duplicate_conflict"} <= reasons
    # the revision halves 30 year-end values: they replace the originals and fall below 1-9月
    assert summary.filter(pl.col("source_file") == "2012_1-12月.csv")["rows_replaced"].item() >= 30

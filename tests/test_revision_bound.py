"""A revision row above the per-enterprise bound is rejected like any other bad row: it replaces nothing, and
the record it would have replaced stays in force (before, the bound was judged after the revisions, so the
rejected revision had already taken its base record out: the enterprise vanished from the period). A base
record above the bound that a valid revision corrects is still replaced, not rejected."""

from __future__ import annotations

import polars as pl

from pipelines.reference import load_reference
from pipelines.validation import list_output_files, validate_output_files
from tests.conftest import TARGETS_DIR

VALUE = "本年累计产值（万元）"
CODE = "单位代码"
KEY = [CODE, "产业类别", "产值发生地"]  # the record's key as the sample's revision rows differ
REVISION = "2012_1-12月_修订.csv"
BASE = "2012_1-12月.csv"
TOO_LARGE = "990000000000"


def _validate(out):
    return validate_output_files(list_output_files(out), load_reference(TARGETS_DIR), root=out)


def _same_key(row: dict) -> pl.Expr:
    return pl.all_horizontal(pl.col(k).eq_missing(row[k]) for k in KEY)


def _records_of(batch, row: dict) -> pl.DataFrame:
    """The 2012 1-12月 records of the key of `row` (a revision row): enterprise, industry, place of output."""
    return batch.accepted.filter((pl.col("unit_code") == row[CODE]) & (pl.col("industry") == row["产业类别"])
                                 & pl.col("output_district").eq_missing(row["产值发生地"] or None)
                                 & (pl.col("year") == 2012) & (pl.col("ytd_months") == 12))


def test_a_revision_above_the_bound_leaves_the_base_record_in_force(output_copy):
    out = output_copy
    revision = pl.read_csv(out / REVISION, infer_schema=False)
    row = revision.row(0, named=True)
    revision.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(TOO_LARGE))
                          .otherwise(pl.col(VALUE)).alias(VALUE)).write_csv(out / REVISION)
    base_value = float(pl.read_csv(out / BASE, infer_schema=False).filter(_same_key(row))[VALUE].item())

    batch = _validate(out)

    rejected = batch.quarantine_reasons.filter(pl.col("reason_code") == "value_above_bound")
    assert rejected.select("source_file", "source_row").rows() == [(REVISION, 2)]
    in_force = _records_of(batch, row)
    assert in_force.select("source_file", "ytd_value_wan").rows() == [(BASE, base_value)]
    assert batch.replaced.filter(pl.col("unit_code") == row[CODE]).height == 0
    # the other revision rows still replace their base records
    assert batch.replaced.height == revision.height - 1
    summary = batch.file_summary
    assert (summary["rows_read"] == summary["rows_accepted"] + summary["rows_rejected"]).all()


def test_a_base_record_above_the_bound_that_a_revision_corrects_is_replaced_not_rejected(output_copy):
    out = output_copy
    revision = pl.read_csv(out / REVISION, infer_schema=False)
    row = revision.row(0, named=True)
    base = pl.read_csv(out / BASE, infer_schema=False)
    assert base.filter(_same_key(row)).height == 1
    base.with_columns(pl.when(_same_key(row)).then(pl.lit(TOO_LARGE))
                      .otherwise(pl.col(VALUE)).alias(VALUE)).write_csv(out / BASE)

    batch = _validate(out)

    assert batch.quarantine_reasons.filter(pl.col("reason_code") == "value_above_bound").height == 0
    assert _records_of(batch, row).select("source_file", "ytd_value_wan").rows() == [
        (REVISION, float(row[VALUE]))]
    assert batch.replaced.filter(pl.col("unit_code") == row[CODE])["ytd_value_wan"].to_list() == [float(TOO_LARGE)]

"""The gate's period totals are exact: the same records summed in another order give the same total, so a
period holding exactly the previous period's records is never said to have fallen (a float sum in file order
made 1250.92 亿元 'lower than' 1250.92 亿元 and added a blocking `ytd_total_falls` beside the real finding)."""

from __future__ import annotations

import polars as pl

from pipelines.reference import load_reference
from pipelines.validation import list_output_files, validate_output_files
from tests.conftest import TARGETS_DIR


def test_the_same_records_in_another_order_do_not_fall(output_copy):
    out = output_copy
    q2 = pl.read_csv(out / "2012_1-6月.csv", infer_schema=False)
    # 1-9月 delivered with the 1-6月 figures, rows in reverse order: one true finding (a copied period)
    q2.reverse().with_columns(pl.lit("1-9月").alias("累计期")).write_csv(out / "2012_1-9月.csv")

    gate = validate_output_files(list_output_files(out), load_reference(TARGETS_DIR), root=out).gate

    at_q3 = gate.filter((pl.col("year") == 2012) & (pl.col("ytd_months") == 9))
    assert "file_copies_other_period" in at_q3["check_code"].to_list()
    assert "ytd_total_falls" not in at_q3["check_code"].to_list(), at_q3["message"].to_list()

"""Files read and parsed side by side (`SZEI_READ_WORKERS`, validation/core.py) give the batch a
one-file-at-a-time run gives: the same records, quarantine, reasons, warnings, summary and gate
findings, in the same order — on a delivery with rejected rows, duplicates across files, a revision,
a file in another encoding and a file that cannot be read at all."""

from __future__ import annotations

import os

import polars as pl
import pytest

from pipelines.reference import load_reference
from pipelines.validation import list_output_files, validate_output_files
from pipelines.validation.batch import as_text
from pipelines.validation.core import read_workers
from tests.conftest import TARGETS_DIR

VALUE = "本年累计产值（万元）"
CODE = "单位代码"


@pytest.fixture
def messy_output(output_copy):
    out = output_copy
    q2 = pl.read_csv(out / "2012_1-6月.csv", infer_schema=False)
    n = q2.height
    q2.with_columns(  # rows rejected by the row rules: a bad value, a bad code
        pl.when(pl.int_range(n) % 40 == 0).then(pl.lit("十二")).otherwise(pl.col(VALUE)).alias(VALUE),
        pl.when(pl.int_range(n) % 55 == 3).then(pl.lit("12345")).otherwise(pl.col(CODE)).alias(CODE),
    ).write_csv(out / "2012_1-6月.csv")
    year_end = pl.read_csv(out / "2012_1-12月.csv", infer_schema=False)
    copies = year_end.head(60).with_columns(  # exact and conflicting duplicates in a second file
        pl.when(pl.int_range(60) % 2 == 0).then(pl.col(VALUE))
        .otherwise((pl.col(VALUE).cast(pl.Float64) + 1).cast(pl.String)).alias(VALUE))
    copies.write_csv(out / "2012_1-12月_b.csv")
    year_end.slice(100, 30).with_columns(
        (pl.col(VALUE).cast(pl.Float64) * 0.5).cast(pl.String).alias(VALUE)).write_csv(out / "2011_1-12月_修订.csv")
    q1 = out / "2011_1-3月.csv"
    q1.write_bytes(q1.read_text(encoding="utf-8").encode("gb18030"))
    (out / "2010_1-6月_补报.csv").write_bytes(b"\x00\x01binary\xff\xfe" * 50)
    return out


def _batch(out, monkeypatch, workers: str) -> dict[str, pl.DataFrame]:
    monkeypatch.setenv("SZEI_READ_WORKERS", workers)
    assert read_workers() == int(workers)
    batch = validate_output_files(list_output_files(out), load_reference(TARGETS_DIR), root=out)
    frames = {name: getattr(batch, name) for name in
              ("quarantine", "quarantine_reasons", "warnings", "file_summary", "gate")}
    frames["records"] = as_text(batch.records)
    frames["replaced"] = as_text(batch.replaced)
    return frames


def test_two_files_at_a_time_give_the_batch_one_at_a_time_gives(messy_output, monkeypatch):
    one = _batch(messy_output, monkeypatch, "1")
    two = _batch(messy_output, monkeypatch, "2")
    # the delivery is as messy as it says: otherwise the comparison proves little
    assert {"duplicate_exact", "duplicate_conflict"} <= set(one["quarantine_reasons"]["reason_code"])
    assert one["file_summary"]["file_error"].is_not_null().any()
    assert one["replaced"].height >= 30 and one["quarantine"].height > 50
    for name, frame in one.items():
        assert frame.equals(two[name]), name


def test_the_number_of_workers_is_a_setting(monkeypatch):
    from pipelines.errors import SzeiError

    monkeypatch.setenv("SZEI_READ_WORKERS", "0")  # the default: two where two processors may be used
    assert read_workers() == min(2, len(os.sched_getaffinity(0)))
    monkeypatch.setenv("SZEI_READ_WORKERS", "two")
    with pytest.raises(SzeiError, match="SZEI_READ_WORKERS"):
        read_workers()

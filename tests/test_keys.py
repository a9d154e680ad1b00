"""The exact integer keys of `pipelines.validation.keys`: `duplicated` (by a sort) says what
`is_duplicated` (by hashing) says, row for row."""

from __future__ import annotations

import itertools

import polars as pl
import pytest

from pipelines.validation.keys import duplicated, int_key, packed_parts


@pytest.mark.parametrize("values", [
    [],
    [7],
    [5, 3, 9, 1],                    # no key twice: the sort finds none
    [5, 3, 5, 1, 3, 3, 0, 2**63],    # twice and three times, out of order, the largest UInt64 bit
    [4, 4, 4],
])
def test_duplicated_is_is_duplicated(values):
    key = pl.Series("__k", values, dtype=pl.UInt64)
    assert duplicated(key).to_list() == key.is_duplicated().to_list()


def test_duplicated_on_a_packed_key_of_text_and_integers():
    frame = pl.DataFrame({
        "code": ["A", "B", "A", "C", "B", None, None],
        "year": [2011, 2011, 2011, 2012, 2012, 2011, 2011],
    }).with_columns(pl.col("code").cast(pl.Categorical))
    key = int_key(frame, ["code", "year"])
    assert duplicated(key).to_list() == [True, False, True, False, False, True, True]


def test_int_key_packs_categories_by_their_rank_among_those_present():
    """Category ids are global to the process: after a million other strings became categories, a
    two-valued column has ids near 2**20, and five such columns would not fit 64 bits (the slow exact
    fallback, a struct rank). Renumbered among the ids present, all but one take two bits each."""
    pl.Series([f"filler {i}" for i in range(1_000_000)]).cast(pl.Categorical)
    # five columns that vary independently (every combination of a, b and null, each row twice), so that
    # a part shifted onto another's bits, or (a, b) taken for (b, a), would make two rows one key
    combos = list(itertools.product([0, 1, None], repeat=5)) * 2
    frame = pl.DataFrame({f"c{i}": [None if c[i] is None else f"new {i} {'ab'[c[i]]}" for c in combos] for i in range(5)},
                         schema={f"c{i}": pl.String for i in range(5)}).with_columns(pl.all().cast(pl.Categorical))
    assert sum(width for _, width in packed_parts(frame, frame.columns)) <= 64  # packed, no struct rank
    key = int_key(frame, frame.columns)
    # exact: equal keys iff equal rows (null equal to null) — as many keys as distinct rows, one key a row
    with_key = frame.with_columns(key.alias("__k"))
    assert key.n_unique() == frame.n_unique() == 3 ** 5
    assert with_key.n_unique() == frame.n_unique()


def test_duplicates_are_found_when_the_scope_does_not_fit_beside_the_counting_key():
    """`find_duplicates` packs the file scope beside the counting key; a key too wide for that (here near
    2**63) takes the exact, slower key of the columns instead — and finds the same duplicates."""
    from pipelines.validation.crossfile import find_duplicates

    rows = pl.DataFrame({
        "file_idx": [0, 1, 1], "source_row": [2, 2, 3], "__idx": [0, 0, 1], "year": [2012] * 3, "ytd_months": [3] * 3,
        "unit_code": ["91440300000000011X"] * 2 + ["91440300000000012X"], "industry": ["互联网"] * 3,
        "output_district": ["南山区"] * 3, "reg_district": ["南山区"] * 3, "ytd_value_wan": [10.0, 10.0, 5.0],
        "__ck": [2**63 + 5, 2**63 + 5, 2**63 + 6],
    }, schema_overrides={"file_idx": pl.Int32, "source_row": pl.Int32, "__idx": pl.UInt32, "year": pl.Int32,
                         "ytd_months": pl.Int32, "__ck": pl.UInt64})
    flags, reasons = find_duplicates(rows, [False, False], ["a.csv", "b.csv"])
    assert flags.select("file_idx", "__idx").rows() == [(1, 0)]
    assert reasons["reason_code"].to_list() == ["duplicate_exact"] and "a.csv 第 2 行" in reasons["reason"][0]

"""The exact integer keys of `pipelines.validation.keys`: `duplicated` (by a sort) says what
`is_duplicated` (by hashing) says, row for row."""

from __future__ import annotations

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
    frame = pl.DataFrame({f"c{i}": [f"new {i} a", f"new {i} b", f"new {i} a", None] for i in range(5)}).with_columns(
        pl.all().cast(pl.Categorical))
    assert sum(width for _, width in packed_parts(frame, frame.columns)) <= 64  # packed, no struct rank
    key = int_key(frame, frame.columns)
    # exact: equal keys iff equal rows (null equal to null)
    assert key.rank("dense").to_list() == frame.select(pl.struct(pl.all()).rank("dense")).to_series().to_list()

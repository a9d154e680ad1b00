"""The exact integer keys of `pipelines.validation.keys`: `duplicated` (by a sort) says what
`is_duplicated` (by hashing) says, row for row."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.validation.keys import duplicated, int_key


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

"""The record's key as it is counted, and exact integer keys over several columns (one sort or join
instead of windows over text).

The counting rule is in the key (README, "The raw contract's terms"): a record is (统计年度, 累计期,
单位代码, 产业类别, and 产值发生地 only for the industries counted where the output occurs). Duplicates,
conflicts, revisions (crossfile.py), the gate's comparisons (gate.py) and the pandera post-condition on
accepted records (schemas.py) all use `COUNTING_KEY` with `counted_od`.
"""

from __future__ import annotations

import polars as pl

COUNTING_KEY = ["year", "ytd_months", "unit_code", "industry", "__od"]  # `__od` from `counted_od`


def counted_od(counted: pl.Expr | None, fill: str | None = "") -> pl.Expr:
    """`__od`: 产值发生地 as the record is counted (`Context.counted_output_district()`: null where it does
    not place the record), nulls as `fill` ('' for the integer keys; None keeps them null)."""
    od = pl.col("output_district") if counted is None else counted
    return (od if fill is None else od.fill_null(fill)).alias("__od")


def int_key(df: pl.DataFrame, cols: list[str]) -> pl.Series:
    """An exact integer key of `cols` (equal iff every column is equal, null equal to null).

    Each column becomes a small non-negative integer (`packed_parts`) and the integers are packed into
    one UInt64. Grouping, joining and sorting on it replace window functions over several text columns.
    Exact, never a hash; if the parts do not fit 64 bits, the dense rank of the struct is used instead
    (exact, slower).
    """
    parts = packed_parts(df, cols)
    if parts is None or sum(w for _, w in parts) > 64:
        return df.select(pl.struct(cols).rank("dense").cast(pl.UInt64)).to_series().alias("__k")
    key, shift = None, 0
    for v, width in parts:
        term = v * (1 << shift) if shift else v
        key = term if key is None else key + term
        shift += width
    return (key if key is not None else pl.repeat(0, df.height, dtype=pl.UInt64, eager=True)).alias("__k")


def counting_key(df: pl.DataFrame, counted: pl.Expr | None) -> pl.Series:
    """`__ck`: the record's key as counted (COUNTING_KEY, `counted_od`) as one exact integer; computed once
    for the rows that passed the row rules, read by duplicates (with the scope added) and revisions."""
    cols = df.select(*COUNTING_KEY[:-1], counted_od(counted))
    return int_key(cols, COUNTING_KEY).alias("__ck")


def with_small(key: pl.Series, small: pl.Series) -> pl.Series | None:
    """`key` and a small non-negative integer packed into one UInt64 (equal iff both are equal), or None
    when they do not fit 64 bits."""
    width = max(int(small.max() or 0).bit_length(), 1)
    if int(key.max() or 0) >= 1 << (64 - width):
        return None
    return (key * (1 << width) + small.cast(pl.UInt64)).alias(key.name)


def packed_parts(df: pl.DataFrame, cols: list[str]) -> list[tuple[pl.Series, int]] | None:
    """Each column as a non-negative UInt64 and its width in bits (None: a column neither integer nor
    Categorical). Categorical: its category id; integers: offset from the minimum; null: 0, values from 1.
    Category ids are global to the process (every Categorical column shares them), so even a three-valued
    column can hold ids near 2²¹ at 10M rows, and five such parts overflowed 64 bits into the slow struct
    rank: the Categorical columns are renumbered among the ids present (`_dense_ids`; a few bits each),
    but the one with the widest ids only if the parts still do not fit (renumbering ~800k enterprise
    codes costs more than it saves). A short key also lets `warnings_of` add the period to it."""
    columns, parts = [], []
    for c in cols:
        s = df.get_column(c)
        if isinstance(s.dtype, (pl.Categorical, pl.Enum)):
            v = s.to_physical().cast(pl.UInt64)
        elif s.dtype.is_integer():
            lo = s.min()
            v = (s.cast(pl.Int64) - (lo if lo is not None else 0)).cast(pl.UInt64)
        else:
            return None
        columns.append(s)
        parts.append(_offset_nulls(s, v))
    cats = [i for i, s in enumerate(columns) if isinstance(s.dtype, (pl.Categorical, pl.Enum))]
    widest = max(cats, key=lambda i: parts[i][1], default=None)
    for i in cats:
        if i != widest:
            parts[i] = _offset_nulls(columns[i], _dense_ids(columns[i]))
    if widest is not None and sum(w for _, w in parts) > 64:
        parts[widest] = _offset_nulls(columns[widest], _dense_ids(columns[widest]))
    return parts


def _offset_nulls(s: pl.Series, v: pl.Series) -> tuple[pl.Series, int]:
    if s.null_count():
        v = (v + 1).fill_null(0)
    return v, max(int(v.max() or 0).bit_length(), 1)


def _dense_ids(s: pl.Series) -> pl.Series:
    """The category ids of `s` renumbered 0 … n−1 over the ids present (null stays null)."""
    phys = s.to_physical()
    top = phys.max()
    if top is None:
        return phys.cast(pl.UInt64)
    seen = pl.repeat(False, int(top) + 1, dtype=pl.Boolean, eager=True).scatter(phys.drop_nulls(), True)
    return (seen.cast(pl.UInt64).cum_sum() - 1).gather(phys)


def duplicated(key: pl.Series) -> pl.Series:
    """True on the rows whose key occurs more than once, as `key.is_duplicated()` (for a key with no
    nulls, as `int_key` makes): one sort and a neighbour test, then a look-up of the keys seen twice
    (usually none). At 10M rows hashing every key cost 1.6–1.9 s, the sort 0.3 s."""
    ordered = key.sort()
    twice = ordered.filter(ordered == ordered.shift(1))
    if twice.is_empty():
        return pl.repeat(False, key.len(), dtype=pl.Boolean, eager=True).alias(key.name)
    return key.is_in(twice.unique().implode()).alias(key.name)

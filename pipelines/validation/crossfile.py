"""Across files: duplicates (exact and conflicting) and revisions (`*修订*` files).

Duplicates are looked for among the rows that passed the row rules: non-revision files form one
scope, each revision file its own. Revisions apply after all other files, in file-name order.
"""

from __future__ import annotations

import polars as pl

from pipelines.validation.keys import COUNTING_KEY, counting_key, duplicated, int_key, with_small
from pipelines.validation.keys import counted_od as counted_od_expr
from pipelines.validation.vocabulary import FIELD_ZH

# internal long form of reasons: file index, spreadsheet row, index in the file's frame, order
LONG_REASONS = {
    "file_idx": pl.Int32, "source_row": pl.Int32, "__idx": pl.UInt32, "order": pl.Int32,
    "reason_code": pl.String, "reason": pl.String, "reason_en": pl.String, "column": pl.String,
}

def counted_key_od(counted_od: pl.Expr | None) -> pl.Expr:
    """The key's output-district part as the record is counted ('' where it does not place the record)."""
    return counted_od_expr(counted_od)


def find_duplicates(rows: pl.DataFrame, is_rev: list[bool], names: list[str],
                    counted_od: pl.Expr | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Flag duplicates among rows that passed the row rules. Returns (flags frame, long reasons).

    The key is the record as counted (`counted_od`, from the industries' counting rule): for an
    industry counted where the enterprise is registered, 产值发生地 does not tell two records apart."""
    rev = pl.Series(is_rev, dtype=pl.Boolean)
    name_s = pl.Series(names, dtype=pl.String)
    k = ["__scope", *COUNTING_KEY]
    if "__ck" not in rows.columns:  # the counting key, computed once by the caller for duplicates and revisions
        rows = rows.with_columns(counting_key(rows, counted_od))
    d = rows.select("file_idx", "source_row", "__idx", "year", "ytd_months", "unit_code", "industry",
                    "output_district", "reg_district", "ytd_value_wan", "__ck").with_columns(
        pl.when(pl.lit(rev).gather(pl.col("file_idx"))).then(pl.col("file_idx")).otherwise(-1).alias("__scope"),
        counted_key_od(counted_od),
        pl.col("ytd_value_wan").round(6).alias("__v"),
    )
    # one integer key instead of a window over five text columns; only keys seen twice go further
    key = with_small(d["__ck"], d["__scope"] + 1)
    key = int_key(d, k) if key is None else key.alias("__k")  # the scope did not fit beside the key: exact, slower
    multi = d.with_columns(key).filter(duplicated(key))
    if multi.height == 0:
        empty = pl.DataFrame(schema={"file_idx": pl.Int32, "__idx": pl.UInt32, "dup": pl.Boolean})
        return empty, pl.DataFrame(schema=LONG_REASONS)
    k = ["__k"]
    multi = multi.with_columns(pl.len().over(k).alias("__n")).sort("file_idx", "source_row").with_columns(
        ((pl.col("__v").max().over(k) != pl.col("__v").min().over(k))
         | (pl.col("reg_district").max().over(k) != pl.col("reg_district").min().over(k))).alias("__conflict"),
        pl.int_range(pl.len()).over(k).alias("__rank"),
        pl.lit(name_s).gather(pl.col("file_idx").first().over(k)).alias("__first_file"),
        pl.col("source_row").first().over(k).alias("__first_row"),
    )
    exact = multi.filter(~pl.col("__conflict") & (pl.col("__rank") > 0))
    conflict = multi.filter(pl.col("__conflict"))
    key_cols = ",".join(FIELD_ZH[f] for f in ("year", "period", "unit_code", "industry", "output_district"))
    key_zh = "同一统计年度、累计期、单位代码、产业类别（按产值发生地统计的产业另加产值发生地）"
    key_en = "(year, period, unit code, industry, and output district for industries counted where the output occurs)"
    long = pl.concat([
        exact.select(
            "file_idx", "source_row", "__idx",
            pl.lit(100, dtype=pl.Int32).alias("order"),
            pl.lit("duplicate_exact").alias("reason_code"),
            pl.format("与 {} 第 {} 行完全相同的重复记录（保留第一条，本条拒收）", "__first_file", "__first_row").alias("reason"),
            pl.format("exact duplicate of {} row {} (the first copy is kept)", "__first_file", "__first_row").alias("reason_en"),
            pl.lit(key_cols).alias("column"),
        ),
        conflict.select(
            "file_idx", "source_row", "__idx",
            pl.lit(101, dtype=pl.Int32).alias("order"),
            pl.lit("duplicate_conflict").alias("reason_code"),
            pl.format(key_zh + "共有 {} 条记录且产值或注册地不同（首条见 {} 第 {} 行），全部拒收",
                      "__n", "__first_file", "__first_row").alias("reason"),
            pl.format("{} records share the key " + key_en + " with different values "
                      "(first: {} row {}); every copy is rejected", "__n", "__first_file", "__first_row").alias("reason_en"),
            pl.lit(key_cols + "," + FIELD_ZH["ytd_value"]).alias("column"),
        ),
    ])
    flags = long.select("file_idx", "__idx", pl.lit(True).alias("dup"))
    return flags, long


def apply_revisions(ok: pl.DataFrame, is_rev: list[bool], names: list[str],
                    counted_od: pl.Expr | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(accepted, replaced) — the latest scope of each key (as counted) wins; a revision deletes nothing
    it does not mention."""
    rev = pl.Series(is_rev, dtype=pl.Boolean)
    name_s = pl.Series(names, dtype=pl.String)
    if not any(is_rev):
        return ok, ok.clear().with_columns(pl.lit(None, dtype=pl.String).alias("replaced_by_file"))
    if "__ck" not in ok.columns:  # the counting key, computed once by the caller for duplicates and revisions
        ok = ok.with_columns(counting_key(ok, counted_od))
    ok = ok.with_columns(
        pl.when(pl.lit(rev).gather(pl.col("file_idx"))).then(pl.col("file_idx") + 1).otherwise(0).alias("__scope_rank"),
    )
    # Within a scope keys are unique (duplicates are rejected), so a key held by several rows is
    # one a revision mentions: only those rows (few) are looked at, on an integer key.
    key = ok["__ck"].alias("__k")
    in_rev = pl.Series(is_rev, dtype=pl.Boolean).gather(ok["file_idx"])
    # the rows are told by their position in `ok` (a mask to drop them, no join over every row)
    at = key.is_in(key.filter(in_rev).implode()).arg_true().alias("__at")
    multi = ok[at].with_columns(key.gather(at), at).with_columns(pl.len().over("__k").alias("__n"))
    multi = multi.filter(pl.col("__n") > 1).with_columns(
        pl.col("file_idx").shift(-1).over("__k", order_by="__scope_rank").alias("__next_file"),
    )
    gone = multi.filter(pl.col("__next_file").is_not_null())
    replaced = gone.with_columns(pl.lit(name_s).gather(pl.col("__next_file")).alias("replaced_by_file"))
    temporary = ["__scope_rank"]
    drop = [*temporary, "__n", "__k", "__next_file", "__at"]
    accepted = ok.drop(temporary)
    if gone.height:
        keep = pl.repeat(True, ok.height, dtype=pl.Boolean, eager=True).scatter(gone["__at"], False)
        accepted = accepted.filter(keep)
    if not sorted_by_file_row(accepted):
        accepted = accepted.sort("file_idx", "source_row")
    return accepted, replaced.drop(drop)


def sorted_by_file_row(df: pl.DataFrame) -> bool:
    """Rows in (file_idx, source_row) order (they are when they come file by file, rows in order)."""
    if df.height < 2:
        return True
    f, r = pl.col("file_idx"), pl.col("source_row")
    return bool(df.select(((f.diff() > 0) | ((f.diff() == 0) & (r.diff() >= 0))).slice(1).all()).item())

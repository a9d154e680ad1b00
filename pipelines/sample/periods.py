"""One year of a sample (every enterprise's rows, districts as reported that year) and one
year-to-date period of it."""

from __future__ import annotations

import polars as pl

from pipelines.sample import _random as rnd
from pipelines.sample.economy import (
    DISTRICTS,
    INDUSTRIES,
    NEW_AREA_FROM,
    NEW_AREA_OF,
    PERIOD_LABEL,
    S_NEWAREA,
    S_OUT_FILL,
    S_OUT_OTHER,
    S_OUT_SAME,
    S_SEASON,
    SEASON,
)


def _district_name(idx: pl.Expr, eid: pl.Expr, year: int, seed: int) -> pl.Expr:
    """District name of an old-district index; from 2012 part of 宝安/龙岗 is 龙华/大鹏新区.

    Keyed by (enterprise, district) so a firm's plant and seat in 宝安 move together.
    """
    names = pl.Series(DISTRICTS)
    final = idx
    if year >= NEW_AREA_FROM:
        u = rnd.uniform(eid * 16 + idx, seed, S_NEWAREA)
        final = idx
        for parent, (new_idx, share) in NEW_AREA_OF.items():
            final = pl.when((idx == parent) & (u < share)).then(new_idx).otherwise(final)
    return final.map_batches(lambda s: names.gather(s.cast(pl.Int64)), return_dtype=pl.String)


def year_frame(model: dict, year: int, seed: int) -> pl.DataFrame:
    """One row per (line, output district) active in `year`, with the annual value in 万元."""
    ent, lines, parts, intended = model["ent"], model["lines"], model["parts"], model["intended"]
    active = lines.filter((pl.col("start") <= year) & (pl.col("last") >= year)).select(
        "lid", "eid", "ind", "reg_idx", "rank", value=pl.col(f"v{year}")
    )
    bio = active.filter(pl.col("ind") == 0).join(parts.select("lid", "target_idx", "share", "part"), on="lid")
    lid = pl.col("lid")
    other = active.filter(pl.col("ind") != 0).with_columns(
        target_idx=pl.col("reg_idx"), share=pl.lit(1.0), part=pl.lit(0, dtype=pl.Int32)
    )
    rows = pl.concat([bio, other.select(bio.columns)]).with_columns(value=pl.col("value") * pl.col("share"))
    # exact district totals: intended (target × ratio) per (target district, industry)
    goal = intended.filter(pl.col("year") == year).select(
        ind=pl.col("industry").replace_strict({k: i for i, k in enumerate(INDUSTRIES)}, return_dtype=pl.Int32),
        target_idx="target_idx",
        goal="intended_yi",
    )
    rows = rows.join(goal, on=["ind", "target_idx"], how="left").with_columns(
        value=pl.col("value") * pl.col("goal") / pl.col("value").sum().over("ind", "target_idx")
    )
    # output district for 互联网/新能源: a third filled, a quarter of those elsewhere
    fill = rnd.uniform(lid, seed, S_OUT_FILL) < 0.35
    same = rnd.uniform(lid, seed, S_OUT_SAME) < 0.75
    other_idx = (pl.col("reg_idx") + 1 + (rnd.uniform(lid, seed, S_OUT_OTHER) * 7).floor().cast(pl.Int32)) % 8
    rows = rows.with_columns(
        out_idx=pl.when(pl.col("ind") == 0)
        .then(pl.col("target_idx"))
        .when(fill & same)
        .then(pl.col("reg_idx"))
        .when(fill)
        .then(other_idx)
        .otherwise(None)
        .cast(pl.Int32)
    )
    rows = rows.join(ent.select("eid", "unit_code", "unit_name"), on="eid", how="left")
    eid = pl.col("eid")
    rows = rows.with_columns(
        reg_district=_district_name(pl.col("reg_idx"), eid, year, seed),
        output_district=_district_name(pl.col("out_idx"), eid, year, seed),
        industry=pl.col("ind").map_batches(lambda s: pl.Series(INDUSTRIES).gather(s.cast(pl.Int64)), return_dtype=pl.String),
        annual_wan=(pl.col("value") * 10_000).clip(lower_bound=1.0),
    )
    # seasonal cumulative shares per line and year
    q = [
        SEASON[k] * (0.15 * rnd.normal(lid * 64 + (year - 2010) * 4 + k, seed, S_SEASON)).exp() for k in range(4)
    ]
    total = q[0] + q[1] + q[2] + q[3]
    rows = rows.with_columns(
        c3=q[0] / total, c6=(q[0] + q[1]) / total, c9=(q[0] + q[1] + q[2]) / total, c12=pl.lit(1.0)
    )
    return rows.sort(["reg_idx", "unit_code", "ind", "out_idx"], nulls_last=True).select(
        "eid",
        "lid",
        "rank",
        "unit_code",
        "unit_name",
        "industry",
        "reg_district",
        "output_district",
        "annual_wan",
        "c3",
        "c6",
        "c9",
        "c12",
    )


def period_frame(base: pl.DataFrame, year: int, months: int, seed: int) -> pl.DataFrame:
    """The contract's columns for one YTD period; value kept as tenths of 万元 (Int64)."""
    return base.select(
        pl.lit(year, dtype=pl.Int32).alias("统计年度"),
        pl.lit(PERIOD_LABEL[months]).alias("累计期"),
        pl.col("unit_code").alias("单位代码"),
        pl.col("unit_name").alias("单位名称"),
        pl.col("industry").alias("产业类别"),
        pl.col("reg_district").alias("注册地"),
        pl.col("output_district").alias("产值发生地"),
        (pl.col("annual_wan") * pl.col(f"c{months}") * 10).round(0).cast(pl.Int64).alias("v10"),
        pl.col("lid"),
        pl.col("rank"),
    )

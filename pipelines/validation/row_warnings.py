"""Warnings that keep the row: YTD falling, a 10× jump or fall, a new area before it existed; and what
reading found (a hidden sheet, another sheet with a header, a row hidden in Excel)."""

from __future__ import annotations

import polars as pl

from pipelines.ingest import RawFile
from pipelines.ingest.text import visible_expr
from pipelines.validation.keys import int_key
from pipelines.validation.vocabulary import Context

WARNINGS_SCHEMA = {
    "source_file": pl.String, "source_row": pl.Int32, "year": pl.Int32, "ytd_months": pl.Int32,
    "unit_code": pl.String, "industry": pl.String, "output_district": pl.String,
    "warning_code": pl.String, "message": pl.String, "message_en": pl.String,
}

def warnings_of(acc: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """Warnings that keep the row: YTD decrease, ≥10× jump / ≤1/10 fall, a new area before the year it takes effect.

    Records are followed per enterprise as counted (the counting rule: 产值发生地 only for the
    industries counted where the output occurs). A unit slip is warned on the row that is out of line:
    a row off by 10× from the next period and from the previous one (or with none before it) is the
    outlier itself, and the next row is then not blamed for differing from it (nor for falling below it)."""
    gk = ["year", "unit_code", "industry", "__cod"]
    new_areas = [d for d, vf in ctx.valid_from.items() if vf is not None and vf > ctx.first_year]
    # sorted: only what the comparisons read, with each row's position; the other columns are gathered
    # for the rows that get a warning (few) — sorting every column of 10M rows cost twice as much
    w = acc.select(
        pl.int_range(pl.len(), dtype=pl.get_index_type()).alias("__pos"), "ytd_months", "period_label", "ytd_value_wan",
        ctx.confirmed_record().alias("__confirmed") if ctx.confirmed is not None else pl.lit(False).alias("__confirmed"),
        *([(pl.col("reg_district").is_in(new_areas) | pl.col("output_district").is_in(new_areas)).alias("__new_area")]
          if new_areas else []),
    )
    # one sort on an exact integer key, then the previous row is the previous period when it has the
    # same key (no group-by)
    w = w.with_columns(int_key(acc.select("year", "unit_code", "industry",
                                          ctx.counted_output_district().fill_null("").alias("__cod")), gk))
    months = w["ytd_months"]
    if int(w["__k"].max() or 0) < 2**59 and months.null_count() == 0 and (months.min() or 0) >= 0 and (months.max() or 0) < 16:
        # key and period in one UInt64: a sort on one integer column, not two
        w = w.with_columns((pl.col("__k") * 16 + pl.col("ytd_months").cast(pl.UInt64)).alias("__sk")).sort("__sk")
    else:
        w = w.sort("__k", "ytd_months")
    same = (pl.col("__k") == pl.col("__k").shift(1)).fill_null(False)
    same_next = (pl.col("__k") == pl.col("__k").shift(-1)).fill_null(False)
    w = w.with_columns(
        pl.when(same).then(pl.col("ytd_value_wan").shift(1)).alias("__prev"),
        pl.when(same).then(pl.col("period_label").shift(1)).alias("__prev_label"),
        pl.when(same_next).then(pl.col("ytd_value_wan").shift(-1)).alias("__next"),
        pl.when(same_next).then(pl.col("period_label").shift(-1)).alias("__next_label"),
    )
    v, p, n = pl.col("ytd_value_wan"), pl.col("__prev"), pl.col("__next")
    off_prev = ((p > 0) & ((v >= p * 10) | (v <= p / 10))).fill_null(False)
    off_next = ((v > 0) & ((n >= v * 10) | (n <= v / 10))).fill_null(False)
    # the row itself is out of line: off from the next period, and from the previous one or has none
    outlier = off_next & (p.is_null() | off_prev) & ~pl.col("__confirmed")
    w = w.with_columns(outlier.alias("__outlier")).with_columns(
        pl.when(same).then(pl.col("__outlier").shift(1)).fill_null(False).alias("__prev_outlier"))
    slip = pl.col("__outlier") | (off_prev & ~pl.col("__prev_outlier") & ~pl.col("__confirmed"))
    fall = ((v < p) & ~pl.col("__prev_outlier")).fill_null(False)
    # the rows that get a warning (few): the messages below are built on them only, as text
    maybe = slip | fall
    if new_areas:
        maybe = maybe | pl.col("__new_area")
    w = w.filter(maybe.fill_null(False))
    w = w.hstack(acc.select("source_file", "source_row", "year", "unit_code", "industry", "output_district",
                            "reg_district")[w["__pos"]])
    # rechunk: polars 2.1 panics ("assertion failed: i < self.len()") formatting a filtered
    # multi-chunk column built by shift() over a sort; one contiguous chunk avoids it
    w = w.with_columns(
        pl.col(c).cast(pl.String) for c in ("source_file", "period_label", "unit_code", "industry",
                                            "output_district", "reg_district", "__prev_label", "__next_label")
    ).rechunk()
    base = ["source_file", "source_row", "year", "ytd_months", "unit_code", "industry", "output_district"]
    # the period the row is compared with: the next one when the row itself is the outlier
    ref = pl.when(pl.col("__outlier")).then(n).otherwise(p)
    ref_label = pl.when(pl.col("__outlier")).then(pl.format("下一累计期（{}）", "__next_label")).otherwise(
        pl.format("上一累计期（{}）", "__prev_label"))
    ref_label_en = pl.when(pl.col("__outlier")).then(pl.format("the next period ({})", "__next_label")).otherwise(
        pl.format("the previous period ({})", "__prev_label"))
    out = [
        w.filter(fall).select(
            *base, pl.lit("ytd_decrease").alias("warning_code"),
            pl.format("本年累计产值 {} 万元低于同年上一累计期（{}）的 {} 万元", v.round(4), "__prev_label", p.round(4)).alias("message"),
            pl.format("year-to-date value {} 万元 is lower than the previous period ({}) of the same year, {} 万元",
                      v.round(4), "__prev_label", p.round(4)).alias("message_en"),
        ),
        w.filter(slip).select(
            *base, pl.lit("unit_slip").alias("warning_code"),
            pl.format("本年累计产值 {} 万元是同年{} {} 万元的 {} 倍，可能填错计量单位",
                      v.round(4), ref_label, ref.round(4), (v / ref).round(4)).alias("message"),
            pl.format("year-to-date value {} 万元 is {}× {}, {} 万元: possible unit slip",
                      v.round(4), (v / ref).round(4), ref_label_en, ref.round(4)).alias("message_en"),
        ),
    ]
    for col, label in (("reg_district", "注册地"), ("output_district", "产值发生地")):
        d = pl.col(col)
        vf = d.replace_strict(ctx.valid_from, default=None, return_dtype=pl.Int64)
        parent = d.replace_strict(ctx.target_unit, default=None, return_dtype=pl.String)
        est = d.replace_strict(ctx.established, default="", return_dtype=pl.String)
        # a new area (valid from after the plan's first year) seen before it existed
        new_area_early = (vf > ctx.first_year) & (vf > pl.col("year"))
        out.append(
            w.filter(new_area_early).select(
                *base, pl.lit("new_area_before_valid").alias("warning_code"),
                pl.format("{}「{}」于 {} 设立、{} 年起有效，{} 年数据已保留，按目标口径计入 {}",
                          pl.lit(label), d, est, vf, "year", parent).alias("message"),
                pl.format("{} '{}' exists from {} on; kept in {} data and counted toward {}",
                          pl.lit(col), d, vf, "year", parent).alias("message_en"),
            )
        )
    return pl.concat(out).cast(WARNINGS_SCHEMA).sort("source_file", "source_row", "warning_code")


def reader_warnings(raws: list[RawFile], accepted: pl.DataFrame) -> pl.DataFrame:
    """Warnings found while reading: about a whole file (a hidden sheet; no row), and about accepted
    rows that are hidden in Excel (read and counted like the others, but a person may not have seen them)."""
    parts = []
    for raw in raws:
        for code, zh, en in raw.file_warnings:
            parts.append(pl.DataFrame({**{k: [None] for k in WARNINGS_SCHEMA}, "source_file": [raw.name],
                                       "warning_code": [code], "message": [zh], "message_en": [en]},
                                      schema=WARNINGS_SCHEMA))
        if raw.hidden_rows and accepted.height:
            rows = pl.DataFrame({"source_row": sorted(set(raw.hidden_rows))}, schema={"source_row": pl.Int32})
            hit = accepted.filter(pl.col("source_file") == raw.name).join(rows, on="source_row", how="semi")
            if hit.height:
                parts.append(hit.select(
                    pl.col("source_file").cast(pl.String), "source_row", "year", "ytd_months",
                    pl.col("unit_code").cast(pl.String), pl.col("industry").cast(pl.String),
                    pl.col("output_district").cast(pl.String),
                    pl.lit("hidden_row").alias("warning_code"),
                    pl.lit("该行在 Excel 中被隐藏，已读取并接收；请确认它应当计入").alias("message"),
                    pl.lit("the row is hidden in Excel; it was read and accepted: make sure it belongs in the "
                           "figures").alias("message_en"),
                ))
    if not parts:
        return pl.DataFrame(schema=WARNINGS_SCHEMA)
    frame = pl.concat([p.select(list(WARNINGS_SCHEMA)).cast(WARNINGS_SCHEMA) for p in parts])
    return frame.with_columns(
        visible_expr(pl.col("message")), visible_expr(pl.col("message_en")))

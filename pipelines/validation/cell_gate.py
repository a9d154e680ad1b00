"""The gate at the level the numbers are published: each target unit × industry cell.

The file-level checks (gate.py) judge a file against the same enterprises elsewhere; a delivery can
pass them and still publish a wrong cell: one district's rows keyed in 元 inside a correct file, a whole
year keyed in 千元 (every file of the year agreeing with the others), a district's rows lost to
conflicting re-sends. These checks compare what would be published, cell by cell, and block:
- `cell_value_collapse` — a cell's year-to-date total below half of the previous period of the same year;
- `cell_value_jump` — a cell at least 5× or at most 1/5 of the same period last year;
- `unit_slip_material` — records warned as ≥10× slips (row_warnings.unit_slip) that make up at least a
  tenth of their cell.
Only material cells are judged: the cell (or its reference) holds at least 1% of its industry's city total
and at least MIN_RECORDS records, so a small district's one new or closed firm does not stop a city's
publication. Confirmed records (confirmed_outliers.csv) are left out of the cells judged: a statistician
has explained them.
"""

from __future__ import annotations

import polars as pl

from pipelines.validation.gate import GATE_SCHEMA, _label

COLLAPSE = 0.5  # a year-to-date cell total below half of the previous period's
JUMP = 5.0  # against the same period last year: ×5 or ÷5 is no growth rate, it is a unit or a loss
SLIP_SHARE = 0.1  # warned slips holding a tenth of a cell
MATERIAL = 0.01  # a cell judged only when it holds 1% of its industry's city total…
MIN_RECORDS = 5  # …and at least this many records (one firm may open, close or grow fivefold)

_KEY = ["year", "ytd_months", "target_unit", "industry"]


def cell_findings(records: pl.DataFrame, warnings: pl.DataFrame, confirmed: pl.Expr | None = None) -> pl.DataFrame:
    """Blocking findings (GATE_SCHEMA) on the cells the accepted records in force would publish;
    `confirmed` marks the records a statistician confirmed (left out)."""
    if records.height == 0 or "target_unit" not in records.columns:
        return pl.DataFrame(schema=GATE_SCHEMA)
    if confirmed is not None:
        records = records.filter(~confirmed.fill_null(False))
    # grouped as held (Categorical: a cast of every row to text cost more than the grouping); the cells
    # (a few hundred) are made text
    recs = records.select(
        "source_file", "source_row", pl.col("year").cast(pl.Int32),
        pl.col("ytd_months").cast(pl.Int32), "target_unit", "industry", pl.col("ytd_value_wan").cast(pl.Float64),
    ).filter(pl.col("target_unit").is_not_null())
    cells = recs.group_by(_KEY).agg(pl.col("ytd_value_wan").sum().alias("total"), pl.len().alias("n")).with_columns(
        pl.col("target_unit", "industry").cast(pl.String))
    periods = recs.select("year", "ytd_months").unique()
    grid = periods.join(cells.select("target_unit", "industry").unique(), how="cross").join(
        cells, on=_KEY, how="left").with_columns(pl.col("total").fill_null(0.0), pl.col("n").fill_null(0))
    grid = grid.with_columns(pl.col("total").sum().over("year", "ytd_months", "industry").alias("city"))
    grid = grid.sort("year", "ytd_months").with_columns(
        pl.col("total").shift(1).over("year", "target_unit", "industry", order_by="ytd_months").alias("prev"),
        pl.col("city").shift(1).over("year", "target_unit", "industry", order_by="ytd_months").alias("prev_city"),
        pl.col("n").shift(1).over("year", "target_unit", "industry", order_by="ytd_months").alias("prev_n"),
        pl.col("ytd_months").shift(1).over("year", "target_unit", "industry", order_by="ytd_months").alias("prev_months"),
    )
    last_year = grid.select((pl.col("year") + 1).alias("year"), "ytd_months", "target_unit", "industry",
                            pl.col("total").alias("ly"), pl.col("city").alias("ly_city"), pl.col("n").alias("ly_n"))
    grid = grid.join(last_year, on=_KEY, how="left").with_columns(
        _label(pl.col("year"), pl.col("ytd_months")).alias("period"), pl.format("{} 1-{}", "year", "ytd_months").alias("period_en"),
        (pl.col("total") / 1e4).round(2).alias("yi"), (pl.col("prev") / 1e4).round(2).alias("prev_yi"),
        (pl.col("ly") / 1e4).round(2).alias("ly_yi"),
    )
    head = [pl.lit(True).alias("blocking"), "year", "ytd_months", pl.lit(None, pl.String).alias("source_file")]
    collapse = grid.filter(((pl.col("total") < COLLAPSE * pl.col("prev")) & (pl.col("prev") >= MATERIAL * pl.col("prev_city"))
                            & (pl.col("prev_n") >= MIN_RECORDS)).fill_null(False)).select(
        pl.lit("cell_value_collapse").alias("check_code"), *head,
        pl.format("{}：{}{}产业本年累计 {} 亿元，不到同年上一累计期 {}年1-{}月（{} 亿元）的一半；累计值不应下降，可能缺少或错报了该区该产业的记录",
                  "period", "target_unit", "industry", "yi", "year", "prev_months", "prev_yi").alias("message"),
        pl.format("{}: {} {} year-to-date {} 亿元 is below half of the previous period's {} 亿元; records of this "
                  "district and industry are missing or wrong", "period_en", "target_unit", "industry", "yi",
                  "prev_yi").alias("message_en"),
    )
    up = (pl.col("ly") > 0) & (pl.col("total") >= JUMP * pl.col("ly")) & (pl.col("total") >= MATERIAL * pl.col("city"))
    down = (pl.col("total") <= pl.col("ly") / JUMP) & (pl.col("ly") >= MATERIAL * pl.col("ly_city"))
    enough = (pl.col("ly_n") >= MIN_RECORDS) & (pl.col("n") >= MIN_RECORDS)
    jump = grid.filter(((up & enough) | (down & (pl.col("ly_n") >= MIN_RECORDS))).fill_null(False)).select(
        pl.lit("cell_value_jump").alias("check_code"), *head,
        pl.format("{}：{}{}产业 {} 亿元，是上年同期（{} 亿元）的 {} 倍，不是可信的增减，可能是计量单位错误或记录缺失",
                  "period", "target_unit", "industry", "yi", "ly_yi",
                  (pl.col("total") / pl.col("ly")).round_sig_figs(2)).alias("message"),
        pl.format("{}: {} {} is {} 亿元, {}× the same period last year ({} 亿元): a unit error or missing records, "
                  "not a growth rate", "period_en", "target_unit", "industry", "yi",
                  (pl.col("total") / pl.col("ly")).round_sig_figs(2), "ly_yi").alias("message_en"),
    )
    parts = [collapse, jump, _material_slips(recs, grid, warnings, head)]
    return pl.concat([p.select(list(GATE_SCHEMA)).cast(GATE_SCHEMA) for p in parts])


def _material_slips(recs: pl.DataFrame, grid: pl.DataFrame, warnings: pl.DataFrame, head: list) -> pl.DataFrame:
    slips = warnings.filter(pl.col("warning_code") == "unit_slip").select(
        pl.col("source_file").cast(pl.String), pl.col("source_row").cast(recs.schema["source_row"]))
    if slips.height == 0:
        return pl.DataFrame(schema=GATE_SCHEMA)
    # the slipped rows (few) found by row number first, then made text
    slipped = recs.filter(pl.col("source_row").is_in(slips["source_row"].unique().implode())).with_columns(
        pl.col("source_file", "target_unit", "industry").cast(pl.String))
    slipped = slipped.join(slips.unique(), on=["source_file", "source_row"], how="semi").group_by(_KEY).agg(
        pl.col("ytd_value_wan").sum().alias("slipped"), pl.len().alias("n"),
        pl.col("source_file").unique().sort().str.join("、").alias("files"))
    hit = grid.join(slipped, on=_KEY, how="inner").filter(
        (pl.col("slipped") >= SLIP_SHARE * pl.col("total")) & (pl.col("total") >= MATERIAL * pl.col("city"))
        & (pl.col("n") >= MIN_RECORDS))
    return hit.select(
        pl.lit("unit_slip_material").alias("check_code"), *head[:3], pl.col("files").alias("source_file"),
        pl.format("{}：{}{}产业有 {} 条记录与同一企业其他累计期相差 10 倍以上（可能是计量单位错误），合计 {} 亿元，占该区该产业的 {}%；文件：{}",
                  "period", "target_unit", "industry", "n", (pl.col("slipped") / 1e4).round(2),
                  (pl.col("slipped") / pl.col("total") * 100).round(1), "files").alias("message"),
        pl.format("{}: {} {}: {} records differ ≥10× from the same enterprise's other periods (a likely unit slip), "
                  "{} 亿元, {}% of the cell; files: {}", "period_en", "target_unit", "industry", "n",
                  (pl.col("slipped") / 1e4).round(2), (pl.col("slipped") / pl.col("total") * 100).round(1),
                  "files").alias("message_en"),
    )

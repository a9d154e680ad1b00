"""The publication gate: is every reporting period complete and every file plausible?

Findings, one row each (`GATE_SCHEMA`), computed with polars expressions on the validated batch:

Completeness (per reporting period, year × 1-m月):
- `file_rejected_whole` — a file rejected whole that belongs to the period (its rows' 统计年度/累计期,
  or its file name, say so): the period lacks that file's records. Blocking. A rejected file that
  cannot be tied to any period is `file_rejected_unplaced` (not blocking: reported).
- `revision_only` — every record of the period comes from `修订` files: there is no readable base
  file. Blocking.
- `ytd_total_falls` — the period's total is below the previous period's of the same year (a YTD
  total cannot fall). Blocking, unless a `修订` file of the period explains it (then reported), and
  always blocking when it falls by more than half.
- `records_collapse` / `total_collapse` — fewer than half the records, or less than half the total,
  of the previous period of the same year or of the same period last year. Blocking.

Plausibility (per file and period):
- `file_unit_implausible` — the file's enterprises differ from the same enterprises in every other
  period available for comparison (the other periods of the same year, the same period a year
  before and after) by a median factor of 5 or more after allowing for the months covered: the
  file (not its neighbour) is named, with the unit its values look like. Blocking.

Thresholds are module constants (documented in the README, "What blocks publication").
"""

from __future__ import annotations

import math
import re

import polars as pl

from pipelines.ingest.rawfile import UNIT_FACTORS

GATE_SCHEMA = {
    "check_code": pl.String, "blocking": pl.Boolean, "year": pl.Int32, "ytd_months": pl.Int32,
    "source_file": pl.String, "message": pl.String, "message_en": pl.String,
}
FILE_PERIODS_SCHEMA = {"source_file": pl.String, "year": pl.Int32, "ytd_months": pl.Int32}

COLLAPSE = 0.5  # a total below half of last year's same period, or falling by half: incomplete
RECORDS_PREV = 0.8  # records below 80% of the previous period of the same year (the same survey frame)
RECORDS_LAST_YEAR = 0.7  # records below 70% of the same period last year (enterprises come and go)
CELL_COLLAPSE = 0.5  # a district × industry with fewer than half its records of the period compared with…
CELL_MIN_RECORDS = 20  # …when it had at least this many (a district's or an industry's file missing)
IMPLAUSIBLE_FACTOR = 5.0  # a file's median factor against every comparable period: implausible
MIN_PAIRS = 3  # enterprises needed in common with a period before a file is judged against it
SAMPLE_PER_FILE = 5000  # records of a file compared (its first rows): a median needs no more
SAME_SHARE = 0.5  # half a file's comparable enterprises with exactly another period's value: a copy
UNIT_TOLERANCE = 0.35  # |log10 difference| within which a factor is read as a unit slip

_NAME_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_NAME_PERIOD = re.compile(r"1\s*[-－—–~～至]\s*(3|6|9|12)\s*月")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def period_of_name(name: str) -> tuple[int, int] | None:
    """(year, months) written in a file name such as `2012_1-12月_修订.csv`, or None."""
    text = name.translate(_FULLWIDTH)
    year, period = _NAME_YEAR.search(text), _NAME_PERIOD.search(text)
    if not year or not period:
        return None
    return int(year.group(1)), int(period.group(1))


def periods_in_rejected_file(raw, label: str) -> pl.DataFrame:
    """The periods a file rejected whole was meant to deliver: from its rows' year and period cells
    when those columns were found, else from its name (FILE_PERIODS_SCHEMA rows)."""
    from pipelines.ingest.headers import CANONICAL_HEADERS, normalise_header
    from pipelines.validation.rules import PERIOD_MONTHS, normalise_period, normalise_year, strip

    found = pl.DataFrame(schema=FILE_PERIODS_SCHEMA)
    hm = dict(raw.header_map or {})
    if raw.frame is not None and not ("year" in hm and "period" in hm):
        # the header was refused as a whole (e.g. the value column): its year and period columns still say
        # which period the rows were meant for
        wanted = {normalise_header(zh): f for f, (zh, en) in CANONICAL_HEADERS.items() if f in ("year", "period")}
        wanted |= {en: f for f, (zh, en) in CANONICAL_HEADERS.items() if f in ("year", "period")}
        for col in raw.frame.columns:
            f = wanted.get(normalise_header(col))
            if f and f not in hm:
                hm[f] = col
    if raw.frame is not None and raw.frame.height and "year" in hm and "period" in hm:
        year = normalise_year(strip(pl.col(hm["year"])))
        months = normalise_period(strip(pl.col(hm["period"]))).replace_strict(
            PERIOD_MONTHS, default=None, return_dtype=pl.Int32)
        found = raw.frame.select(
            pl.lit(label).alias("source_file"),
            pl.when(year.str.contains(r"^\d{4}$")).then(year.cast(pl.Int32, strict=False)).alias("year"),
            months.alias("ytd_months"),
        ).drop_nulls().unique().cast(FILE_PERIODS_SCHEMA)
    if found.height == 0:
        named = period_of_name(label.rsplit("/", 1)[-1])
        if named:
            found = pl.DataFrame([{"source_file": label, "year": named[0], "ytd_months": named[1]}],
                                 schema=FILE_PERIODS_SCHEMA)
    return found


def _label(year: pl.Expr, months: pl.Expr) -> pl.Expr:
    return pl.format("{}年1-{}月", year, months)


def _files_list(col: str) -> pl.Expr:
    """Up to three file names, then '等 n 个文件'."""
    files = pl.col(col).list.sort()
    head = files.list.head(3).list.join("、")
    return pl.when(files.list.len() > 3).then(pl.format("{} 等 {} 个文件", head, files.list.len())).otherwise(head)


def gate_findings(
    records: pl.DataFrame,
    replaced: pl.DataFrame,
    file_summary: pl.DataFrame,
    rejected_periods: pl.DataFrame,
    counted_key: list[str] | None = None,
    counted_od: pl.Expr | None = None,
    exempt: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every finding of the gate (GATE_SCHEMA), blocking ones first.

    `records`: the accepted records in force; `replaced`: those a revision replaced;
    `rejected_periods`: periods of files rejected whole (FILE_PERIODS_SCHEMA);
    `counted_key`: the columns that identify an enterprise's record as counted (default
    unit_code, industry, output_district), where `__counted_od` is `counted_od` (产值发生地 as
    counted, `Context.counted_output_district`); `exempt`: confirmed records (year, ytd_months,
    unit_code, industry) left out of the file-level comparison.
    """
    cols = ["source_file", "year", "ytd_months", "unit_code", "industry", "output_district", "ytd_value_wan"]
    cells = _cells(records)
    # the text columns stay as held (Categorical in the pipeline: no per-row copy to String at 10M rows);
    # the replaced records (few) take the same types
    od = (pl.col("output_district") if counted_od is None else counted_od).alias("__counted_od")
    in_force = records.select(cols).with_columns(od)
    extra = replaced.select(cols).cast({c: t for c, t in records.select(cols).schema.items() if c in replaced.columns})
    delivered = pl.concat([in_force, extra.with_columns(od).cast(in_force.schema)])
    revisions = file_summary.filter(pl.col("is_revision").fill_null(False))["source_file"].cast(pl.String)
    delivered = delivered.with_columns(pl.col("source_file").is_in(revisions.implode()).alias("is_revision"))
    units = _file_units(in_force, delivered, file_summary, counted_key or ["unit_code", "industry", "output_district"],
                        exempt)
    # a period holding an implausible file is not a yardstick for its neighbours (the file is named instead)
    rejected = _rejected_files(file_summary, rejected_periods, in_force.select("year", "ytd_months").unique())
    complete = _completeness(in_force, delivered, units.select("year", "ytd_months").unique())
    # a district × industry's collapse is said only where nothing larger explains it (the period's own
    # findings, or an implausible file of the period): one cause, not twenty consequences
    explained = pl.concat([p.filter(pl.col("blocking")).select(pl.col("year").cast(pl.Int32), pl.col("ytd_months").cast(pl.Int32))
                           for p in (rejected, complete, units)])
    cells = cells.join(explained.unique(), on=["year", "ytd_months"], how="anti")
    parts = [rejected, complete, cells, units]
    out = pl.concat([p.select(list(GATE_SCHEMA)).cast(GATE_SCHEMA) for p in parts])
    return out.sort(["blocking", "year", "ytd_months", "source_file", "check_code"],
                    descending=[True, False, False, False, False], nulls_last=True)


def _rejected_files(file_summary: pl.DataFrame, rejected_periods: pl.DataFrame, present: pl.DataFrame) -> pl.DataFrame:
    """Files rejected whole. Tied to a period that other files deliver: that period would be published
    without the file's records — blocking. Tied to a period nothing else delivers: the period is simply
    not published (as a late file) — reported. Tied to no period: reported."""
    rejected = file_summary.filter(pl.col("file_error").is_not_null()).select(
        pl.col("source_file").cast(pl.String), "file_error", pl.col("file_error_en") if "file_error_en" in file_summary.columns
        else pl.col("file_error").alias("file_error_en"))
    tied = rejected.join(rejected_periods.cast(FILE_PERIODS_SCHEMA), on="source_file", how="inner")
    untied = rejected.join(rejected_periods.cast(FILE_PERIODS_SCHEMA), on="source_file", how="anti")
    present = present.cast({"year": pl.Int32, "ytd_months": pl.Int32})
    alone = tied.join(present, on=["year", "ytd_months"], how="anti")
    tied = tied.join(present, on=["year", "ytd_months"], how="semi")
    period = _label(pl.col("year"), pl.col("ytd_months"))
    return pl.concat([
        alone.select(
            pl.lit("file_rejected_period_absent").alias("check_code"), pl.lit(False).alias("blocking"), "year",
            "ytd_months", "source_file",
            pl.format("{}：文件 {} 整个被拒收，该期没有其他可用的记录，本次不发布该期（{}）", period, "source_file",
                      "file_error").alias("message"),
            pl.format("{}: file {} was rejected whole and no other file delivers the period; it is not published ({})",
                      pl.format("{} 1-{}", "year", "ytd_months"), "source_file", "file_error_en").alias("message_en"),
        ),
        tied.select(
            pl.lit("file_rejected_whole").alias("check_code"), pl.lit(True).alias("blocking"), "year", "ytd_months",
            "source_file",
            pl.format("{}：文件 {} 整个被拒收，该期缺少这个文件的全部记录（{}）", period, "source_file", "file_error").alias("message"),
            pl.format("{}: file {} was rejected whole; the period lacks all of its records ({})",
                      pl.format("{} 1-{}", "year", "ytd_months"), "source_file", "file_error_en").alias("message_en"),
        ),
        untied.select(
            pl.lit("file_rejected_unplaced").alias("check_code"), pl.lit(False).alias("blocking"),
            pl.lit(None, pl.Int32).alias("year"), pl.lit(None, pl.Int32).alias("ytd_months"), "source_file",
            pl.format("文件 {} 整个被拒收，无法判断它属于哪个统计期（{}）", "source_file", "file_error").alias("message"),
            pl.format("file {} was rejected whole and cannot be tied to a period ({})", "source_file",
                      "file_error_en").alias("message_en"),
        ),
    ], how="vertical_relaxed")


def _completeness(in_force: pl.DataFrame, delivered: pl.DataFrame, unreliable: pl.DataFrame) -> pl.DataFrame:
    base = delivered.group_by("year", "ytd_months").agg(
        (~pl.col("is_revision")).sum().alias("base_records"),
        pl.col("source_file").filter(pl.col("is_revision")).unique().cast(pl.String).alias("revision_files"),
        pl.col("source_file").filter(~pl.col("is_revision")).unique().cast(pl.String).alias("base_files"),
        pl.col("is_revision").sum().alias("revision_records"),
    )
    stats = in_force.group_by("year", "ytd_months").agg(
        pl.len().alias("n"), pl.col("ytd_value_wan").sum().alias("total"),
    ).join(base, on=["year", "ytd_months"], how="left").sort("year", "ytd_months")
    unreliable = unreliable.cast({"year": pl.Int32, "ytd_months": pl.Int32}).with_columns(pl.lit(True).alias("__bad"))
    stats = stats.join(unreliable, on=["year", "ytd_months"], how="left").with_columns(pl.col("__bad").fill_null(False))

    def usable(c: str) -> pl.Expr:
        return pl.when(~pl.col("__bad")).then(pl.col(c))

    # the previous period of the same year (the nearest earlier one delivered) and the same period last year
    stats = stats.with_columns(
        usable("n").shift(1).over("year", order_by="ytd_months").alias("prev_n"),
        usable("total").shift(1).over("year", order_by="ytd_months").alias("prev_total"),
        pl.col("ytd_months").shift(1).over("year", order_by="ytd_months").alias("prev_months"),
    )
    last_year = stats.select((pl.col("year") + 1).alias("year"), "ytd_months",
                             usable("n").alias("ly_n"), usable("total").alias("ly_total"))
    s = stats.join(last_year, on=["year", "ytd_months"], how="left").with_columns(
        _label(pl.col("year"), pl.col("ytd_months")).alias("period"),
        pl.format("{} 1-{}", "year", "ytd_months").alias("period_en"),
        pl.when(pl.col("base_files").list.len() > 0).then(_files_list("base_files"))
        .otherwise(pl.lit("（没有基础文件）")).alias("files"),
        _files_list("revision_files").alias("rev_files"),
        (pl.col("total") / 1e4).round(2).alias("yi"),
        (pl.col("prev_total") / 1e4).round(2).alias("prev_yi"),
        (pl.col("ly_total") / 1e4).round(2).alias("ly_yi"),
        pl.format("{}年1-{}月", "year", "prev_months").alias("prev_period"),
        pl.format("{}年1-{}月", pl.col("year") - 1, "ytd_months").alias("ly_period"),
    )
    has_rev = pl.col("revision_files").list.len() > 0
    fall = pl.col("total") < pl.col("prev_total")

    def finding(code: str, blocking: pl.Expr) -> list:
        return [pl.lit(code).alias("check_code"), blocking.alias("blocking"),
                "year", "ytd_months", pl.lit(None, pl.String).alias("source_file")]

    return pl.concat([
        s.filter(pl.col("base_records").fill_null(0) == 0).select(
            *finding("revision_only", pl.lit(True)),
            pl.format("{}：只有修订文件 {} 的 {} 条记录，没有可读的基础文件（非修订文件）；该期不完整", "period", "rev_files",
                      "n").alias("message"),
            pl.format("{}: only the {} records of the revision file(s) {}; no readable base (non-revision) file, "
                      "the period is incomplete", "period_en", "n", "rev_files").alias("message_en"),
        ),
        s.filter(fall.fill_null(False) & (pl.col("base_records").fill_null(0) > 0)).select(
            *finding("ytd_total_falls", ~has_rev | (pl.col("total") < COLLAPSE * pl.col("prev_total"))),
            pl.format("{}：本年累计合计 {} 亿元低于同年上一累计期 {} 的 {} 亿元（累计值不应下降{}）；文件：{}", "period", "yi",
                      "prev_period", "prev_yi",
                      pl.when(has_rev).then(pl.format("，已有修订文件 {}", "rev_files")).otherwise(pl.lit("，且没有修订文件说明")),
                      "files").alias("message"),
            pl.format("{}: the year-to-date total {} 亿元 is below the previous period's {} 亿元 (files: {})", "period_en",
                      "yi", "prev_yi", "files").alias("message_en"),
        ),
        s.filter((pl.col("n") < RECORDS_PREV * pl.col("prev_n")).fill_null(False)).select(
            *finding("records_collapse", pl.lit(True)),
            pl.format(f"{{}}：记录数 {{}} 条，不到同年上一累计期 {{}}（{{}} 条）的 {RECORDS_PREV:.0%}，数据不完整；文件：{{}}",
                      "period", "n", "prev_period", "prev_n", "files").alias("message"),
            pl.format(f"{{}}: {{}} records, less than {RECORDS_PREV:.0%} of the previous period's {{}}; incomplete "
                      "(files: {})", "period_en", "n", "prev_n", "files").alias("message_en"),
        ),
        s.filter((pl.col("n") < RECORDS_LAST_YEAR * pl.col("ly_n")).fill_null(False)).select(
            *finding("records_collapse", pl.lit(True)),
            pl.format(f"{{}}：记录数 {{}} 条，不到上年同期 {{}}（{{}} 条）的 {RECORDS_LAST_YEAR:.0%}，数据不完整；文件：{{}}",
                      "period", "n", "ly_period", "ly_n", "files").alias("message"),
            pl.format(f"{{}}: {{}} records, less than {RECORDS_LAST_YEAR:.0%} of the same period last year ({{}}); "
                      "incomplete (files: {})", "period_en", "n", "ly_n", "files").alias("message_en"),
        ),
        s.filter((pl.col("total") < COLLAPSE * pl.col("ly_total")).fill_null(False)).select(
            *finding("total_collapse", pl.lit(True)),
            pl.format("{}：合计 {} 亿元，不到上年同期 {}（{} 亿元）的一半，数据不完整；文件：{}", "period", "yi", "ly_period",
                      "ly_yi", "files").alias("message"),
            pl.format("{}: total {} 亿元, less than half of the same period last year ({} 亿元); incomplete (files: {})",
                      "period_en", "yi", "ly_yi", "files").alias("message_en"),
        ),
    ])


def _copies(by_ref: pl.DataFrame) -> pl.DataFrame:
    """A file whose enterprises mostly (SAME_SHARE) report exactly the value they reported in another
    period: another period's figures delivered as this one's (a copied file, a wrong 累计期)."""
    earlier = (pl.col("ref_year") < pl.col("year")) | (
        (pl.col("ref_year") == pl.col("year")) & (pl.col("ref_months") < pl.col("ytd_months")))
    # the later of two equal periods is the copy: a year-to-date value does not stand still for a whole file
    hit = by_ref.filter((pl.col("same") >= SAME_SHARE) & earlier).sort("same", descending=True).unique(
        ["source_file", "year", "ytd_months"], keep="first", maintain_order=True)
    return hit.select(
        pl.lit("file_copies_other_period").alias("check_code"), pl.lit(True).alias("blocking"), "year", "ytd_months",
        "source_file",
        pl.format("{}：文件 {} 中 {}% 的可比企业（共 {} 家）的数值与 {}年1-{}月 完全相同，像是把其他统计期的数据当作本期报送；请核对后重新报送",
                  _label(pl.col("year"), pl.col("ytd_months")), "source_file", (pl.col("same") * 100).round(0).cast(pl.Int64),
                  "pairs", "ref_year", "ref_months").alias("message"),
        pl.format("{} 1-{}: file {}: {}% of {} comparable enterprises report exactly their values of {} 1-{}; another "
                  "period's figures delivered as this one's", "year", "ytd_months", "source_file",
                  (pl.col("same") * 100).round(0).cast(pl.Int64), "pairs", "ref_year", "ref_months").alias("message_en"),
    ).cast(GATE_SCHEMA)


def _approx(x: pl.Expr) -> pl.Expr:
    """Two significant figures, as text without a trailing '.0' (9100, 12, 0.45)."""
    r = x.round_sig_figs(2)
    return pl.when(r >= 10).then(r.cast(pl.Int64).cast(pl.String)).otherwise(r.cast(pl.String))


def _cells(records: pl.DataFrame) -> pl.DataFrame:
    """A district × industry (target unit, as counted) that had at least CELL_MIN_RECORDS records in the
    previous period of the same year, or the same period last year, and now has fewer than half of them
    (none at all included): a district's or an industry's file is missing from a split delivery."""
    if "target_unit" not in records.columns or records.height == 0:
        return pl.DataFrame(schema=GATE_SCHEMA)
    n = records.group_by("year", "ytd_months", "target_unit", "industry").len().with_columns(
        pl.col("target_unit").cast(pl.String), pl.col("industry").cast(pl.String))
    periods = records.select("year", "ytd_months").unique()
    cell_keys = n.select("target_unit", "industry").unique()
    grid = periods.join(cell_keys, how="cross").join(n, on=["year", "ytd_months", "target_unit", "industry"], how="left")
    grid = grid.with_columns(pl.col("len").fill_null(0)).sort("year", "ytd_months")
    grid = grid.with_columns(pl.col("len").shift(1).over("year", "target_unit", "industry", order_by="ytd_months").alias("prev"),
                             pl.col("ytd_months").shift(1).over("year", "target_unit", "industry", order_by="ytd_months")
                             .alias("prev_months"))
    ly = grid.select((pl.col("year") + 1).alias("year"), "ytd_months", "target_unit", "industry", pl.col("len").alias("ly"))
    grid = grid.join(ly, on=["year", "ytd_months", "target_unit", "industry"], how="left")

    def low(ref: str) -> pl.Expr:
        return ((pl.col(ref) >= CELL_MIN_RECORDS) & (pl.col("len") < CELL_COLLAPSE * pl.col(ref))).fill_null(False)

    hit = grid.filter(low("prev") | low("ly")).with_columns(
        pl.when(low("prev")).then(pl.format("同年上一累计期 {}年1-{}月（{} 条）", "year", "prev_months", "prev"))
        .otherwise(pl.format("上年同期（{} 条）", "ly")).alias("ref"),
        pl.when(low("prev")).then("prev").otherwise("ly").alias("ref_n"),
    )
    return hit.select(
        pl.lit("cell_collapse").alias("check_code"), pl.lit(True).alias("blocking"), "year", "ytd_months",
        pl.lit(None, pl.String).alias("source_file"),
        pl.format("{}：{}{}产业只有 {} 条记录，不到{}的一半，可能缺少该区或该产业的文件", _label(pl.col("year"), pl.col("ytd_months")),
                  "target_unit", "industry", "len", "ref").alias("message"),
        pl.format("{} 1-{}: {} {} has {} records, less than half of {} (the comparison period); a district's or an "
                  "industry's file may be missing", "year", "ytd_months", "target_unit", "industry", "len",
                  "ref_n").alias("message_en"),
    )


_UNITS = sorted(UNIT_FACTORS.items(), key=lambda kv: kv[1])


def _likely_unit(declared: str | None, log_factor: float) -> str | None:
    """The unit a file's values look like, given its header's unit and how far off they are (log10)."""
    f = UNIT_FACTORS.get(declared or "万元", 1.0)
    want = math.log10(f) - log_factor
    best = min(_UNITS, key=lambda kv: abs(math.log10(kv[1]) - want))
    return best[0] if abs(math.log10(best[1]) - want) <= UNIT_TOLERANCE and best[0] != (declared or "万元") else None


def _file_units(in_force, delivered, file_summary, key, exempt) -> pl.DataFrame:
    empty = pl.DataFrame(schema=GATE_SCHEMA)
    key = [k for k in key if k in delivered.columns]
    sample = delivered.filter(pl.col("ytd_value_wan") > 0).group_by(
        "source_file", "year", "ytd_months", maintain_order=True).head(SAMPLE_PER_FILE).drop("is_revision")
    if exempt is not None and exempt.height:
        sample = sample.join(exempt.select("year", "ytd_months", "unit_code", "industry").cast(
            {"year": pl.Int32, "ytd_months": pl.Int32, "unit_code": sample.schema["unit_code"],
             "industry": sample.schema["industry"]}),
            on=["year", "ytd_months", "unit_code", "industry"], how="anti")
    if sample.height == 0:
        return empty
    ref = in_force.filter(pl.col("ytd_value_wan") > 0).join(sample.select(key).unique(), on=key, how="semi",
                                                            nulls_equal=True)
    ref = ref.select(*key, pl.col("year").alias("ref_year"), pl.col("ytd_months").alias("ref_months"),
                     pl.col("ytd_value_wan").alias("ref_value"))
    pairs = sample.join(ref, on=key, how="inner", nulls_equal=True).filter(
        ((pl.col("ref_year") == pl.col("year")) & (pl.col("ref_months") != pl.col("ytd_months")))
        | (((pl.col("ref_year") - pl.col("year")).abs() == 1) & (pl.col("ref_months") == pl.col("ytd_months")))
    )
    if pairs.height == 0:
        return empty
    # how far off each enterprise is, in powers of ten, allowing for the months each value covers
    pairs = pairs.with_columns(
        ((pl.col("ytd_value_wan") / pl.col("ref_value")).log10()
         - (pl.col("ytd_months").cast(pl.Float64) / pl.col("ref_months")).log10()).alias("lg"))
    by_ref = pairs.group_by("source_file", "year", "ytd_months", "ref_year", "ref_months").agg(
        pl.len().alias("pairs"), pl.col("lg").median().alias("lg"),
        # the same value as in another period, to the cent: a file holding another period's figures
        ((pl.col("ytd_value_wan") - pl.col("ref_value")).abs() < 1e-6).mean().alias("same")
    ).with_columns(pl.col("source_file").cast(pl.String))
    by_ref = by_ref.filter(pl.col("pairs") >= MIN_PAIRS)
    copies = _copies(by_ref)
    limit = math.log10(IMPLAUSIBLE_FACTOR)
    judged = by_ref.group_by("source_file", "year", "ytd_months").agg(
        (pl.col("lg").abs() >= limit).all().alias("off"),
        pl.col("lg").abs().min().alias("closest"),
        pl.col("lg").median().alias("lg"),
        pl.col("pairs").max().alias("pairs"),
        pl.format("{}年1-{}月", "ref_year", "ref_months").sort().str.join("、").alias("refs"),
    ).filter(pl.col("off"))
    if judged.height == 0:
        return copies
    units = file_summary.select(pl.col("source_file").cast(pl.String), pl.col("value_unit"))
    judged = judged.join(units, on="source_file", how="left")
    likely = [
        _likely_unit(u, lg) for u, lg in judged.select("value_unit", "lg").iter_rows()  # one per implausible file
    ]
    judged = judged.with_columns(
        pl.Series("likely", likely, dtype=pl.String),
        pl.col("value_unit").fill_null("万元"),
        (10 ** pl.col("lg")).alias("factor"),
    ).with_columns(
        pl.when(pl.col("factor") >= 1).then(pl.format("{} 倍", _approx(pl.col("factor"))))
        .otherwise(pl.format("1/{}", _approx(1 / pl.col("factor")))).alias("times"),
    )
    unit_zh = pl.when(pl.col("likely").is_not_null()).then(
        pl.format("，看起来是以「{}」填报的，而表头注明「{}」", "likely", "value_unit")).otherwise(pl.lit("，无法判断是哪个计量单位"))
    unit_en = pl.when(pl.col("likely").is_not_null()).then(
        pl.format(": the values look like {} under a {} header", "likely", "value_unit")).otherwise(pl.lit(""))
    return pl.concat([copies, judged.select(
        pl.lit("file_unit_implausible").alias("check_code"), pl.lit(True).alias("blocking"), "year", "ytd_months",
        "source_file",
        pl.format("{}：文件 {} 中（最多 {} 家可比企业）同一企业的数值约为其在 {} 的 {}（中位数，已按累计月数折算）{}；请核对计量单位后重新报送",
                  _label(pl.col("year"), pl.col("ytd_months")), "source_file", "pairs", "refs", "times", unit_zh).alias("message"),
        pl.format("{} 1-{}: file {}: the same enterprises' values are about {}× those of {} (median of {} pairs){}; "
                  "check the unit and deliver again", "year", "ytd_months", "source_file", pl.col("factor").round_sig_figs(2),
                  "refs", "pairs", unit_en).alias("message_en"),
    ).cast(GATE_SCHEMA)])

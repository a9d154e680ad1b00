"""The publication gate: is every reporting period complete and every file plausible?

Findings, one row each (`GATE_SCHEMA`), computed with polars expressions on the validated batch:

Completeness (per reporting period, year × 1-m月):
- `file_rejected_whole` — a file rejected whole that belongs to the period (its rows' 统计年度/累计期,
  or its file name, say so): the period lacks that file's records — or, when no other file delivers
  it, the whole period. Blocking (a readable base file is required; removing the file unblocks). A
  rejected file that cannot be tied to any period is `file_rejected_unplaced` (not blocking: reported).
- `period_vanished` — a period named by a delivered file (its name, or its rows' 统计年度/累计期) ends
  with no accepted record: its rows were conflicting re-deliveries, belong to another period, or were
  all rejected. Blocking: a delivered period never disappears in silence.
- `period_conflicts` — conflicting re-deliveries (the same record twice with different values, every
  copy rejected) took out at least CONFLICT_SHARE of the period's records (and CONFLICT_MIN). Blocking.
- `period_missing` — no file at all for a period lying between delivered periods (a late file, an
  annual-only delivery). Not blocking (the rest publishes), but never a clean run.
- `period_gone` — a period the last good publication had and no file delivers now
  (`periods_gone`, judged against the published marts). Not blocking, never a clean run.
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
from pipelines.validation.keys import counted_od as key_od

GATE_SCHEMA = {
    "check_code": pl.String, "blocking": pl.Boolean, "year": pl.Int32, "ytd_months": pl.Int32,
    "source_file": pl.String, "message": pl.String, "message_en": pl.String,
}
# blocking first, then by period, file and check; the messages last, so that findings tied on the rest (one
# per district × industry cell) come out in the same order at every run (polars' sort is not stable)
FINDING_ORDER = ("blocking", "year", "ytd_months", "source_file", "check_code", "message", "message_en")


def sort_findings(findings: pl.DataFrame) -> pl.DataFrame:
    """The gate's findings in their one published order (FINDING_ORDER)."""
    return findings.sort(list(FINDING_ORDER), descending=[True, *[False] * (len(FINDING_ORDER) - 1)], nulls_last=True)


FILE_PERIODS_SCHEMA = {"source_file": pl.String, "year": pl.Int32, "ytd_months": pl.Int32}
# what each file delivered to each period (the rows that passed the row rules, by their own 统计年度/累计期)
DELIVERIES_SCHEMA = {"source_file": pl.String, "year": pl.Int32, "ytd_months": pl.Int32, "rows": pl.UInt32,
                     "conflict_rows": pl.UInt32, "exact_rows": pl.UInt32}
# per period: the distinct records (by the counting key) lost to conflicts
CONFLICT_KEYS_SCHEMA = {"year": pl.Int32, "ytd_months": pl.Int32, "conflict_keys": pl.UInt32}

CONFLICT_SHARE = 0.2  # conflicts taking out a fifth of a period's records: publishing the rest undercounts it…
CONFLICT_MIN = 5  # …when they are at least this many (a stray conflict or two is rejected, as the contract says)
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


def periods_in_rejected_file(raw, label: str, period_months: dict[str, int]) -> pl.DataFrame:
    """The periods a file rejected whole was meant to deliver: from its rows' year and period cells
    when those columns were found, else from its name (FILE_PERIODS_SCHEMA rows). `period_months`: the run's
    periods ('1-3月' → 3 …, Context.period_months)."""
    from pipelines.ingest.headers import CANONICAL_HEADERS, normalise_header
    from pipelines.validation.normalise import normalise_period, normalise_year, strip

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
            period_months, default=None, return_dtype=pl.Int32)
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
    deliveries: pl.DataFrame | None = None,
    conflict_keys: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every finding of the gate (GATE_SCHEMA), blocking ones first.

    `records`: the accepted records in force; `replaced`: those a revision replaced;
    `rejected_periods`: periods of files rejected whole (FILE_PERIODS_SCHEMA);
    `counted_key`: the columns that identify an enterprise's record as counted (default
    unit_code, industry, output_district), where `__counted_od` is `counted_od` (产值发生地 as
    counted, `Context.counted_output_district`); `exempt`: confirmed records (year, ytd_months,
    unit_code, industry) left out of the file-level comparison; `deliveries`, `conflict_keys`: what each
    file delivered to each period (`deliveries_of`), for the periods that must not vanish.
    """
    deliveries = pl.DataFrame(schema=DELIVERIES_SCHEMA) if deliveries is None else deliveries.cast(DELIVERIES_SCHEMA)
    conflict_keys = (pl.DataFrame(schema=CONFLICT_KEYS_SCHEMA) if conflict_keys is None
                     else conflict_keys.cast(CONFLICT_KEYS_SCHEMA))
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
    complete = _completeness(in_force, delivered, units.select("year", "ytd_months").unique(),
                             _rejected_base(file_summary, rejected_periods))
    vanished = _vanished(in_force, file_summary, rejected_periods, deliveries, conflict_keys)
    missing = _missing(in_force, file_summary, deliveries, rejected_periods)
    # a district × industry's collapse is said only where nothing larger explains it (the period's own
    # findings, or an implausible file of the period): one cause, not twenty consequences
    explained = pl.concat([p.filter(pl.col("blocking")).select(pl.col("year").cast(pl.Int32), pl.col("ytd_months").cast(pl.Int32))
                           for p in (rejected, complete, units, vanished)])
    cells = cells.join(explained.unique(), on=["year", "ytd_months"], how="anti")
    parts = [rejected, vanished, complete, cells, units, missing]
    out = pl.concat([p.select(list(GATE_SCHEMA)).cast(GATE_SCHEMA) for p in parts])
    return sort_findings(out)


def _rejected_files(file_summary: pl.DataFrame, rejected_periods: pl.DataFrame, present: pl.DataFrame) -> pl.DataFrame:
    """Files rejected whole. Tied to a period that other files deliver: that period would be published
    without the file's records — blocking. Tied to a period nothing else delivers: the period was delivered
    and would vanish — blocking too (a readable base file is required; the statistician who means not to
    publish the period removes the file). Tied to no period: reported."""
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
            pl.lit("file_rejected_whole").alias("check_code"), pl.lit(True).alias("blocking"), "year",
            "ytd_months", "source_file",
            pl.format("{}：文件 {} 整个被拒收，该期没有其他可用的记录，整个统计期会缺失（{}）；请修正文件后重新运行，"
                      "如确实不发布该期，请移走该文件", period, "source_file", "file_error").alias("message"),
            pl.format("{}: file {} was rejected whole and no other file delivers the period, which would vanish ({}); "
                      "fix the file and run again, or remove it to publish without the period",
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


def _rejected_base(file_summary: pl.DataFrame, rejected_periods: pl.DataFrame) -> pl.DataFrame:
    """Per period, the base (non-revision) files rejected whole (year, ytd_months, rejected_base)."""
    rev = pl.col("is_revision").fill_null(False) if "is_revision" in file_summary.columns else pl.lit(False)
    base = file_summary.filter(pl.col("file_error").is_not_null() & ~rev).select(pl.col("source_file").cast(pl.String))
    return rejected_periods.cast(FILE_PERIODS_SCHEMA).join(base, on="source_file", how="semi").group_by(
        "year", "ytd_months").agg(pl.col("source_file").unique().alias("rejected_base"))


def _completeness(in_force: pl.DataFrame, delivered: pl.DataFrame, unreliable: pl.DataFrame,
                  rejected_base: pl.DataFrame) -> pl.DataFrame:
    base = delivered.group_by("year", "ytd_months").agg(
        (~pl.col("is_revision")).sum().alias("base_records"),
        pl.col("source_file").filter(pl.col("is_revision")).unique().cast(pl.String).alias("revision_files"),
        pl.col("source_file").filter(~pl.col("is_revision")).unique().cast(pl.String).alias("base_files"),
        pl.col("is_revision").sum().alias("revision_records"),
    )
    # the totals summed exactly (DECIMAL, to the cent of a 元, as the marts store amounts), then as float: the
    # same records in another order give the same total, so a period is never said to fall by rounding
    stats = in_force.group_by("year", "ytd_months").agg(
        pl.len().alias("n"), pl.col("ytd_value_wan").cast(pl.Decimal(38, 6)).sum().cast(pl.Float64).alias("total"),
    ).join(base, on=["year", "ytd_months"], how="left").join(
        rejected_base, on=["year", "ytd_months"], how="left").sort("year", "ytd_months")
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
        # say what is true of the base file: read, rejected whole, or never delivered
        pl.when(pl.col("base_files").list.len() > 0).then(_files_list("base_files"))
        .when(pl.col("rejected_base").list.len() > 0).then(pl.format("基础文件被整体退回：{}", _files_list("rejected_base")))
        .otherwise(pl.lit("（没有基础文件）")).alias("files"),
        pl.when(pl.col("base_files").list.len() > 0).then(_files_list("base_files"))
        .when(pl.col("rejected_base").list.len() > 0).then(pl.format("base file rejected whole: {}", _files_list("rejected_base")))
        .otherwise(pl.lit("no base file")).alias("files_en"),
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
                      "yi", "prev_yi", "files_en").alias("message_en"),
        ),
        s.filter((pl.col("n") < RECORDS_PREV * pl.col("prev_n")).fill_null(False)).select(
            *finding("records_collapse", pl.lit(True)),
            pl.format(f"{{}}：记录数 {{}} 条，不到同年上一累计期 {{}}（{{}} 条）的 {RECORDS_PREV:.0%}，数据不完整；文件：{{}}",
                      "period", "n", "prev_period", "prev_n", "files").alias("message"),
            pl.format(f"{{}}: {{}} records, less than {RECORDS_PREV:.0%} of the previous period's {{}}; incomplete "
                      "(files: {})", "period_en", "n", "prev_n", "files_en").alias("message_en"),
        ),
        s.filter((pl.col("n") < RECORDS_LAST_YEAR * pl.col("ly_n")).fill_null(False)).select(
            *finding("records_collapse", pl.lit(True)),
            pl.format(f"{{}}：记录数 {{}} 条，不到上年同期 {{}}（{{}} 条）的 {RECORDS_LAST_YEAR:.0%}，数据不完整；文件：{{}}",
                      "period", "n", "ly_period", "ly_n", "files").alias("message"),
            pl.format(f"{{}}: {{}} records, less than {RECORDS_LAST_YEAR:.0%} of the same period last year ({{}}); "
                      "incomplete (files: {})", "period_en", "n", "ly_n", "files_en").alias("message_en"),
        ),
        s.filter((pl.col("total") < COLLAPSE * pl.col("ly_total")).fill_null(False)).select(
            *finding("total_collapse", pl.lit(True)),
            pl.format("{}：合计 {} 亿元，不到上年同期 {}（{} 亿元）的一半，数据不完整；文件：{}", "period", "yi", "ly_period",
                      "ly_yi", "files").alias("message"),
            pl.format("{}: total {} 亿元, less than half of the same period last year ({} 亿元); incomplete (files: {})",
                      "period_en", "yi", "ly_yi", "files_en").alias("message_en"),
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


def deliveries_of(passed: pl.DataFrame, dup_long: pl.DataFrame, names: list[str],
                  counted_od: pl.Expr | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """What each file delivered to each period, by its rows' own 统计年度/累计期 (DELIVERIES_SCHEMA), and per
    period the distinct records lost to conflicts (CONFLICT_KEYS_SCHEMA) — from the rows that passed the row
    rules (`passed`, before duplicates are taken out) and the duplicates' reasons (`dup_long`)."""
    name_s = pl.Series(names, dtype=pl.String)
    # (file, year, months) and (file, row) each packed into one integer: one pass to count, one to find
    # the few duplicate rows — three times faster than grouping or joining on several columns at 10M rows
    packed = pl.col("file_idx").cast(pl.Int64) * 1_000_000 + pl.col("year") * 100 + pl.col("ytd_months")
    row_id = pl.col("file_idx").cast(pl.UInt64) * (1 << 32) + pl.col("__idx").cast(pl.UInt64)
    counts = passed.select(packed.alias("__k")).group_by("__k").agg(pl.len().cast(pl.UInt32).alias("rows"))
    codes = dup_long.select(row_id.alias("__id"), "reason_code")
    dup = passed.filter(row_id.is_in(codes["__id"].implode())).with_columns(packed.alias("__k"), row_id.alias("__id"))
    dup = dup.join(codes, on="__id", how="inner")
    dup_counts = dup.group_by("__k").agg(
        (pl.col("reason_code") == "duplicate_conflict").sum().cast(pl.UInt32).alias("conflict_rows"),
        (pl.col("reason_code") == "duplicate_exact").sum().cast(pl.UInt32).alias("exact_rows"))
    deliveries = counts.join(dup_counts, on="__k", how="left").select(
        pl.lit(name_s).gather(pl.col("__k") // 1_000_000).alias("source_file"),
        (pl.col("__k") % 1_000_000 // 100).alias("year"), (pl.col("__k") % 100).alias("ytd_months"),
        "rows", pl.col("conflict_rows", "exact_rows").fill_null(0),
    ).cast(DELIVERIES_SCHEMA)
    conflicting = dup.filter(pl.col("reason_code") == "duplicate_conflict").with_columns(key_od(counted_od, fill=None))
    keys = conflicting.group_by("year", "ytd_months").agg(
        pl.struct(pl.col("unit_code").cast(pl.String), pl.col("industry").cast(pl.String),
                  pl.col("__od").cast(pl.String)).n_unique().cast(pl.UInt32).alias("conflict_keys"))
    return deliveries, keys.cast(CONFLICT_KEYS_SCHEMA)


def _named_periods(file_summary: pl.DataFrame) -> pl.DataFrame:
    """The period each delivered (not ignored) file's name states (FILE_PERIODS_SCHEMA)."""
    status = pl.col("status") if "status" in file_summary.columns else pl.lit("read")
    files = file_summary.filter(status != "ignored")["source_file"].cast(pl.String).to_list()
    named = [(f, *p) for f in files if (p := period_of_name(f.rsplit("/", 1)[-1]))]  # one per file, not per row
    return pl.DataFrame(named, schema=FILE_PERIODS_SCHEMA, orient="row")


def _vanished(in_force: pl.DataFrame, file_summary: pl.DataFrame, rejected_periods: pl.DataFrame,
              deliveries: pl.DataFrame, conflict_keys: pl.DataFrame) -> pl.DataFrame:
    """`period_vanished` and `period_conflicts`: a delivered period must not disappear, nor be published
    from the remains of conflicting re-deliveries."""
    p = ["year", "ytd_months"]
    by_name = _named_periods(file_summary)
    named = pl.concat([by_name, deliveries.select(list(FILE_PERIODS_SCHEMA))]).unique()
    present = in_force.group_by(p).agg(pl.len().alias("n")).cast({"year": pl.Int32, "ytd_months": pl.Int32})
    # a period a file rejected whole was meant to deliver is said by `file_rejected_whole`
    explained = rejected_periods.cast(FILE_PERIODS_SCHEMA).select(p).unique()
    gone = named.join(present, on=p, how="anti").join(explained, on=p, how="anti")
    label, label_en = _label(pl.col("year"), pl.col("ytd_months")), pl.format("{} 1-{}", "year", "ytd_months")
    # why, in as many words as the files say: rows of another period, conflicts, rows all rejected
    elsewhere = by_name.join(deliveries, on="source_file", suffix="_rows").filter(
        (pl.col("year_rows") != pl.col("year")) | (pl.col("ytd_months_rows") != pl.col("ytd_months")))
    elsewhere = elsewhere.group_by("source_file", *p).agg(
        pl.col("rows").sum(), pl.format("{}年1-{}月", "year_rows", "ytd_months_rows").unique().sort().str.join("、")
        .alias("other"), pl.format("{} 1-{}", "year_rows", "ytd_months_rows").unique().sort().str.join(", ")
        .alias("other_en")).select(
        *p, pl.format("文件 {} 的 {} 行写的是 {}，属于其他统计期，不是文件名所写的统计期", "source_file", "rows", "other").alias("zh"),
        pl.format("the {} rows of file {} say {}: they belong to another period", "rows", "source_file",
                  pl.col("other_en")).alias("en"))
    conflicts = deliveries.filter(pl.col("conflict_rows") > 0).group_by(p).agg(
        pl.col("conflict_rows").sum(), pl.col("source_file").unique().alias("files")).with_columns(
        _files_list("files").alias("files"))
    conflicted = conflicts.select(
        *p, pl.format("{} 行在 {} 中重复报送且数值不一致（同一记录报了不同的数值），按合同全部拒收", "conflict_rows", "files").alias("zh"),
        pl.format("{} rows were delivered more than once with different values in {} (conflicting re-deliveries); "
                  "every copy is rejected", "conflict_rows", "files").alias("en"))
    counts = file_summary.select(pl.col("source_file").cast(pl.String), "rows_read", "rows_rejected")
    empty = by_name.join(deliveries, on="source_file", how="anti").join(counts, on="source_file", how="left").select(
        *p, pl.when(pl.col("rows_read").fill_null(0) == 0).then(pl.format("文件 {} 没有数据行", "source_file"))
        .otherwise(pl.format("文件 {} 的 {} 行全部被退回（见 dq_quarantine）", "source_file", "rows_rejected")).alias("zh"),
        pl.when(pl.col("rows_read").fill_null(0) == 0).then(pl.format("file {} holds no data row", "source_file"))
        .otherwise(pl.format("all {} rows of file {} were rejected (see dq_quarantine)", "rows_rejected",
                             "source_file")).alias("en"))
    why = pl.concat([elsewhere, conflicted, empty]).cast({"year": pl.Int32, "ytd_months": pl.Int32}).group_by(p).agg(
        pl.col("zh").str.join("；"), pl.col("en").str.join("; "))
    gone = gone.group_by(p).agg(pl.col("source_file").unique()).with_columns(_files_list("source_file").alias("files"))
    gone = gone.join(why, on=p, how="left").with_columns(
        pl.col("zh").fill_null("没有一条记录被接收"), pl.col("en").fill_null("no record was accepted"))
    vanished = gone.select(
        pl.lit("period_vanished").alias("check_code"), pl.lit(True).alias("blocking"), *p,
        pl.lit(None, pl.String).alias("source_file"),
        pl.format("{}：文件 {} 报送了该期，但该期没有一条记录被接收，整个统计期会缺失——{}；请核对后重新报送", label, "files",
                  "zh").alias("message"),
        pl.format("{}: file(s) {} deliver the period but not one of its records was accepted, the whole period would "
                  "vanish — {}; check and deliver again", label_en, "files", "en").alias("message_en"),
    )
    share = conflicts.join(conflict_keys, on=p, how="inner").join(present, on=p, how="inner").with_columns(
        (pl.col("conflict_keys") / (pl.col("conflict_keys") + pl.col("n"))).alias("share"))
    lost = share.filter((pl.col("share") >= CONFLICT_SHARE) & (pl.col("conflict_keys") >= CONFLICT_MIN)).select(
        pl.lit("period_conflicts").alias("check_code"), pl.lit(True).alias("blocking"), *p,
        pl.lit(None, pl.String).alias("source_file"),
        pl.format("{}：{} 条记录在 {} 中重复报送且数值不一致，全部拒收，占该期记录的 {}%；只发布其余 {} 条会少算该期，"
                  "请确认哪一份正确后重新报送（更正请用修订文件）", label, "conflict_keys", "files",
                  (pl.col("share") * 100).round(0).cast(pl.Int64), "n").alias("message"),
        pl.format("{}: {} records were delivered more than once with different values in {} and every copy rejected, "
                  "{}% of the period; publishing the other {} would undercount it — say which copy is right (a "
                  "correction goes in a revision file)", label_en, "conflict_keys", "files",
                  (pl.col("share") * 100).round(0).cast(pl.Int64), "n").alias("message_en"),
    )
    return pl.concat([vanished, lost]).cast(GATE_SCHEMA)


def _quarter_index(year: pl.Expr, months: pl.Expr) -> pl.Expr:
    return year * 4 + months // 3 - 1


def _missing(in_force: pl.DataFrame, file_summary: pl.DataFrame, deliveries: pl.DataFrame,
             rejected_periods: pl.DataFrame) -> pl.DataFrame:
    """`period_missing`: no file at all for a period between the first and the last delivered one (not blocking)."""
    p = ["year", "ytd_months"]
    delivered = pl.concat([
        in_force.select(pl.col("year").cast(pl.Int32), pl.col("ytd_months").cast(pl.Int32)).unique(),
        _named_periods(file_summary).select(p), deliveries.select(p), rejected_periods.cast(FILE_PERIODS_SCHEMA).select(p),
    ]).unique()
    if delivered.height == 0:
        return pl.DataFrame(schema=GATE_SCHEMA)
    q = delivered.select(_quarter_index(pl.col("year"), pl.col("ytd_months")).alias("q"))
    lo, hi = q["q"].min(), q["q"].max()
    grid = pl.DataFrame({"q": pl.int_range(lo, hi + 1, eager=True)}).select(
        (pl.col("q") // 4).cast(pl.Int32).alias("year"), ((pl.col("q") % 4 + 1) * 3).cast(pl.Int32).alias("ytd_months"))
    absent = grid.join(delivered, on=p, how="anti")
    return absent.select(
        pl.lit("period_missing").alias("check_code"), pl.lit(False).alias("blocking"), *p,
        pl.lit(None, pl.String).alias("source_file"),
        pl.format("{}：没有收到该期的任何文件（前后的统计期都有数据），本次发布不含该期；迟到的文件到后重新运行",
                  _label(pl.col("year"), pl.col("ytd_months"))).alias("message"),
        pl.format("{} 1-{}: no file delivers this period (periods before and after it are delivered); it is not "
                  "published — run again when the file arrives", "year", "ytd_months").alias("message_en"),
    ).cast(GATE_SCHEMA)


def published_periods(marts_db) -> pl.DataFrame:
    """The periods (year, ytd_months) of the last good publication; none when there is none or it cannot be read."""
    from pathlib import Path

    import duckdb

    empty = pl.DataFrame(schema={"year": pl.Int32, "ytd_months": pl.Int32})
    if marts_db is None or not Path(marts_db).is_file():
        return empty
    try:
        con = duckdb.connect(str(marts_db), read_only=True)
        try:
            rows = con.execute("select distinct year, ytd_months from mart_data_status").fetchall()
        finally:
            con.close()
    except duckdb.Error:  # an older or damaged file: nothing to compare with (the build will say more)
        return empty
    return pl.DataFrame(rows, schema=empty.schema, orient="row")


def periods_gone(gate: pl.DataFrame, records: pl.DataFrame, previous: pl.DataFrame) -> pl.DataFrame:
    """`gate` with a `period_gone` finding (not blocking) for each period the last good publication had
    (`previous`, from `published_periods`) and this run has no record of; a `period_missing` finding of the
    same period gives way to it, and a period a blocking finding already names is left to that finding."""
    p = ["year", "ytd_months"]
    now = records.select(pl.col("year").cast(pl.Int32), pl.col("ytd_months").cast(pl.Int32)).unique()
    said = gate.filter(pl.col("blocking")).select(p).unique()
    gone = previous.cast({"year": pl.Int32, "ytd_months": pl.Int32}).join(now, on=p, how="anti").join(
        said, on=p, how="anti", nulls_equal=True)
    if gone.height == 0:
        return gate
    found = gone.sort(p).select(
        pl.lit("period_gone").alias("check_code"), pl.lit(False).alias("blocking"), *p,
        pl.lit(None, pl.String).alias("source_file"),
        pl.format("{}：上次发布的结果有该期，本次没有收到该期的文件，发布后该期不再出现；如属迟报，文件到后重新运行",
                  _label(pl.col("year"), pl.col("ytd_months"))).alias("message"),
        pl.format("{} 1-{}: the last publication had this period and no file delivers it now; it disappears from "
                  "what is published — if the file is late, run again when it arrives", "year", "ytd_months")
        .alias("message_en"),
    ).cast(GATE_SCHEMA)
    kept = gate.join(gone.select(p).with_columns(pl.lit("period_missing").alias("check_code")),
                     on=[*p, "check_code"], how="anti", nulls_equal=True)
    return sort_findings(pl.concat([kept, found]))


def finding_lines(gate: pl.DataFrame) -> list[str]:
    """The gate's findings as `szei validate` prints them: blocking ones first, Chinese then English."""
    if gate.height == 0:
        return []
    lines = ["发布闸门（按所给文件判断）/ publication gate (judged from the files given)"]
    for blocking, zh, en in gate.select("blocking", "message", "message_en").iter_rows():
        lines.append(f"  [{'阻断发布 / blocking' if blocking else '需要核实 / to review'}] {zh}")
        if en:
            lines.append(f"    {en}")
    return lines

"""validate_output_files: read, parse, check, de-duplicate, apply revisions, warn — nothing lost.

No Python loop over rows: loops run over files and over the ~20 rules only; every per-row
computation is a polars expression.

Order of the steps
1. Each file is read as text (`pipelines.ingest`) and parsed; every row rule of
   `rules.row_rules` is evaluated in one vectorised pass, so a row carries *every* reason.
2. Duplicates are looked for among the rows that passed the row rules, over all files:
   non-revision files form one scope, each revision file (`*修订*`) its own scope (a key
   in a revision is not a duplicate of earlier files). Same key, same value (and same
   registration district): the first copy in file-name/row order is kept, each further
   copy is rejected (`duplicate_exact`). Same key, different value or registration
   district: every copy is rejected (`duplicate_conflict`).
3. Revisions are applied after all non-revision files, in file-name order: a revision
   record replaces the record of the same key from the base files or from an earlier
   revision; the replaced record goes to `replaced` with `replaced_by_file`. Keys not
   mentioned by a revision are untouched.
4. Warnings (rows kept) are computed on the final accepted records.

Steps 2–3 live in `crossfile.py`, step 4 in `row_warnings.py`, the file summary in `summary.py`;
this module runs the steps and accounts for every row.

Row accounting: rows_read = rows_accepted + rows_rejected per file, where rows_accepted
counts the rows that passed validation, including those later replaced by a revision
(also counted in rows_replaced). Fully blank lines are not records (counted in rows_blank).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.ingest import FIELDS, Entry, RawFile, order_key, read_output_file
from pipelines.ingest.text import display_name, visible_expr
from pipelines.reference import Reference
from pipelines.validation.batch import ACCEPTED_COLUMNS, QUARANTINE_SCHEMA, REASONS_SCHEMA, OutputBatch, as_text, compact
from pipelines.validation.cell_gate import cell_findings
from pipelines.validation.crossfile import (
    LONG_REASONS,
    apply_revisions,
    find_duplicates,
)
from pipelines.validation.gate import (
    FILE_PERIODS_SCHEMA,
    deliveries_of,
    gate_findings,
    periods_in_rejected_file,
    sort_findings,
)
from pipelines.validation.keys import counting_key
from pipelines.validation.parsing import parse_frame
from pipelines.validation.row_warnings import WARNINGS_SCHEMA, reader_warnings, warnings_of
from pipelines.validation.rules import REPRESENTABLE_LIMIT_WAN, above_bound, above_bound_reason, row_rules
from pipelines.validation.summary import file_summary
from pipelines.validation.vocabulary import FIELD_ZH, Context

_KEEP = [
    "file_idx", "source_row", "__idx", "year", "ytd_months", "period_label", "unit_code", "unit_name",
    "industry", "reg_district", "output_district", "ytd_value_wan", "normalized",
]

def _parse_file(raw: RawFile, file_idx: int, ctx: Context, rules, cache: dict | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(parsed rows with `row_fail`, long-form reasons of the rejected rows)."""
    hm = raw.header_map
    text = raw.frame.select(
        *[(pl.col(hm[f]) if f in hm else pl.lit(None, dtype=pl.String)).alias(f) for f in FIELDS],
        pl.col("__row").alias("source_row"),
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("__idx"),
    )
    parsed = parse_frame(text, ctx, raw.factor, cache).with_columns(
        pl.lit(file_idx, dtype=pl.Int32).alias("file_idx"),
        *[r.fails.alias(f"__fail_{i}") for i, r in enumerate(rules)],
    )
    fail_cols = [f"__fail_{i}" for i in range(len(rules))]
    parsed = parsed.with_columns(pl.any_horizontal(fail_cols).alias("row_fail"))
    rejected = parsed.filter(pl.col("row_fail"))
    parts = []
    for i, r in enumerate(rules):
        hit = rejected.filter(pl.col(f"__fail_{i}"))
        if hit.height:
            parts.append(
                hit.select(
                    "file_idx", "source_row", "__idx",
                    pl.lit(i, dtype=pl.Int32).alias("order"),
                    pl.lit(r.code).alias("reason_code"),
                    r.zh.alias("reason"),
                    r.en.alias("reason_en"),
                    pl.lit(hm.get(r.column, FIELD_ZH[r.column])).alias("column"),
                )
            )
    long = pl.concat(parts) if parts else pl.DataFrame(schema=LONG_REASONS)
    if raw.row_issues is not None and raw.row_issues.height:
        # rows the reader could not take as they are (extra fields, undecodable bytes): rejected, with the reason
        issues = parsed.select("file_idx", "source_row", "__idx").join(
            raw.row_issues.rename({"__row": "source_row"}), on="source_row", how="inner")
        parsed = parsed.with_columns(
            (pl.col("row_fail") | pl.col("source_row").is_in(issues["source_row"].implode())).alias("row_fail"))
        long = pl.concat([long.cast(LONG_REASONS), issues.select(
            "file_idx", "source_row", "__idx", pl.lit(-1, dtype=pl.Int32).alias("order"),
            "reason_code", "reason", "reason_en", "column").cast(LONG_REASONS)])
    return parsed.select(*_KEEP, "row_fail"), long


def _raw_json(frame: pl.DataFrame, file_idx: int, idx: pl.Series) -> pl.DataFrame:
    """The original values of rows `idx` (positions in `frame`) as JSON text."""
    orig = [c for c in frame.columns if c != "__row"]
    return frame[idx].select(
        pl.lit(file_idx, dtype=pl.Int32).alias("file_idx"),
        pl.Series("__idx", idx, dtype=pl.UInt32),
        pl.struct(orig).struct.json_encode().alias("raw"),
    )


def _reread(path: Path, sha256: str | None) -> RawFile:
    """A file read again (for the raw values of rows found to be cross-file duplicates)."""
    from pipelines.errors import SzeiError

    raw = read_output_file(path)
    if raw.sha256 != sha256 or raw.frame is None:
        raise SzeiError(
            f"文件 {path.name} 在校验过程中被修改，请在文件不再变化后重新运行",
            f"file {path.name} changed while it was being validated; run again once it no longer changes",
            file=str(path),
        )
    return raw


def _file_error_rows(raw: RawFile, file_idx: int) -> pl.DataFrame:
    return raw.frame.select(
        pl.lit(file_idx, dtype=pl.Int32).alias("file_idx"),
        pl.col("__row").alias("source_row"),
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("__idx"),
        pl.lit(0, dtype=pl.Int32).alias("order"),
        pl.lit("file_error").alias("reason_code"),
        pl.lit(raw.file_error_zh).alias("reason"),
        pl.lit(raw.file_error_en).alias("reason_en"),
        pl.lit(raw.error_column or "").alias("column"),
    )


def _labels(paths: list[Path], root: Path | None) -> list[str | None]:
    """Names in messages: the path under `root` for a file in a subfolder; else the file name, or
    folder/name when two files of the batch share a name."""
    names = [p.name for p in paths]
    out: list[str | None] = []
    for p in paths:
        rel = None
        if root is not None:
            try:
                rel = p.relative_to(root).as_posix()
            except ValueError:
                rel = None
        if rel is None:
            rel = f"{p.parent.name}/{p.name}" if names.count(p.name) > 1 else p.name
        out.append(display_name(rel))
    return out


@dataclass
class _Read:
    """What reading and parsing the files left: the rows that passed the row rules (typed, compact),
    the reasons and original values of the rejected ones, and each file as read (text dropped)."""

    raws: list[RawFile] = field(default_factory=list)
    rows_read: list[int] = field(default_factory=list)
    passed: list[pl.DataFrame] = field(default_factory=list)
    reasons: list[pl.DataFrame] = field(default_factory=list)  # long form: one row per reason
    raw_values: list[pl.DataFrame] = field(default_factory=list)  # file_idx, __idx, raw (JSON)
    rejected_periods: list[pl.DataFrame] = field(default_factory=list)  # what files rejected whole were to deliver
    # what each file delivered to each period, before duplicates go (gate.deliveries_of)
    deliveries: pl.DataFrame | None = None
    conflict_keys: pl.DataFrame | None = None

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.raws]


def validate_output_files(paths: list[Path], reference: Reference, *, check_schema: bool = True,
                          root: Path | None = None, skipped: list[Entry] = ()) -> OutputBatch:
    """Validate the bureau's output files against the contract (docs/raw-output-contract.md).

    `paths` are processed in file-name order (that order decides which exact duplicate is
    'first' and the order in which revisions apply). Never raises for bad data: unreadable
    files get `file_summary.file_error`. With `check_schema` (always, but in tests that build a
    deliberately odd batch), the accepted records are validated by the contract, the pandera schema
    `AcceptedOutputRecord` (a failure there is a bug).

    `root` (the output folder) names files in subfolders by their path under it; `skipped` are the
    entries of that folder that are not read (`inventory`), listed in the file summary with why.
    Processing order: base files by name (numbers as numbers), then revisions by their number.
    """
    ctx = Context.from_reference(reference)
    read = _read_files([Path(p) for p in paths], Path(root) if root is not None else None, ctx)
    accepted, replaced = _across_files(read, ctx)
    warnings = warnings_of(accepted, ctx) if accepted.height else pl.DataFrame(schema=WARNINGS_SCHEMA)
    read_warnings = reader_warnings(read.raws, accepted)
    if read_warnings.height:
        warnings = pl.concat([warnings, read_warnings]).sort("source_file", "source_row", "warning_code", nulls_last=False)
    quarantine, quarantine_reasons = _quarantine(read)
    summary = file_summary(read.raws, read.rows_read, quarantine, accepted, replaced, warnings, list(skipped))
    batch = OutputBatch(
        records=accepted,
        replaced=as_text(replaced),
        quarantine=quarantine.select(list(QUARANTINE_SCHEMA)).cast(QUARANTINE_SCHEMA),
        quarantine_reasons=quarantine_reasons.select(list(REASONS_SCHEMA)).cast(REASONS_SCHEMA),
        warnings=warnings,
        file_summary=summary,
        gate=_gate(accepted, replaced, summary, warnings, read, ctx),
    )
    if check_schema:
        from pipelines.validation.schemas import check_accepted

        check_accepted(batch.records, reference)
    return batch


@dataclass
class _FileRead:
    """One file read and parsed (by a worker thread): what `_read_files` keeps of it."""

    raw: RawFile
    rows_read: int
    passed: pl.DataFrame | None = None  # the rows that passed the row rules, text columns still String
    reasons: pl.DataFrame | None = None
    raw_values: pl.DataFrame | None = None
    rejected_periods: pl.DataFrame | None = None


def _read_one(path: Path, label: str, i: int, ctx: Context, rules, cache: dict) -> _FileRead:
    raw = read_output_file(path, label=label)
    tabular = raw.frame is not None and (raw.recognised or not raw.file_error_zh)
    one = _FileRead(raw=raw, rows_read=raw.frame.height if tabular else 0)
    if raw.file_error_zh:
        one.rejected_periods = periods_in_rejected_file(raw, raw.name, ctx.period_months)
        if raw.frame is not None and raw.recognised and raw.frame.height:
            one.reasons = _file_error_rows(raw, i)
            one.raw_values = _raw_json(raw.frame, i, one.reasons["__idx"])
    else:
        parsed, long = _parse_file(raw, i, ctx, rules, cache)
        one.passed = parsed.filter(~pl.col("row_fail")).drop("row_fail")
        one.reasons = long
        if long.height:
            one.raw_values = _raw_json(raw.frame, i, long["__idx"].unique(maintain_order=True))
    raw.frame = None
    return one


def read_workers() -> int:
    """Files read and parsed at the same time (`Settings.read_workers`, SZEI_READ_WORKERS): reading and
    parsing one file keeps about one core busy (polars works single-threaded on most of a file's steps),
    so by default two files go side by side where this process may use two processors or more."""
    import os

    from pipelines.settings import Settings

    workers = Settings.from_env().read_workers
    return workers if workers > 0 else min(2, len(os.sched_getaffinity(0)))


def _read_files(paths: list[Path], root: Path | None, ctx: Context) -> _Read:
    """File by file: only the rows that passed the row rules are kept (typed columns), plus the
    reasons and original values of the rejected ones; a file's text frame is dropped once done.
    Two files of one batch with the same name (from different folders) are told apart by their folder.

    Files are read and parsed by `read_workers()` threads (polars releases the GIL), at most that many
    in flight; their results are taken in file order, and the Categorical casts (`compact`) run here,
    in that order, so the category ids are assigned as a one-file-at-a-time run assigns them."""
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    rules = row_rules(ctx)
    labels = dict(zip(paths, _labels(paths, root)))
    paths = sorted(paths, key=lambda p: order_key(labels[p].rsplit("/", 1)[-1], labels[p]))
    read = _Read()
    # parsed distinct values per field, shared by the files (see parse_frame). Two threads may both
    # parse a value new to both and one may overwrite the other's entry: the work is done twice,
    # never wrongly (each file joins its own complete mapping)
    cache: dict = {}
    workers = read_workers()

    def take(one: _FileRead) -> None:
        read.raws.append(one.raw)
        read.rows_read.append(one.rows_read)
        if one.rejected_periods is not None:
            read.rejected_periods.append(one.rejected_periods)
        if one.passed is not None:
            read.passed.append(compact(one.passed))
        if one.reasons is not None:
            read.reasons.append(one.reasons)
        if one.raw_values is not None:
            read.raw_values.append(one.raw_values)

    if workers == 1 or len(paths) < 2:
        for i, path in enumerate(paths):
            take(_read_one(path, labels[path], i, ctx, rules, cache))
        return read
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="szei-read") as pool:
        pending: deque = deque()
        for i, path in enumerate(paths):
            pending.append(pool.submit(_read_one, path, labels[path], i, ctx, rules, cache))
            if len(pending) >= workers:  # at most `workers` files in flight: memory stays bounded
                take(pending.popleft().result())
        while pending:
            take(pending.popleft().result())
    return read


def _across_files(read: _Read, ctx: Context) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(accepted, replaced): duplicates rejected, revisions applied, values above the bound rejected;
    the rejections' reasons and original values added to `read`. Its passed rows are consumed."""
    names, is_rev = read.names, [r.is_revision for r in read.raws]
    if read.passed:
        passed = pl.concat(read.passed)
    else:
        passed = compact(pl.DataFrame(schema={
            "file_idx": pl.Int32, "source_row": pl.Int32, "__idx": pl.UInt32, "year": pl.Int32, "ytd_months": pl.Int32,
            "period_label": pl.String, "unit_code": pl.String, "unit_name": pl.String, "industry": pl.String,
            "reg_district": pl.String, "output_district": pl.String, "ytd_value_wan": pl.Float64,
            "normalized": pl.String,
        }))
    read.passed.clear()
    passed = passed.with_columns(counting_key(passed, ctx.counted_output_district()))
    if names:
        dup_flags, dup_long = find_duplicates(passed, is_rev, names, ctx.counted_output_district())
    else:
        dup_flags, dup_long = None, pl.DataFrame(schema=LONG_REASONS)
    read.reasons.append(dup_long)
    # what each file delivered to each period, before duplicates go: a delivered period must not vanish
    read.deliveries, read.conflict_keys = deliveries_of(passed, dup_long, names, ctx.counted_output_district())
    if dup_flags is not None and dup_flags.height:
        passed = passed.join(dup_flags, on=["file_idx", "__idx"], how="anti", maintain_order="left")
        # original values of the duplicates: their files are read again (rare; the hash must match)
        by_file = dup_flags.group_by("file_idx", maintain_order=True).agg(pl.col("__idx").unique(maintain_order=True))
        for i, idx in by_file.iter_rows():
            raw = _reread(read.raws[i].path, read.raws[i].sha256)
            read.raw_values.append(_raw_json(raw.frame, i, pl.Series(idx, dtype=pl.UInt32)))
    # a revision row above the bound is rejected before it replaces anything, like a row the rules reject
    # (the record it names stays in force); the records in force are judged after the revisions, so a base
    # record that a revision corrects is replaced, not rejected
    if any(is_rev):
        in_revision = pl.lit(pl.Series(is_rev, dtype=pl.Boolean)).gather(pl.col("file_idx"))
        passed = _reject_above_bound(passed, ctx, read.reasons, read.raw_values, read.raws, among=in_revision)
    accepted, replaced = apply_revisions(passed, is_rev, names, ctx.counted_output_district())
    accepted = _reject_above_bound(accepted, ctx, read.reasons, read.raw_values, read.raws)

    file_cat = pl.Series(names, dtype=pl.String).cast(pl.Categorical)
    # the target unit (the counting rule of industries.csv applied) is what the gates judge by; the
    # marts attribute again in SQL, and a blocking check holds that attribution to the rule
    by_output = pl.col("industry").is_in(pl.Series(ctx.output_industries, dtype=pl.String).implode())
    attributed = pl.when(by_output).then(pl.col("output_district")).otherwise(pl.col("reg_district"))
    finish = [pl.lit(file_cat).gather(pl.col("file_idx")).alias("source_file"),
              attributed.replace_strict(ctx.target_unit, default=None, return_dtype=pl.Categorical).alias("target_unit")]
    return (accepted.with_columns(finish).select(ACCEPTED_COLUMNS),
            replaced.with_columns(finish).select(*ACCEPTED_COLUMNS, "replaced_by_file"))


def _quarantine(read: _Read) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(one row per rejected row with every reason and its original values, one row per reason)."""
    name_s = pl.Series(read.names, dtype=pl.String)
    long = pl.concat([p.cast(LONG_REASONS) for p in read.reasons if p.height] or [pl.DataFrame(schema=LONG_REASONS)])
    long = long.sort("file_idx", "source_row", "order").with_columns(
        visible_expr(pl.col(c)) for c in ("reason", "reason_en", "column"))  # invisible characters as U+XXXX
    quarantine = long.group_by("file_idx", "source_row", "__idx", maintain_order=True).agg(
        pl.col("reason").str.join("；").alias("reasons"),
        pl.col("reason_en").str.join("; ").alias("reasons_en"),
        pl.col("column").str.join(",").str.split(",").list.eval(pl.element().filter(pl.element() != ""))
        .list.unique(maintain_order=True).list.join(",").alias("columns"),
        pl.col("reason_code").unique(maintain_order=True).str.join(",").alias("reason_codes"),
    )
    raw_json = (pl.concat(read.raw_values) if read.raw_values
                else pl.DataFrame(schema={"file_idx": pl.Int32, "__idx": pl.UInt32, "raw": pl.String}))
    # a row rejected by a rule and as a duplicate has its raw values once
    raw_json = raw_json.unique(["file_idx", "__idx"], keep="first", maintain_order=True)
    quarantine = (
        quarantine.join(raw_json, on=["file_idx", "__idx"], how="left", maintain_order="left")
        .with_columns(pl.lit(name_s).gather(pl.col("file_idx")).alias("source_file"))
    )
    return quarantine, long.with_columns(pl.lit(name_s).gather(pl.col("file_idx")).alias("source_file"))


def _gate(accepted, replaced, summary, warnings, read: _Read, ctx: Context) -> pl.DataFrame:
    """The publication gate's findings (gate.py), then the same deliveries judged where they are
    published, each district × industry cell (cell_gate.py)."""
    rejected_periods = read.rejected_periods
    gate = gate_findings(accepted, replaced, summary,
                         pl.concat(rejected_periods) if rejected_periods else pl.DataFrame(schema=FILE_PERIODS_SCHEMA),
                         counted_key=["unit_code", "industry", "__counted_od"], counted_od=ctx.counted_output_district(),
                         exempt=ctx.confirmed, deliveries=read.deliveries, conflict_keys=read.conflict_keys)
    # cells said only for periods nothing larger already blocks: one cause, not twenty consequences
    cells = cell_findings(accepted, warnings, ctx.confirmed_record() if ctx.confirmed is not None else None)
    cells = cells.join(gate.filter(pl.col("blocking")).select("year", "ytd_months").unique(),
                       on=["year", "ytd_months"], how="anti", nulls_equal=True)
    if cells.height:
        gate = sort_findings(pl.concat([gate, cells]))
    return gate


def _reject_above_bound(accepted: pl.DataFrame, ctx: Context, long_parts: list, raw_parts: list, raws,
                        among: pl.Expr | None = None) -> pl.DataFrame:
    """Records above the per-enterprise bound (rules.above_bound) — of those `among` selects, if given — are
    rejected: reasons and original values added to the quarantine parts, the records taken out of `accepted`."""
    if ctx.value_bound_wan is None:
        return accepted
    # the few values above the bound first; the confirmations are looked up on those only
    over = accepted.filter(pl.col("ytd_value_wan") > min(ctx.value_bound_wan, REPRESENTABLE_LIMIT_WAN))
    if among is not None:
        over = over.filter(among)
    over = over.filter(above_bound(ctx))
    if over.height == 0:
        return accepted
    zh, en = above_bound_reason(ctx)
    long_parts.append(over.select(
        "file_idx", "source_row", "__idx", pl.lit(102, dtype=pl.Int32).alias("order"),
        pl.lit("value_above_bound").alias("reason_code"), zh.alias("reason"), en.alias("reason_en"),
        pl.lit(FIELD_ZH["ytd_value"]).alias("column")))
    for i, idx in over.group_by("file_idx", maintain_order=True).agg(pl.col("__idx")).iter_rows():
        raw_parts.append(_raw_json(_reread(raws[i].path, raws[i].sha256).frame, i, pl.Series(idx, dtype=pl.UInt32)))
    return accepted.join(over.select("file_idx", "__idx"), on=["file_idx", "__idx"], how="anti", maintain_order="left")



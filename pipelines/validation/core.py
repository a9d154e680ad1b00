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

Steps 2–3 live in `crossfile.py`, step 4 in `row_warnings.py`; this module reads, parses and
accounts for every row.

Row accounting: rows_read = rows_accepted + rows_rejected per file, where rows_accepted
counts the rows that passed validation, including those later replaced by a revision
(also counted in rows_replaced). Fully blank lines are not records (counted in rows_blank).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.ingest import FIELDS, Entry, RawFile, order_key, read_output_file
from pipelines.ingest.inventory import suffix_of
from pipelines.ingest.text import display_name, visible_expr
from pipelines.reference import Reference
from pipelines.validation.cell_gate import cell_findings
from pipelines.validation.crossfile import (
    LONG_REASONS,
    apply_revisions,
    find_duplicates,
)
from pipelines.validation.gate import (
    FILE_PERIODS_SCHEMA,
    GATE_SCHEMA,
    deliveries_of,
    gate_findings,
    periods_in_rejected_file,
)
from pipelines.validation.row_warnings import WARNINGS_SCHEMA, warnings_of
from pipelines.validation.rules import (
    FIELD_ZH,
    REPRESENTABLE_LIMIT_WAN,
    Context,
    above_bound,
    above_bound_reason,
    parse_frame,
    row_rules,
)

ACCEPTED_COLUMNS = [
    "source_file", "source_row", "year", "ytd_months", "period_label", "unit_code", "unit_name",
    "industry", "reg_district", "output_district", "ytd_value_wan", "normalized",
    "attributed_district", "target_unit",
]
QUARANTINE_SCHEMA = {
    "source_file": pl.String, "source_row": pl.Int32, "reasons": pl.String, "reasons_en": pl.String,
    "columns": pl.String, "raw": pl.String, "reason_codes": pl.String,
}
REASONS_SCHEMA = {
    "source_file": pl.String, "source_row": pl.Int32, "reason_code": pl.String, "reason": pl.String,
    "column": pl.String, "reason_en": pl.String,
}
SUMMARY_SCHEMA = {
    "source_file": pl.String, "sha256": pl.String, "encoding": pl.String, "sheet": pl.String,
    "value_unit": pl.String, "is_revision": pl.Boolean, "rows_read": pl.Int64, "rows_accepted": pl.Int64,
    "rows_rejected": pl.Int64, "rows_warned": pl.Int64, "rows_replaced": pl.Int64, "file_error": pl.String,
    "file_error_en": pl.String, "error_column": pl.String, "rows_blank": pl.Int64, "source_path": pl.String,
    "status": pl.String, "status_reason": pl.String, "status_reason_en": pl.String,
}
# dq_file_summary.status: every entry under output/ is one of these
STATUS_READ, STATUS_REJECTED, STATUS_IGNORED = "read", "rejected", "ignored"
_KEEP = [
    "file_idx", "source_row", "__idx", "year", "ytd_months", "period_label", "unit_code", "unit_name",
    "industry", "reg_district", "output_district", "ytd_value_wan", "normalized",
]

# Text columns of the kept rows held as Categorical (4 bytes a row, each distinct value once): across
# 13 files of ~0.8M rows the same enterprises, districts and periods repeat on every row.
COMPACT = ("period_label", "unit_code", "unit_name", "industry", "reg_district", "output_district")


def _as_text(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(pl.col(c).cast(pl.String) for c, t in df.schema.items() if t == pl.Categorical)


def _compact(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(pl.col(c).cast(pl.Categorical) for c in COMPACT if c in df.columns)


@dataclass
class OutputBatch:
    """The result of validating a set of output files (see docs/interfaces.md)."""

    records: pl.DataFrame  # the accepted records as held: repeated text columns Categorical (see `accepted`)
    replaced: pl.DataFrame
    quarantine: pl.DataFrame
    quarantine_reasons: pl.DataFrame
    warnings: pl.DataFrame
    file_summary: pl.DataFrame
    # the publication gate's findings (pipelines.validation.gate): blocking ones stop publication
    gate: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=GATE_SCHEMA))

    @property
    def accepted(self) -> pl.DataFrame:
        """The accepted records, text columns as String (built on each access from `records`; the marts
        read `records` directly, DuckDB sees the same VARCHAR values)."""
        return _as_text(self.records)

    @property
    def has_file_errors(self) -> bool:
        return self.file_summary["file_error"].is_not_null().any()

    @property
    def rows_rejected(self) -> int:
        return self.quarantine.height

    @property
    def files_not_read(self) -> pl.DataFrame:
        """The files rejected whole or ignored, with why (source_file, status, status_reason, status_reason_en)."""
        return self.file_summary.filter(pl.col("status") != STATUS_READ).select(
            "source_file", "status", "status_reason", "status_reason_en")


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


def validate_output_files(paths: list[Path], reference: Reference, *, check_schema: bool = True,
                          root: Path | None = None, skipped: list[Entry] = ()) -> OutputBatch:
    """Validate the bureau's output files against the contract (docs/raw-output-contract.md).

    `paths` are processed in file-name order (that order decides which exact duplicate is
    'first' and the order in which revisions apply). Never raises for bad data: unreadable
    files get `file_summary.file_error`. With `check_schema`, the accepted records are
    validated by the pandera schema `AcceptedOutputRecord` (a failure there is a bug).

    `root` (the output folder) names files in subfolders by their path under it; `skipped` are the
    entries of that folder that are not read (`inventory`), listed in the file summary with why.
    Processing order: base files by name (numbers as numbers), then revisions by their number.
    """
    ctx = Context.from_reference(reference)
    rules = row_rules(ctx)
    root = Path(root) if root is not None else None
    paths = [Path(p) for p in paths]
    labels = dict(zip(paths, _labels(paths, root)))
    paths = sorted(paths, key=lambda p: order_key(labels[p].rsplit("/", 1)[-1], labels[p]))
    raws: list[RawFile] = []
    rows_read: list[int] = []
    parsed_parts, long_parts, raw_parts = [], [], []
    cache: dict = {}  # parsed distinct values per field, shared by the files (see parse_frame)
    # File by file: only the rows that passed the row rules are kept (typed columns), plus the
    # reasons and original values of the rejected ones; a file's text frame is dropped once done.
    # two files of one batch with the same name (from different folders) are told apart by their folder
    rejected_periods = []  # the periods files rejected whole were meant to deliver (for the gate)
    for i, path in enumerate(paths):
        raw = read_output_file(path, label=labels[path])
        raws.append(raw)
        tabular = raw.frame is not None and (raw.recognised or not raw.file_error_zh)
        rows_read.append(raw.frame.height if tabular else 0)
        if raw.file_error_zh:
            rejected_periods.append(periods_in_rejected_file(raw, raw.name))
            if raw.frame is not None and raw.recognised and raw.frame.height:
                long = _file_error_rows(raw, i)
                long_parts.append(long)
                raw_parts.append(_raw_json(raw.frame, i, long["__idx"]))
        else:
            parsed, long = _parse_file(raw, i, ctx, rules, cache)
            parsed_parts.append(_compact(parsed.filter(~pl.col("row_fail")).drop("row_fail")))
            long_parts.append(long)
            if long.height:
                raw_parts.append(_raw_json(raw.frame, i, long["__idx"].unique(maintain_order=True)))
            del parsed
        raw.frame = None
    del cache

    names = [r.name for r in raws]
    is_rev = [r.is_revision for r in raws]
    name_s = pl.Series(names, dtype=pl.String)

    if parsed_parts:
        passed = pl.concat(parsed_parts)
    else:
        passed = _compact(pl.DataFrame(schema={
            "file_idx": pl.Int32, "source_row": pl.Int32, "__idx": pl.UInt32, "year": pl.Int32, "ytd_months": pl.Int32,
            "period_label": pl.String, "unit_code": pl.String, "unit_name": pl.String, "industry": pl.String,
            "reg_district": pl.String, "output_district": pl.String, "ytd_value_wan": pl.Float64,
            "normalized": pl.String,
        }))
    del parsed_parts
    if names:
        dup_flags, dup_long = find_duplicates(passed, is_rev, names, ctx.counted_output_district())
    else:
        dup_flags, dup_long = None, pl.DataFrame(schema=LONG_REASONS)
    long_parts.append(dup_long)
    # what each file delivered to each period, before duplicates go: a delivered period must not vanish
    deliveries, conflict_keys = deliveries_of(passed, dup_long, names, ctx.counted_output_district())
    if dup_flags is not None and dup_flags.height:
        passed = passed.join(dup_flags, on=["file_idx", "__idx"], how="anti", maintain_order="left")
        # original values of the duplicates: their files are read again (rare; the hash must match)
        for i, idx in dup_flags.group_by("file_idx", maintain_order=True).agg(pl.col("__idx").unique(maintain_order=True)).iter_rows():
            raw_parts.append(_raw_json(_reread(raws[i].path, raws[i].sha256).frame, i, pl.Series(idx, dtype=pl.UInt32)))
    accepted, replaced = apply_revisions(passed, is_rev, names, ctx.counted_output_district())
    accepted = _reject_above_bound(accepted, ctx, long_parts, raw_parts, raws)

    file_cat = name_s.cast(pl.Categorical)

    def finish(df: pl.DataFrame) -> pl.DataFrame:
        # the counting rule from industries.csv: where the output occurs, or where the enterprise is registered
        by_output = pl.col("industry").is_in(pl.Series(ctx.output_industries, dtype=pl.String).implode())
        attributed = pl.when(by_output).then(pl.col("output_district")).otherwise(pl.col("reg_district"))
        return df.with_columns(
            pl.lit(file_cat).gather(pl.col("file_idx")).alias("source_file"),
            attributed.alias("attributed_district"),
            attributed.replace_strict(ctx.target_unit, default=None, return_dtype=pl.Categorical).alias("target_unit"),
        )

    accepted = finish(accepted).select(ACCEPTED_COLUMNS)
    replaced = finish(replaced).select(*ACCEPTED_COLUMNS, "replaced_by_file")
    warnings = warnings_of(accepted, ctx) if accepted.height else pl.DataFrame(schema=WARNINGS_SCHEMA)
    read_warnings = _reader_warnings(raws, accepted)
    if read_warnings.height:
        warnings = pl.concat([warnings, read_warnings]).sort("source_file", "source_row", "warning_code", nulls_last=False)

    long = pl.concat([p.cast(LONG_REASONS) for p in long_parts if p.height] or [pl.DataFrame(schema=LONG_REASONS)])
    long = long.sort("file_idx", "source_row", "order").with_columns(
        visible_expr(pl.col(c)) for c in ("reason", "reason_en", "column"))  # invisible characters as U+XXXX
    quarantine = long.group_by("file_idx", "source_row", "__idx", maintain_order=True).agg(
        pl.col("reason").str.join("；").alias("reasons"),
        pl.col("reason_en").str.join("; ").alias("reasons_en"),
        pl.col("column").str.join(",").str.split(",").list.eval(pl.element().filter(pl.element() != ""))
        .list.unique(maintain_order=True).list.join(",").alias("columns"),
        pl.col("reason_code").unique(maintain_order=True).str.join(",").alias("reason_codes"),
    )
    raw_json = pl.concat(raw_parts) if raw_parts else pl.DataFrame(schema={"file_idx": pl.Int32, "__idx": pl.UInt32, "raw": pl.String})
    # a row rejected by a rule and as a duplicate has its raw values once
    raw_json = raw_json.unique(["file_idx", "__idx"], keep="first", maintain_order=True)
    quarantine = (
        quarantine.join(raw_json, on=["file_idx", "__idx"], how="left", maintain_order="left")
        .with_columns(pl.lit(name_s).gather(pl.col("file_idx")).alias("source_file"))
    )
    quarantine_reasons = long.with_columns(pl.lit(name_s).gather(pl.col("file_idx")).alias("source_file"))

    summary = _file_summary(raws, rows_read, quarantine, accepted, replaced, warnings, list(skipped))
    gate = gate_findings(accepted, replaced, summary,
                         pl.concat(rejected_periods) if rejected_periods else pl.DataFrame(schema=FILE_PERIODS_SCHEMA),
                         counted_key=["unit_code", "industry", "__counted_od"], counted_od=ctx.counted_output_district(),
                         exempt=ctx.confirmed, deliveries=deliveries, conflict_keys=conflict_keys)
    # the same deliveries judged where they are published: each district × industry cell
    # (said only for periods nothing larger already blocks: one cause, not twenty consequences)
    cells = cell_findings(accepted, warnings, ctx.confirmed_record() if ctx.confirmed is not None else None)
    cells = cells.join(gate.filter(pl.col("blocking")).select("year", "ytd_months").unique(),
                       on=["year", "ytd_months"], how="anti", nulls_equal=True)
    if cells.height:
        gate = pl.concat([gate, cells]).sort(["blocking", "year", "ytd_months", "source_file", "check_code"],
                                             descending=[True, False, False, False, False], nulls_last=True)
    batch = OutputBatch(
        records=accepted,
        replaced=_as_text(replaced),
        quarantine=quarantine.select(list(QUARANTINE_SCHEMA)).cast(QUARANTINE_SCHEMA),
        quarantine_reasons=quarantine_reasons.select(list(REASONS_SCHEMA)).cast(REASONS_SCHEMA),
        warnings=warnings,
        file_summary=summary,
        gate=gate,
    )
    if check_schema:
        from pipelines.validation.schemas import check_accepted

        check_accepted(batch.records, reference)
    return batch


def _reject_above_bound(accepted: pl.DataFrame, ctx: Context, long_parts: list, raw_parts: list, raws) -> pl.DataFrame:
    """Records in force above the per-enterprise bound (rules.above_bound) are rejected: reasons and
    original values added to the quarantine parts, the records taken out of `accepted`."""
    if ctx.value_bound_wan is None:
        return accepted
    # the few values above the bound first; the confirmations are looked up on those only
    over = accepted.filter(pl.col("ytd_value_wan") > min(ctx.value_bound_wan, REPRESENTABLE_LIMIT_WAN)).filter(above_bound(ctx))
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


def _reader_warnings(raws: list[RawFile], accepted: pl.DataFrame) -> pl.DataFrame:
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


def _status(raw: RawFile) -> tuple[str, str | None, str | None]:
    """read / rejected (with the file error) / ignored (a .txt that holds no table: a note, not a delivery)."""
    if not raw.file_error_zh:
        return STATUS_READ, None, None
    if raw.not_a_table and suffix_of(raw.path.name) == ".txt":
        return (STATUS_IGNORED, "文本文件中没有约定的列名（统计年度、累计期、单位代码……），不是数据表，不读取",
                "a text file without any contract header (统计年度/year, 累计期/period, …): not a data table, not read")
    return STATUS_REJECTED, raw.file_error_zh, raw.file_error_en


def _file_summary(raws, rows_read, quarantine, accepted, replaced, warnings, skipped=()) -> pl.DataFrame:
    def counts(df: pl.DataFrame, col: str, by: str = "file_idx") -> dict[int, int]:
        if df.height == 0:
            return {}
        return dict(df.group_by(by).agg(pl.len().alias(col)).iter_rows())

    n_rejected = counts(quarantine, "n")

    def by_name(df: pl.DataFrame) -> dict:
        return counts(df, "n", "source_file") if df.height else {}

    n_acc = by_name(accepted)
    n_repl = by_name(replaced)
    row_warnings = warnings.filter(pl.col("source_row").is_not_null())  # not the file-level ones
    n_warned = by_name(row_warnings.unique(["source_file", "source_row"])) if row_warnings.height else {}
    records = []
    for i, raw in enumerate(raws):
        read = rows_read[i]  # the file's records; a file that is not a table at all has none
        rejected = n_rejected.get(i, 0)
        status, why, why_en = _status(raw)
        records.append({
            "source_file": raw.name,
            "sha256": raw.sha256,
            "encoding": raw.encoding,
            "sheet": raw.sheet,
            "value_unit": raw.value_unit,
            "is_revision": raw.is_revision,
            "rows_read": read,
            "rows_accepted": 0 if raw.file_error_zh else n_acc.get(raw.name, 0) + n_repl.get(raw.name, 0),
            "rows_rejected": rejected,
            "rows_warned": n_warned.get(raw.name, 0),
            "rows_replaced": n_repl.get(raw.name, 0),
            "file_error": raw.file_error_zh if status == STATUS_REJECTED else None,
            "file_error_en": raw.file_error_en if status == STATUS_REJECTED else None,
            "error_column": raw.error_column if status == STATUS_REJECTED else None,
            "rows_blank": raw.rows_blank,
            "source_path": display_name(str(raw.path)),
            "status": status, "status_reason": why, "status_reason_en": why_en,
        })
    for e in skipped:
        records.append({
            "source_file": e.label, "is_revision": False, "rows_read": 0, "rows_accepted": 0, "rows_rejected": 0,
            "rows_warned": 0, "rows_replaced": 0, "rows_blank": 0, "source_path": display_name(str(e.path)),
            "file_error": e.reason_zh if e.status == STATUS_REJECTED else None,
            "file_error_en": e.reason_en if e.status == STATUS_REJECTED else None,
            "status": e.status, "status_reason": e.reason_zh, "status_reason_en": e.reason_en,
        })
    return pl.DataFrame(records, schema=SUMMARY_SCHEMA)

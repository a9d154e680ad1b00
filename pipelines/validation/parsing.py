"""Parsing: the text cells of a file → typed, normalised columns, each normalisation recorded.

`parse_frame` parses each field once per distinct value (and, with the caller's cache, a value seen in an
earlier file is not parsed again) and joins back; the value column takes a one-cast fast path. Nothing here rejects a row: a cell that
does not parse is null beside its text, and the rules (`rules.py`) say why."""

from __future__ import annotations

import polars as pl

from pipelines.validation.checkcodes import code_format_ok, expected_check_char, unit_code_is_valid
from pipelines.validation.normalise import (
    PLAIN_CODE,
    needs_trim,
    normalise_code,
    normalise_period,
    normalise_value,
    normalise_year,
    note,
    strip,
    where_needed,
)
from pipelines.validation.vocabulary import FIELD_ZH, Context


def field_parsers(ctx: Context) -> dict[str, list[pl.Expr]]:
    """Per text field (column named by the field): expressions giving its parsed columns.

    Each list ends with a `__note_<field>` column (the normalisation applied, or null).
    They depend on that one field only, so the pipeline evaluates them on the field's
    distinct values and joins back (cheap for low-cardinality columns).
    """
    c = pl.col

    def trimnote(f: str) -> pl.Expr:
        return note(c(f).is_not_null() & (c(f) != strip(c(f)).fill_null("")), f"{FIELD_ZH[f]}去除首尾空格")

    def notes(f: str, *more: pl.Expr) -> pl.Expr:
        joined = pl.concat_str([trimnote(f), *more], separator="；", ignore_nulls=True)
        return pl.when(joined != "").then(joined).alias(f"__note_{f}")

    year_s = strip(c("year"))
    year_n = normalise_year(year_s)
    period_s = strip(c("period"))
    period_n = normalise_period(period_s)
    months = period_n.replace_strict(ctx.period_months, default=None, return_dtype=pl.Int32)  # the run's periods.csv
    # prepared once per distinct code by `field_preparations` (a deep expression evaluated
    # inline is re-computed in every place it is used: ~5× slower)
    code_s = c("__code_s")
    code_n = c("__code_n")
    allowed = code_n.is_in(pl.Series(ctx.allowlist, dtype=pl.String).implode()) if ctx.allowlist else pl.lit(False)
    ind_s = strip(c("industry"))
    ind_n = ind_s.str.to_lowercase().replace_strict(ctx.industry_aliases, default=None, return_dtype=pl.String)
    reg_s = strip(c("reg_district"))
    reg_n = reg_s.replace_strict(ctx.district_aliases, default=None, return_dtype=pl.String)
    out_s = strip(c("output_district"))
    out_n = out_s.replace_strict(ctx.district_aliases, default=None, return_dtype=pl.String)
    return {
        "year": [
            year_s.alias("year_text"),
            pl.when(year_n.str.contains(r"^\d{4}$")).then(year_n.cast(pl.Int32, strict=False)).alias("year"),
            notes("year", note(year_n != year_s, pl.format("统计年度「{}」→{}", year_s, year_n))),
        ],
        "period": [
            period_s.alias("period_text"),
            months.alias("ytd_months"),
            pl.when(months.is_not_null()).then(period_n).alias("period_label"),
            notes("period", note(period_n != period_s, pl.format("累计期「{}」→{}", period_s, period_n))),
        ],
        "unit_code": [
            code_s.alias("unit_code_text"),
            code_n.alias("unit_code"),
            # check-character facts of the code, computed once per distinct code
            (code_format_ok(code_n) | allowed).alias("__code_format_ok"),
            (allowed | (code_format_ok(code_n) & unit_code_is_valid(code_n))).alias("__code_valid"),
            expected_check_char(code_n).fill_null("?").alias("__code_expected"),
            notes("unit_code", note(code_n != code_s, pl.format("单位代码「{}」→{}", code_s, code_n))),
        ],
        "unit_name": [strip(c("unit_name")).alias("unit_name"), notes("unit_name")],
        "industry": [
            ind_s.alias("industry_text"),
            ind_n.alias("industry"),
            notes("industry", note(ind_n != ind_s, pl.format("产业类别「{}」→{}", ind_s, ind_n))),
        ],
        "reg_district": [
            reg_s.alias("reg_district_text"),
            reg_n.alias("reg_district"),
            notes("reg_district", note(reg_n != reg_s, pl.format("注册地「{}」→{}", reg_s, reg_n))),
        ],
        "output_district": [
            out_s.alias("output_district_text"),
            out_n.alias("output_district"),
            notes("output_district", note(out_n != out_s, pl.format("产值发生地「{}」→{}", out_s, out_n))),
        ],
    }


def field_preparations() -> dict[str, list[pl.Expr]]:
    """Columns computed before `field_parsers` (which read them)."""
    code_s = strip(pl.col("unit_code"))
    return {"unit_code": [code_s.alias("__code_s"), normalise_code(code_s).alias("__code_n")]}


def plain_cells() -> dict[str, tuple[pl.Expr, list[pl.Expr]]]:
    """Per field: (the cells that need the work of `field_preparations` / `field_parsers`, the columns
    those give every other cell — computed without the work). `where_needed` uses both."""
    c = pl.col
    return {
        "unit_code": (~c("unit_code").str.contains(PLAIN_CODE).fill_null(True),
                      [c("unit_code").alias("__code_s"), c("unit_code").alias("__code_n")]),
        "unit_name": (needs_trim(c("unit_name")),
                      [c("unit_name"), pl.lit(None, dtype=pl.String).alias("__note_unit_name")]),
    }


# Fields whose parsers are cheap and whose values are mostly distinct: evaluated on the rows
# directly (a distinct + join would cost more than it saves).
ROW_WISE_FIELDS = ("unit_name",)


NUMBER_RE = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def parse_value(df: pl.DataFrame, factor: float) -> pl.DataFrame:
    """`ytd_value` text → value_text, ytd_value_wan (万元), __note_ytd_value.

    The plain-number fast path is one cast; the trimming runs only on the cells with a space at an
    end, the normalisations (full-width digits, thousands separators) only on the cells that did not
    parse, the note only on the cells that have one (`where_needed`).
    """
    c = pl.col
    no_note = pl.lit(None, dtype=pl.String)
    value_s = strip(c("ytd_value"))
    df = where_needed(df, needs_trim(c("ytd_value")), [c("ytd_value").alias("value_text"), no_note.alias("__trim")], [
        value_s.alias("value_text"),
        note(c("ytd_value").is_not_null() & (c("ytd_value") != value_s.fill_null("")), "本年累计产值去除首尾空格").alias("__trim"),
    ])
    df = df.with_columns(c("value_text").cast(pl.Float64, strict=False).alias("ytd_value_wan"))
    fixed = normalise_value(c("value_text"))
    df = where_needed(df, c("ytd_value_wan").is_null() & c("value_text").is_not_null(),
                      [c("ytd_value_wan"), no_note.alias("__fix")], [
        fixed.cast(pl.Float64, strict=False).alias("ytd_value_wan"),
        pl.when(fixed != c("value_text")).then(pl.format("产值「{}」→{}", c("value_text"), fixed)).alias("__fix"),
    ])
    joined = pl.concat_str([c("__trim"), c("__fix")], separator="；", ignore_nulls=True)
    df = where_needed(df, c("__trim").is_not_null() | c("__fix").is_not_null(), [no_note.alias("__note_ytd_value")],
                      [pl.when(joined != "").then(joined).alias("__note_ytd_value")]).drop("__trim", "__fix")
    if factor != 1.0:
        df = df.with_columns(c("ytd_value_wan") * factor)
    return df


def parse_frame(text: pl.DataFrame, ctx: Context, factor: float, cache: dict | None = None) -> pl.DataFrame:
    """Text columns named by field → parsed columns (see `field_parsers`, `parse_value`).

    `cache` (a dict kept by the caller across the files of a run) holds each field's parsed
    distinct values, so that a value seen in an earlier file (a unit code: the same
    enterprises report every quarter) is not parsed again. Files parsed at the same time (two threads)
    may both parse a value new to both, and one may overwrite the other's entry: work done twice, never a
    wrong result, since each file joins the mapping it made (the cache as it read it + its own new values).

    Output columns: year_text, year (Int32), period_text, ytd_months (Int32), period_label,
    unit_code_text, unit_code, unit_name, industry_text, industry, reg_district_text,
    reg_district (dictionary name or null), output_district_text, output_district,
    value_text, ytd_value_wan (Float64, 万元), normalized (text or null), plus the other
    columns of `text` and internal `__…` columns.
    """
    out = text
    prep = field_preparations()
    plain = plain_cells()
    for f, exprs in field_parsers(ctx).items():
        if f in ROW_WISE_FIELDS:
            out = where_needed(out, *plain[f], exprs) if f in plain else out.with_columns(*exprs)
            continue
        keys = text.select(pl.col(f).unique().alias("__key"))
        cached = cache.get(f) if cache is not None else None
        if cached is not None:
            keys = keys.join(cached.select("__key"), on="__key", how="anti", nulls_equal=True)
        mapped = keys.with_columns(pl.col("__key").alias(f))
        if f in prep:
            mapped = where_needed(mapped, *plain[f], prep[f]) if f in plain else mapped.with_columns(*prep[f])
        mapped = mapped.select("__key", *exprs)
        if cached is not None:
            mapped = pl.concat([cached, mapped], how="vertical_relaxed")
        if cache is not None:
            cache[f] = mapped
        if f in mapped.columns:  # the parsed column (year, unit_code, unit_name) replaces the text
            out = out.rename({f: "__text"})
            key = "__text"
        else:
            key = f
        out = out.join(mapped, left_on=key, right_on="__key", how="left", nulls_equal=True, maintain_order="left")
        if key == "__text":
            out = out.drop("__text")
    out = parse_value(out, factor)
    note_cols = [f"__note_{f}" for f in FIELD_ZH]
    # a note is null or non-empty text: only the columns holding a note are joined (usually none)
    counts = out.select(pl.col(n).is_not_null().any() for n in note_cols).row(0)
    present = [n for n, has in zip(note_cols, counts) if has]
    if not present:
        normalized = pl.lit(None, dtype=pl.String)
    elif len(present) == 1:
        normalized = pl.col(present[0])
    else:
        joined = pl.concat_str([pl.col(n) for n in present], separator="；", ignore_nulls=True)
        normalized = pl.when(joined != "").then(joined)
    return out.with_columns(normalized.alias("normalized")).drop(note_cols)

"""The contract's rules, defined once as named polars expressions.

`parse_expressions` turns the text cells of a file into typed, normalised columns
(recording each normalisation); `row_rules` are the per-row rejection rules, each a
`Rule(code, column, zh, en, fails)` whose `fails` is a vectorised polars expression over
the parsed columns. The same expressions are used

- by the pipeline, to compute every reason of every row in one pass (`validate_output_files`);
- by the pandera schema `schemas.parsed_schema(reference)`, one `dataframe_check` per rule;
- by the tests.

Accepted years: 1979 (深圳建市) to the current calendar year (`YEAR_MIN`, `YEAR_MAX`). The contract
asks only for a four-digit year and the pipeline may accept more, never less: years outside the
plan's 2010–2012 are kept as base or later years with no target (NULL in the marts). A year
before the city existed or in the future cannot be true and rejects the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from pipelines.reference import Reference
from pipelines.reference.schemas import INDUSTRIES
from pipelines.validation.checkcodes import USCC_CHARSET, expected_check_char, unit_code_is_valid

YEAR_MIN = 1979  # 深圳市 was set up in 1979
YEAR_MAX = date.today().year  # a year in the future cannot have been reported
PLAN_FIRST_YEAR = 2010  # districts valid from a later year are new areas (龙华新区, 大鹏新区: 2012)
PERIOD_MONTHS = {"1-3月": 3, "1-6月": 6, "1-9月": 9, "1-12月": 12}
BIO = "生物"

SPACES = " \t\r\n\u3000\xa0"
FULLWIDTH_DIGITS = [chr(0xFF10 + i) for i in range(10)]
ASCII_DIGITS = [str(i) for i in range(10)]
FULLWIDTH_UPPER = [chr(0xFF21 + i) for i in range(26)]
FULLWIDTH_LOWER = [chr(0xFF41 + i) for i in range(26)]
ASCII_UPPER = [chr(0x41 + i) for i in range(26)]
DASHES = ["—", "–", "－", "~", "～", "‐", "‑", "‒", "−", "―", "〜"]
INDUSTRY_ALIASES_EN = {"bio": "生物", "internet": "互联网", "new_energy": "新能源", "newenergy": "新能源", "new energy": "新能源"}

# field → the Chinese header used in messages
FIELD_ZH = {
    "year": "统计年度",
    "period": "累计期",
    "unit_code": "单位代码",
    "unit_name": "单位名称",
    "industry": "产业类别",
    "reg_district": "注册地",
    "output_district": "产值发生地",
    "ytd_value": "本年累计产值",
}
KEY = ["year", "ytd_months", "unit_code", "industry", "output_district"]


@dataclass(frozen=True)
class Context:
    """What the rules need from the reference data."""

    district_aliases: dict[str, str]
    districts: list[str]
    valid_from: dict[str, int]
    target_unit: dict[str, str]
    established: dict[str, str]
    industries: list[str]
    allowlist: list[str]
    # industries counted where the output occurs (ref_industries.counting_rule = 'output'): only for
    # these does 产值发生地 distinguish an enterprise's records (the counting rule in the key)
    output_industries: tuple[str, ...] = (BIO,)
    value_bound_wan: float | None = None  # the per-enterprise upper bound (Reference.value_bound_wan)
    # confirmed outliers: year, ytd_months, unit_code, industry, ytd_value_wan (reference confirmed_outliers.csv)
    confirmed: pl.DataFrame | None = None

    @classmethod
    def from_reference(cls, ref: Reference) -> Context:
        d = ref.districts
        allow = (
            ref.unit_code_allowlist.select(normalise_code(pl.col("unit_code")).alias("c")).to_series().to_list()
            if ref.unit_code_allowlist.height
            else []
        )
        return cls(
            district_aliases=ref.district_aliases(),
            districts=d["district"].to_list(),
            valid_from=dict(zip(d["district"], d["valid_from_year"])),
            target_unit=dict(zip(d["district"], d["target_unit"])),
            established={k: v for k, v in zip(d["district"], d["established"]) if v},
            industries=ref.industries["industry"].to_list(),
            allowlist=allow,
            output_industries=tuple(ref.industries.filter(pl.col("counting_rule") == "output")["industry"]),
            value_bound_wan=ref.value_bound_wan,
            confirmed=_confirmed(ref),
        )

    def counted_output_district(self) -> pl.Expr:
        """产值发生地 as the record is counted: kept for industries counted where the output occurs,
        null for those counted where the enterprise is registered (it does not place their records)."""
        counted = pl.col("industry").is_in(pl.Series(self.output_industries, dtype=pl.String).implode())
        return pl.when(counted).then(pl.col("output_district"))

    def confirmed_record(self) -> pl.Expr:
        """True on a record listed in confirmed_outliers.csv with the same value (to 2 decimals)."""
        if self.confirmed is None or self.confirmed.height == 0:
            return pl.lit(False)
        keys = self.confirmed.select(_confirmation_key(
            pl.col("year"), pl.col("ytd_months"), pl.col("unit_code"), pl.col("industry"), pl.col("ytd_value_wan")))
        return _confirmation_key(pl.col("year"), pl.col("ytd_months"), pl.col("unit_code"), pl.col("industry"),
                                 pl.col("ytd_value_wan")).is_in(keys.to_series().implode()).fill_null(False)


def _confirmation_key(year, months, code, industry, value) -> pl.Expr:
    return pl.concat_str([year.cast(pl.String), months.cast(pl.String), code.cast(pl.String), industry.cast(pl.String),
                          value.round(2).cast(pl.String)], separator="|")


def _confirmed(ref: Reference) -> pl.DataFrame | None:
    c = ref.confirmed_outliers
    if c is None or c.height == 0:
        return None
    return c.select(
        pl.col("year").cast(pl.Int32),
        pl.col("period").replace_strict(PERIOD_MONTHS, return_dtype=pl.Int32).alias("ytd_months"),
        normalise_code(pl.col("unit_code")).alias("unit_code"),
        pl.col("industry").cast(pl.String),
        pl.col("ytd_value_wan").cast(pl.Float64),
    )


# ---------------------------------------------------------------------------- normalisation


def strip(e: pl.Expr) -> pl.Expr:
    """Trim spaces (half/full-width); empty → null."""
    s = e.str.strip_chars(SPACES)
    return pl.when(s == "").then(None).otherwise(s)


# A cell with no space at either end (and not empty) is one `strip` leaves as it is: most cells of most
# files. Such cells skip the trimming and its note (`where_needed`).
EDGE_SPACE = f"^[{SPACES}]|[{SPACES}]$"
# A unit code of ASCII capitals and digits only is already what `normalise_code(strip(·))` makes of it.
PLAIN_CODE = r"^[0-9A-Z]+$"


def needs_trim(e: pl.Expr) -> pl.Expr:
    """True where `strip` would change the cell: a space at an end, or empty (null cells: False)."""
    return (e.str.contains(EDGE_SPACE) | (e == "")).fill_null(False)


def where_needed(df: pl.DataFrame, needs: pl.Expr, plain: list[pl.Expr], full: list[pl.Expr]) -> pl.DataFrame:
    """`df` with the columns of `full`, evaluated only on the rows where `needs` holds; on the others
    `plain` gives the very same values (same names and types) without the work.

    A when/then would not save anything: polars evaluates both branches on every row. So the rows
    that need it are gathered, parsed, and scattered back; when most rows need it, `full` runs on all.
    """
    rows = df.select(pl.arg_where(needs)).to_series()
    if rows.len() > df.height // 2:
        return df.with_columns(full)
    out = df.with_columns(plain)
    if rows.len():
        fixed = df[rows].select(full)
        out = out.with_columns(out.get_column(c).clone().scatter(rows, fixed.get_column(c)) for c in fixed.columns)
    return out


def halfwidth_digits(e: pl.Expr) -> pl.Expr:
    return e.str.replace_many(FULLWIDTH_DIGITS, ASCII_DIGITS)


def normalise_code(e: pl.Expr) -> pl.Expr:
    """Upper case, half-width, no '-' / spaces."""
    return (
        e.str.replace_many(FULLWIDTH_DIGITS + FULLWIDTH_UPPER + FULLWIDTH_LOWER, ASCII_DIGITS + ASCII_UPPER + ASCII_UPPER)
        .str.replace_all(r"[\s\-－—–\u3000]", "")
        .str.to_uppercase()
    )


def normalise_period(e: pl.Expr) -> pl.Expr:
    """Full-width digits and dash variants → `1-3月`; spaces removed; a missing 月 added."""
    p = halfwidth_digits(e).str.replace_many(DASHES, ["-"] * len(DASHES)).str.replace_all(r"\s", "")
    return pl.when(p.str.contains(r"^\d+-\d+$")).then(p + "月").otherwise(p)


def normalise_year(e: pl.Expr) -> pl.Expr:
    """Full-width digits → ASCII; a trailing 年 and an Excel `.0` removed."""
    return halfwidth_digits(e).str.replace(r"年$", "").str.replace(r"^(\d{4})\.0+$", "${1}")


def normalise_value(e: pl.Expr) -> pl.Expr:
    """Full-width digits → ASCII; thousands separators removed (only where every group has 3 digits:
    `1,234,567.8` → 1234567.8; `12,34` stays as it is and is rejected, a comma is never guessed)."""
    s = halfwidth_digits(e).str.replace_many(["，", "．"], [",", "."])
    grouped = s.str.contains(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
    return pl.when(grouped).then(s.str.replace_all(",", "", literal=True)).otherwise(s)


def _note(changed: pl.Expr, text: pl.Expr | str) -> pl.Expr:
    return pl.when(changed.fill_null(False)).then(text if isinstance(text, pl.Expr) else pl.lit(text))


def field_parsers(ctx: Context) -> dict[str, list[pl.Expr]]:
    """Per text field (column named by the field): expressions giving its parsed columns.

    Each list ends with a `__note_<field>` column (the normalisation applied, or null).
    They depend on that one field only, so the pipeline evaluates them on the field's
    distinct values and joins back (cheap for low-cardinality columns).
    """
    c = pl.col

    def trim_note(f: str) -> pl.Expr:
        return _note(c(f).is_not_null() & (c(f) != strip(c(f)).fill_null("")), f"{FIELD_ZH[f]}去除首尾空格")

    def notes(f: str, *more: pl.Expr) -> pl.Expr:
        joined = pl.concat_str([trim_note(f), *more], separator="；", ignore_nulls=True)
        return pl.when(joined != "").then(joined).alias(f"__note_{f}")

    year_s = strip(c("year"))
    year_n = normalise_year(year_s)
    period_s = strip(c("period"))
    period_n = normalise_period(period_s)
    months = period_n.replace_strict(PERIOD_MONTHS, default=None, return_dtype=pl.Int32)
    # prepared once per distinct code by `field_preparations` (a deep expression evaluated
    # inline is re-computed in every place it is used: ~5× slower)
    code_s = c("__code_s")
    code_n = c("__code_n")
    allowed = code_n.is_in(pl.Series(ctx.allowlist, dtype=pl.String).implode()) if ctx.allowlist else pl.lit(False)
    ind_s = strip(c("industry"))
    ind_map = {i: i for i in ctx.industries} | {f"{i}产业": i for i in ctx.industries} | INDUSTRY_ALIASES_EN
    ind_n = ind_s.str.to_lowercase().replace_strict(ind_map, default=None, return_dtype=pl.String)
    reg_s = strip(c("reg_district"))
    reg_n = reg_s.replace_strict(ctx.district_aliases, default=None, return_dtype=pl.String)
    out_s = strip(c("output_district"))
    out_n = out_s.replace_strict(ctx.district_aliases, default=None, return_dtype=pl.String)
    return {
        "year": [
            year_s.alias("year_text"),
            pl.when(year_n.str.contains(r"^\d{4}$")).then(year_n.cast(pl.Int32, strict=False)).alias("year"),
            notes("year", _note(year_n != year_s, pl.format("统计年度「{}」→{}", year_s, year_n))),
        ],
        "period": [
            period_s.alias("period_text"),
            months.alias("ytd_months"),
            pl.when(months.is_not_null()).then(period_n).alias("period_label"),
            notes("period", _note(period_n != period_s, pl.format("累计期「{}」→{}", period_s, period_n))),
        ],
        "unit_code": [
            code_s.alias("unit_code_text"),
            code_n.alias("unit_code"),
            # check-character facts of the code, computed once per distinct code
            (code_format_ok(code_n) | allowed).alias("__code_format_ok"),
            (allowed | (code_format_ok(code_n) & unit_code_is_valid(code_n))).alias("__code_valid"),
            expected_check_char(code_n).fill_null("?").alias("__code_expected"),
            notes("unit_code", _note(code_n != code_s, pl.format("单位代码「{}」→{}", code_s, code_n))),
        ],
        "unit_name": [strip(c("unit_name")).alias("unit_name"), notes("unit_name")],
        "industry": [
            ind_s.alias("industry_text"),
            ind_n.alias("industry"),
            notes("industry", _note(ind_n != ind_s, pl.format("产业类别「{}」→{}", ind_s, ind_n))),
        ],
        "reg_district": [
            reg_s.alias("reg_district_text"),
            reg_n.alias("reg_district"),
            notes("reg_district", _note(reg_n != reg_s, pl.format("注册地「{}」→{}", reg_s, reg_n))),
        ],
        "output_district": [
            out_s.alias("output_district_text"),
            out_n.alias("output_district"),
            notes("output_district", _note(out_n != out_s, pl.format("产值发生地「{}」→{}", out_s, out_n))),
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
        _note(c("ytd_value").is_not_null() & (c("ytd_value") != value_s.fill_null("")), "本年累计产值去除首尾空格").alias("__trim"),
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
    enterprises report every quarter) is parsed once per run.

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


# ---------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    """A rejection rule: `fails` is True on the rows it rejects (never null)."""

    code: str
    column: str  # contract field at fault
    zh: pl.Expr  # message (may quote the cell)
    en: pl.Expr
    fails: pl.Expr
    title_zh: str  # short name of the reason (for summaries)

    def ok(self) -> pl.Expr:
        return ~self.fails


def _as_expr(message: str | pl.Expr) -> pl.Expr:
    return message if isinstance(message, pl.Expr) else pl.lit(message)


def _rule(code: str, column: str, title: str, zh, en, fails: pl.Expr) -> Rule:
    return Rule(code, column, _as_expr(zh), _as_expr(en), fails.fill_null(False), title)


def code_format_ok(code: pl.Expr) -> pl.Expr:
    n = code.str.len_chars()
    return ((n == 9) & code.str.contains(r"^[0-9A-Z]{9}$")) | (
        (n == 18) & code.str.contains(f"^[{USCC_CHARSET}]{{18}}$")
    )


def row_rules(ctx: Context) -> list[Rule]:
    """Every per-row rejection rule of the contract, in the order reasons are listed."""
    c = pl.col
    # the dictionary's names, for the unknown-district messages (braces doubled: a pl.format template)
    valid_districts = "、".join(ctx.districts).replace("{", "{{").replace("}", "}}")
    return [
        _rule("year_missing", "year", "统计年度为空", "统计年度为空", "year is empty", c("year_text").is_null()),
        _rule(
            "year_invalid", "year", "统计年度不是四位数年份",
            pl.format("统计年度「{}」不是四位数年份", c("year_text")),
            pl.format("year '{}' is not a four-digit year", c("year_text")),
            c("year_text").is_not_null() & c("year").is_null(),
        ),
        _rule(
            "year_out_of_range", "year", f"统计年度不在 {YEAR_MIN}–{YEAR_MAX} 年",
            pl.format(f"统计年度 {{}} 不在 {YEAR_MIN}（深圳建市）至 {YEAR_MAX} 年（今年）之间", c("year")),
            pl.format(f"year {{}} is not between {YEAR_MIN} (the city's founding) and {YEAR_MAX} (this year)",
                      c("year")),
            (c("year") < YEAR_MIN) | (c("year") > YEAR_MAX),
        ),
        _rule("period_missing", "period", "累计期为空", "累计期为空", "period is empty", c("period_text").is_null()),
        _rule(
            "period_invalid", "period", "累计期无法识别",
            pl.format("累计期「{}」无法识别（应为 1-3月、1-6月、1-9月 或 1-12月）", c("period_text")),
            pl.format("period '{}' is not one of 1-3月, 1-6月, 1-9月, 1-12月", c("period_text")),
            c("period_text").is_not_null() & c("ytd_months").is_null(),
        ),
        _rule("code_missing", "unit_code", "单位代码为空", "单位代码为空", "unit code is empty", c("unit_code").is_null()),
        _rule(
            "code_format", "unit_code", "单位代码长度或字符不符",
            pl.format("单位代码「{}」长度或字符不符（应为 18 位统一社会信用代码或 9 位组织机构代码）", c("unit_code_text")),
            pl.format("unit code '{}' is neither an 18-character USCC nor a 9-character organisation code", c("unit_code_text")),
            c("unit_code").is_not_null() & ~c("__code_format_ok"),
        ),
        _rule(
            "code_check", "unit_code", "单位代码校验位错误",
            pl.format("单位代码「{}」校验位错误：末位应为「{}」，实为「{}」，且不在豁免名单中",
                      c("unit_code_text"), c("__code_expected"), c("unit_code").str.slice(-1, 1)),
            pl.format("unit code '{}' has a wrong check character: it should end in '{}', not '{}', "
                      "and it is not on the allow-list", c("unit_code_text"), c("__code_expected"),
                      c("unit_code").str.slice(-1, 1)),
            c("unit_code").is_not_null() & c("__code_format_ok") & ~c("__code_valid"),
        ),
        _rule("name_missing", "unit_name", "单位名称为空", "单位名称为空", "unit name is empty", c("unit_name").is_null()),
        _rule("industry_missing", "industry", "产业类别为空", "产业类别为空", "industry is empty", c("industry_text").is_null()),
        _rule(
            "industry_unknown", "industry", "产业类别无法识别",
            pl.format("产业类别「{}」无法识别（应为 生物、互联网 或 新能源）", c("industry_text")),
            pl.format("unknown industry '{}' (expected 生物, 互联网 or 新能源)", c("industry_text")),
            c("industry_text").is_not_null() & c("industry").is_null(),
        ),
        _rule("reg_district_missing", "reg_district", "注册地为空", "注册地为空", "registration district is empty", c("reg_district_text").is_null()),
        _rule(
            "reg_district_unknown", "reg_district", "注册地不在区划字典中",
            pl.format(f"注册地「{{}}」不在区划字典中（应为：{valid_districts}）", c("reg_district_text")),
            pl.format(f"registration district '{{}}' is not in the district dictionary (valid: {valid_districts})",
                      c("reg_district_text")),
            c("reg_district_text").is_not_null() & c("reg_district").is_null(),
        ),
        _rule(
            "output_district_missing", "output_district", "按产值发生地统计的产业缺少产值发生地",
            # the industries counted where the output occurs come from industries.csv (counting_rule)
            pl.format("{}产业按产值发生地统计，产值发生地不能为空", c("industry")),
            pl.format("{} rows are counted where the output occurs: output district is required", c("industry")),
            c("industry").is_in(pl.Series(ctx.output_industries, dtype=pl.String).implode()) & c("output_district_text").is_null(),
        ),
        _rule(
            "output_district_unknown", "output_district", "产值发生地不在区划字典中",
            pl.format(f"产值发生地「{{}}」不在区划字典中（应为：{valid_districts}）", c("output_district_text")),
            pl.format(f"output district '{{}}' is not in the district dictionary (valid: {valid_districts})",
                      c("output_district_text")),
            c("output_district_text").is_not_null() & c("output_district").is_null(),
        ),
        _rule("value_missing", "ytd_value", "本年累计产值为空", "本年累计产值为空", "year-to-date value is empty", c("value_text").is_null()),
        _rule(
            "value_invalid", "ytd_value", "本年累计产值不是数字",
            pl.format("本年累计产值「{}」不是数字", c("value_text")),
            pl.format("year-to-date value '{}' is not a number", c("value_text")),
            c("value_text").is_not_null() & (c("ytd_value_wan").is_null() | ~c("ytd_value_wan").is_finite()),
        ),
        _rule(
            "value_negative", "ytd_value", "本年累计产值为负数",
            pl.format("本年累计产值「{}」为负数", c("value_text")),
            pl.format("year-to-date value '{}' is negative", c("value_text")),
            c("ytd_value_wan") < 0,
        ),
    ]


# The marts carry amounts exactly as DECIMAL(18, 6) 万元 (sql/staging/stg_output_records.sql), so that the
# same input always sums to the same figures. No value at or above this limit can be stored there, so it
# is rejected even when confirmed (1e12 万元 = 1 亿亿元, far beyond any enterprise or economy).
REPRESENTABLE_LIMIT_WAN = 1e12


def above_bound(ctx: Context) -> pl.Expr:
    """No single enterprise above the whole city's largest target (Reference.value_bound_wan), unless a
    statistician confirmed the record (confirmed_outliers.csv): 9.9e11 万元 or 1e300 is a keying or unit
    error, never a figure to publish. Judged on the records in force (after revisions: a 修订 file that
    corrects such a value replaces it, and the replaced record is provenance, not an error)."""
    if ctx.value_bound_wan is None:
        return pl.lit(False)
    v = pl.col("ytd_value_wan")
    return (((v > ctx.value_bound_wan) & ~ctx.confirmed_record()) | (v >= REPRESENTABLE_LIMIT_WAN)).fill_null(False)


def above_bound_reason(ctx: Context) -> tuple[pl.Expr, pl.Expr]:
    bound = ctx.value_bound_wan or 0
    v = pl.col("ytd_value_wan")
    unrepresentable = v >= REPRESENTABLE_LIMIT_WAN
    return (
        pl.when(unrepresentable).then(pl.format(
            f"本年累计产值 {{}} 万元不低于 {REPRESENTABLE_LIMIT_WAN:.0e} 万元，超出数据集市可精确记录的范围，登记为已核实也不能接收", v))
        .otherwise(pl.format(f"本年累计产值 {{}} 万元超过单个企业上限 {bound:,.0f} 万元（全市最大的产业目标），不可能是一家企业的产值；"
                             "如经核实无误，请登记到 confirmed_outliers.csv", v)),
        pl.when(unrepresentable).then(pl.format(
            f"year-to-date value {{}} 万元 is at or above {REPRESENTABLE_LIMIT_WAN:.0e} 万元, beyond what the marts "
            "store exactly; it cannot be accepted even when confirmed", v))
        .otherwise(pl.format(f"year-to-date value {{}} 万元 is above the per-enterprise bound of {bound:,.0f} 万元 (the city's "
                             "largest industry target); if it is genuine, list it in confirmed_outliers.csv", v)),
    )


# reasons not computed by row_rules (cross-row / whole-file); code → (Chinese title, English title)
OTHER_REASONS = {
    "duplicate_exact": ("重复记录（完全相同，保留第一条）", "exact duplicate (the first copy is kept)"),
    "duplicate_conflict": ("同键记录数值冲突（全部拒收）", "conflicting duplicates (every copy rejected)"),
    "file_error": ("整个文件无法接收", "the whole file cannot be accepted"),
    "value_above_bound": ("本年累计产值超过单个企业上限", "value above the per-enterprise bound"),
    # found while reading the file (pipelines.ingest.rawfile.READ_REASONS)
    "row_extra_fields": ("该行字段数多于表头（值无法对应到列）", "more fields than the header (values cannot be assigned)"),
    "cell_undecodable": ("单元格含无法解码的字节", "the cell holds bytes that cannot be decoded"),
}

WARNINGS = {
    "ytd_decrease": ("本年累计产值低于同年上一累计期", "year-to-date value lower than the previous period of the same year"),
    "unit_slip": ("与上一累计期相比变化 ≥10 倍，可能是计量单位错误", "≥10× change against the previous period: possible unit slip"),
    "new_area_before_valid": ("2012 年前出现新区（已保留并计入原区）", "new area before 2012 (kept, counts toward its parent district)"),
}


def reason_catalogue(ctx: Context | None = None) -> dict[str, tuple[str, str]]:
    """Every rejection reason code → (Chinese title, English title)."""
    ctx = ctx or Context({}, [], {}, {}, {}, list(INDUSTRIES), [])
    out = {r.code: (r.title_zh, _en_title(r)) for r in row_rules(ctx)}
    return out | OTHER_REASONS


def _en_title(rule: Rule) -> str:
    return rule.code.replace("_", " ")

"""The contract's row rules, defined once as named polars expressions.

`row_rules` are the per-row rejection rules, each a `Rule(code, column, zh, en, fails)` whose `fails`
is a vectorised polars expression over the parsed columns (`parsing.parse_frame`). The pipeline
evaluates them all in one pass, so a row carries every reason (`validate_output_files`); the reasons
found across rows and while reading are in `reasons.py`, with the catalogue of every code.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.validation.vocabulary import YEAR_MAX, YEAR_MIN, Context


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
            pl.format(f"累计期「{{}}」无法识别（应为 {ctx.periods_listed}）", c("period_text")),
            pl.format(f"period '{{}}' is not one of {', '.join(ctx.period_months)}", c("period_text")),
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
            pl.format(f"产业类别「{{}}」无法识别（应为 {_listed(ctx.industries, '、', ' 或 ')}）", c("industry_text")),
            pl.format(f"unknown industry '{{}}' (expected {_listed(ctx.industries, ', ', ' or ')})", c("industry_text")),
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
    error, never a figure to publish. Judged on the revision rows before they replace anything (a rejected
    revision leaves the record it names in force), then on the records in force (a 修订 file that corrects
    such a value replaces it, and the replaced record is provenance, not an error): `core._across_files`."""
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


def _listed(names: list[str], sep: str, last: str) -> str:
    """'生物、互联网 或 新能源' / '生物, 互联网 or 新能源'."""
    return sep.join(names[:-1]) + last + names[-1] if len(names) > 1 else "".join(names)

"""The plan's facts in the report's words — industries, counting rule, new areas, bands — built from
the dictionaries the marts file holds (ref_*), so that report.qmd and the tables name them only
through values."""

from __future__ import annotations

import polars as pl

from pipelines.plan import default_plan

from .data import LABELS, PERIODS, Marts


def title(industries: list[str]) -> str:
    """'深圳市生物、互联网、新能源产业发展统计分析报告'."""
    return f"深圳市{'、'.join(industries)}产业发展统计分析报告"


def title_break(industries: list[str]) -> str:
    """The cover's title with a Typst line break before 统计分析报告."""
    return f"深圳市{'、'.join(industries)}产业发展 \\ 统计分析报告"


def document() -> str:
    """'《深圳市推进生物互联网新能源产业发展工作方案（2010—2012年）》' — the plan's own title."""
    plan = default_plan()
    return f"《深圳市推进{''.join(plan.industries.names)}产业发展工作方案（{plan.years.span}年）》"


def counting_rule(m: Marts) -> str:
    """'生物产业数据按产值发生地统计；互联网、新能源产业数据按企业注册地统计' (the plan's 说明)."""
    groups: dict[str, list[str]] = {}
    for industry in m.industries:
        groups.setdefault(m.counting_rule_zh.get(industry, ""), []).append(industry)
    return "；".join(f"{'、'.join(names)}产业数据按{rule}统计" for rule, names in groups.items() if rule)


def new_areas_folded(m: Marts) -> str:
    """'龙华新区、大鹏新区分别计入宝安区、龙岗区'."""
    return f"{'、'.join(m.new_areas)}分别计入{'、'.join(m.new_areas.values())}"


def new_areas_established(m: Marts) -> str:
    """'龙华新区、大鹏新区于2011年12月30日设立' (one date when they share it)."""
    dates = {d: established_zh(m.established[d]) for d in m.new_areas if d in m.established}
    if len(set(dates.values())) == 1:
        return f"{'、'.join(dates)}于{next(iter(dates.values()))}设立"
    return "，".join(f"{d}于{when}设立" for d, when in dates.items())


def new_areas_targets(m: Marts) -> str:
    """'目标按原行政区下达：龙华新区计入宝安区，大鹏新区计入龙岗区'."""
    return "目标按原行政区下达：" + "，".join(f"{d}计入{parent}" for d, parent in m.new_areas.items())


def established_zh(iso: str) -> str:
    """'2011-12-30' → '2011年12月30日'."""
    y, mo, d = (int(x) for x in str(iso).split("-"))
    return f"{y}年{mo}月{d}日"


def year_end_label() -> str:
    """'1-12月': the period whose value is the year's."""
    return LABELS[PERIODS.year_end]


def band_names(m: Marts) -> list[str]:
    """The bands in the marts, largest threshold first."""
    b = m.q("SELECT band, max(threshold_yi) AS t FROM mart_enterprise_bands GROUP BY band ORDER BY t DESC",
            table="mart_enterprise_bands")
    return b["band"].to_list() if b.height else list(default_plan().bands.names)


def bands_counted(m: Marts) -> str:
    """'按企业全年（1-12月）在该产业的规模计数，分组累计（超百亿元的企业也计入超十亿元、超亿元组）'."""
    names = band_names(m)
    return (f"按企业全年（{year_end_label()}）在该产业的规模计数，分组累计"
            f"（{names[0]}的企业也计入{'、'.join(names[1:])}组）")


def band_measures(m: Marts) -> str:
    """'对互联网按营业收入、对生物（2012年）按销售收入' — where the plan counts a band by another measure
    than the annual output the data hold; a year is named when not every year of the targets does."""
    t = m.q("SELECT * FROM ref_band_targets", table="ref_band_targets")
    if t.height == 0:
        return ""
    order = {i: k for k, i in enumerate(m.industries)}
    years = t.group_by("industry").agg(pl.col("year").unique().alias("all_years"))
    other = (t.filter(pl.col("measure") != "年产值")
             .group_by("industry", "measure").agg(pl.col("year").unique().sort().alias("years"))
             .join(years, on="industry"))
    parts = []
    for r in sorted(other.iter_rows(named=True), key=lambda r: (min(r["years"]), order.get(r["industry"], 99))):
        when = "" if len(r["years"]) == len(r["all_years"]) else f"（{'、'.join(str(y) for y in r['years'])}年）"
        parts.append(f"对{r['industry']}{when}按{r['measure']}")
    return "、".join(parts)

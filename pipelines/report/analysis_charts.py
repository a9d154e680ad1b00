"""The analysis charts — the plan period, the ranking beside combined attainment — and the titles of
charts whose claim must be computed from the series they plot.

Each chart keeps the frame it plots (`Figure.data`); its title is computed from that frame by a
function of this module, so tests can recompute every title's claim from what is drawn.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from . import formatting as F
from .analysis import CITY, TOTAL, Analysis
from .charts import FOCUS, GREY, WIDTH, Figure, _style
from .data import LABELS

ACCENT = "#F46A25"
QUARTER_ZH = "一二三四"


def _figure(chart, title: str, data: pl.DataFrame) -> Figure:
    return Figure(chart, title, data)


# -- the plan period --------------------------------------------------------------------------------

def plan_frame(a: Analysis) -> pl.DataFrame:
    """全市 by industry for the plan's years up to the report period: 年度 label, 规模, 目标 (亿元)."""
    plan = a.plan.filter((pl.col("district") == CITY) & (pl.col("industry") != TOTAL))
    if plan.height == 0:
        return pl.DataFrame()
    label = [f"{y}年" if m == 12 else f"{y}年{LABELS[m]}" for y, m in zip(plan["year"], plan["ytd_months"])]
    return pl.DataFrame({
        "年度": label, "year": plan["year"].to_list(), "ytd_months": plan["ytd_months"].to_list(),
        "产业": plan["industry"].to_list(),
        "规模": [float(F.yi(x)) for x in plan["actual_yi"]],
        "目标": [float(F.yi(x)) if x is not None else None for x in plan["target_yi"]],
    })


def plan_title(df: pl.DataFrame, industries: list[str]) -> str:
    """From the plotted frame: the industries that grew every plotted full year, and — when the last
    plotted year is a full year with targets — which met it."""
    if df.height == 0:
        return "工作方案期三大产业规模"
    full = df.filter(pl.col("ytd_months") == 12).sort("year")
    rising = [i for i in industries
              if full.filter(pl.col("产业") == i).height > 1
              and all(b > x for x, b in zip(full.filter(pl.col("产业") == i)["规模"].to_list(),
                                            full.filter(pl.col("产业") == i)["规模"].to_list()[1:]))]
    last = df.filter(pl.col("year") == df["year"].max())
    parts = []
    if len(rising) == len(industries):
        parts.append("三大产业规模逐年扩大")
    elif rising:
        parts.append(f"{'、'.join(rising)}规模逐年扩大")
    if last["ytd_months"][0] == 12 and last["目标"].null_count() == 0:
        met = [i for i in industries if last.filter((pl.col("产业") == i) & (pl.col("规模") >= pl.col("目标"))).height]
        missed = [i for i in industries if i not in met]
        year = last["year"][0]
        if met and missed:
            parts.append(f"{year}年{'、'.join(met)}完成目标，{'、'.join(missed)}未完成")
        elif met:
            parts.append(f"{year}年三个产业均完成目标")
        else:
            parts.append(f"{year}年三个产业均未完成目标")
    return "，".join(parts) or "工作方案期三大产业规模"


def plan_chart(a: Analysis) -> Figure:
    df = plan_frame(a)
    if df.height == 0:
        return _figure(None, "工作方案期三大产业规模", df)
    industries = a.m.industries
    order = list(dict.fromkeys(df.sort("year")["年度"].to_list()))
    base = alt.Chart(df).encode(x=alt.X("年度:N", sort=order, title=None,  # '2012年1-6月' on two lines
                                        axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, '年')")))
    bars = base.mark_bar(size=26, color=FOCUS).encode(y=alt.Y("规模:Q", title="规模（亿元）"))
    labels = base.mark_text(dy=4, fontSize=10, baseline="top", color="white").encode(
        y="规模:Q", text=alt.Text("规模:Q", format=".0f"))
    ticks = base.transform_filter("datum['目标'] != null").mark_tick(color=ACCENT, thickness=3, size=34).encode(
        y="目标:Q")
    chart = alt.layer(bars, labels, ticks, data=df).properties(width=(WIDTH - 120) / 3, height=200).facet(
        column=alt.Column("产业:N", sort=industries, title=None, header=alt.Header(labelFontSize=12)))
    first, last = df["year"].min(), df["year"].max()
    sub = f"全市分产业规模（亿元），{first}—{last}年；短横线为当年目标，{first}年为基期（未设目标）"
    return _figure(_style(chart, sub), plan_title(df, industries), df)


# -- the ranking beside combined attainment ----------------------------------------------------------

def ranking_frame(a: Analysis) -> pl.DataFrame:
    rk = a.ranking
    if rk.height == 0:
        return pl.DataFrame()
    return pl.DataFrame({
        "区": rk["district"].to_list(),
        "得分": [float(F.pct(x)) for x in rk["score"]],
        "合计完成进度": [float(F.pct(x)) if x is not None else None for x in rk["combined_attainment"]],
        "名次": rk["rank"].to_list(),
    })


def ranking_title(df: pl.DataFrame) -> str:
    if df.height == 0:
        return "各区综合排名"
    top = df.sort("得分", descending=True)["区"][0]
    if df["合计完成进度"].null_count():
        return f"{top}综合得分居首"
    combined = df.sort("合计完成进度", descending=True)["区"].to_list()
    k = combined.index(top) + 1
    if k == 1:
        return f"{top}综合得分和合计完成进度均居首"
    return f"{top}综合得分居首，但合计完成进度列第{k}位"


def ranking_chart(a: Analysis) -> Figure:
    df = ranking_frame(a)
    if df.height == 0:
        return _figure(None, "各区综合排名", df)
    order = df.sort("名次", "区")["区"].to_list()
    long = pl.concat([
        df.select("区", pl.lit("综合得分（暂行方法）").alias("指标"), pl.col("得分").alias("值")),
        df.select("区", pl.lit("三大产业合计完成进度").alias("指标"), pl.col("合计完成进度").alias("值")),
    ])
    kinds = ["综合得分（暂行方法）", "三大产业合计完成进度"]
    base = alt.Chart(long).encode(y=alt.Y("区:N", sort=order, title=None),
                                  yOffset=alt.YOffset("指标:N", sort=kinds))
    bars = base.mark_bar(height=9).encode(
        x=alt.X("值:Q", title="百分比（%）", scale=alt.Scale(domainMin=0)),
        color=alt.Color("指标:N", sort=kinds, scale=alt.Scale(domain=kinds, range=[FOCUS, GREY]),
                        legend=alt.Legend(title=None, orient="bottom")))
    text = base.mark_text(align="left", dx=3, fontSize=9).encode(x="值:Q", text=alt.Text("值:Q", format=".1f"))
    rule_df = pl.DataFrame({"x": [100.0], "label": ["100%"]})
    rule = alt.Chart(rule_df).mark_rule(color=ACCENT, strokeDash=[4, 3], size=1.5).encode(x="x:Q")
    rule_label = alt.Chart(rule_df).mark_text(color=ACCENT, align="left", dx=3, dy=-4, baseline="bottom",
                                              fontSize=10).encode(x="x:Q", y=alt.value(0), text="label:N")
    sub = (f"各区综合得分与三大产业合计完成进度（%，按得分排序），{a.p.title}；虚线为 100%")
    chart = (bars + text + rule + rule_label).properties(width=WIDTH - 150, height=300)
    return _figure(_style(chart, sub), ranking_title(df), df)


# -- quarters: the title from the plotted lines --------------------------------------------------------

def quarter_title(df: pl.DataFrame, year: int, industries: list[str]) -> str:
    """From the plotted single-quarter lines of `year`: the industries that rose every quarter, and those
    that fell at least once (a line never shown as rising when it falls)."""
    cur = df.filter(pl.col("year") == year).sort("quarter")
    if cur.height == 0:
        return f"{year}年三大产业单季规模"
    if cur["quarter"].n_unique() < 2:
        top = cur.sort("规模", descending=True)["产业"][0]
        return f"{year}年第{QUARTER_ZH[cur['quarter'][0] - 1]}季度{top}单季规模最大"
    rose, fell = [], []
    for i in industries:
        v = cur.filter(pl.col("产业") == i)["规模"].to_list()
        (rose if all(b > x for x, b in zip(v, v[1:])) else fell).append(i)
    if not fell:
        return f"{year}年三个产业单季规模逐季扩大"
    if not rose:
        return f"{year}年三个产业单季规模均有回落"
    return f"{year}年{'、'.join(rose)}单季规模逐季扩大，{'、'.join(fell)}有回落"

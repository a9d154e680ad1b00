"""The analysis tables: the plan period, the gap to each target, contributions to growth."""

from __future__ import annotations

import polars as pl

from . import formatting as F
from .analysis import CITY, TOTAL, Analysis, _rows
from .tables import Table


def _name(industry: str) -> str:
    return "三大产业合计" if industry == TOTAL else industry


def _combined_targets_note(a: Analysis, years: list[int]) -> str:
    """'2011年合计目标为三个产业目标之和（方案未单列），2012年合计目标为方案规定的 2800 亿元': where the
    combined target comes from in each target year (ref_combined_targets states the plan's own)."""
    stated = dict(a.m.q("SELECT year, target_yi FROM ref_combined_targets", table="ref_combined_targets").iter_rows())
    n = "一二三四五六七八九"[len(a.m.industries) - 1] if 0 < len(a.m.industries) < 10 else str(len(a.m.industries))
    return "，".join(f"{y}年合计目标为方案规定的 {stated[y]:g} 亿元" if y in stated
                    else f"{y}年合计目标为{n}个产业目标之和（方案未单列）" for y in years)


def plan_table(a: Analysis, number: int = 0) -> Table:
    """全市, the plan's years side by side: scale, target, attainment, growth since the base year."""
    plan = a.plan.filter(pl.col("district") == CITY)
    if plan.height == 0:
        return Table(number, "工作方案期三大产业规模与目标", [], [], [], "方案期")
    years = sorted(set(plan["year"].to_list()))
    label = {y: f"{y}年" if y < a.p.year or a.p.ytd_months == 12 else f"{y}年{a.p.label}" for y in years}
    cols = ["产业"]
    for y in years:
        cols.append(f"{label[y]}规模（亿元）")
        if plan.filter((pl.col("year") == y) & pl.col("target_yi").is_not_null()).height:
            cols += [f"{y}年目标（亿元）", f"{label[y]}完成（%）"]
    last = years[-1]
    base = plan["base_year"][0]
    if last > base:
        cols += [f"比{base}年增长（%）", "年均增长（%）"]
    rows = []
    for ind in a.m.industries + [TOTAL]:
        r = [_name(ind)]
        for y in years:
            x = plan.filter((pl.col("year") == y) & (pl.col("industry") == ind))
            row = x.row(0, named=True) if x.height else {}
            r.append(F.yi(row.get("actual_yi")))
            if f"{y}年目标（亿元）" in cols:
                r += [F.yi(row.get("target_yi")), F.pct(row.get("attainment"))]
        if last > base:
            x = plan.filter((pl.col("year") == last) & (pl.col("industry") == ind))
            row = x.row(0, named=True) if x.height else {}
            r += [F.pct(row.get("growth_since_base")), F.pct(row.get("average_annual_growth"))]
        rows.append(r)
    notes = [f"注：{base}年为工作方案基期（未设目标）；{_combined_targets_note(a, [y for y in years if y != base])}"
             "。增长按同期（同一累计期）计算。"]
    return Table(number, f"工作方案期三大产业规模与目标（全市，{base}—{last}年）", cols, rows, notes, "方案期")


def gap_table(a: Analysis, number: int = 0) -> Table:
    """Districts × industries: the difference from the annual target (year end) or from what time
    progress asks (in-year), in 亿元; negative = short."""
    g = a.gap
    if g.height == 0:
        return Table(number, "各区与目标的差额", [], [], [], "目标差额")
    col = "gap_yi" if a.year_end else "schedule_gap_yi"
    inds = a.m.industries + [TOTAL]
    head = "与年度目标之差" if a.year_end else "与时间进度要求之差"
    cols = ["区"] + [f"{_name(i)}（亿元）" for i in inds] + ["合计完成进度（%）"]
    rows = []
    for d in a.m.districts + [CITY]:
        sub = g.filter(pl.col("district") == d)
        cells = []
        for i in inds:
            x = sub.filter(pl.col("industry") == i)
            cells.append(F.yi(x[col][0]) if x.height else "")
        t = sub.filter(pl.col("industry") == TOTAL)
        rows.append([d, *cells, F.pct(t["attainment"][0]) if t.height else ""])
    what = ("规模减年度目标" if a.year_end
            else f"规模减“年度目标×时间进度（{F.pct(a.p.ytd_months / 12)}%）”")
    notes = [f"注：差额＝{what}，负数为缺口（未完成部分），正数为超出部分；亿元。"]
    return Table(number, f"各区三大产业{head}（{a.p.title}）", cols, rows, notes, "目标差额")


def contribution_table(a: Analysis, number: int = 0) -> Table:
    """Industries and districts: scale, increase, growth, 拉动 and 贡献率."""
    c = a.contrib
    if c.height == 0:
        return Table(number, "增长贡献", [], [], [], "增长贡献")
    cols = ["产业或区", "规模（亿元）", "比上年同期增加（亿元）", "同比增长（%）", "拉动（个百分点）", "贡献率（%）"]
    rows = []

    def line(name: str, r: dict) -> list[str]:
        return [name, F.yi(r["actual_yi"]), F.yi(r["increase_yi"]), F.pct(r["yoy_growth"]),
                F.num(r["contribution_pp"], 1), F.pct(r["contribution_share"])]

    for ind in [TOTAL] + a.m.industries:
        for r in _rows(c.filter((pl.col("district") == CITY) & (pl.col("industry") == ind))):
            rows.append(line("三大产业合计" if ind == TOTAL else f"#{ind}", r))
    for d in a.m.districts:
        for r in _rows(c.filter((pl.col("district") == d) & (pl.col("industry") == TOTAL))):
            rows.append(line(d, r))
    notes = ["注：拉动＝某产业（区）比上年同期增加额÷上年同期全市三大产业合计×100，单位个百分点，各产业（各区）之和等于"
             "全市增速；贡献率＝增加额÷全市增加额。“#”为其中项；各区为三大产业合计，按目标口径。"]
    return Table(number, f"三大产业增长贡献（{a.p.title}）", cols, rows, notes, "增长贡献")

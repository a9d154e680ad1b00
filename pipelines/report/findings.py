"""Phrases of the report that depend on the data (report.qmd holds the words around them): parts of the
key findings and the findings that section headings and figure captions state.

Every number in these sentences is a mart value passed through `formatting`, so tests can
recompute them from the database.
"""

from __future__ import annotations

import polars as pl

from . import formatting as F
from . import plan_text as P
from .data import Marts


def _industry_clause(r: dict) -> str:
    name = "三大产业" if r["industry"] == "合计" else f"{r['industry']}产业"
    s = f"{name}规模 {F.yi(r['actual_yi'])} 亿元"
    if r.get("yoy_growth") is not None:
        s += f"，{F.growth_phrase(r['yoy_growth'])}"
    return s


def _attain_clause(r: dict) -> str:
    """'完成年度目标（800.00 亿元）的 106.9%，…': before the year end, against the time progress; at
    1-12月 (time progress 100%), whether the annual target was met — '落后时间进度' would read wrong."""
    if r.get("target_yi") is None or r.get("attainment") is None:
        return "本年未设规模目标"
    s = f"完成年度目标（{F.yi(r['target_yi'])} 亿元）的 {F.pct(r['attainment'])}%"
    year_end = r.get("ytd_months") == 12
    if r["attainment"] >= 1:
        s += "，超额完成全年目标" if year_end else "，已提前完成全年目标"
    elif year_end:
        s += "，未完成全年目标"
    else:
        s += f"，{F.schedule_phrase(r['schedule_gap_pp'])}"
    return s


def attain_clause(r: dict | None) -> str:
    return _attain_clause(r) if r else "本年未设规模目标"


def total_outlook(m: Marts, total: dict | None) -> str:
    """What follows '三大产业合计完成年度目标（…）的 …%…' in the second key finding, with its full stop."""
    if total is None or total.get("target_yi") is None or total.get("attainment") is None:
        return "。"
    if total["attainment"] >= 1:
        return "，全年目标已经实现。"
    if m.period.ytd_months == 12:
        return f"，差 {F.yi(total['target_yi'] - total['actual_yi'])} 亿元。"
    return (f"（时间进度 {F.pct(total['time_progress'])}%），按此进度"
            + ("可望完成全年目标。" if total["schedule_gap_pp"] >= 0 else "全年目标存在缺口，需加快推进。"))


def industries_by_schedule(m: Marts) -> list[dict]:
    """The industries' 全市 rows, best schedule position first (plan order where there are no targets)."""
    rows = [r for r in (m.attainment_row("全市", i) for i in m.industries) if r is not None]
    if rows and rows[0].get("target_yi") is not None:
        rows.sort(key=lambda r: -(r["schedule_gap_pp"] or 0))
    return rows


def districts_finding(m: Marts) -> str:
    """The districts' key finding, without its full stop."""
    p = m.period
    rk = m.ranking()
    if rk.height == 0:
        return "本期数据集市未提供各区综合排名"
    top = rk.row(0, named=True)
    dist = m.attainment().filter((pl.col("industry") == "合计") & pl.col("district").is_in(m.districts))
    s = f"各区综合排名中{top['district']}居第 {F.count(top['rank'])} 位（综合得分 {F.pct(top['score'])}%）"
    if dist.height and dist["target_yi"].null_count() == 0:
        if p.ytd_months == 12:
            done = dist.filter(pl.col("attainment") >= 1).height
            s += (f"；{dist.height} 个区中有 {done} 个区完成三大产业合计年度目标" if done
                  else f"；{dist.height} 个区均未完成三大产业合计年度目标")
        else:
            ahead = dist.filter(pl.col("schedule_gap_pp") >= 0).height
            s += (f"；{dist.height} 个区中有 {ahead} 个区三大产业合计完成进度快于或等于时间进度" if ahead
                  else f"；{dist.height} 个区三大产业合计完成进度均落后于时间进度")
    return s


def heading_targets(m: Marts) -> str:
    total = m.attainment_row("全市", "合计")
    if total is None or total.get("attainment") is None:
        return "三大产业规模（本年未设目标）"
    rows = [m.attainment_row("全市", i) for i in m.industries]
    done = [r["industry"] for r in rows if r and r["attainment"] is not None and r["attainment"] >= 1]
    ahead = [r["industry"] for r in rows if r and r["schedule_gap_pp"] is not None and r["schedule_gap_pp"] >= 0]
    tail = ""
    if m.period.ytd_months == 12 and not done:
        tail = "，三个产业均未完成全年目标"
    elif done:
        tail = f"，{'、'.join(done)}产业超额完成年度目标"
    elif ahead:
        tail = f"，{'、'.join(ahead)}产业快于时间进度"
    return f"三大产业完成年度目标的 {F.pct(total['attainment'])}%{tail}"


def heading_districts(m: Marts) -> str:
    rk = m.ranking()
    if rk.height == 0:
        return "各区完成情况"
    return f"{rk['district'][0]}综合排名第一，{rk['district'][-1]}居末位"


def heading_growth(m: Marts) -> str:
    total = m.attainment_row("全市", "合计")
    if total is None or total.get("yoy_growth") is None:
        return "增长情况（无上年同期数据）"
    return f"三大产业规模{F.growth_phrase(total['yoy_growth'])}"


def district_paragraph(m: Marts) -> str:
    rk = m.ranking()
    if rk.height == 0:
        return "本期数据集市未提供各区排名。"
    parts = []
    for r in rk.iter_rows(named=True):
        ch = F.rank_change_phrase(r["rank"], r["prev_rank"], r.get("prev_period_label") or "上期")
        parts.append(f"{r['district']}第 {F.count(r['rank'])} 位" + (f"（{ch}）" if ch else ""))
    return "各区综合排名依次为：" + "，".join(parts) + "。"


def new_area_paragraph(m: Marts) -> str:
    c = m.current()
    if c.height == 0:
        return "数据集市未提供现行区划口径数据。"
    c = c.filter(pl.col("industry") == "合计")
    parts = []
    for new in m.new_areas:
        r = c.filter(pl.col("district") == new)
        if r.height:
            parent = r["target_unit"][0]
            parent_total = c.filter(pl.col("target_unit") == parent)["actual_yi"].sum()
            share = r["actual_yi"][0] / parent_total if parent_total else None
            parts.append(f"{new}三大产业规模 {F.yi(r['actual_yi'][0])} 亿元，占{parent}（目标口径）的 {F.pct(share)}%")
    if not parts:
        return (f"{m.period.year}年数据中未单列{'、'.join(m.new_areas)}"
                f"（两新区于{P.established_zh(min(m.established.values()))}设立），各区按原区划统计。")
    return "按现行区划，" + "；".join(parts) + "。考核仍按目标口径，新区计入原行政区。"


def heading_new_areas(m: Marts) -> str:
    c = m.current()
    if c.height:
        c = c.filter(pl.col("industry") == "合计")
        # the first new area the data name (龙华新区), with the unit it counts toward
        for new, parent in m.new_areas.items():
            r = c.filter(pl.col("district") == new)
            if r.height:
                return f"新区口径：{new}三大产业规模 {F.yi(r['actual_yi'][0])} 亿元，计入{parent}考核"
    return f"新区口径：{'、'.join(m.new_areas)}单列与并入"


def heading_bands(m: Marts) -> str:
    year, b = m.bands()
    if b.height == 0:
        return "重点企业规模分组"
    t = b.filter(pl.col("target").is_not_null())
    if t.height == 0:
        return f"重点企业：{year}年规模分组（本年未设企业数量目标）"
    met = t.filter(pl.col("enterprises") >= pl.col("target")).height
    return f"重点企业：{year}年 {t.height} 项规模目标中 {met} 项达到规划要求"


def heading_quality(m: Marts) -> str:
    fs = m.file_summary()
    if fs.height == 0:
        return "数据质量"
    read, rej = int(fs["rows_read"].sum()), int(fs["rows_rejected"].sum())
    if rej == 0:
        return f"数据质量：{fs.height} 个文件的 {read} 行记录全部通过校验"
    return f"数据质量：{fs.height} 个文件，拒收 {rej} 行（{F.share_phrase(rej / read if read else None)}）"

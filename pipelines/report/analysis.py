"""The report's analysis: where the gap is, what drove growth, what changed since the previous period,
the plan period, and the ranking beside combined attainment — sentences built from the marts.

Every figure, name chosen by a rank, count and direction word goes through `Claims.say` (claims.py),
so tests read each one back from the marts. Nothing is computed here that the marts do not hold:
differences, ranks and shares are mart columns (mart_target_gap, mart_period_change,
mart_growth_contribution, mart_plan_period, mart_district_ranking, ...).
"""

from __future__ import annotations

from functools import cached_property

import polars as pl

from . import formatting as F
from .claims import Claims
from .data import Marts

KEYS = {
    "mart_attainment": ("year", "ytd_months", "district", "industry"),
    "mart_target_gap": ("year", "ytd_months", "district", "industry"),
    "mart_period_change": ("year", "ytd_months", "district", "industry"),
    "mart_growth_contribution": ("year", "ytd_months", "district", "industry"),
    "mart_plan_period": ("year", "ytd_months", "district", "industry"),
    "mart_district_ranking": ("year", "ytd_months", "district"),
    "mart_single_quarter": ("year", "quarter", "district", "industry"),
    "mart_enterprise_bands": ("year", "industry", "band"),
    "mart_ranking_method": ("industry",),
    "mart_data_status": ("year", "ytd_months"),
}
QUARTER_ZH = "一二三四"
CITY, TOTAL = "全市", "合计"


# The columns the analysis reads from each mart. A marts file built before a mart or column existed
# (an older run, a hand-made fixture) gets them as NULL: the sentences that need them are left out.
COLUMNS = {
    "mart_target_gap": ["year", "ytd_months", "period_label", "district", "industry", "level", "actual_yi",
                        "target_yi", "attainment", "gap_yi", "shortfall_yi", "gap_rank", "share_of_city_gap",
                        "schedule_gap_yi", "schedule_gap_rank", "target_share", "months_remaining",
                        "remaining_needed_yi", "required_per_quarter_yi", "average_quarter_to_date_yi",
                        "prior_remaining_yi", "required_remaining_growth", "growth_to_date",
                        "required_growth_gap_pp", "required_quarter_ratio"],
    "mart_period_change": ["year", "ytd_months", "district", "industry", "prev_year", "prev_ytd_months",
                           "prev_period_label", "same_year", "attainment", "attainment_change_pp", "yoy_growth",
                           "prev_yoy_growth", "growth_change_pp"],
    "mart_growth_contribution": ["year", "ytd_months", "district", "industry", "actual_yi", "increase_yi",
                                 "yoy_growth", "contribution_pp", "contribution_share", "level",
                                 "contribution_rank", "growth_rank"],
    "mart_district_ranking": ["year", "ytd_months", "district", "score", "rank", "prev_rank", "prev_period_label",
                              "rank_change", "combined_attainment", "combined_rank", "outranked_better_combined",
                              "outranked_better_combined_districts", "score_minus_combined_pp"],
    "mart_plan_period": ["year", "ytd_months", "district", "industry", "base_year", "final_year", "is_base_year",
                         "is_final_year", "actual_yi", "target_yi", "attainment", "target_met", "growth_since_base",
                         "average_annual_growth"],
    "mart_single_quarter": ["year", "quarter", "district", "industry", "quarter_yi", "prev_quarter_yi",
                            "rose_on_prev_quarter"],
    "mart_ranking_method": ["industry", "weight", "cap", "status"],
}


def _complete(df: pl.DataFrame, table: str) -> pl.DataFrame:
    """`df` with every column the analysis reads from `table` (NULL where the marts file lacks it)."""
    missing = [c for c in COLUMNS.get(table, []) if c not in df.columns]
    if not missing:
        return df
    if df.width == 0:
        return pl.DataFrame({c: [] for c in COLUMNS[table]})
    return df.with_columns(pl.lit(None).alias(c) for c in missing)


def _rows(df: pl.DataFrame) -> list[dict]:
    return list(df.iter_rows(named=True)) if df.height else []


def _one(df: pl.DataFrame) -> dict | None:
    return df.row(0, named=True) if df.height else None


def _join(parts: list[str], last: str = "和") -> str:
    """'甲' / '甲和乙' / '甲、乙和丙'."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return "、".join(parts[:-1]) + last + parts[-1]


def industry_name(industry: str) -> str:
    return "三大产业" if industry == TOTAL else industry


class Analysis:
    """The analysis of one report period; every string attribute is printable text."""

    def __init__(self, m: Marts):
        self.m = m
        self.p = m.period
        self.claims = Claims()

    # -- reading -------------------------------------------------------------------------------
    def _at(self, table: str, order: str = "") -> pl.DataFrame:
        return _complete(self.m.at_period(table, order=order), table)

    @cached_property
    def gap(self) -> pl.DataFrame:
        return self._at("mart_target_gap")

    @cached_property
    def change(self) -> pl.DataFrame:
        return self._at("mart_period_change")

    @cached_property
    def contrib(self) -> pl.DataFrame:
        return self._at("mart_growth_contribution")

    @cached_property
    def ranking(self) -> pl.DataFrame:
        return self._at("mart_district_ranking", order="rank, district")

    @cached_property
    def attainment(self) -> pl.DataFrame:
        return self._at("mart_attainment")

    @cached_property
    def method(self) -> pl.DataFrame:
        return _complete(self.m.q("SELECT * FROM mart_ranking_method ORDER BY sort_order", table="mart_ranking_method"),
                         "mart_ranking_method")

    @cached_property
    def plan(self) -> pl.DataFrame:
        """The plan's years up to the report year: each earlier year at 1-12月, the report year at its period."""
        return _complete(self.m.q(
            "SELECT * FROM mart_plan_period WHERE (year < ? AND ytd_months = 12) OR (year = ? AND ytd_months = ?)"
            " ORDER BY year", [self.p.year, self.p.year, self.p.ytd_months], table="mart_plan_period"), "mart_plan_period")

    @cached_property
    def quarters(self) -> pl.DataFrame:
        return _complete(self.m.q("SELECT * FROM mart_single_quarter WHERE year = ? AND ytd_months <= ? ORDER BY quarter",
                                  [self.p.year, self.p.ytd_months], table="mart_single_quarter"), "mart_single_quarter")

    @cached_property
    def meta(self) -> dict:
        return self.m.meta()

    def _pick(self, df: pl.DataFrame, **eq) -> dict | None:
        if df.height == 0:
            return None
        for k, v in eq.items():
            df = df.filter(pl.col(k) == v)
        return _one(df)

    def say(self, table: str, row: dict, column: str, kind: str) -> str:
        return self.claims.say(table, row, KEYS[table], column, kind)

    # -- facts used by several sentences --------------------------------------------------------
    @property
    def has_targets(self) -> bool:
        r = self._pick(self.gap, district=CITY, industry=TOTAL)
        return r is not None

    @property
    def has_combined(self) -> bool:
        """The ranking mart carries combined attainment (marts built since it was added)."""
        return self.ranking.height > 0 and self.ranking["combined_attainment"].null_count() < self.ranking.height

    @property
    def year_end(self) -> bool:
        return self.p.ytd_months == 12

    @property
    def plan_final(self) -> bool:
        """The last period of the plan's last year: the report opens with the plan-period verdict."""
        r = self._pick(self.plan, year=self.p.year, district=CITY, industry=TOTAL)
        return bool(r and r["is_final_year"] and self.year_end)

    def prev_label(self, row: dict | None = None) -> str:
        """The previous reporting period in words: '1-9月', or '2011年1-12月' across a year end."""
        r = row or self._pick(self.change, district=CITY, industry=TOTAL)
        if not r:
            return ""
        label = self.say("mart_period_change", r, "prev_period_label", "text")
        return label if r["same_year"] else f"{self.say('mart_period_change', r, 'prev_year', 'text')}年{label}"

    def gap_rows(self, level: str, order: str = "gap_rank") -> list[dict]:
        return _rows(self.gap.filter(pl.col("level") == level).sort(order, "district", "industry"))

    def cell_name(self, r: dict, table: str = "mart_target_gap") -> str:
        d = self.say(table, r, "district", "text")
        i = self.say(table, r, "industry", "text")
        return f"{d}{i}"

    # -- 1. the verdict: plan period, year, or progress so far -----------------------------------
    def plan_years_label(self) -> str:
        r = self._pick(self.plan, year=self.p.year, district=CITY, industry=TOTAL)
        if not r:
            return ""
        return (f"{self.say('mart_plan_period', r, 'base_year', 'text')}—"
                f"{self.say('mart_plan_period', r, 'final_year', 'text')}年")

    def plan_verdict(self) -> str:
        """'2012年是工作方案（2010—2012年）的最后一年：…' — only for the plan's last period."""
        if not self.plan_final:
            return ""
        total = self._pick(self.plan, year=self.p.year, district=CITY, industry=TOTAL)
        s = (f"{self.p.year}年是工作方案（{self.plan_years_label()}）的最后一年。全市三大产业规模 "
             f"{self.say('mart_plan_period', total, 'actual_yi', 'yi')} 亿元，"
             f"{self.say('mart_plan_period', total, 'target_met', 'met')}方案目标"
             f"（{self.say('mart_plan_period', total, 'target_yi', 'yi')} 亿元），完成 "
             f"{self.say('mart_plan_period', total, 'attainment', 'pct')}%，")
        g = self._pick(self.gap, district=CITY, industry=TOTAL)
        s += f"{self.say('mart_target_gap', g, 'gap_yi', 'gap_yi')}；"
        s += (f"比基期{self.say('mart_plan_period', total, 'base_year', 'text')}年增长 "
              f"{self.say('mart_plan_period', total, 'growth_since_base', 'pct')}%，年均增长 "
              f"{self.say('mart_plan_period', total, 'average_annual_growth', 'pct')}%。")
        met, missed = [], []
        for i in self.m.industries:
            r = self._pick(self.plan, year=self.p.year, district=CITY, industry=i)
            if r is None or r["target_met"] is None:
                continue
            text = (f"{self.say('mart_plan_period', r, 'industry', 'text')}"
                    f"（{self.say('mart_plan_period', r, 'attainment', 'pct')}%）")
            (met if r["target_met"] else missed).append(text)
        if met:
            s += f"{_join(met)}完成方案目标"
            s += "；" if missed else "。"
        if missed:
            s += f"{_join(missed)}未完成。"
        earlier = [r for r in _rows(self.plan.filter((pl.col("district") == CITY) & (pl.col("industry") == TOTAL)))
                   if r["target_yi"] is not None and r["year"] < self.p.year]
        for r in earlier:
            s += (f"{self.say('mart_plan_period', r, 'year', 'text')}年三大产业规模 "
                  f"{self.say('mart_plan_period', r, 'actual_yi', 'yi')} 亿元，完成当年目标"
                  f"（{self.say('mart_plan_period', r, 'target_yi', 'yi')} 亿元）的 "
                  f"{self.say('mart_plan_period', r, 'attainment', 'pct')}%。")
        return s

    def verdict(self) -> str:
        """The first key finding: the plan verdict, the year's result, or the progress so far."""
        if self.plan_final:
            total = self._pick(self.plan, year=self.p.year, district=CITY, industry=TOTAL)
            g = self._pick(self.gap, district=CITY, industry=TOTAL)
            return (f"工作方案（{self.plan_years_label()}）期末，三大产业规模 "
                    f"{self.say('mart_plan_period', total, 'actual_yi', 'yi')} 亿元，"
                    f"{self.say('mart_plan_period', total, 'target_met', 'met')}"
                    f" {self.say('mart_plan_period', total, 'target_yi', 'yi')} 亿元的方案目标"
                    f"（完成 {self.say('mart_plan_period', total, 'attainment', 'pct')}%，"
                    f"{self.say('mart_target_gap', g, 'gap_yi', 'gap_yi')}），"
                    f"比{self.say('mart_plan_period', total, 'base_year', 'text')}年增长 "
                    f"{self.say('mart_plan_period', total, 'growth_since_base', 'pct')}%。")
        g = self._pick(self.gap, district=CITY, industry=TOTAL)
        a = self._pick(self.attainment, district=CITY, industry=TOTAL)
        if a is None:
            return f"数据集市中没有{self.p.title}全市数据。"
        if a["target_yi"] is None:  # a year without targets (the base year)
            s = f"{self.p.title}，三大产业规模 {self.say('mart_attainment', a, 'actual_yi', 'yi')} 亿元"
            if a["yoy_growth"] is not None:
                s += f"，{self.say('mart_attainment', a, 'yoy_growth', 'growth')}"
            base = self._pick(self.plan, year=self.p.year, district=CITY, industry=TOTAL)
            return s + ("；本年为工作方案基期，未设规模目标。" if base and base["is_base_year"] else "；本年未设规模目标。")
        if self.year_end:
            s = (f"{self.p.year}年三大产业规模 {self.say('mart_attainment', a, 'actual_yi', 'yi')} 亿元，"
                 f"完成年度目标（{self.say('mart_attainment', a, 'target_yi', 'yi')} 亿元）的 "
                 f"{self.say('mart_attainment', a, 'attainment', 'pct')}%")
            if g is not None:
                s += f"，{self.say('mart_target_gap', g, 'gap_yi', 'gap_yi')}"
            return s + "。"
        s = (f"{self.p.title}，三大产业完成年度目标的 {self.say('mart_attainment', a, 'attainment', 'pct')}%，"
             f"{self.say('mart_attainment', a, 'schedule_gap_pp', 'schedule')}")
        if g is not None and g["shortfall_yi"] and g["required_remaining_growth"] is not None:
            s += (f"；要完成全年目标，其余 {self.say('mart_target_gap', g, 'months_remaining', 'count')} 个月须完成 "
                  f"{self.say('mart_target_gap', g, 'remaining_needed_yi', 'yi')} 亿元，比上年同期增长 "
                  f"{self.say('mart_target_gap', g, 'required_remaining_growth', 'pct')}%")
        return s + "。"

    # -- 2. where the gap is --------------------------------------------------------------------
    def gap_finding(self) -> str:
        """One sentence: which industry and which district × industry cells hold the city's gap."""
        if not self.has_targets:
            return ""
        key = "gap_rank" if self.year_end else "schedule_gap_rank"
        col = "gap_yi" if self.year_end else "schedule_gap_yi"
        kind = "gap_yi" if self.year_end else "sched_yi"
        inds = [r for r in self.gap_rows("industry", key) if r[col] < 0]
        cells = [r for r in self.gap_rows("cell", key) if r[col] < 0][:2]
        if not inds and not cells:
            return ""
        s = ""
        for r in inds[:1]:
            s = (("缺口集中在" if self.year_end else "进度落后最多的是")
                 + f"{self.say('mart_target_gap', r, 'industry', 'text')}（{self.say('mart_target_gap', r, col, kind)}")
            if self.year_end and r["share_of_city_gap"] is not None and r["share_of_city_gap"] > 1:
                s += f"，相当于全市缺口的 {self.say('mart_target_gap', r, 'share_of_city_gap', 'pct')}%"
            s += "）"
        if cells:
            s += (("；" if s else "") + "分区看，" + _join([f"{self.cell_name(r)}（{self.say('mart_target_gap', r, col, kind)}）"
                                      for r in cells]) + ("缺口最大" if self.year_end else "落后最多"))
        return s + "。"

    def gap_paragraphs(self) -> list[str]:
        if not self.has_targets:
            return [f"{self.p.year}年方案未设规模目标，本期不计算目标缺口。"]
        return [self._gap_industries(), self._gap_cells(), self._gap_districts()] + (
            [] if self.year_end else [self.remaining_paragraph()])

    def _gap_industries(self) -> str:
        g = self._pick(self.gap, district=CITY, industry=TOTAL)
        if self.year_end:
            s = f"三大产业合计{self.say('mart_target_gap', g, 'gap_yi', 'gap_yi')}。分产业看，"
            parts = [f"{self.say('mart_target_gap', r, 'industry', 'text')}{self.say('mart_target_gap', r, 'gap_yi', 'gap_yi')}"
                     for r in self.gap_rows("industry")]
            return s + "，".join(parts) + "。"
        s = (f"按时间进度（{F.pct(self.p.ytd_months / 12)}%），三大产业合计"
             f"{self.say('mart_target_gap', g, 'schedule_gap_yi', 'sched_yi')}。分产业看，")
        parts = [f"{self.say('mart_target_gap', r, 'industry', 'text')}{self.say('mart_target_gap', r, 'schedule_gap_yi', 'sched_yi')}"
                 for r in self.gap_rows("industry", "schedule_gap_rank")]
        return s + "，".join(parts) + "。"

    def _gap_cells(self) -> str:
        key = "gap_rank" if self.year_end else "schedule_gap_rank"
        col = "gap_yi" if self.year_end else "schedule_gap_yi"
        cells = [r for r in self.gap_rows("cell", key) if r[col] < 0][:3]
        if not cells:
            return "各区各产业均" + ("完成年度目标。" if self.year_end else "达到时间进度要求。")
        parts = []
        for r in cells:
            name = self.cell_name(r)  # said in reading order: the claims are recorded as they are said
            done = self.say("mart_target_gap", r, "attainment", "pct")
            gap = self.say("mart_target_gap", r, col, "gap_yi" if self.year_end else "sched_yi")
            t = f"{name}（完成 {done}%，{gap}"
            if self.year_end and r["share_of_city_gap"] is not None:
                t += f"，相当于全市缺口的 {self.say('mart_target_gap', r, 'share_of_city_gap', 'pct')}%"
            parts.append(t + "）")
        lead = "分区分产业看，缺口最大的是" if self.year_end else "分区分产业看，落后时间进度最多的是"
        tail = ""
        if self.year_end:
            g = self._pick(self.gap, district=CITY, industry=TOTAL)
            if g and g["gap_yi"] < 0 and sum(r["share_of_city_gap"] or 0 for r in cells) > 1:
                tail = "。这几项缺口之和超过全市缺口，是因为其他区、其他产业超额完成的部分抵消了一部分缺口"
        return lead + _join(parts) + tail + "。"

    def _gap_districts(self) -> str:
        rows = self.gap_rows("district", "gap_rank" if self.year_end else "schedule_gap_rank")
        if not rows:
            return ""
        col = "gap_yi" if self.year_end else "schedule_gap_yi"
        behind = [r for r in rows if r[col] < 0]
        where = {"year": self.p.year, "ytd_months": self.p.ytd_months, "level": "district"}
        n = self.claims.count("mart_target_gap", where, "true", len(rows))
        k = self.claims.count("mart_target_gap", where, f"{col} < 0", len(behind))
        what = "未完成三大产业合计目标" if self.year_end else "三大产业合计进度落后于时间进度"
        s = f"分区看，{n} 个区{what}" if len(behind) == len(rows) else f"分区看，{n} 个区中有 {k} 个区{what}"
        if behind:
            s += "，" + ("缺口最大" if self.year_end else "落后最多") + "的是" + _join(
                [f"{self.say('mart_target_gap', r, 'district', 'text')}"
                 f"（{self.say('mart_target_gap', r, col, 'gap_yi' if self.year_end else 'sched_yi')}）"
                 for r in behind[:3]])
        ahead = [r for r in rows if r[col] >= 0]
        if ahead and self.year_end:
            s += "；" + _join([self.say("mart_target_gap", r, "district", "text") for r in ahead]) + "完成了合计目标"
        return s + "。"

    def remaining_paragraph(self) -> str:
        """Before the year end: what the remaining quarters must deliver, and the growth that needs."""
        g = self._pick(self.gap, district=CITY, industry=TOTAL)
        if g is None or self.year_end:
            return ""
        if not g["shortfall_yi"]:
            return "三大产业已提前完成全年目标。"
        quarters = "、".join(QUARTER_ZH[q] for q in range(self.p.quarter, 4))
        s = (f"要完成全年目标，第{quarters}季度须完成 {self.say('mart_target_gap', g, 'remaining_needed_yi', 'yi')} 亿元，"
             f"平均每季 {self.say('mart_target_gap', g, 'required_per_quarter_yi', 'yi')} 亿元，是本年已过季度季均规模"
             f"（{self.say('mart_target_gap', g, 'average_quarter_to_date_yi', 'yi')} 亿元）的 "
             f"{self.say('mart_target_gap', g, 'required_quarter_ratio', 'times')}")
        if g["required_remaining_growth"] is not None:
            s += (f"；须比上年同期（{self.say('mart_target_gap', g, 'prior_remaining_yi', 'yi')} 亿元）增长 "
                  f"{self.say('mart_target_gap', g, 'required_remaining_growth', 'pct')}%，"
                  f"比{self.p.label}累计增速（{self.say('mart_target_gap', g, 'growth_to_date', 'pct')}%）"
                  f"{self.say('mart_target_gap', g, 'required_growth_gap_pp', 'faster_pp')}")
        s += "。"
        parts = []
        for r in self.gap_rows("industry", "schedule_gap_rank"):
            if r["required_remaining_growth"] is None:
                if not r["shortfall_yi"]:
                    parts.append(f"{self.say('mart_target_gap', r, 'industry', 'text')}已完成全年目标")
                continue
            parts.append(f"{self.say('mart_target_gap', r, 'industry', 'text')}须增长 "
                         f"{self.say('mart_target_gap', r, 'required_remaining_growth', 'pct')}%"
                         f"（比累计增速{self.say('mart_target_gap', r, 'required_growth_gap_pp', 'faster_pp')}）")
        if parts:
            s += "分产业看，" + "，".join(parts) + "。"
        return s

    # -- 3. change since the previous period ----------------------------------------------------
    def change_paragraph(self) -> str:
        t = self._pick(self.change, district=CITY, industry=TOTAL)
        if t is None:
            return "本期为数据集市中的第一个报告期，无上期比较。"
        prev = self.prev_label(t)
        s = f"与{prev}相比，"
        if t["attainment_change_pp"] is not None:
            s += f"三大产业完成进度{self.say('mart_period_change', t, 'attainment_change_pp', 'change_pp')}，"
        if t["growth_change_pp"] is not None:
            s += (f"同比增速由 {self.say('mart_period_change', t, 'prev_yoy_growth', 'pct')}% 变为 "
                  f"{self.say('mart_period_change', t, 'yoy_growth', 'pct')}%，"
                  f"{self.say('mart_period_change', t, 'growth_change_pp', 'change_pp')}。")
        elif t["attainment_change_pp"] is None:
            return ""
        else:
            s = s.rstrip("，") + "。"
        parts = []
        for i in self.m.industries:
            r = self._pick(self.change, district=CITY, industry=i)
            if r and r["growth_change_pp"] is not None:
                parts.append(f"{self.say('mart_period_change', r, 'industry', 'text')}增速"
                             f"{self.say('mart_period_change', r, 'growth_change_pp', 'change_pp')}"
                             f"（{self.say('mart_period_change', r, 'yoy_growth', 'pct')}%）")
        if parts:
            s += "分产业看，" + "，".join(parts) + "。"
        return s

    def change_finding(self) -> str:
        """Growth, its change since the previous period and the largest pull, in one sentence."""
        t = self._pick(self.contrib, district=CITY, industry=TOTAL)
        if t is None:
            return ""
        s = f"三大产业{self.say('mart_growth_contribution', t, 'yoy_growth', 'growth')}"
        c = self._pick(self.change, district=CITY, industry=TOTAL)
        if c and c["growth_change_pp"] is not None:
            s += f"，增速比{self.prev_label(c)}{self.say('mart_period_change', c, 'growth_change_pp', 'change_pp')}"
        top = _one(self.contrib.filter((pl.col("level") == "industry") & (pl.col("contribution_rank") == 1)))
        if top:
            s += (f"；{self.say('mart_growth_contribution', top, 'industry', 'text')}拉动最多，"
                  f"拉动增长 {self.say('mart_growth_contribution', top, 'contribution_pp', 'pct_pp')} 个百分点")
        return s + "。"

    # -- 4. contributions -------------------------------------------------------------------------
    def contribution_paragraphs(self) -> list[str]:
        t = self._pick(self.contrib, district=CITY, industry=TOTAL)
        if t is None:
            return ["数据集市中没有上年同期数据，本期不计算增长贡献。"]
        s = (f"三大产业比上年同期增加 {self.say('mart_growth_contribution', t, 'increase_yi', 'yi')} 亿元，"
             f"{self.say('mart_growth_contribution', t, 'yoy_growth', 'growth')}。其中")
        parts = []
        for r in _rows(self.contrib.filter(pl.col("level") == "industry").sort("contribution_rank", "industry")):
            parts.append(f"{self.say('mart_growth_contribution', r, 'industry', 'text')}增加 "
                         f"{self.say('mart_growth_contribution', r, 'increase_yi', 'yi')} 亿元，"
                         f"{self.say('mart_growth_contribution', r, 'contribution_pp', 'pull')}，贡献率 "
                         f"{self.say('mart_growth_contribution', r, 'contribution_share', 'pct')}%")
        first = s + "；".join(parts) + "。"
        d = self.contrib.filter(pl.col("level") == "district")
        top = _rows(d.sort("contribution_rank", "district"))[:3]
        second = "分区看，拉动最多的是" + _join(
            [f"{self.say('mart_growth_contribution', r, 'district', 'text')}"
             f"（{self.say('mart_growth_contribution', r, 'contribution_pp', 'pct_pp')} 个百分点）" for r in top])
        fast = _one(d.filter(pl.col("growth_rank") == 1))
        slow = _one(d.filter(pl.col("yoy_growth").is_not_null()).sort("growth_rank", descending=True))
        if fast and slow:
            second += (f"；增速最快的是{self.say('mart_growth_contribution', fast, 'district', 'text')}"
                       f"（{self.say('mart_growth_contribution', fast, 'yoy_growth', 'growth')}），最慢的是"
                       f"{self.say('mart_growth_contribution', slow, 'district', 'text')}"
                       f"（{self.say('mart_growth_contribution', slow, 'yoy_growth', 'growth')}）")
        return [first, second + "。"]

    # -- 5. the ranking stated honestly -----------------------------------------------------------
    def rank_move(self, r: dict) -> str:
        """'，比1-9月前进 1 位' / '，与1-9月持平' — the period named, never '上季度'."""
        if r.get("rank_change") is None:
            return ""
        label = self.say("mart_district_ranking", r, "prev_period_label", "text")
        move = self.say("mart_district_ranking", r, "rank_change", "rank_move")
        return f"，与{label}持平" if move == "持平" else f"，比{label}{move}"

    def method_sentence(self) -> str:
        rows = _rows(self.method)
        if not rows:
            return ""
        r = rows[0]
        weights = "、".join(f"{self.say('mart_ranking_method', x, 'industry', 'text')} "
                           f"{self.say('mart_ranking_method', x, 'weight', 'pct')}%" for x in rows)
        return (f"综合得分是本报告的{self.say('mart_ranking_method', r, 'status', 'text')}方法（方案未载明考核评分办法）："
                f"各产业完成进度按权重（{weights}）加权平均，单项完成进度最高按 "
                f"{self.say('mart_ranking_method', r, 'cap', 'pct0')}% 计。")

    def ranking_paragraphs(self) -> list[str]:
        rk = self.ranking
        if rk.height == 0:
            return ["本年未设规模目标，本期不排名。"]
        out = [self.method_sentence()]
        top = rk.row(0, named=True)
        s = (f"按综合得分，{self.say('mart_district_ranking', top, 'district', 'text')}居第 "
             f"{self.say('mart_district_ranking', top, 'rank', 'count')} 位（得分 "
             f"{self.say('mart_district_ranking', top, 'score', 'pct')}%）")
        s += self.rank_move(top)
        if not self.has_combined:
            return out + [s + "。"]
        s += (f"；按三大产业合计，它完成目标的 {self.say('mart_district_ranking', top, 'combined_attainment', 'pct')}%，"
              f"居第 {self.say('mart_district_ranking', top, 'combined_rank', 'count')} 位。")
        where = {"year": self.p.year, "ytd_months": self.p.ytd_months}
        done = [r for r in _rows(rk.sort("combined_rank", "district")) if r["combined_attainment"] >= 1]
        if self.year_end:
            k = self.claims.count("mart_district_ranking", where, "combined_attainment >= 1", len(done))
            s += (f"{self.claims.count('mart_district_ranking', where, 'true', rk.height)} 个区中有 {k} 个区完成三大产业合计目标"
                  + (f"（{_join([self.say('mart_district_ranking', r, 'district', 'text') for r in done])}）" if done else "")
                  + "。")
        out.append(s)
        out += self.ranking_why()
        return out

    def _lean(self, r: dict) -> str:
        """Why equal weights lift (or lower) district r's score against its combined attainment: the
        industries with small targets that did better (or worse) than the district as a whole."""
        lift = r["score_minus_combined_pp"]
        if lift is None or r["combined_attainment"] is None:
            return ""
        cells = _rows(self.gap.filter((pl.col("district") == r["district"]) & (pl.col("level") == "cell"))
                      .sort("target_share", "industry"))
        weight = self.method["weight"].min() if self.method.height else None
        small = [c for c in cells if c["attainment"] is not None and weight is not None and c["target_share"] < weight
                 and ((c["attainment"] > r["combined_attainment"]) if lift > 0 else (c["attainment"] < r["combined_attainment"]))]
        if not small:
            return ""
        d = self.say("mart_district_ranking", r, "district", "text")
        items = _join([f"{self.say('mart_target_gap', c, 'industry', 'text')}（目标占本区 "
                       f"{self.say('mart_target_gap', c, 'target_share', 'pct')}%，完成 "
                       f"{self.say('mart_target_gap', c, 'attainment', 'pct')}%）" for c in small])
        return (f"{d}的{items}目标小，在得分中却与其他产业同等计权，使其得分"
                f"（{self.say('mart_district_ranking', r, 'score', 'pct')}%）比合计完成进度"
                f"（{self.say('mart_district_ranking', r, 'combined_attainment', 'pct')}%）"
                f"{self.say('mart_district_ranking', r, 'score_minus_combined_pp', 'lift')}")

    def ranking_why(self) -> list[str]:
        """Where the score ranks a district above districts with a better combined attainment: why —
        its own small targets lift its score, or the others' small targets lower theirs."""
        rk = self.ranking
        rows = _rows(rk.filter(pl.col("outranked_better_combined") > 0).sort("rank", "district"))
        if not rows:
            return []
        where = {"year": self.p.year, "ytd_months": self.p.ytd_months}
        n = self.claims.count("mart_district_ranking", where, "outranked_better_combined > 0", len(rows))
        out = [f"得分与合计完成进度的名次并不一致：有 {n} 个区的得分排在合计完成进度比它高的区之前。"
               "原因是得分中三个产业同等计权，不看目标大小，目标很小的产业完成得好或差，会把得分明显抬高或压低。"]
        for r in rows:
            s = (f"{self.say('mart_district_ranking', r, 'district', 'text')}排在"
                 f"{self.say('mart_district_ranking', r, 'outranked_better_combined_districts', 'text')}之前")
            reasons = []
            if r["score_minus_combined_pp"] is not None and r["score_minus_combined_pp"] > 0:
                reasons.append(self._lean(r))
            if not any(reasons):
                names = (r["outranked_better_combined_districts"] or "").split("、")
                others = _rows(rk.filter(pl.col("district").is_in(names)).sort("rank", "district"))
                reasons = [self._lean(o) for o in others if o["score_minus_combined_pp"] is not None
                           and o["score_minus_combined_pp"] < 0][:2]
            reasons = [x for x in reasons if x]
            out.append(s + ("：" + "；".join(reasons) if reasons else "") + "。")
        return out

    def ranking_finding(self) -> str:
        rk = self.ranking
        if rk.height == 0 or not self.has_combined:
            return ""
        top = rk.row(0, named=True)
        s = (f"按本报告暂行的综合得分，{self.say('mart_district_ranking', top, 'district', 'text')}居首，但其三大产业合计只完成目标的 "
             f"{self.say('mart_district_ranking', top, 'combined_attainment', 'pct')}%（居第 "
             f"{self.say('mart_district_ranking', top, 'combined_rank', 'count')} 位）") if top["combined_rank"] > 1 else (
            f"{self.say('mart_district_ranking', top, 'district', 'text')}综合得分和三大产业合计完成进度均居首"
            f"（{self.say('mart_district_ranking', top, 'combined_attainment', 'pct')}%）")
        first = _one(rk.filter(pl.col("combined_rank") == 1).sort("district"))
        if first and first["district"] != top["district"]:
            s += (f"；合计完成进度最高的是{self.say('mart_district_ranking', first, 'district', 'text')}"
                  f"（{self.say('mart_district_ranking', first, 'combined_attainment', 'pct')}%）")
        return s + "。"

    # -- 6. 存在问题 ------------------------------------------------------------------------------
    def problems(self) -> list[str]:
        out = []
        key = "gap_rank" if self.year_end else "schedule_gap_rank"
        col = "gap_yi" if self.year_end else "schedule_gap_yi"
        kind = "gap_yi" if self.year_end else "sched_yi"
        worst = [r for r in self.gap_rows("industry", key) if r[col] < 0][:1]
        for r in worst:
            s = (f"{self.say('mart_target_gap', r, 'industry', 'text')}"
                 + ("产业是缺口的主要来源" if self.year_end else "产业进度落后最多") + "：完成年度目标的 "
                 f"{self.say('mart_target_gap', r, 'attainment', 'pct')}%，{self.say('mart_target_gap', r, col, kind)}")
            c = self._pick(self.change, district=CITY, industry=r["industry"])
            if c and c["growth_change_pp"] is not None and c["growth_change_pp"] < 0:
                s += f"，增速比{self.prev_label(c)}{self.say('mart_period_change', c, 'growth_change_pp', 'change_pp')}"
            q = self._pick(self.quarters, quarter=self.p.quarter, district=CITY, industry=r["industry"])
            if q and q.get("rose_on_prev_quarter") is False:
                s += (f"，第{QUARTER_ZH[self.p.quarter - 1]}季度单季规模 {self.say('mart_single_quarter', q, 'quarter_yi', 'yi')} 亿元，"
                      f"{self.say('mart_single_quarter', q, 'rose_on_prev_quarter', 'rose')}上一季度的 "
                      f"{self.say('mart_single_quarter', q, 'prev_quarter_yi', 'yi')} 亿元")
            out.append(s + "。")
        cells = [r for r in self.gap_rows("cell", key) if r[col] < 0][:3]
        if cells:
            out.append(("完成进度最低的区域产业：" if self.year_end else "落后时间进度最多的区域产业：") + "；".join(
                f"{self.cell_name(r)}完成 {self.say('mart_target_gap', r, 'attainment', 'pct')}%，"
                f"{self.say('mart_target_gap', r, col, kind)}" for r in cells) + "。")
        slowed = [r for r in _rows(self.change.filter((pl.col("district") == CITY) & (pl.col("industry") != TOTAL)))
                  if r["growth_change_pp"] is not None and r["growth_change_pp"] < 0]
        if slowed:
            out.append("增速放缓：" + "，".join(
                f"{self.say('mart_period_change', r, 'industry', 'text')}增速比{self.prev_label(r)}"
                f"{self.say('mart_period_change', r, 'growth_change_pp', 'change_pp')}" for r in slowed) + "。")
        year, bands = self.m.bands()
        if self.year_end and year == self.p.year and bands.height and "target_met" in bands.columns:
            missed = _rows(bands.filter(pl.col("target_met").not_()))
            if missed:
                out.append("重点企业数量未达方案要求：" + "；".join(
                    f"{self.say('mart_enterprise_bands', r, 'industry', 'text')}{self.say('mart_enterprise_bands', r, 'band', 'text')}"
                    f"企业 {self.say('mart_enterprise_bands', r, 'enterprises', 'count')} 家，方案为"
                    f"“{self.say('mart_enterprise_bands', r, 'target', 'count')} 家"
                    f"{self.say('mart_enterprise_bands', r, 'qualifier', 'text')}”" for r in missed) + "。")
        return out

    # -- 主要结论 -----------------------------------------------------------------------------------
    def key_findings(self) -> list[str]:
        """At most six, most important first: the verdict, where the gap is, the ranking's caveat,
        growth and its change, then what the year's remaining quarters need (in-year)."""
        out = [self.verdict(), self.gap_finding(), self.change_finding(), self.ranking_finding()]
        year, bands = self.m.bands()
        if (self.year_end and year == self.p.year and "target_met" in bands.columns
                and bands.filter(pl.col("target").is_not_null()).height):
            t = bands.filter(pl.col("target").is_not_null())
            where = {"year": year}
            n = self.claims.count("mart_enterprise_bands", where, "target is not null", t.height)
            k = self.claims.count("mart_enterprise_bands", where, "target_met", t.filter(pl.col("target_met")).height)
            out.append(f"重点企业 {n} 项数量目标中 {k} 项达到方案要求。")
        return [s for s in out if s][:6]

    # -- 附注 ---------------------------------------------------------------------------------------
    def source_line(self) -> str:
        """'资料来源：…': the bureau only for real data (meta_run.source_credit)."""
        credit = self.meta.get("source_credit") or ("模拟数据" if self.m.is_synthetic() else "深圳市统计局")
        return f"资料来源：{credit}；szei 数据集市。"

    def band_measure_note(self) -> str:
        b = self.m.q("SELECT * FROM mart_enterprise_bands ORDER BY year, industry", table="mart_enterprise_bands")
        if b.height == 0 or "measure_differs" not in b.columns:
            return ""
        b = b.filter(pl.col("measure").is_not_null()).unique(["year", "industry"], keep="first", maintain_order=True)
        diff = b.filter(pl.col("measure_differs"))
        if diff.height == 0:
            return ""
        data_measure = diff["data_measure"][0]
        parts = [f"{r['year']}年{r['industry']}按{r['measure']}" for r in _rows(diff)]
        return (f"方案的重点企业目标中，{'、'.join(parts)}分档，而本数据只有{data_measure}；"
                f"这些档次按{data_measure}计数，与方案口径不同，结果仅供参考。")

    def qualifier_note(self) -> str:
        q = self.m.q("SELECT DISTINCT qualifier FROM mart_enterprise_bands WHERE qualifier IS NOT NULL ORDER BY 1",
                     table="mart_enterprise_bands")
        words = "".join(f"“{x}”" for x in q["qualifier"].to_list()) if q.height else ""
        return (f"方案目标的措辞有{words}等，本报告一律以方案所写数字为标准判断是否达到：企业数不低于该数（区间目标取下限，"
                "如“1—2家”按1家）即为达到；“左右”“力争”不放宽也不加严，“培育”按达到所写家数判断。"
                "规模目标以完成进度≥100%为完成。") if words else ""

    def units_note(self) -> str:
        fs = self.m.file_summary()
        if fs.height == 0 or "value_unit" not in fs.columns:
            return ""
        units = fs.filter(pl.col("value_unit").is_not_null()).group_by("value_unit").len().sort("value_unit")
        parts = [f"{r['value_unit']} {r['len']} 个" for r in _rows(units)]
        return ("报送文件产值列的计量单位（按表头识别）：" + "，".join(parts) + "文件；千元、元文件分别除以 10、10000 "
                "折算为万元后汇总，报告中的规模以亿元表示（1亿元＝10000万元）。")

    def status_note(self) -> str:
        s = self.m.q("SELECT * FROM mart_data_status WHERE year = ? AND ytd_months = ?",
                     [self.p.year, self.p.ytd_months], table="mart_data_status")
        r = _one(s)
        if r is None:
            return ""
        text = f"{self.p.title}数据为{self.say('mart_data_status', r, 'status', 'text')}"
        if r["replaced_records"]:
            text += (f"：已按 {self.say('mart_data_status', r, 'revision_files', 'count')} 个修订文件替换 "
                     f"{self.say('mart_data_status', r, 'replaced_records', 'count')} 条原记录")
        return text + ("。报送单位的修订文件（文件名含“修订”）替换同一企业、同一期别的原记录；数据集市每次运行按全部文件整体重建，"
                       "以前各期的规模、增速和排名随修订更新，以最新一期报告为准。")

    def indicators_note(self) -> str:
        ind = self.m.q("SELECT year, industry, indicator, target_value, unit, comparator FROM ref_indicators"
                       " ORDER BY year, indicator_id", table="ref_indicators")
        if ind.height == 0:
            return ""
        parts = [f"{r['year']}年{r['indicator']}（{F.count(r['target_value'])} {r['unit']}{'以上' if r['comparator'] == '>=' else ''}）"
                 for r in _rows(ind)]
        return ("方案的以下量化目标不属于产值统计，由责任单位另行报送，本报告未予评价：" + "；".join(parts) + "。")

    def combined_target_note(self) -> str:
        c = self.m.q("SELECT year, target_yi FROM ref_combined_targets ORDER BY year", table="ref_combined_targets")
        stated = "、".join(f"{r['year']}年 {F.yi(r['target_yi'])} 亿元" for r in _rows(c))
        return ("三大产业合计目标为三个产业目标之和" + (f"，与方案规定的合计目标（{stated}）一致" if stated else "")
                + "；方案未规定合计目标的年度，合计目标仅为三者之和。")

    def all_texts(self) -> list[str]:
        """Every sentence of the analysis for this period (calling each once records its claims)."""
        out = [*self.key_findings(), self.plan_heading(), self.gap_heading(), self.districts_heading(),
               self.plan_verdict(), *self.gap_paragraphs(), self.change_paragraph(),
               *self.contribution_paragraphs(), *self.ranking_paragraphs(), *self.problems(),
               self.source_line(), self.band_measure_note(), self.qualifier_note(), self.units_note(),
               self.status_note(), self.indicators_note(), self.combined_target_note()]
        return [s for s in out if s]

    # -- headings that state the finding -----------------------------------------------------------
    def plan_heading(self) -> str:
        total = self._pick(self.plan, year=self.p.year, district=CITY, industry=TOTAL)
        if not total:
            return "工作方案期进展"
        if not self.plan_final:
            return f"工作方案期（{self.plan_years_label()}）进展"
        g = self._pick(self.gap, district=CITY, industry=TOTAL)
        return (f"工作方案期末三大产业完成方案目标的 {self.say('mart_plan_period', total, 'attainment', 'pct')}%，"
                f"{self.say('mart_target_gap', g, 'gap_yi', 'gap_yi')}")

    def gap_heading(self) -> str:
        g = self._pick(self.gap, district=CITY, industry=TOTAL)
        if g is None:
            return "本年未设规模目标"
        if self.year_end:
            s = f"三大产业{self.say('mart_target_gap', g, 'gap_yi', 'gap_yi')}"
            worst = [r for r in self.gap_rows("industry") if r["gap_yi"] < 0][:1]
            if worst and g["gap_yi"] < 0:
                s += f"，缺口集中在{self.say('mart_target_gap', worst[0], 'industry', 'text')}"
            return s
        if g["required_remaining_growth"] is None:
            return "三大产业已完成全年目标" if not g["shortfall_yi"] else "完成全年目标所需增速"
        return (f"完成全年目标，其余 {self.say('mart_target_gap', g, 'months_remaining', 'count')} 个月须比上年同期增长 "
                f"{self.say('mart_target_gap', g, 'required_remaining_growth', 'pct')}%")

    def districts_heading(self) -> str:
        rk = self.ranking
        if rk.height == 0 or not self.has_combined:
            return "各区完成情况"
        top = rk.row(0, named=True)
        where = {"year": self.p.year, "ytd_months": self.p.ytd_months}
        if self.year_end:
            k = self.claims.count("mart_district_ranking", where, "combined_attainment >= 1",
                                  rk.filter(pl.col("combined_attainment") >= 1).height)
            s = f"{k} 个区完成三大产业合计目标" if k != "0" else "各区均未完成三大产业合计目标"
        else:
            tp = self.p.ytd_months / 12
            k = self.claims.count("mart_district_ranking", where, f"combined_attainment >= {tp!r}",
                                  rk.filter(pl.col("combined_attainment") >= tp).height)
            s = f"{k} 个区合计完成进度达到时间进度" if k != "0" else "各区合计完成进度均落后于时间进度"
        d = self.say("mart_district_ranking", top, "district", "text")
        if top["combined_rank"] > 1:
            return s + f"；{d}综合得分居首，合计完成进度列第 {self.say('mart_district_ranking', top, 'combined_rank', 'count')} 位"
        return s + f"；{d}综合得分和合计完成进度均居首"

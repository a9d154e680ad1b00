"""The words for the district score's method: written here from the facts the marts hold
(mart_ranking_method: each industry's weight, the cap), not read from a sentence in a mart."""

from __future__ import annotations

import polars as pl

from . import formatting as F

_NUMERALS = "一二三四五六七八九十"


def _how_many(n: int) -> str:
    return _NUMERALS[n - 1] if 1 <= n <= len(_NUMERALS) else str(n)


def score_method(method: pl.DataFrame, cap: float | None) -> str:
    """'综合得分 = 生物、互联网、新能源三个产业年度目标完成进度的算术平均，各产业完成进度以 120% 封顶；
    得分相同则名次并列' (no closing full stop: the notes add their own). `method` is mart_ranking_method
    in its order; `cap` the ranking's cap (mart_district_ranking.cap), which the sentence always states."""
    if cap is None:
        return ""
    rows = method.sort("sort_order").to_dicts() if method.height else []
    industries = "、".join(r["industry"] for r in rows)
    weights = {round(r["weight"], 12) for r in rows}
    if len(weights) > 1:  # unequal weights: name them
        mean = "加权平均（权重 " + "、".join(f"{r['industry']} {F.pct(r['weight'])}%" for r in rows) + "）"
    else:
        mean = "算术平均"
    scope = f"{industries}{_how_many(len(rows))}个产业" if rows else "各产业"
    return (f"综合得分 = {scope}年度目标完成进度的{mean}，各产业完成进度以 {F.pct(cap, 0)}% 封顶；"
            "得分相同则名次并列")

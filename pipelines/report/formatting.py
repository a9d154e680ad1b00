"""Number formatting for the report: one place, round half up (四舍五入).

Python's round() rounds half to even; official statistics round half up, so every
number shown goes through decimal.Decimal with ROUND_HALF_UP. The report, its
tables and tests all use these helpers, so a figure is printed the same everywhere.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

BLANK = ""  # table symbol for "no data"


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x)))


def round_half_up(x: float, digits: int) -> Decimal:
    """Round to `digits` decimals, halves away from zero (2.345 -> 2.35, -2.345 -> -2.35).

    Decimal(str(x)) uses the shortest repr of the float, so 2.675 rounds to 2.68 as a
    statistician expects (not 2.67 as the binary value 2.67499999... would give).
    """
    q = Decimal(1).scaleb(-digits)
    d = Decimal(str(x)).quantize(q, rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)  # never print -0.0
    return d


def num(x: float | None, digits: int = 2) -> str:
    """A plain number, fixed decimals; blank when missing."""
    if _missing(x):
        return BLANK
    return f"{round_half_up(x, digits):f}"


def yi(x: float | None) -> str:
    """亿元 to two decimals: 1234.5 -> '1234.50'."""
    return num(x, 2)


def pct(ratio: float | None, digits: int = 1) -> str:
    """A ratio as a percentage, one decimal, no sign: 0.7891 -> '78.9'."""
    if _missing(ratio):
        return BLANK
    return num(ratio * 100, digits)


def pct_sign(ratio: float | None) -> str:
    """Percentage with '%': 0.123 -> '12.3%'."""
    s = pct(ratio)
    return f"{s}%" if s else BLANK


def pp(diff_pp: float | None, digits: int = 1) -> str:
    """A difference of two rates in percentage points, absolute value: -2.14 -> '2.1'."""
    if _missing(diff_pp):
        return BLANK
    return num(abs(diff_pp), digits)


def count(n: int | float | None) -> str:
    if _missing(n):
        return BLANK
    return f"{int(round_half_up(n, 0))}"


def growth_phrase(ratio: float | None) -> str:
    """'同比增长 12.3%' / '同比下降 4.5%' / '与上年同期持平'; growth rounds first, then the word."""
    if _missing(ratio):
        return "无上年同期数据"
    r = round_half_up(ratio * 100, 1)
    if r > 0:
        return f"同比增长 {r:f}%"
    if r < 0:
        return f"同比下降 {abs(r):f}%"
    return "与上年同期持平"


def schedule_phrase(gap_pp: float | None) -> str:
    """'快于时间进度 3.9 个百分点' / '落后时间进度 2.1 个百分点' / '与时间进度持平'."""
    if _missing(gap_pp):
        return ""
    r = round_half_up(gap_pp, 1)
    if r > 0:
        return f"快于时间进度 {r:f} 个百分点"
    if r < 0:
        return f"落后时间进度 {abs(r):f} 个百分点"
    return "与时间进度持平"


def rank_change_phrase(rank: int | None, prev_rank: int | None, prev_label: str = "上期") -> str:
    """'比1-9月前进 1 位' / '比1-9月后退 2 位' / '与1-9月持平', naming the period the previous rank is
    from (mart_district_ranking.prev_period_label); '' without a previous rank."""
    if _missing(rank) or _missing(prev_rank):
        return ""
    d = int(prev_rank) - int(rank)
    if d > 0:
        return f"比{prev_label}前进 {d} 位"
    if d < 0:
        return f"比{prev_label}后退 {-d} 位"
    return f"与{prev_label}持平"


def rank_change_short(rank: int | None, prev_rank: int | None) -> str:
    """Table form: '前进1位' / '后退2位' / '持平'; '' without a previous rank (the column names the period)."""
    s = rank_change_phrase(rank, prev_rank, "")
    return s.replace("比", "", 1).replace("与", "", 1).replace(" ", "")


def period_title(year: int, period_label: str) -> str:
    """'2012年1-12月'."""
    return f"{year}年{period_label}"


def share_phrase(ratio: float | None) -> str:
    """'占 12.3%'; a positive share that rounds to 0.0 reads '不足 0.1%' (never '占 0.0%')."""
    if _missing(ratio):
        return ""
    s = pct(ratio)
    if ratio > 0 and round_half_up(ratio * 100, 1) == 0:
        return "不足 0.1%"
    return f"占 {s}%"


def quotes(text: str) -> str:
    """One quotation style in the report: the validators' 「…」 printed as “…”."""
    return str(text).replace("「", "“").replace("」", "”")

"""Every figure and direction word the analysis prints, with where in the marts it comes from.

A sentence is built from `Claims.say(...)`: it returns the text to print (a number, or a phrase
such as '回落 0.9 个百分点') and records the claim — mart, key, column, how it was formatted — so
that a test can read each value back from the marts and print it again (tests/test_report_claims.py).
Direction words are part of the claim: '提高' or '回落' is chosen from the sign of the mart value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import formatting as F


def _signed(up: str, down: str, same: str, unit: str = " 个百分点", digits: int = 1) -> Callable[[object], str]:
    def phrase(x: object) -> str:
        if F._missing(x):
            return ""
        r = F.round_half_up(float(x), digits)
        if r > 0:
            return f"{up} {r:f}{unit}"
        if r < 0:
            return f"{down} {abs(r):f}{unit}"
        return same
    return phrase


def _rank_move(x: object) -> str:
    if F._missing(x):
        return ""
    d = int(x)
    return f"前进 {d} 位" if d > 0 else f"后退 {-d} 位" if d < 0 else "持平"


def _times(x: object) -> str:
    return "" if F._missing(x) else f"{F.num(float(x), 2)} 倍"


# how a value is printed: kind -> formatter (value as read from the marts -> text)
FORMATS: dict[str, Callable[[object], str]] = {
    "yi": F.yi,                                          # 1234.56 (亿元)
    "yi_abs": lambda x: F.yi(None if F._missing(x) else abs(float(x))),
    "pct": F.pct,                                        # ratio -> 78.9 (%)
    "pp_abs": F.pp,                                      # 2.1 (个百分点, no sign)
    "count": F.count,
    "text": lambda x: "" if x is None else str(x),
    "growth": F.growth_phrase,                           # 同比增长 12.3% / 同比下降 4.5%
    "schedule": F.schedule_phrase,                       # 快于 / 落后时间进度 … 个百分点
    "change_pp": _signed("提高", "回落", "持平"),          # a change of a rate, in 个百分点
    "faster_pp": _signed("高", "低", "持平"),              # 比 one rate 高/低 … 个百分点
    "gap_yi": _signed("超出目标", "差", "恰好完成目标", unit=" 亿元", digits=2),
    "rank_move": _rank_move,                             # 前进 1 位 / 后退 2 位 / 持平
    "met": lambda x: "" if x is None else ("完成" if x else "未完成"),
    "times": _times,
    "sched_yi": _signed("比时间进度要求多", "比时间进度要求少", "与时间进度要求持平", unit=" 亿元", digits=2),
    "pull": _signed("拉动增长", "下拉增长", "对增长无拉动"),  # a contribution, in 个百分点
    "pct_pp": lambda x: F.num(None if F._missing(x) else float(x), 1),  # a value already in 个百分点
    "count_where": F.count,                              # a count of mart rows (Claims.count)
    "rose": lambda x: "" if x is None else ("高于" if x else "低于"),
    "lift": _signed("高", "低", "相同"),                  # the score against combined attainment, 个百分点
    "pct0": lambda x: F.pct(x, 0),
}


@dataclass(frozen=True)
class Claim:
    table: str
    key: tuple[tuple[str, object], ...]   # column = value pairs naming one row
    column: str
    kind: str
    value: object
    shown: str


@dataclass
class Claims:
    items: list[Claim] = field(default_factory=list)

    def say(self, table: str, row: dict, keys: tuple[str, ...], column: str, kind: str) -> str:
        """The printed form of row[column], recorded as a claim on `table` at row's `keys`."""
        value = row.get(column)
        shown = FORMATS[kind](value)
        self.items.append(Claim(table, tuple((k, row[k]) for k in keys), column, kind, value, shown))
        return shown

    def count(self, table: str, where: dict, condition: str, n: int) -> str:
        """A count of rows of `table` matching `where` and the SQL `condition` (our own, never input)."""
        shown = F.count(n)
        self.items.append(Claim(table, tuple(where.items()), condition, "count_where", n, shown))
        return shown

"""Number formatting of the report: round half up, units, standard phrases."""

from decimal import Decimal

import pytest

from pipelines.errors import SzeiError
from pipelines.report import formatting as F
from pipelines.report.data import Period, parse_period


@pytest.mark.parametrize("x, digits, expected", [
    (2.345, 2, "2.35"), (2.675, 2, "2.68"), (0.125, 2, "0.13"), (1.5, 0, "2"), (2.5, 0, "3"),
    (-2.345, 2, "-2.35"), (-0.04, 1, "0.0"), (1234.5, 2, "1234.50"), (0.0, 1, "0.0"),
])
def test_round_half_up(x, digits, expected):
    assert F.num(x, digits) == expected


def test_round_half_up_returns_decimal():
    assert F.round_half_up(0.05, 1) == Decimal("0.1")


def test_units():
    assert F.yi(1234.5) == "1234.50"
    assert F.pct(0.78949) == "78.9"
    assert F.pct(0.78950) == "79.0"
    assert F.pct_sign(0.123) == "12.3%"
    assert F.count(12.5) == "13"
    assert F.pp(-2.14) == "2.1"


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_missing_is_blank(missing):
    assert F.yi(missing) == "" and F.pct(missing) == "" and F.count(missing) == "" and F.pp(missing) == ""


def test_phrases():
    assert F.growth_phrase(0.1234) == "同比增长 12.3%"
    assert F.growth_phrase(-0.045) == "同比下降 4.5%"
    assert F.growth_phrase(0.0004) == "与上年同期持平"
    assert F.growth_phrase(None) == "无上年同期数据"
    assert F.schedule_phrase(3.85) == "快于时间进度 3.9 个百分点"
    assert F.schedule_phrase(-2.14) == "落后时间进度 2.1 个百分点"
    assert F.schedule_phrase(0.04) == "与时间进度持平"
    assert F.rank_change_phrase(3, 4, "1-9月") == "比1-9月前进 1 位"
    assert F.rank_change_phrase(5, 3, "1-9月") == "比1-9月后退 2 位"
    assert F.rank_change_phrase(2, 2, "1-3月") == "与1-3月持平"
    assert F.rank_change_phrase(2, None) == ""
    assert F.rank_change_short(3, 4) == "前进1位"
    assert F.period_title(2012, "1-12月") == "2012年1-12月"


@pytest.mark.parametrize("text", ["2012-12", "2012Q4", "2012q4", "2012年1-12月", "2012-1-12月", "2012/12"])
def test_parse_period(text):
    assert parse_period(text) == Period(2012, 12)
    assert Period(2012, 12).title == "2012年1-12月" and Period(2012, 6).key == "2012-6"


def test_parse_period_rejects():
    with pytest.raises(SzeiError) as e:
        parse_period("2012-7")
    assert "2012-12" in e.value.zh

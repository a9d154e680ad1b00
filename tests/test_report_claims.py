"""Every figure, rank-chosen name, count and direction word of the report's analysis, read back from
the marts — on the sample's year end (2012年1-12月) and mid-year (2012年1-6月)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pytest

from pipelines.report.analysis import Analysis
from pipelines.report.claims import FORMATS
from pipelines.report.data import open_report_data

PERIODS = ["2012-12", "2012-06"]

# kind -> (how a positive value's phrase starts, a negative one's), checked against the value's sign
DIRECTIONS = {
    "change_pp": ("提高", "回落"), "faster_pp": ("高", "低"), "gap_yi": ("超出目标", "差"),
    "sched_yi": ("比时间进度要求多", "比时间进度要求少"), "pull": ("拉动增长", "下拉增长"), "lift": ("高", "低"),
    "schedule": ("快于时间进度", "落后时间进度"), "growth": ("同比增长", "同比下降"), "rank_move": ("前进", "后退"),
}
TODO = re.compile(r"需在|有待|待分析|分析原因|进一步分析|TODO|待补充|待核实")


@pytest.fixture(scope="module", params=PERIODS)
def analysed(request, sample_marts):
    m = open_report_data(sample_marts, request.param)
    a = Analysis(m)
    texts = a.all_texts()
    yield a, texts
    m.con.close()


@pytest.fixture(scope="module")
def con(sample_marts):
    c = duckdb.connect(str(sample_marts), read_only=True)
    yield c
    c.close()


def read_back(con, claim):
    where = " and ".join(f"{k} = ?" for k, _ in claim.key) or "true"
    params = [v for _, v in claim.key]
    if claim.kind == "count_where":
        return con.execute(f"select count(*) from {claim.table} where {where} and ({claim.column})", params).fetchall()[0][0]
    rows = con.execute(f"select {claim.column} from {claim.table} where {where}", params).fetchall()
    assert len(rows) == 1, (claim, rows)
    return rows[0][0]


def test_every_claim_reads_back_from_the_marts(analysed, con):
    a, texts = analysed
    text = "\n".join(texts)
    assert len(a.claims.items) > 100
    for claim in a.claims.items:
        value = read_back(con, claim)
        assert FORMATS[claim.kind](value) == claim.shown, claim
        assert claim.shown in text, claim


def test_direction_words_follow_the_sign_of_the_mart_value(analysed, con):
    """提高/回落, 快于/落后, 高/低, 差/超出 … chosen by the sign of the value as printed (rounded half up)."""
    a, _ = analysed
    checked = 0
    for claim in a.claims.items:
        if claim.kind not in DIRECTIONS or claim.value is None:
            continue
        up, down = DIRECTIONS[claim.kind]
        value = read_back(con, claim)
        digits = {"gap_yi": 2, "sched_yi": 2, "rank_move": 0}.get(claim.kind, 1)
        shown = Decimal(str(value * 100 if claim.kind == "growth" else value)).quantize(
            Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        if shown > 0:
            assert claim.shown.startswith(up), claim
        elif shown < 0:
            assert claim.shown.startswith(down), claim
        else:
            assert not claim.shown.startswith((up, down)), claim
        checked += 1
    assert checked > 20


def test_superlatives_name_the_row_the_marts_rank_first(analysed, con):
    a, texts = analysed
    text = "\n".join(texts)
    p = a.p
    fast = re.search(r"增速最快的是(\S+?)（", text)
    slow = re.search(r"最慢的是(\S+?)（", text)
    growth = dict(con.execute("select district, yoy_growth from mart_growth_contribution where year = ? and"
                              " ytd_months = ? and level = 'district'", [p.year, p.ytd_months]).fetchall())
    assert fast and growth[fast.group(1)] == max(growth.values())
    assert slow and growth[slow.group(1)] == min(growth.values())
    pull = re.search(r"拉动最多的是(\S+?)（", text)
    contrib = dict(con.execute("select district, contribution_pp from mart_growth_contribution where year = ? and"
                               " ytd_months = ? and level = 'district'", [p.year, p.ytd_months]).fetchall())
    assert pull and contrib[pull.group(1)] == max(contrib.values())
    col = "gap_yi" if p.ytd_months == 12 else "schedule_gap_yi"
    worst = con.execute(f"select district || industry from mart_target_gap where year = ? and ytd_months = ?"
                        f" and level = 'cell' order by {col} limit 1", [p.year, p.ytd_months]).fetchall()[0][0]
    assert re.search(r"(缺口最大|落后时间进度最多)的是" + worst, text)


def test_no_to_do_phrasing(analysed):
    _, texts = analysed
    for s in texts:
        assert not TODO.search(s), s


def test_ranks_name_the_previous_period(analysed):
    a, texts = analysed
    text = "\n".join(texts)
    assert "上季度" not in text
    prev = {12: "1-9月", 6: "1-3月"}[a.p.ytd_months]
    assert f"与{prev}持平" in text or f"比{prev}前进" in text or f"比{prev}后退" in text

"""Each chart's title states a finding; the finding is recomputed here from the series the chart plots
(`Figure.data`), on the sample's year end and mid-year. Also: the ranking chart's 100% line and the
heat table's colour scale centred on time progress (100% at the year end)."""

from __future__ import annotations

import json
import re

import polars as pl
import pytest

from pipelines.report import analysis_charts as AC
from pipelines.report import charts as C
from pipelines.report.analysis import Analysis
from pipelines.report.data import open_report_data


@pytest.fixture(scope="module", params=["2012-12", "2012-06"])
def figs(request, sample_marts):
    m = open_report_data(sample_marts, request.param)
    a = Analysis(m)
    out = {"plan": AC.plan_chart(a), "targets": C.attainment_chart(m), "heatmap": C.heatmap_chart(m),
           "ranking": AC.ranking_chart(a), "quarters": C.quarter_chart(m)}
    yield m, out
    m.con.close()


def rising(values: list[float]) -> bool:
    return all(b > a for a, b in zip(values, values[1:]))


def test_quarter_title_matches_the_plotted_lines(figs):
    m, f = figs
    fig = f["quarters"]
    year = m.period.year
    cur = fig.data.filter(pl.col("year") == year).sort("quarter")
    series = {i: cur.filter(pl.col("产业") == i)["规模"].to_list() for i in m.industries}
    title = fig.title
    if title.endswith("三个产业单季规模逐季扩大"):
        assert all(rising(v) for v in series.values())
        return
    mt = re.fullmatch(rf"{year}年(.+)单季规模逐季扩大，(.+)有回落", title)
    assert mt, title
    for i in mt.group(1).split("、"):
        assert rising(series[i]), (i, series[i])
    for i in mt.group(2).split("、"):
        assert not rising(series[i]), (i, series[i])
    assert sorted(mt.group(1).split("、") + mt.group(2).split("、")) == sorted(m.industries)


def test_year_end_quarter_title_does_not_claim_a_rise_for_falling_lines(sample_marts):
    """The issue's case: in 2012 互联网 fell in Q3 and 新能源 in Q4; the title must say so."""
    m = open_report_data(sample_marts, "2012-12")
    try:
        assert C.quarter_chart(m).title == "2012年生物单季规模逐季扩大，互联网、新能源有回落"
    finally:
        m.con.close()


def test_ranking_title_and_its_100_percent_line(figs):
    _, f = figs
    fig = f["ranking"]
    df = fig.data
    top = df.sort("得分", descending=True)["区"][0]
    k = df.sort("合计完成进度", descending=True)["区"].to_list().index(top) + 1
    assert fig.title.startswith(f"{top}综合得分")
    assert (f"合计完成进度列第{k}位" in fig.title) == (k > 1)
    spec = json.dumps(fig.chart.to_dict(), ensure_ascii=False)
    assert '"mark": {"type": "rule"' in spec and '"x": 100.0' in spec


def test_heatmap_title_counts_the_plotted_totals_and_scale_is_centred(figs):
    m, f = figs
    fig = f["heatmap"]
    tot = fig.data.filter(pl.col("产业") == "合计")
    tp = m.period.ytd_months / 12
    if m.period.ytd_months == 12:
        n = tot.filter(pl.col("ratio") >= 1).height
        assert fig.title == (f"{n} 个区完成三大产业合计年度目标" if n else "各区均未完成三大产业合计年度目标")
    else:
        n = tot.filter(pl.col("ratio") < tp).height
        assert str(n) in fig.title or (n == tot.height and "均落后" in fig.title)
    domain = fig.chart.to_dict()["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert len(domain) == 3 and domain[1] == pytest.approx(tp * 100) and domain[1] - domain[0] == domain[2] - domain[1]


def test_attainment_title_from_the_plotted_bars(figs):
    m, f = figs
    fig = f["targets"]
    df = fig.data
    total = df.filter(pl.col("产业") == "三大产业合计").row(0, named=True)
    if m.period.ytd_months == 12:
        done = df.filter((pl.col("产业") != "三大产业合计") & (pl.col("ratio") >= 1))["产业"].to_list()
        assert fig.title.endswith(f"三大产业合计完成 {total['标签']}")
        assert all(f"{i}" in fig.title.split("产业完成全年目标")[0] for i in done) if done else "完成全年目标，" not in fig.title
    else:
        word = "快于" if total["gap_pp"] > 0 else "落后"
        assert word in fig.title


def test_plan_title_from_the_plotted_years(figs):
    m, f = figs
    fig = f["plan"]
    df = fig.data
    full = df.filter(pl.col("ytd_months") == 12).sort("year")
    grew = all(rising(full.filter(pl.col("产业") == i)["规模"].to_list()) for i in m.industries)
    assert ("三大产业规模逐年扩大" in fig.title) == grew
    last = df.filter(pl.col("year") == df["year"].max())
    if last["ytd_months"][0] == 12:
        met = [i for i in m.industries if i in last.filter(pl.col("规模") >= pl.col("目标"))["产业"].to_list()]
        missed = [i for i in m.industries if i in last.filter(pl.col("规模") < pl.col("目标"))["产业"].to_list()]
        assert f"{'、'.join(met)}完成目标" in fig.title and f"{'、'.join(missed)}未完成" in fig.title
    else:
        assert "完成目标" not in fig.title

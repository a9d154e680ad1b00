"""The score's method in words: written by the report from mart_ranking_method's facts; the marts
hold codes (mart_district_ranking.method, mart_ranking_method.status_note), not sentences."""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.report.scoring import score_method


def method_frame(weights: dict[str, float]) -> pl.DataFrame:
    return pl.DataFrame({"industry": list(weights), "sort_order": list(range(1, len(weights) + 1)),
                         "weight": list(weights.values())})


def test_equal_weights_are_an_arithmetic_mean_with_the_cap_stated():
    text = score_method(method_frame({"生物": 1 / 3, "互联网": 1 / 3, "新能源": 1 / 3}), 1.5)
    assert text.startswith("综合得分 = 生物、互联网、新能源三个产业年度目标完成进度的算术平均")
    assert "以 150% 封顶" in text


def test_unequal_weights_are_named():
    text = score_method(method_frame({"生物": 0.5, "互联网": 0.25, "新能源": 0.25}), 1.2)
    assert "加权平均（权重 生物 50.0%、互联网 25.0%、新能源 25.0%）" in text and "以 120% 封顶" in text


def test_the_marts_hold_codes_and_the_report_the_sentence(sample_marts):
    con = duckdb.connect(str(sample_marts), read_only=True)
    try:
        methods = {r[0] for r in con.execute("select distinct method from mart_district_ranking").fetchall()}
        notes = {r[0] for r in con.execute("select distinct status_note from mart_ranking_method").fetchall()}
        method = con.sql("select * from mart_ranking_method order by sort_order").pl()
        (cap,) = con.execute("select distinct cap from mart_district_ranking").fetchone()
    finally:
        con.close()
    assert methods == {"capped_weighted_mean"} and notes == {"plan_states_no_scoring_rule"}
    assert f"以 {round(cap * 100)}% 封顶" in score_method(method, cap)

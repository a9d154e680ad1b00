"""The analysis marts (gap, change since the previous period, contributions, plan period, the ranking
beside combined attainment, quarter trends, data status) against independent polars recomputations
from the bundled sample's mart_attainment (itself checked against the records elsewhere)."""

from __future__ import annotations

from dataclasses import replace

import duckdb
import polars as pl
import pytest

from pipelines.marts import build_marts
from pipelines.reference import load_reference
from tests.conftest import TARGETS_DIR
from tests.marts_fixtures import batch_of, params, records

KEYS = ["year", "ytd_months", "district", "industry"]


@pytest.fixture(scope="module")
def con(sample_marts):
    connection = duckdb.connect(str(sample_marts), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def attainment(con) -> pl.DataFrame:
    return con.sql("select * from mart_attainment").pl()


def table(con, name: str) -> pl.DataFrame:
    return con.sql(f"select * from {name}").pl()


def assert_close(joined: pl.DataFrame, ours: str, theirs: str, tol: float = 1e-9) -> None:
    """Equal where both are set, and NULL in the same rows."""
    nulls = joined.filter(pl.col(ours).is_null() != pl.col(theirs).is_null())
    assert nulls.is_empty(), nulls.select(KEYS + [ours, theirs])
    off = joined.filter((pl.col(ours) - pl.col(theirs)).abs() > tol * pl.col(theirs).abs().clip(1.0))
    assert off.is_empty(), off.select(KEYS + [ours, theirs])


def level(district: pl.Expr, industry: pl.Expr) -> pl.Expr:
    return (pl.when((district == "全市") & (industry == "合计")).then(pl.lit("city"))
            .when(district == "全市").then(pl.lit("industry"))
            .when(industry == "合计").then(pl.lit("district"))
            .otherwise(pl.lit("cell")))


# -- the gap to each target -------------------------------------------------------------------------

def expected_gap(att: pl.DataFrame) -> pl.DataFrame:
    t = att.filter(pl.col("target_yi").is_not_null())
    annual = att.filter(pl.col("ytd_months") == 12).select(
        (pl.col("year") + 1).alias("year"), "district", "industry", pl.col("actual_yi").alias("prior_annual"))
    prior = att.select((pl.col("year") + 1).alias("year"), "ytd_months", "district", "industry",
                       pl.col("actual_yi").alias("prior_ytd"))
    city = t.filter((pl.col("district") == "全市") & (pl.col("industry") == "合计")).select(
        "year", "ytd_months", (pl.col("target_yi") - pl.col("actual_yi")).alias("city_short"))
    dtarget = t.filter(pl.col("industry") == "合计").select("year", "ytd_months", "district",
                                                           pl.col("target_yi").alias("dtarget"))
    e = (t.join(annual, on=["year", "district", "industry"], how="left")
         .join(prior, on=KEYS, how="left")
         .join(city, on=["year", "ytd_months"], how="left")
         .join(dtarget, on=["year", "ytd_months", "district"], how="left"))
    short = (pl.col("target_yi") - pl.col("actual_yi")).clip(lower_bound=0)
    in_year = pl.col("ytd_months") < 12
    prior_rem = pl.when(in_year).then(pl.col("prior_annual") - pl.col("prior_ytd"))
    e = e.with_columns(
        level(pl.col("district"), pl.col("industry")).alias("level"),
        (pl.col("actual_yi") - pl.col("target_yi")).alias("e_gap"),
        (pl.col("actual_yi") - pl.col("target_yi") * pl.col("ytd_months") / 12).alias("e_sched"),
        short.alias("e_short"),
        pl.when(pl.col("city_short") > 0).then(short / pl.col("city_short")).alias("e_share"),
        (pl.col("target_yi") / pl.col("dtarget")).alias("e_target_share"),
        pl.when(in_year).then(short).alias("e_need"),
        pl.when(in_year).then(short / ((12 - pl.col("ytd_months")) / 3)).alias("e_per_quarter"),
        prior_rem.alias("e_prior_rem"),
        pl.when(in_year & (prior_rem > 0) & (short > 0)).then(short / prior_rem - 1).alias("e_req_growth"),
    ).with_columns(
        ((pl.col("e_req_growth") - pl.col("yoy_growth")) * 100).alias("e_req_gap"),
        pl.when(in_year & (pl.col("actual_yi") > 0)).then(
            pl.col("e_per_quarter") / (pl.col("actual_yi") / (pl.col("ytd_months") / 3))).alias("e_q_ratio"),
    )
    return e.with_columns(pl.col("e_gap").rank("min").over(["year", "ytd_months", "level"])
                          .cast(pl.Int32).alias("e_rank"),
                          pl.col("e_sched").rank("min").over(["year", "ytd_months", "level"])
                          .cast(pl.Int32).alias("e_sched_rank"))


def test_gap_matches_a_recomputation(con, attainment):
    got = table(con, "mart_target_gap")
    joined = got.join(expected_gap(attainment), on=KEYS, how="full", coalesce=True)
    assert got.height == joined.height == 2 * 4 * 9 * 4  # 2011 and 2012 × 4 periods × (8 + 全市) × (3 + 合计)
    assert (joined["level"] == joined["level_right"]).all()
    for ours, theirs in (("gap_yi", "e_gap"), ("schedule_gap_yi", "e_sched"), ("shortfall_yi", "e_short"), ("share_of_city_gap", "e_share"),
                         ("target_share", "e_target_share"), ("remaining_needed_yi", "e_need"),
                         ("required_per_quarter_yi", "e_per_quarter"), ("prior_remaining_yi", "e_prior_rem"),
                         ("required_remaining_growth", "e_req_growth"), ("required_growth_gap_pp", "e_req_gap"),
                         ("required_quarter_ratio", "e_q_ratio")):
        assert_close(joined, ours, theirs)
    assert (joined["gap_rank"] == joined["e_rank"]).all()
    assert (joined["schedule_gap_rank"] == joined["e_sched_rank"]).all()
    # in-year rows need last year's 1-12月: present for 2012 (and 2011, whose base year 2010 is there)
    assert joined.filter(pl.col("ytd_months") < 12)["prior_remaining_yi"].null_count() == 0


def test_gap_of_the_sample_year_end(con):
    """The figures the issue quotes: the city short of 2800亿 by 101.61亿, 新能源 alone by 113.25亿,
    南山区生物 and 龙岗区新能源 the cells furthest short, 龙岗区 the district furthest short."""
    rows = con.execute("select level, district, industry, round(gap_yi, 2), gap_rank from mart_target_gap"
                   " where year = 2012 and ytd_months = 12 and gap_rank <= 2 order by level, gap_rank").fetchall()
    assert ("city", "全市", "合计", -101.61, 1) in rows
    assert ("industry", "全市", "新能源", -113.25, 1) in rows
    assert ("cell", "南山区", "生物", -82.8, 1) in rows and ("cell", "龙岗区", "新能源", -53.7, 2) in rows
    assert ("district", "龙岗区", "合计", -48.24, 1) in rows


# -- change since the previous reporting period -----------------------------------------------------

def test_period_change_matches_a_recomputation(con, attainment):
    periods = (attainment.select("year", "ytd_months").unique().sort("year", "ytd_months")
               .with_columns(pl.col("year").shift().alias("py"), pl.col("ytd_months").shift().alias("pm")))
    prev = attainment.select(pl.col("year").alias("py"), pl.col("ytd_months").alias("pm"), "district", "industry",
                             pl.col("attainment").alias("p_att"), pl.col("yoy_growth").alias("p_g"),
                             pl.col("schedule_gap_pp").alias("p_gap"), pl.col("period_label").alias("p_label"))
    same = pl.col("py") == pl.col("year")
    e = (attainment.join(periods.drop_nulls(), on=["year", "ytd_months"])
         .join(prev, on=["py", "pm", "district", "industry"])
         .with_columns(pl.when(same).then((pl.col("attainment") - pl.col("p_att")) * 100).alias("e_att"),
                       pl.when(same).then(pl.col("schedule_gap_pp") - pl.col("p_gap")).alias("e_gap"),
                       ((pl.col("yoy_growth") - pl.col("p_g")) * 100).alias("e_growth")))
    got = table(con, "mart_period_change")
    joined = got.join(e, on=KEYS, how="full", coalesce=True)
    assert got.height == joined.height == 11 * 9 * 4  # every period but the first
    assert (joined["prev_period_label"] == joined["p_label"]).all()
    assert (joined["prev_ytd_months"] == joined["pm"]).all()
    for ours, theirs in (("attainment_change_pp", "e_att"), ("schedule_gap_change_pp", "e_gap"),
                         ("growth_change_pp", "e_growth")):
        assert_close(joined, ours, theirs)
    # the example: growth of the three industries 32.0% at 1-9月, 31.1% at 1-12月 (回落)
    row = con.execute("select prev_period_label, round(prev_yoy_growth * 100, 1), round(yoy_growth * 100, 1),"
                  " growth_change_pp < 0 from mart_period_change"
                  " where year = 2012 and ytd_months = 12 and district = '全市' and industry = '合计'").fetchall()[0]
    assert row == ("1-9月", 32.0, 31.1, True)


# -- contributions to growth -------------------------------------------------------------------------

def test_contributions_match_a_recomputation_and_add_up(con, attainment):
    prior = attainment.select((pl.col("year") + 1).alias("year"), "ytd_months", "district", "industry",
                              pl.col("actual_yi").alias("prior"))
    e = attainment.join(prior, on=KEYS).with_columns((pl.col("actual_yi") - pl.col("prior")).alias("inc"))
    city = e.filter((pl.col("district") == "全市") & (pl.col("industry") == "合计")).select(
        "year", "ytd_months", pl.col("prior").alias("city_prior"), pl.col("inc").alias("city_inc"))
    dist = e.filter(pl.col("industry") == "合计").select("year", "ytd_months", "district",
                                                         pl.col("prior").alias("d_prior"))
    ind = e.filter(pl.col("district") == "全市").select("year", "ytd_months", "industry",
                                                        pl.col("prior").alias("i_prior"))
    e = (e.join(city, on=["year", "ytd_months"]).join(dist, on=["year", "ytd_months", "district"])
         .join(ind, on=["year", "ytd_months", "industry"])
         .with_columns((pl.col("inc") / pl.col("city_prior") * 100).alias("e_pp"),
                       (pl.col("inc") / pl.col("city_inc")).alias("e_share"),
                       pl.when(pl.col("d_prior") > 0).then(pl.col("inc") / pl.col("d_prior") * 100).alias("e_pp_d"),
                       pl.when(pl.col("i_prior") > 0).then(pl.col("inc") / pl.col("i_prior") * 100).alias("e_pp_i")))
    e = e.with_columns(level(pl.col("district"), pl.col("industry")).alias("e_level")).with_columns(
        pl.col("e_pp").rank("min", descending=True).over("year", "ytd_months", "e_level").cast(pl.Int32)
        .alias("e_crank"),
        pl.col("yoy_growth").rank("min", descending=True).over("year", "ytd_months", "e_level").cast(pl.Int32)
        .alias("e_grank"))
    got = table(con, "mart_growth_contribution")
    joined = got.join(e, on=KEYS, how="full", coalesce=True)
    assert got.height == joined.height == 8 * 9 * 4  # 2011 and 2012 × 4 periods
    for ours, theirs in (("increase_yi", "inc"), ("contribution_pp", "e_pp"), ("contribution_share", "e_share"),
                         ("contribution_pp_in_district", "e_pp_d"), ("contribution_pp_in_industry", "e_pp_i")):
        assert_close(joined, ours, theirs)
    assert (joined["level"] == joined["e_level"]).all() and (joined["contribution_rank"] == joined["e_crank"]).all()
    ranked = joined.filter(pl.col("yoy_growth").is_not_null())
    assert (ranked["growth_rank"] == ranked["e_grank"]).all()
    # the industries' pulls, and the districts', add up to the city's growth in 个百分点
    city = got.filter((pl.col("district") == "全市") & (pl.col("industry") == "合计")).select(
        "year", "ytd_months", (pl.col("yoy_growth") * 100).alias("g"))
    by_industry = got.filter((pl.col("district") == "全市") & (pl.col("industry") != "合计")).group_by(
        "year", "ytd_months").agg(pl.col("contribution_pp").sum().alias("s"))
    by_district = got.filter((pl.col("district") != "全市") & (pl.col("industry") == "合计")).group_by(
        "year", "ytd_months").agg(pl.col("contribution_pp").sum().alias("s"))
    for sums in (by_industry, by_district):
        both = city.join(sums, on=["year", "ytd_months"])
        assert both.height == 8 and ((both["g"] - both["s"]).abs() < 1e-9).all()


# -- the plan period ---------------------------------------------------------------------------------

def test_plan_period_runs_from_the_base_year_with_growth_since_it(con, attainment):
    got = table(con, "mart_plan_period")
    assert sorted(got["year"].unique().to_list()) == [2010, 2011, 2012]
    assert set(got["base_year"]) == {2010} and set(got["final_year"]) == {2012}
    base = attainment.filter(pl.col("year") == 2010).select("ytd_months", "district", "industry",
                                                            pl.col("actual_yi").alias("base"))
    e = attainment.filter(pl.col("year").is_between(2010, 2012)).join(
        base, on=["ytd_months", "district", "industry"]).with_columns(
        (pl.col("actual_yi") / pl.col("base") - 1).alias("e_since"),
        pl.when(pl.col("year") > 2010).then((pl.col("actual_yi") / pl.col("base")) ** (1 / (pl.col("year") - 2010)) - 1)
        .alias("e_avg"),
        pl.when(pl.col("target_yi").is_not_null()).then(pl.col("attainment") >= 1).alias("e_met"))
    joined = got.join(e, on=KEYS, how="full", coalesce=True)
    assert joined.height == got.height == 12 * 9 * 4
    assert_close(joined, "growth_since_base", "e_since")
    assert_close(joined, "average_annual_growth", "e_avg")
    assert (joined["target_met"].is_null() == joined["e_met"].is_null()).all()
    assert (joined.drop_nulls("e_met")["target_met"] == joined.drop_nulls("e_met")["e_met"]).all()


# -- the ranking beside combined attainment ----------------------------------------------------------

def test_ranking_score_and_combined_attainment_match_a_recomputation(con, attainment):
    method = table(con, "mart_ranking_method")
    industries = con.sql("select industry from ref_industries").pl()["industry"].to_list()
    assert method["industry"].to_list() == industries and set(method["status"]) == {"暂行"}
    assert (method["weight"] - 1 / len(industries)).abs().max() < 1e-12 and set(method["cap"]) == {1.2}
    cells = attainment.filter((pl.col("district") != "全市") & (pl.col("industry") != "合计")
                              & pl.col("target_yi").is_not_null())
    score = cells.group_by("year", "ytd_months", "district").agg(
        pl.col("attainment").clip(upper_bound=1.2).mean().alias("e_score"))
    combined = attainment.filter((pl.col("district") != "全市") & (pl.col("industry") == "合计")
                                 & pl.col("target_yi").is_not_null()).select(
        "year", "ytd_months", "district", pl.col("attainment").alias("e_combined"))
    e = score.join(combined, on=["year", "ytd_months", "district"]).with_columns(
        pl.col("e_score").rank("min", descending=True).over("year", "ytd_months").cast(pl.Int32).alias("e_rank"),
        pl.col("e_combined").rank("min", descending=True).over("year", "ytd_months").cast(pl.Int32)
        .alias("e_combined_rank"))
    # districts the score ranks below a district although their combined attainment is higher
    pairs = e.join(e, on=["year", "ytd_months"], suffix="_lo").filter(
        (pl.col("e_rank_lo") > pl.col("e_rank")) & (pl.col("e_combined_lo") > pl.col("e_combined")))
    outranked = pairs.group_by("year", "ytd_months", "district").agg(pl.len().alias("e_n"),
                                                                     pl.col("district_lo").alias("e_names"))
    got = table(con, "mart_district_ranking")
    j = got.join(e, on=["year", "ytd_months", "district"], how="full", coalesce=True).join(
        outranked, on=["year", "ytd_months", "district"], how="left")
    assert j.height == got.height == 2 * 4 * 8
    assert ((j["score"] - j["e_score"]).abs() < 1e-12).all()
    assert ((j["combined_attainment"] - j["e_combined"]).abs() < 1e-12).all()
    assert ((j["score_minus_combined_pp"] - (j["e_score"] - j["e_combined"]) * 100).abs() < 1e-9).all()
    assert (j["rank"] == j["e_rank"]).all() and (j["combined_rank"] == j["e_combined_rank"]).all()
    assert (j["outranked_better_combined"] == j["e_n"].fill_null(0)).all()
    for row in j.iter_rows(named=True):
        listed = (row["outranked_better_combined_districts"] or "").split("、") if row["e_n"] else []
        assert sorted(filter(None, listed)) == sorted(row["e_names"] or [])
    # prev_rank is the rank of the previous period of the same year, named by prev_period_label
    prev = got.select("year", (pl.col("ytd_months") + 3).alias("ytd_months"), "district",
                      pl.col("rank").alias("e_prev"), pl.col("period_label").alias("e_prev_label"))
    k = got.join(prev, on=["year", "ytd_months", "district"], how="left")
    assert (k["prev_rank"].is_null() == (k["ytd_months"] == 3)).all()
    assert (k.drop_nulls("prev_rank")["prev_rank"] == k.drop_nulls("prev_rank")["e_prev"]).all()
    assert (k.drop_nulls("prev_rank")["prev_period_label"] == k.drop_nulls("prev_rank")["e_prev_label"]).all()
    assert ((k["rank_change"] == k["e_prev"] - k["rank"]) | k["rank_change"].is_null()).all()


def test_sample_ranking_puts_longgang_first_with_the_seventh_combined_attainment(con):
    """The case the issue raises: 龙岗区 first on the score at 90.4% of its combined target, above six
    districts with a better combined attainment; only 罗湖区 and 宝安区 met their combined targets."""
    row = con.execute("select rank, combined_rank, round(combined_attainment * 100, 1), outranked_better_combined,"
                  " prev_period_label from mart_district_ranking"
                  " where year = 2012 and ytd_months = 12 and district = '龙岗区'").fetchall()[0]
    assert row == (1, 7, 90.4, 6, "1-9月")
    met = con.execute("select list(district order by district) from mart_district_ranking"
                  " where year = 2012 and ytd_months = 12 and combined_attainment >= 1").fetchall()[0][0]
    assert sorted(met) == sorted(["罗湖区", "宝安区"])


# -- single quarters: what a chart title may claim ----------------------------------------------------

def test_rose_every_quarter_is_computed_from_the_quarter_series(con):
    got = table(con, "mart_single_quarter").sort("year", "district", "industry", "quarter")
    e = got.with_columns(
        pl.col("quarter_yi").shift().over("year", "district", "industry").alias("e_prev"),
    ).with_columns(
        pl.when(pl.col("quarter") > 1).then(pl.col("quarter_yi") > pl.col("e_prev")).alias("e_rose"),
    ).with_columns(
        pl.when(pl.col("quarter") > 1).then(
            pl.col("e_rose").fill_null(True).cum_min().over("year", "district", "industry")).alias("e_every"))
    assert ((e["rose_on_prev_quarter"] == e["e_rose"]) | e["e_rose"].is_null()).all()
    assert (e["rose_every_quarter_to_date"].is_null() == e["e_every"].is_null()).all()
    assert (e.drop_nulls("e_every")["rose_every_quarter_to_date"] == e.drop_nulls("e_every")["e_every"]).all()
    # 2012 全市: 生物 and 合计 rose every quarter; 互联网 fell in Q3 and 新能源 in Q4
    rows = dict(con.execute("select industry, rose_every_quarter_to_date from mart_single_quarter"
                        " where year = 2012 and quarter = 4 and district = '全市'").fetchall())
    assert rows == {"生物": True, "合计": True, "互联网": False, "新能源": False}
    yoy = con.execute("select quarter_yi / prior_year_quarter_yi - 1 - quarter_yoy_growth from mart_single_quarter"
                  " where year = 2012 and district = '全市'").fetchall()
    assert all(abs(d) < 1e-12 for (d,) in yoy)


# -- bands, data status, the source credit ----------------------------------------------------------

def test_bands_say_which_measure_the_plan_counts(con):
    rows = con.execute("select industry, measure, measure_differs, target_met = (enterprises >= target)"
                   " from mart_enterprise_bands where year = 2012").fetchall()
    by_industry = {(i, m, d) for i, m, d, _ in rows}
    assert by_industry == {("生物", "销售收入", True), ("互联网", "营业收入", True), ("新能源", "年产值", False)}
    assert all(ok for *_, ok in rows)


def test_data_status_marks_the_revised_period(con):
    rows = dict(con.execute("select year * 100 + ytd_months, status from mart_data_status").fetchall())
    replaced = con.execute("select distinct year * 100 + ytd_months from dq_replaced_records").fetchall()
    assert {k for k, s in rows.items() if s == "修订数"} == {k for (k,) in replaced} == {201212}
    assert len(rows) == 12


@pytest.mark.parametrize("synthetic", [True, False])
def test_source_credit_names_the_bureau_only_for_real_data(tmp_path, synthetic):
    rows = [(2012, 12, "91440300708461136T", "生物", "福田区", "南山区", 30000)]
    db = tmp_path / "szei.duckdb"
    assert build_marts(batch_of(records(rows)), load_reference(TARGETS_DIR), db,
                       replace(params(), is_synthetic=synthetic)).published
    with duckdb.connect(str(db), read_only=True) as c:
        label, credit = c.execute("select data_label, source_credit from meta_run").fetchall()[0]
    assert (label == "模拟数据") == synthetic
    assert ("模拟数据" in credit) == synthetic
    assert credit == "深圳市统计局" or synthetic

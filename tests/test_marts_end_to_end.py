"""From bureau files to marts: hand-computed fixtures, the bundled sample's consistency,
and the README's example queries."""

from __future__ import annotations

import re

import duckdb
import polars as pl
import pytest

from pipelines.marts import build_marts
from pipelines.reference import load_reference
from pipelines.validation import list_output_files, validate_output_files
from tests.conftest import ROOT, TARGETS_DIR
from tests.marts_fixtures import params

HEADER = "统计年度,累计期,单位代码,单位名称,产业类别,注册地,产值发生地,本年累计产值（{unit}）\n"
BIO = "91440300708461136T"
NET = "914403001922038216"
NE = "192203821"
DUP = "91350100M000100Y43"


@pytest.fixture(scope="module")
def fixture_marts(tmp_path_factory):
    out = tmp_path_factory.mktemp("raw") / "output"
    out.mkdir()
    # 2011 in 千元: bio 2亿 in 南山区 + 1亿 in 坪山新区; internet 50亿.
    (out / "2011_1-12月.csv").write_text(
        HEADER.format(unit="千元")
        + f"2011,1-12月,{BIO},甲生物,生物,福田区,南山区,200000\n"
        + f"2011,1-12月,{BIO},甲生物,生物,福田区,坪山新区,100000\n"
        + f"2011,1-12月,{NET},乙网络,互联网,福田区,南山区,5000000\n",
        encoding="utf-8",
    )
    # 2012 in 万元, with a new-area firm and a conflicting duplicate (both copies rejected).
    (out / "2012_1-12月.csv").write_text(
        HEADER.format(unit="万元")
        + f"2012,1-12月,{BIO},甲生物,生物,福田区,南山区,30000\n"
        + f"2012,1-12月,{BIO},甲生物,生物,福田区,坪山新区,10000\n"
        + f"2012,1-12月,{NET},乙网络,互联网,福田区,南山区,1000000\n"
        + f"2012,1-12月,{NE},丙能源,新能源,大鹏新区,,50000\n"
        + f"2012,1-12月,{DUP},丁生物,生物,南山区,南山区,70000\n"
        + f"2012,1-12月,{DUP},丁生物,生物,南山区,南山区,90000\n",
        encoding="utf-8",
    )
    reference = load_reference(TARGETS_DIR)
    batch = validate_output_files(list_output_files(out), reference)
    db = out.parent / "szei.duckdb"
    assert build_marts(batch, reference, db, params()).published
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def att(con, year, district, industry):
    return con.execute(
        "select actual_yi, attainment, yoy_growth from mart_attainment"
        " where year = ? and ytd_months = 12 and district = ? and industry = ?",
        [year, district, industry],
    ).fetchone()


def test_hand_computed_attainment_and_growth(fixture_marts):
    con = fixture_marts
    assert att(con, 2011, "南山区", "生物") == pytest.approx((2.0, 2.0 / 360, None), nan_ok=True)
    assert att(con, 2012, "南山区", "生物") == (pytest.approx(3.0), pytest.approx(3.0 / 460), pytest.approx(0.5))
    assert att(con, 2012, "坪山新区", "生物") == (pytest.approx(1.0), pytest.approx(1.0 / 43), pytest.approx(0.0))
    assert att(con, 2012, "福田区", "生物")[0] == 0.0
    assert att(con, 2012, "福田区", "互联网") == (pytest.approx(100.0), pytest.approx(0.4), pytest.approx(1.0))
    assert att(con, 2012, "南山区", "互联网")[0] == 0.0
    assert att(con, 2012, "龙岗区", "新能源")[:2] == (pytest.approx(5.0), pytest.approx(5.0 / 470))
    assert att(con, 2012, "全市", "生物")[:2] == (pytest.approx(4.0), pytest.approx(4.0 / 900))
    assert att(con, 2012, "全市", "合计")[2] == pytest.approx(109.0 / 53.0 - 1)


def test_conflicting_duplicate_rejected_both_copies(fixture_marts):
    rows = fixture_marts.execute(
        "select source_file, source_row, reasons from dq_quarantine order by source_row"
    ).fetchall()
    assert [(f, r) for f, r, _ in rows] == [("2012_1-12月.csv", 6), ("2012_1-12月.csv", 7)]
    assert all("冲突" in reasons or "不同" in reasons for _, _, reasons in rows)
    summary = fixture_marts.execute(
        "select source_file, rows_read, rows_accepted, rows_rejected, value_unit from dq_file_summary order by 1"
    ).fetchall()
    assert summary == [("2011_1-12月.csv", 3, 3, 0, "千元"), ("2012_1-12月.csv", 6, 4, 2, "万元")]


def test_hand_computed_bands(fixture_marts):
    bands = dict(
        ((ind, band), n)
        for ind, band, n in fixture_marts.execute(
            "select industry, band, enterprises from mart_enterprise_bands where year = 2012"
        ).fetchall()
    )
    assert bands[("互联网", "超百亿元")] == 1
    assert bands[("生物", "超亿元")] == 1  # the rejected duplicate firm does not count
    assert bands[("新能源", "超亿元")] == 1 and bands[("新能源", "超十亿元")] == 0


# --- the bundled sample ---------------------------------------------------------------

def test_sample_districts_are_the_sum_of_their_enterprises_under_the_rule(sample_marts):
    reference = load_reference(TARGETS_DIR)
    batch = validate_output_files(list_output_files(ROOT / "data" / "raw" / "output"), reference)
    parents = reference.districts.select("district", "target_unit")
    expected = (
        batch.accepted.filter(pl.col("year").is_in([2011, 2012]))
        .with_columns(
            pl.when(pl.col("industry") == "生物").then(pl.col("output_district"))
            .otherwise(pl.col("reg_district")).alias("district")
        )
        .join(parents, on="district")
        .group_by("year", "ytd_months", "target_unit", "industry")
        .agg((pl.col("ytd_value_wan").sum() / 10000).alias("expected_yi"))
        .rename({"target_unit": "district"})
    )
    con = duckdb.connect(str(sample_marts), read_only=True)
    marts = con.sql(
        "select year, ytd_months, district, industry, actual_yi from mart_attainment"
        " where year in (2011, 2012) and district <> '全市' and industry <> '合计'"
    ).pl()
    city = con.sql(
        "select year, ytd_months, industry, actual_yi from mart_attainment where district = '全市'"
    ).pl()
    con.close()
    joined = marts.join(expected, on=["year", "ytd_months", "district", "industry"], how="left").with_columns(
        pl.col("expected_yi").fill_null(0.0)
    )
    assert len(joined) == 2 * 4 * 8 * 3
    assert (joined["actual_yi"] - joined["expected_yi"]).abs().max() < 1e-9
    by_city = (
        marts.group_by("year", "ytd_months", "industry").agg(pl.col("actual_yi").sum().alias("sum_yi"))
        .join(city, on=["year", "ytd_months", "industry"])
    )
    assert (by_city["sum_yi"] - by_city["actual_yi"]).abs().max() < 1e-9


def readme_queries() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("Three example queries"):]
    block = re.search(r"```sql\n(.*?)```", section, re.S).group(1)
    return [q.strip() for q in block.split(";") if "select" in q]


def test_readme_example_queries_run_as_written(sample_marts):
    queries = readme_queries()
    assert len(queries) == 3
    con = duckdb.connect(str(sample_marts), read_only=True)
    for query in queries:
        assert con.execute(query).fetchall(), query
    con.close()


def test_record_level_view_gives_back_every_accepted_record(sample_marts):
    """int_attributed_output is stored with integer ids for the unit code and name (int_attributed_facts)
    and joins the text back: it must give exactly the accepted records, text included, and keep the
    columns and types analysts query."""
    reference = load_reference(TARGETS_DIR)
    accepted = validate_output_files(list_output_files(ROOT / "data" / "raw" / "output"), reference).accepted
    columns = ["source_file", "source_row", "year", "ytd_months", "period_label", "unit_code", "unit_name",
               "industry", "reg_district", "output_district", "ytd_value_wan", "target_unit"]
    with duckdb.connect(str(sample_marts), read_only=True) as con:
        kinds = dict(con.execute("select table_name, table_type from information_schema.tables"
                                 " where table_name in ('int_attributed_output', 'int_attributed_facts')").fetchall())
        assert kinds == {"int_attributed_output": "VIEW", "int_attributed_facts": "BASE TABLE"}
        types = con.execute("select column_name, data_type from duckdb_columns()"
                            " where table_name = 'int_attributed_output' order by column_index").fetchall()
        view = con.sql("select * from int_attributed_output").pl()
    assert [c for c, _ in types][:7] == ["year", "ytd_months", "period_label", "unit_code", "unit_name",
                                         "industry", "reg_district"]
    assert dict(types)["unit_code"] == "VARCHAR" and dict(types)["unit_name"] == "VARCHAR"
    # amounts are stored exactly to the cent of a 元 (DECIMAL(18, 6) 万元): 千元 ÷ 10 in floating point
    # (387.90000000000003) is stored as 387.9
    expected = accepted.select(columns).with_columns(
        pl.col("target_unit").cast(pl.String), pl.col("ytd_value_wan").round(6)).sort("source_file", "source_row")
    got = view.select(columns).sort("source_file", "source_row")
    assert got.height == accepted.height
    assert got.equals(expected.cast(got.schema)), "the view differs from the accepted records"
    assert (view["current_district"] == view.select(
        pl.when(pl.col("industry") == "生物").then(pl.col("output_district")).otherwise(pl.col("reg_district")))
        .to_series()).all()


def test_enterprise_counts_match_distinct_codes_of_the_records(sample_marts):
    """mart_attainment.enterprises (bitmaps of dense enterprise ids in SQL) equals the number of distinct
    unit codes among the accepted records, counted here in polars: per target unit and industry, per
    unit across industries (合计: a firm in two industries once), and for 全市."""
    reference = load_reference(TARGETS_DIR)
    records = validate_output_files(list_output_files(ROOT / "data" / "raw" / "output"), reference).accepted
    records = records.with_columns(pl.col("target_unit").cast(pl.String))
    keys = ["year", "ytd_months"]
    expected = pl.concat([
        records.group_by(*keys, pl.col("target_unit").alias("district"), "industry").agg(pl.col("unit_code").n_unique()),
        records.group_by(*keys, pl.col("target_unit").alias("district")).agg(pl.col("unit_code").n_unique())
        .with_columns(pl.lit("合计").alias("industry")),
        records.group_by(*keys, "industry").agg(pl.col("unit_code").n_unique()).with_columns(pl.lit("全市").alias("district")),
        records.group_by(*keys).agg(pl.col("unit_code").n_unique())
        .with_columns(pl.lit("全市").alias("district"), pl.lit("合计").alias("industry")),
    ], how="diagonal").select(*keys, "district", "industry", pl.col("unit_code").cast(pl.Int64).alias("expected"))
    with duckdb.connect(str(sample_marts), read_only=True) as con:
        got = con.sql("select year, ytd_months, district, industry, enterprises from mart_attainment").pl()
    joined = got.join(expected.cast({"year": got.schema["year"], "ytd_months": got.schema["ytd_months"]}),
                      on=[*keys, "district", "industry"], how="left")
    assert joined.height == got.height and expected.height > 100
    # every expected cell is in the mart (not only every mart row in the expectation)
    cells = got.select(*keys, "district", "industry").cast({k: expected.schema[k] for k in keys})
    missing = expected.join(cells, on=[*keys, "district", "industry"], how="anti")
    assert missing.is_empty(), missing
    assert joined.filter(pl.col("expected").is_null())["enterprises"].to_list() == [0] * joined["expected"].null_count()
    wrong = joined.filter(pl.col("expected").is_not_null() & (pl.col("enterprises") != pl.col("expected")))
    assert wrong.is_empty(), wrong


def _comparable(records: pl.DataFrame, place: list[str]) -> pl.DataFrame:
    """Comparable scope computed here, independently of the SQL: per period, place and industry, the
    enterprises with records in the same place, industry and period of the year before; their count
    and their values in both years; 合计 counts an enterprise once across industries."""
    keys = ["ytd_months", *place, "industry"]
    firm_cells = records.group_by("year", *keys, "unit_code").agg(pl.col("ytd_value_yi").sum().alias("v"))
    pairs = firm_cells.join(firm_cells.with_columns(pl.col("year") + 1), on=["year", *keys, "unit_code"],
                            suffix="_prior")
    cells = pairs.group_by("year", *keys).agg(
        pl.len().alias("n"), pl.col("v").sum().alias("cur"), pl.col("v_prior").sum().alias("prior"))
    totals = pairs.group_by("year", "ytd_months", *place).agg(
        pl.col("unit_code").n_unique().alias("n"), pl.col("v").sum().alias("cur"),
        pl.col("v_prior").sum().alias("prior")).with_columns(pl.lit("合计").alias("industry"))
    return pl.concat([cells.with_columns(pl.col("n").cast(pl.Int64)), totals.with_columns(pl.col("n").cast(pl.Int64))],
                     how="diagonal")


def test_comparable_growth_matches_an_independent_computation(sample_marts):
    """mart_growth_comparable (presence bitmaps in SQL) against the definition computed in polars on the
    bundled sample, which has enterprises entering and leaving, bio firms in several output districts
    and new areas: every district, the city, each industry and 合计, every period with a year before."""
    reference = load_reference(TARGETS_DIR)
    records = validate_output_files(list_output_files(ROOT / "data" / "raw" / "output"), reference).accepted
    records = records.with_columns(pl.col("target_unit").cast(pl.String),
                                   (pl.col("ytd_value_wan") / 10000).alias("ytd_value_yi"))
    districts = _comparable(records.filter(pl.col("target_unit").is_not_null()).rename({"target_unit": "district"}),
                            ["district"])
    city = _comparable(records.with_columns(pl.lit("全市").alias("district")), ["district"])
    expected = pl.concat([districts, city], how="diagonal")
    with duckdb.connect(str(sample_marts), read_only=True) as con:
        got = con.sql("select year, ytd_months, district, industry, comparable_enterprises as got_n,"
                      " comparable_current_yi as got_cur, comparable_prior_yi as got_prior"
                      " from mart_growth_comparable where year > (select min(year) from mart_growth_comparable)").pl()
    joined = got.join(expected.cast({"year": got.schema["year"], "ytd_months": got.schema["ytd_months"]}),
                      on=["year", "ytd_months", "district", "industry"], how="left").with_columns(
        pl.col("n").fill_null(0), pl.col("cur").fill_null(0.0), pl.col("prior").fill_null(0.0))
    assert got.height == 288 and expected.height > 250  # 2011 and 2012 × 4 periods × (8 + 全市) × (3 + 合计)
    assert (joined["got_n"] == joined["n"]).all(), joined.filter(pl.col("got_n") != pl.col("n"))
    for ours, theirs in (("got_cur", "cur"), ("got_prior", "prior")):
        off = joined.filter((pl.col(ours) - pl.col(theirs)).abs() > 1e-9 * pl.col(theirs).abs().clip(1.0))
        assert off.is_empty(), off
    assert joined["n"].sum() > 0 and (joined.filter(pl.col("industry") == "合计")["n"] > 0).any()

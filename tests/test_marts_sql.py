"""The SQL models on hand-computed fixtures: counting rule, targets, growth, bands, checks."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.marts import build_marts
from pipelines.reference import load_reference
from tests.conftest import TARGETS_DIR
from tests.marts_fixtures import batch_of, params, records

BIO_A = "91440300708461136T"  # registered in 福田区, produces in 南山区 and 坪山新区
NET_B = "914403001922038216"  # internet, registered in 福田区, operating in 南山区
NE_C = "192203821"            # new energy, registered in 大鹏新区 in 2012

ROWS = [
    (2011, 12, BIO_A, "生物", "福田区", "南山区", 20000),
    (2011, 12, BIO_A, "生物", "福田区", "坪山新区", 10000),
    (2011, 12, NET_B, "互联网", "福田区", "南山区", 500000),
    (2012, 6, NET_B, "互联网", "福田区", "南山区", 400000),
    (2012, 12, BIO_A, "生物", "福田区", "南山区", 30000),
    (2012, 12, BIO_A, "生物", "福田区", "坪山新区", 10000),
    (2012, 12, NET_B, "互联网", "福田区", "南山区", 1000000),
    (2012, 12, NE_C, "新能源", "大鹏新区", None, 50000),
]


@pytest.fixture(scope="module")
def marts(tmp_path_factory):
    db = tmp_path_factory.mktemp("marts") / "szei.duckdb"
    build = build_marts(batch_of(records(ROWS)), load_reference(TARGETS_DIR), db, params())
    assert build.published, [c for c in build.checks if not c.passed]
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def att(con, year, months, district, industry):
    return con.execute(
        "select actual_yi, target_yi, attainment, yoy_growth, schedule_gap_pp from mart_attainment"
        " where year = ? and ytd_months = ? and district = ? and industry = ?",
        [year, months, district, industry],
    ).fetchone()


def test_bio_counts_where_output_occurs(marts):
    assert att(marts, 2012, 12, "南山区", "生物")[:3] == pytest.approx((3.0, 460.0, 3.0 / 460))
    assert att(marts, 2012, 12, "坪山新区", "生物")[:3] == pytest.approx((1.0, 43.0, 1.0 / 43))
    assert att(marts, 2012, 12, "福田区", "生物")[0] == 0.0  # registered there, produces elsewhere


def test_internet_counts_where_registered(marts):
    assert att(marts, 2012, 12, "福田区", "互联网")[:3] == pytest.approx((100.0, 250.0, 0.4))
    assert att(marts, 2012, 12, "南山区", "互联网")[0] == 0.0


def test_new_area_folds_into_parent_for_targets(marts):
    assert att(marts, 2012, 12, "龙岗区", "新能源")[:3] == pytest.approx((5.0, 470.0, 5.0 / 470))
    current = dict(marts.execute(
        "select district, actual_yi from mart_attainment_current"
        " where year = 2012 and ytd_months = 12 and industry = '新能源' and district in ('大鹏新区', '龙岗区')"
    ).fetchall())
    assert current == {"大鹏新区": 5.0, "龙岗区": 0.0}


def test_city_totals_and_combined_target(marts):
    assert att(marts, 2012, 12, "全市", "生物")[:3] == pytest.approx((4.0, 900.0, 4.0 / 900))
    assert att(marts, 2012, 12, "全市", "合计")[:3] == pytest.approx((109.0, 2800.0, 109.0 / 2800))
    # schedule gap in percentage points: (attainment − 12/12) × 100
    assert att(marts, 2012, 12, "全市", "合计")[4] == pytest.approx((109.0 / 2800 - 1) * 100)
    assert att(marts, 2012, 6, "福田区", "互联网")[4] == pytest.approx((40.0 / 250 - 0.5) * 100)


def test_year_on_year_growth(marts):
    assert att(marts, 2012, 12, "南山区", "生物")[3] == pytest.approx(0.5)
    assert att(marts, 2012, 12, "坪山新区", "生物")[3] == pytest.approx(0.0)
    assert att(marts, 2012, 12, "福田区", "互联网")[3] == pytest.approx(1.0)
    assert att(marts, 2012, 12, "龙岗区", "新能源")[3] is None  # nothing a year before
    assert att(marts, 2011, 12, "全市", "合计")[3] is None  # no 2010 data in this fixture


def test_comparable_scope_growth_excludes_new_enterprises(marts):
    row = marts.execute(
        "select comparable_enterprises, comparable_current_yi, comparable_prior_yi, yoy_growth_comparable, yoy_growth"
        " from mart_growth_comparable where year = 2012 and ytd_months = 12 and district = '全市' and industry = '合计'"
    ).fetchone()
    assert row[:3] == (2, pytest.approx(104.0), pytest.approx(53.0))
    assert row[3] == pytest.approx(104.0 / 53 - 1)
    assert row[4] == pytest.approx(109.0 / 53 - 1)


def test_enterprise_bands_are_cumulative(marts):
    bands = {
        (ind, band): (n, target)
        for ind, band, n, target in marts.execute(
            "select industry, band, enterprises, target from mart_enterprise_bands where year = 2012"
        ).fetchall()
    }
    assert bands[("互联网", "超百亿元")] == (1, 1)
    assert bands[("互联网", "超十亿元")] == (1, 8)
    assert bands[("互联网", "超亿元")] == (1, 30)
    assert bands[("生物", "超亿元")] == (1, 120)  # 3亿 + 1亿 across two output districts
    assert bands[("生物", "超十亿元")] == (0, 25)
    assert bands[("新能源", "超亿元")] == (1, 20)
    assert marts.execute(
        "select target from mart_enterprise_bands where year = 2011 and industry = '生物' and band = '超百亿元'"
    ).fetchone() == (None,)


def test_single_quarter_values(marts):
    q = dict(marts.execute(
        "select quarter, quarter_yi from mart_single_quarter"
        " where year = 2012 and district = '福田区' and industry = '互联网'"
    ).fetchall())
    assert q == {2: None, 4: None}  # 1-3月 and 1-9月 are missing, so neither quarter can be derived


def test_grid_is_complete(marts):
    n = marts.execute("select count(*) from mart_attainment").fetchone()[0]
    assert n == 3 * 9 * 4  # periods (2011-12, 2012-6, 2012-12) × (8 units + 全市) × (3 industries + 合计)


def test_ranking(marts):
    rows = marts.execute(
        "select district, rank, score, attainment_internet from mart_district_ranking"
        " where year = 2012 and ytd_months = 12 order by rank"
    ).fetchall()
    assert len(rows) == 8
    assert rows[0][0] == "福田区"  # 100/250 internet, the only strong component
    assert rows[0][2] == pytest.approx((0 + 0.4 + 0) / 3)


def test_every_published_column_has_a_chinese_comment(marts):
    missing = marts.execute(
        "select table_name, column_name from duckdb_columns() where not internal and (comment is null or comment = '')"
    ).fetchall()
    assert missing == []
    tables = marts.execute("select table_name from duckdb_tables() where not internal and comment is null").fetchall()
    assert tables == []
    names = {t for (t,) in marts.execute("select table_name from duckdb_tables()").fetchall()}
    assert {"mart_attainment", "mart_enterprise_bands", "dq_quarantine", "dq_file_summary"} <= names
    assert not any(n.startswith(("raw_", "stg_")) for n in names)


def test_contract_columns(marts):
    def cols(table):
        return [c for (c,) in marts.execute(
            "select column_name from duckdb_columns() where table_name = ? order by column_index", [table]).fetchall()]
    assert cols("mart_attainment")[:11] == [
        "year", "ytd_months", "period_label", "district", "industry", "actual_yi", "target_yi",
        "attainment", "time_progress", "schedule_gap_pp", "yoy_growth"]
    assert cols("mart_enterprise_bands")[:6] == ["year", "industry", "band", "threshold_yi", "enterprises", "target"]
    assert cols("dq_quarantine")[:2] == ["source_file", "source_row"] and "reasons" in cols("dq_quarantine")
    assert {"source_file", "sha256", "rows_read", "rows_accepted", "rows_rejected", "rows_warned"} <= set(
        cols("dq_file_summary"))


def test_comparable_scope_is_matched_where_the_figure_is_counted(tmp_path):
    """A bio firm that adds an output district is comparable for the city and for its old
    district, not for the new one (nothing there a year before)."""
    rows = [
        (2011, 12, BIO_A, "生物", "福田区", "南山区", 20000),
        (2012, 12, BIO_A, "生物", "福田区", "南山区", 30000),
        (2012, 12, BIO_A, "生物", "福田区", "坪山新区", 10000),
    ]
    db = tmp_path / "szei.duckdb"
    assert build_marts(batch_of(records(rows)), load_reference(TARGETS_DIR), db, params()).published
    con = duckdb.connect(str(db), read_only=True)
    got = {
        district: (n, cur, prior)
        for district, n, cur, prior in con.execute(
            "select district, comparable_enterprises, comparable_current_yi, comparable_prior_yi"
            " from mart_growth_comparable where year = 2012 and ytd_months = 12 and industry = '生物'"
            " and district in ('南山区', '坪山新区', '全市')"
        ).fetchall()
    }
    con.close()
    assert got["南山区"] == (1, pytest.approx(3.0), pytest.approx(2.0))
    assert got["坪山新区"] == (0, 0, 0)
    assert got["全市"] == (1, pytest.approx(4.0), pytest.approx(2.0))


def test_band_threshold_is_reached_exactly_despite_float_sums(tmp_path):
    """Exactly 10亿 (100,000万元) reported as five output districts whose binary float sum, in any
    order, is 99999.99999999999."""
    values = [5543.03, 28860.92, 24149.01, 17509.42, 23937.62]
    districts = ["南山区", "坪山新区", "宝安区", "龙岗区", "光明新区"]
    rows = [(2012, 12, BIO_A, "生物", "福田区", d, v) for d, v in zip(districts, values)]
    assert sum(values) < 100000 and sum(reversed(values)) < 100000
    db = tmp_path / "szei.duckdb"
    assert build_marts(batch_of(records(rows)), load_reference(TARGETS_DIR), db, params()).published
    con = duckdb.connect(str(db), read_only=True)
    n = con.execute("select enterprises from mart_enterprise_bands where year = 2012 and industry = '生物'"
                    " and band = '超十亿元'").fetchone()[0]
    dtype = con.execute("select data_type from duckdb_columns() where table_name = 'mart_enterprise_bands'"
                        " and column_name = 'threshold_yi'").fetchone()[0]
    con.close()
    assert n == 1
    assert dtype == "DOUBLE"


def test_comparable_scope_across_industries_new_firms_and_a_gap_year(tmp_path):
    """Hand-computed: a firm in two industries is comparable in each and counted once in 合计; a firm new
    in 2012 is not comparable; a firm with 2010 and 2012 but no 2011 is not comparable in 2012 (Y-1 only)."""
    rows = [
        (2011, 12, NET_B, "互联网", "福田区", None, 100000),
        (2011, 12, NET_B, "新能源", "福田区", None, 50000),
        (2012, 12, NET_B, "互联网", "福田区", None, 120000),
        (2012, 12, NET_B, "新能源", "福田区", None, 60000),
        (2012, 12, NE_C, "互联网", "福田区", None, 30000),     # new in 2012
        (2010, 12, BIO_A, "互联网", "南山区", None, 70000),     # 2010 and 2012, not 2011
        (2012, 12, BIO_A, "互联网", "南山区", None, 80000),
    ]
    db = tmp_path / "szei.duckdb"
    assert build_marts(batch_of(records(rows)), load_reference(TARGETS_DIR), db, params()).published
    with duckdb.connect(str(db), read_only=True) as con:
        got = {
            (district, industry): (n, cur, prior)
            for district, industry, n, cur, prior in con.execute(
                "select district, industry, comparable_enterprises, comparable_current_yi, comparable_prior_yi"
                " from mart_growth_comparable where year = 2012 and ytd_months = 12").fetchall()
        }
        before = con.execute("select sum(comparable_enterprises) from mart_growth_comparable where year = 2011").fetchone()
    assert got[("福田区", "互联网")] == (1, pytest.approx(12.0), pytest.approx(10.0))
    assert got[("福田区", "新能源")] == (1, pytest.approx(6.0), pytest.approx(5.0))
    assert got[("福田区", "合计")] == (1, pytest.approx(18.0), pytest.approx(15.0))
    assert got[("南山区", "互联网")] == (0, 0, 0)
    assert got[("全市", "互联网")] == (1, pytest.approx(12.0), pytest.approx(10.0))
    assert got[("全市", "合计")] == (1, pytest.approx(18.0), pytest.approx(15.0))
    assert before == (0,)  # 2011 has nothing a year before except 2010's 南山区 firm, absent in 2011


def test_bitmaps_larger_than_the_memory_limit_are_refused_with_a_message(tmp_path, monkeypatch):
    """Enterprise bitmaps cannot spill to disk: a build whose bitmaps would outgrow SZEI_DUCKDB_MEMORY
    is refused before the models run, with the size needed and the setting to change."""
    from pipelines.errors import SzeiError

    periods = [(y, m) for y in (2010, 2011, 2012) for m in (3, 6, 9, 12)]
    rows = [(*periods[n % 12], f"C{n:08d}", "互联网", "福田区", None, 100) for n in range(30_000)]
    batch = batch_of(records(rows))
    db = tmp_path / "szei.duckdb"
    monkeypatch.setenv("SZEI_DUCKDB_MEMORY", "8MB")  # 30,000 bits × 12 periods × 27 cells × 8 copies ≈ 9.7 MB
    with pytest.raises(SzeiError) as err:
        build_marts(batch, load_reference(TARGETS_DIR), db, params())
    assert "SZEI_DUCKDB_MEMORY=8MB" in err.value.message() and "GB" in err.value.message()
    assert not db.exists()  # nothing published
    monkeypatch.setenv("SZEI_DUCKDB_MEMORY", "64MB")
    assert build_marts(batch, load_reference(TARGETS_DIR), db, params()).published


def test_running_out_of_duckdb_memory_is_a_message(tmp_path, monkeypatch):
    """DuckDB's out-of-memory error names the setting to change instead of a traceback."""
    from pipelines.errors import SzeiError

    monkeypatch.setenv("SZEI_DUCKDB_MEMORY", "1MB")
    db = tmp_path / "szei.duckdb"
    with pytest.raises(SzeiError) as err:
        build_marts(batch_of(records(ROWS)), load_reference(TARGETS_DIR), db, params())
    assert "SZEI_DUCKDB_MEMORY=1MB" in err.value.message()
    from pipelines.marts.publish import CANDIDATE_SUFFIX

    assert not db.exists() and not list(tmp_path.glob(f"*{CANDIDATE_SUFFIX}*"))  # the candidate is gone too


def test_a_record_attributed_to_no_target_unit_fails_the_counting_rule_check_with_its_code(tmp_path):
    """counting_rule_holds reads the stored facts and looks the unit code up for the failing records
    only: the failing record is reported with its own code, file and row; the published file is untouched."""
    rows = [*ROWS, (2012, 12, NE_C, "生物", "大鹏新区", "外省", 100)]  # an output district the dictionary lacks
    build = build_marts(batch_of(records(rows)), load_reference(TARGETS_DIR), tmp_path / "szei.duckdb", params())
    check = next(c for c in build.checks if c.name == "counting_rule_holds")
    assert not build.published and not (tmp_path / "szei.duckdb").exists()
    assert check.failing_rows == 1
    assert {k: check.sample[0][k] for k in ("unit_code", "industry", "current_district", "target_unit", "source_row")} \
        == {"unit_code": NE_C, "industry": "生物", "current_district": "外省", "target_unit": None,
            "source_row": len(rows) + 1}

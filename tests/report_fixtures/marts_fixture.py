"""A small, plausible marts database with the tables and columns the report reads.

Values are made up but internally consistent (districts sum to 全市, industries to 合计,
ranks follow scores), so tests can check the report against the database.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb

DISTRICTS = ["福田区", "罗湖区", "南山区", "盐田区", "宝安区", "龙岗区", "光明新区", "坪山新区"]
INDUSTRIES = ["生物", "互联网", "新能源"]
LABELS = {3: "1-3月", 6: "1-6月", 9: "1-9月", 12: "1-12月"}
TARGETS = {  # 深府办〔2010〕98号 十（一）, 亿元
    2011: {"福田区": (28, 170, 5), "罗湖区": (5, 18, 4), "南山区": (360, 345, 250), "盐田区": (19, 1, 1),
           "宝安区": (226, 2, 50), "龙岗区": (20, 2, 300), "光明新区": (14, 1, 60), "坪山新区": (28, 1, 80)},
    2012: {"福田区": (30, 250, 8), "罗湖区": (6, 36, 5), "南山区": (460, 498, 350), "盐田区": (27, 2, 2),
           "宝安区": (288, 5, 65), "龙岗区": (26, 5, 470), "光明新区": (20, 2, 80), "坪山新区": (43, 2, 120)},
}
BAND_TARGETS = {  # (year, industry) -> (百亿, 十亿, 亿) floors, stretch, qualifier
    (2011, "生物"): ((None, 10, 80), (None, None, None), ("", "力争", "力争")),
    (2011, "互联网"): ((1, 3, 10), (None, None, None), ("力争", "力争", "力争")),
    (2011, "新能源"): ((3, 4, 15), (None, None, None), ("力争", "力争", "力争")),
    (2012, "生物"): ((1, 25, 120), (None, None, None), ("达到", "左右", "左右")),
    (2012, "互联网"): ((1, 8, 30), (2, None, None), ("达到", "达到", "达到")),
    (2012, "新能源"): ((4, 5, 20), (None, None, None), ("达到", "达到", "达到")),
}


def _factor(d: int, i: int, year: int) -> float:
    # deterministic spread of attainment between ~0.78 and ~1.22
    return 0.78 + ((d * 7 + i * 5 + year) % 9) * 0.055


def _annual(year: int, d: int, i: int) -> float:
    if year == 2010:
        return _annual(2011, d, i) * 0.82
    return TARGETS[year][DISTRICTS[d]][i] * _factor(d, i, year)


def _ytd(year: int, m: int, d: int, i: int) -> float:
    share = {3: 0.22, 6: 0.47, 9: 0.73, 12: 1.0}[m]
    return round(_annual(year, d, i) * share, 4)


def build_marts(path: Path, *, years=(2010, 2011, 2012), last=(2012, 12), synthetic: bool = True) -> Path:
    path = Path(path)
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    periods = [(y, m) for y in years for m in (3, 6, 9, 12) if (y, m) <= last]

    # ---- mart_attainment -------------------------------------------------------------
    rows = []
    values: dict[tuple, float] = {}
    for (y, m) in periods:
        for d, dn in enumerate(DISTRICTS):
            for i, ind in enumerate(INDUSTRIES):
                values[(y, m, dn, ind)] = _ytd(y, m, d, i)
    for (y, m) in periods:
        for dn in DISTRICTS + ["全市"]:
            for ind in INDUSTRIES + ["合计"]:
                ds = DISTRICTS if dn == "全市" else [dn]
                inds = INDUSTRIES if ind == "合计" else [ind]
                actual = sum(values[(y, m, dd, ii)] for dd in ds for ii in inds)
                if y in TARGETS:
                    target = float(sum(TARGETS[y][dd][INDUSTRIES.index(ii)] for dd in ds for ii in inds))
                else:
                    target = None
                att = actual / target if target else None
                tp = m / 12
                gap = (att - tp) * 100 if att is not None else None
                prior = None
                if (y - 1, m) in [(p[0], p[1]) for p in periods]:
                    prior = sum(values[(y - 1, m, dd, ii)] for dd in ds for ii in inds)
                yoy = actual / prior - 1 if prior else None
                ents = 3 * len(ds) * len(inds) + m
                rows.append((y, m, LABELS[m], dn, ind, actual, target, att, tp, gap, yoy, ents))
    # the dictionaries the report takes its orders from (as the real marts hold them)
    con.execute("CREATE TABLE ref_industries (industry VARCHAR, industry_en VARCHAR, counting_rule_zh VARCHAR, "
                "sort_order BIGINT)")
    con.executemany("INSERT INTO ref_industries VALUES (?, ?, ?, ?)",
                    [(ind, en, rule, k + 1) for k, (ind, en, rule) in enumerate(zip(
                        INDUSTRIES, ["bio", "internet", "new_energy"], ["产值发生地", "企业注册地", "企业注册地"]))])
    con.execute("CREATE TABLE ref_districts (district VARCHAR, target_unit VARCHAR, is_target_unit BOOLEAN, "
                "established VARCHAR, sort_order BIGINT)")
    con.executemany("INSERT INTO ref_districts VALUES (?, ?, ?, ?, ?)",
                    [(d, d, True, None, k + 1) for k, d in enumerate(DISTRICTS)]
                    + [("龙华新区", "宝安区", False, "2011-12-30", 9), ("大鹏新区", "龙岗区", False, "2011-12-30", 10)])
    con.execute("CREATE TABLE ref_combined_targets (year BIGINT, target_yi DOUBLE, source_section VARCHAR)")
    con.execute("INSERT INTO ref_combined_targets VALUES (2012, 2800, '一（二）')")
    con.execute("""CREATE TABLE mart_attainment (year INTEGER, ytd_months INTEGER, period_label VARCHAR,
        district VARCHAR, industry VARCHAR, actual_yi DOUBLE, target_yi DOUBLE, attainment DOUBLE,
        time_progress DOUBLE, schedule_gap_pp DOUBLE, yoy_growth DOUBLE, enterprises INTEGER)""")
    con.executemany("INSERT INTO mart_attainment VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)

    # ---- mart_attainment_current (new areas on their own from 2012) -----------------------
    con.execute("""CREATE TABLE mart_attainment_current (year INTEGER, ytd_months INTEGER, period_label VARCHAR,
        district VARCHAR, target_unit VARCHAR, industry VARCHAR, actual_yi DOUBLE)""")
    cur = []
    for (y, m, lab, dn, ind, actual, *_rest) in rows:
        if y >= 2012 and dn in ("宝安区", "龙岗区"):
            new, share = ("龙华新区", 0.35) if dn == "宝安区" else ("大鹏新区", 0.12)
            cur.append((y, m, lab, dn, dn, ind, actual * (1 - share)))
            cur.append((y, m, lab, new, dn, ind, actual * share))
        else:
            cur.append((y, m, lab, dn, dn, ind, actual))
    con.executemany("INSERT INTO mart_attainment_current VALUES (?,?,?,?,?,?,?)", cur)

    # ---- mart_single_quarter ---------------------------------------------------------------
    con.execute("""CREATE TABLE mart_single_quarter AS
        SELECT year, ytd_months // 3 AS quarter, ytd_months, period_label, district, industry,
               actual_yi - coalesce(lag(actual_yi) OVER (PARTITION BY year, district, industry ORDER BY ytd_months), 0) AS quarter_yi,
               false AS is_negative
        FROM mart_attainment""")
    con.execute("UPDATE mart_single_quarter SET is_negative = quarter_yi < 0")

    # ---- mart_growth_comparable ----------------------------------------------------------
    con.execute("""CREATE TABLE mart_growth_comparable AS
        SELECT a.year, a.ytd_months, a.period_label, a.district, a.industry, a.actual_yi,
               p.actual_yi AS prior_actual_yi, a.actual_yi / p.actual_yi - 1 AS yoy_growth,
               CAST(a.enterprises * 0.9 AS INTEGER) AS comparable_enterprises,
               a.actual_yi * 0.96 AS comparable_current_yi, p.actual_yi * 0.99 AS comparable_prior_yi,
               (a.actual_yi * 0.96) / (p.actual_yi * 0.99) - 1 AS yoy_growth_comparable
        FROM mart_attainment a JOIN mart_attainment p
          ON p.year = a.year - 1 AND p.ytd_months = a.ytd_months AND p.district = a.district AND p.industry = a.industry""")

    # ---- mart_enterprise_bands (complete years only) ------------------------------------
    con.execute("""CREATE TABLE mart_enterprise_bands (year INTEGER, industry VARCHAR, band VARCHAR,
        threshold_yi DOUBLE, enterprises INTEGER, target INTEGER, target_stretch INTEGER, qualifier VARCHAR)""")
    bands = [("超百亿元", 100.0), ("超十亿元", 10.0), ("超亿元", 1.0)]
    for (y, ind), (floors, stretch, quals) in BAND_TARGETS.items():
        if (y, 12) not in periods:
            continue
        for k, (b, thr) in enumerate(bands):
            n = {0: 1, 1: 6, 2: 70}[k] + INDUSTRIES.index(ind) * (k + 1) + (y - 2011) * (3 * k + 1)
            con.execute("INSERT INTO mart_enterprise_bands VALUES (?,?,?,?,?,?,?,?)",
                        (y, ind, b, thr, n, floors[k], stretch[k], quals[k] or None))

    # ---- mart_district_ranking --------------------------------------------------------------
    con.execute("""CREATE TABLE mart_district_ranking AS
        WITH p AS (
          SELECT year, ytd_months, period_label, district,
            least(max(attainment) FILTER (WHERE industry='生物'), 1.2) AS attainment_bio,
            least(max(attainment) FILTER (WHERE industry='互联网'), 1.2) AS attainment_internet,
            least(max(attainment) FILTER (WHERE industry='新能源'), 1.2) AS attainment_new_energy
          FROM mart_attainment WHERE district <> '全市' AND target_yi IS NOT NULL AND industry <> '合计'
          GROUP BY ALL),
        s AS (SELECT *, (attainment_bio + attainment_internet + attainment_new_energy) / 3 AS score FROM p),  -- a ratio, as in the real marts
        r AS (SELECT *, rank() OVER (PARTITION BY year, ytd_months ORDER BY score DESC) AS rank FROM s)
        SELECT year, ytd_months, period_label, district, score, CAST(rank AS INTEGER) AS rank,
          CAST(lag(rank) OVER (PARTITION BY year, district ORDER BY ytd_months) AS INTEGER) AS prev_rank,
          attainment_bio, attainment_internet, attainment_new_energy, 1.2 AS cap,
          '综合得分 = 三大产业完成进度（各项最高按120%计）的简单平均。' AS method
        FROM r""")

    # ---- data quality ----------------------------------------------------------------------
    files = [f"{y}年{LABELS[m]}产值.csv" for (y, m) in periods] + ["2012年1-6月产值修订.csv"] if (2012, 6) in periods else \
        [f"{y}年{LABELS[m]}产值.csv" for (y, m) in periods]
    con.execute("""CREATE TABLE dq_file_summary (source_file VARCHAR, sha256 VARCHAR, encoding VARCHAR, value_unit VARCHAR,
        is_revision BOOLEAN, rows_read INTEGER, rows_accepted INTEGER, rows_rejected INTEGER, rows_warned INTEGER,
        rows_replaced INTEGER, file_error VARCHAR)""")
    for k, f in enumerate(files):
        rej = 2 if k % 3 == 0 else 0
        read = 120 + k
        con.execute("INSERT INTO dq_file_summary VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (f, f"{k:02x}" * 32, "utf-8" if k % 2 else "gb18030", "万元", "修订" in f, read, read - rej, rej,
                     k % 2, 4 if "修订" in f else 0, None))
    con.execute("""CREATE TABLE dq_quarantine (source_file VARCHAR, source_row INTEGER, reasons VARCHAR, reasons_en VARCHAR,
        columns VARCHAR, raw VARCHAR)""")
    con.execute("""CREATE TABLE dq_quarantine_reasons (source_file VARCHAR, source_row INTEGER, reason_code VARCHAR,
        reason VARCHAR, "column" VARCHAR)""")
    q = []
    for k, f in enumerate(files):
        if k % 3 == 0:
            q.append((f, 10 + k, "单位代码校验位错误", "bad check character", "unit_code",
                      [("bad_check_char", "单位代码校验位错误", "unit_code")]))
            q.append((f, 20 + k, "产值为负数；区名无法识别", "negative value; unknown district", "ytd_value,district",
                      [("negative_value", "产值为负数", "ytd_value"), ("unknown_district", "区名无法识别", "district")]))
    for (f, r, zh, en, cols, reasons) in q:
        con.execute("INSERT INTO dq_quarantine VALUES (?,?,?,?,?,?)",
                    (f, r, zh, en, cols, json.dumps({"单位代码": "12345678-0"}, ensure_ascii=False)))
        for rc in reasons:
            con.execute("INSERT INTO dq_quarantine_reasons VALUES (?,?,?,?,?)", (f, r, *rc))
    con.execute("""CREATE TABLE dq_warnings (source_file VARCHAR, source_row INTEGER, year INTEGER, ytd_months INTEGER,
        unit_code VARCHAR, industry VARCHAR, output_district VARCHAR, warning_code VARCHAR, message VARCHAR)""")
    for k, f in enumerate(files):
        if k % 2:
            con.execute("INSERT INTO dq_warnings VALUES (?,?,?,?,?,?,?,?,?)",
                        (f, 5 + k, 2012, 6, "123456789", "新能源", "龙岗区", "unit_slip", "数值约为上期的10000倍，疑似单位错误"))

    # ---- provenance and run metadata ------------------------------------------------------
    con.execute("""CREATE TABLE mart_provenance (year INTEGER, ytd_months INTEGER, period_label VARCHAR, source_file VARCHAR,
        sha256 VARCHAR, records INTEGER, replaced_records INTEGER, run_id VARCHAR, loaded_at TIMESTAMP)""")
    con.execute("""INSERT INTO mart_provenance
        SELECT 0, 0, '', source_file, sha256, rows_accepted, rows_replaced, 'run-fixture-0001', TIMESTAMP '2026-11-27 09:00:00'
        FROM dq_file_summary""")
    con.execute("""UPDATE mart_provenance SET year = CAST(substr(source_file, 1, 4) AS INTEGER),
        period_label = regexp_extract(source_file, '年(1-\\d+月)', 1)""")
    con.execute("UPDATE mart_provenance SET ytd_months = CAST(regexp_extract(period_label, '1-(\\d+)月', 1) AS INTEGER)")
    con.execute("""CREATE TABLE meta_run (run_id VARCHAR, built_at TIMESTAMP, is_synthetic BOOLEAN, data_label VARCHAR,
        latest_year INTEGER, latest_ytd_months INTEGER, szei_version VARCHAR)""")
    con.execute("INSERT INTO meta_run VALUES (?,?,?,?,?,?,?)",
                ("run-fixture-0001", datetime(2026, 11, 27, 9, 0), synthetic, "模拟数据" if synthetic else "",
                 last[0], last[1], "0.1.0"))
    con.close()
    return path


HOSTILE_FILE = "<img src=x onerror=alert(1)>_2012_1-12月|a*b*.csv"
HOSTILE_MESSAGE = "<script>alert(2)</script> 数值 | 异常 *核实*"
HOSTILE_REASON = "=HYPERLINK(\"http://x\",\"点击\")"


def make_hostile(path: Path) -> Path:
    """Input-file text that must print as text: a file name with markup and table syntax (in
    dq_file_summary and mart_provenance), a warning message with a script, a reason that reads as a
    spreadsheet formula."""
    with duckdb.connect(str(path)) as con:
        (name,), = con.execute("SELECT source_file FROM mart_provenance WHERE year = 2012 AND ytd_months = 12 "
                               "ORDER BY source_file LIMIT 1").fetchall()
        for t in ("dq_file_summary", "mart_provenance", "dq_warnings", "dq_quarantine", "dq_quarantine_reasons"):
            con.execute(f"UPDATE {t} SET source_file = ? WHERE source_file = ?", [HOSTILE_FILE, name])
        con.execute("UPDATE dq_warnings SET message = ? WHERE source_row = (SELECT min(source_row) FROM dq_warnings)",
                    [HOSTILE_MESSAGE])
        con.execute("UPDATE dq_quarantine_reasons SET reason = ? WHERE reason_code = 'bad_check_char'", [HOSTILE_REASON])
    return path


def drop_period(path: Path, year: int, ytd_months: int) -> Path:
    """The marts as they are when one period's file never arrived: its rows gone, and the next
    quarter's single-quarter value NULL (what mart_single_quarter computes without the previous period)."""
    with duckdb.connect(str(path)) as con:
        for t in ("mart_attainment", "mart_attainment_current", "mart_growth_comparable", "mart_district_ranking",
                  "mart_single_quarter", "mart_provenance"):
            con.execute(f"DELETE FROM {t} WHERE year = ? AND ytd_months = ?", [year, ytd_months])
        con.execute("UPDATE mart_single_quarter SET quarter_yi = NULL, is_negative = false "
                    "WHERE year = ? AND ytd_months = ?", [year, ytd_months + 3])
        con.execute("UPDATE mart_district_ranking SET prev_rank = NULL WHERE year = ? AND ytd_months = ?",
                    [year, ytd_months + 3])
    return path


if __name__ == "__main__":
    import sys

    print(build_marts(Path(sys.argv[1] if len(sys.argv) > 1 else "fixture.duckdb")))

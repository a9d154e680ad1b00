"""Read the marts for one report period (read-only) — the only place the report touches DuckDB."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.errors import SzeiError
from pipelines.plan import default_plan

from .formatting import period_title

PERIODS = default_plan().periods  # the reporting periods of data/raw/targets/periods.csv
LABELS = PERIODS.label  # 3 → '1-3月'


@dataclass(frozen=True)
class Period:
    year: int
    ytd_months: int

    @property
    def label(self) -> str:  # '1-12月'
        return LABELS[self.ytd_months]

    @property
    def title(self) -> str:  # '2012年1-12月'
        return period_title(self.year, self.label)

    @property
    def key(self) -> str:  # '2012-12', the form `szei report --period` takes
        return f"{self.year}-{self.ytd_months}"

    @property
    def quarter(self) -> int:
        return PERIODS.quarter[self.ytd_months]


_MONTHS = "|".join(sorted({f"{m}" for m in PERIODS.months.values()} | {f"{m:02d}" for m in PERIODS.months.values()},
                          key=len, reverse=True))  # 12|03|…|3: the periods' months, also zero-padded
_QUARTERS = "".join(str(q) for q in sorted(PERIODS.quarter.values()))
_MONTHS_OF_QUARTER = {q: m for m, q in PERIODS.quarter.items()}
_PATTERNS = [
    (re.compile(rf"^(\d{{4}})\s*[-/]\s*({_MONTHS})$"), lambda y, m: (int(y), int(m))),
    (re.compile(rf"^(\d{{4}})\s*[Qq]([{_QUARTERS}])$"), lambda y, q: (int(y), _MONTHS_OF_QUARTER[int(q)])),
    (re.compile(rf"^(\d{{4}})\s*年?\s*-?\s*1-({_MONTHS})月?$"), lambda y, m: (int(y), int(m))),
]


def parse_period(text: str) -> Period:
    """'2012-12', '2012Q4', '2012年1-12月', '2012-1-12月' -> Period(2012, 12)."""
    s = str(text).strip()
    for rx, conv in _PATTERNS:
        mt = rx.match(s)
        if mt:
            return Period(*conv(*mt.groups()))
    y, end = default_plan().years.last_year, PERIODS.year_end  # the examples: the plan's last year-end
    examples = f"{y}-{end}、{y}Q{PERIODS.quarter[end]} 或 {y}年{LABELS[end]}"
    raise SzeiError(
        f"无法识别的报告期“{s}”，应写作 {examples}",
        f"Cannot read the period '{s}'; write it as {examples.replace('、', ', ').replace(' 或 ', ' or ')}",
    )


def connect(marts_db: str | Path) -> duckdb.DuckDBPyConnection:
    p = Path(marts_db)
    if not p.is_file():
        raise SzeiError(
            f"找不到数据集市文件 {p}，请先运行 szei run 生成（或用 --marts 指定文件）",
            f"Marts database not found: {p}; run `szei run` first to build it (or pass --marts)",
        )
    try:
        return duckdb.connect(str(p), read_only=True)
    except duckdb.Error as e:  # locked by a writer, or not a DuckDB file
        raise SzeiError(f"无法以只读方式打开数据集市 {p}：{e}", f"Cannot open the marts {p} read-only: {e}") from e


class Marts:
    """Query helpers bound to one connection and one period; every method returns polars frames."""

    def __init__(self, con: duckdb.DuckDBPyConnection, period: Period):
        self.con = con
        self.period = period
        self._cache: dict[tuple, pl.DataFrame] = {}  # each query runs once: one read of the marts per period
        self._tables = {r[0] for r in con.sql("SELECT table_name FROM duckdb_tables()").fetchall()}
        self._tables |= {r[0] for r in con.sql("SELECT view_name FROM duckdb_views()").fetchall()}
        # the dictionaries in the order of the plan, as the marts file holds them (ref_industries, ref_districts)
        self.industries: list[str] = self._column(
            "SELECT industry FROM ref_industries ORDER BY sort_order", table="ref_industries")
        self.districts: list[str] = self._column(  # the 8 target units
            "SELECT district FROM ref_districts WHERE is_target_unit ORDER BY sort_order", table="ref_districts")
        self.new_areas: dict[str, str] = dict(self.q(  # new area → the target unit it folds into
            "SELECT district, target_unit FROM ref_districts WHERE NOT is_target_unit ORDER BY sort_order",
            table="ref_districts").iter_rows())
        # the rest of the plan's dictionaries, where the marts file holds them (older files may not)
        ind = self.q("SELECT * FROM ref_industries ORDER BY sort_order", table="ref_industries")
        self.counting_rule_zh: dict[str, str] = (
            dict(zip(ind["industry"], ind["counting_rule_zh"])) if "counting_rule_zh" in ind.columns else {})
        self.industry_en: dict[str, str] = (
            dict(zip(ind["industry"], ind["industry_en"])) if "industry_en" in ind.columns else {})
        dist = self.q("SELECT * FROM ref_districts WHERE NOT is_target_unit ORDER BY sort_order", table="ref_districts")
        self.established: dict[str, str] = (  # new area → the date it was set up
            {k: v for k, v in zip(dist["district"], dist["established"]) if v} if "established" in dist.columns else {})
        if not self.industries or not self.districts:
            raise SzeiError(
                "数据集市中没有产业或区划字典（ref_industries、ref_districts），请用 szei run 重新生成数据集市",
                "the marts hold no industry or district dictionary (ref_industries, ref_districts); "
                "rebuild them with `szei run`",
            )

    # -- generic -----------------------------------------------------------------------------
    def has(self, table: str) -> bool:
        return table in self._tables

    def _column(self, sql: str, *, table: str) -> list:
        frame = self.q(sql, table=table)
        return frame.to_series().to_list() if frame.width else []

    def q(self, sql: str, params: list | None = None, *, table: str) -> pl.DataFrame:
        """Run a query on `table`; an absent table gives an empty frame (the report says so in words)."""
        if not self.has(table):
            return pl.DataFrame()
        key = (sql, tuple(params or []))
        if key not in self._cache:
            self._cache[key] = self.con.sql(sql, params=params or []).pl()
        return self._cache[key]

    def at_period(self, table: str, where: str = "", order: str = "") -> pl.DataFrame:
        sql = f"SELECT * FROM {table} WHERE year = ? AND ytd_months = ? {('AND ' + where) if where else ''}"
        if order:
            sql += f" ORDER BY {order}"
        return self.q(sql, [self.period.year, self.period.ytd_months], table=table)

    # -- marts ----------------------------------------------------------------------------------
    def meta(self) -> dict:
        df = self.q("SELECT * FROM meta_run LIMIT 1", table="meta_run")
        return df.row(0, named=True) if df.height else {}

    def is_synthetic(self) -> bool:
        m = self.meta()
        return bool(m.get("is_synthetic")) or m.get("data_label") == "模拟数据"

    def attainment(self) -> pl.DataFrame:
        return self.at_period("mart_attainment")

    def attainment_row(self, district: str = "全市", industry: str = "合计") -> dict | None:
        df = self.attainment().filter((pl.col("district") == district) & (pl.col("industry") == industry))
        return df.row(0, named=True) if df.height else None

    def attainment_series(self) -> pl.DataFrame:
        """全市 rows for every period of the report year up to the report period."""
        return self.q(
            "SELECT * FROM mart_attainment WHERE year = ? AND ytd_months <= ? AND district = '全市' ORDER BY ytd_months",
            [self.period.year, self.period.ytd_months], table="mart_attainment")

    def current(self) -> pl.DataFrame:
        return self.at_period("mart_attainment_current")

    def single_quarter(self) -> pl.DataFrame:
        """Single-quarter values of the report year and the year before, up to the report quarter."""
        return self.q(
            "SELECT * FROM mart_single_quarter WHERE (year = ? AND ytd_months <= ?) OR year = ? - 1 "
            "ORDER BY year, quarter",
            [self.period.year, self.period.ytd_months, self.period.year], table="mart_single_quarter")

    def single_quarter_gaps(self) -> list[int]:
        """Quarters of the report year whose 全市 single-quarter value is NULL (the previous quarter's
        year-to-date data is missing), so the report can say why they are blank."""
        s = self.single_quarter()
        if s.height == 0:
            return []
        s = s.filter((pl.col("year") == self.period.year) & (pl.col("district") == "全市")
                     & (pl.col("industry") == "合计") & pl.col("quarter_yi").is_null())
        return sorted(s["quarter"].to_list())

    def growth(self) -> pl.DataFrame:
        return self.at_period("mart_growth_comparable")

    def bands(self) -> tuple[int | None, pl.DataFrame]:
        """Size bands of the report year if present, else of the latest earlier year in the mart."""
        df = self.q("SELECT * FROM mart_enterprise_bands WHERE year <= ? ORDER BY year DESC",
                    [self.period.year], table="mart_enterprise_bands")
        if df.height == 0:
            return None, df
        year = int(df["year"].max())
        return year, df.filter(pl.col("year") == year)

    def ranking(self) -> pl.DataFrame:
        return self.at_period("mart_district_ranking", order="rank, district")

    def ranking_method(self) -> pl.DataFrame:
        """The score's weights and cap per industry (mart_ranking_method), in the dictionary's order."""
        return self.q("SELECT * FROM mart_ranking_method ORDER BY sort_order", table="mart_ranking_method")

    def file_summary(self) -> pl.DataFrame:
        """The delivered files read or rejected whole (entries ignored with a reason, such as lock files or
        szei's sample marker, are in dq_file_summary with status 'ignored' and are not deliveries)."""
        df = self.q("SELECT * FROM dq_file_summary ORDER BY source_file", table="dq_file_summary")
        return df.filter(pl.col("status") != "ignored") if "status" in df.columns else df

    def quarantine_reasons(self) -> pl.DataFrame:
        return self.q("SELECT reason, count(*) AS rows FROM dq_quarantine_reasons GROUP BY reason ORDER BY rows DESC, reason",
                      table="dq_quarantine_reasons")

    def quarantine_count(self) -> int:
        df = self.q("SELECT count(*) AS n FROM dq_quarantine", table="dq_quarantine")
        return int(df["n"][0]) if df.height else 0

    def warnings_summary(self) -> pl.DataFrame:
        return self.q("SELECT message, count(*) AS rows FROM dq_warnings GROUP BY message ORDER BY rows DESC, message",
                      table="dq_warnings")

    def provenance(self) -> pl.DataFrame:
        return self.q("SELECT * FROM mart_provenance WHERE year = ? AND ytd_months <= ? ORDER BY ytd_months, source_file",
                      [self.period.year, self.period.ytd_months], table="mart_provenance")


def available_periods(con: duckdb.DuckDBPyConnection) -> list[Period]:
    try:
        rows = con.sql("SELECT DISTINCT year, ytd_months FROM mart_attainment ORDER BY 1, 2").fetchall()
    except duckdb.Error as e:
        raise SzeiError("数据集市中没有 mart_attainment 表，请先运行 szei run",
                        "The marts have no mart_attainment table; run `szei run` first") from e
    return [Period(int(y), int(m)) for y, m in rows]


def resolve_period(con: duckdb.DuckDBPyConnection, period: str | Period | None) -> Period:
    """The requested period, checked against the marts; default the latest one present."""
    periods = available_periods(con)
    if not periods:
        raise SzeiError("数据集市中没有任何报告期的数据，请先把报送文件放入 data/raw/output/ 并运行 szei run",
                        "The marts hold no period yet; put the bureau files in data/raw/output/ and run `szei run`")
    if period is None or period == "":
        return periods[-1]
    p = period if isinstance(period, Period) else parse_period(period)
    if p not in periods:
        have = "、".join(x.title for x in periods)
        raise SzeiError(f"数据集市中没有 {p.title} 的数据（现有：{have}）",
                        f"Period {p.key} is not in the marts (available: {', '.join(x.key for x in periods)})")
    return p


def open_report_data(marts_db: str | Path, period: str | None = None) -> Marts:
    con = connect(marts_db)
    return Marts(con, resolve_period(con, period))

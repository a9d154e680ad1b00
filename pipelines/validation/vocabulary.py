"""The words a delivery may use and what the rules need from the reference data (`Context`).

Accepted years: 1979 (深圳建市) to the current calendar year (`YEAR_MIN`, `YEAR_MAX`). The contract
asks only for a four-digit year and the pipeline may accept more, never less: years outside the
plan's years (`plan_years.csv`) are kept as base or later years with no target (NULL in the marts). A year
before the city existed or in the future cannot be true and rejects the row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from pipelines.plan import Plan, default_plan
from pipelines.reference import Reference
from pipelines.validation.normalise import normalise_code

YEAR_MIN = 1979  # 深圳市 was set up in 1979
YEAR_MAX = date.today().year  # a year in the future cannot have been reported


class _BundledPlan:
    """`PLAN`: the bundled data/raw/targets/ plan, read on first use (reading and checking the folder costs
    every `szei` start ≈0.15 s). A run judges by its own plan (`Context.plan`); this stays only for
    `reasons.reason_catalogue()` called without a run's Context (its industries)."""

    def __getattr__(self, name: str):
        return getattr(default_plan(), name)


PLAN = _BundledPlan()

# field → the Chinese header used in messages
FIELD_ZH = {
    "year": "统计年度",
    "period": "累计期",
    "unit_code": "单位代码",
    "unit_name": "单位名称",
    "industry": "产业类别",
    "reg_district": "注册地",
    "output_district": "产值发生地",
    "ytd_value": "本年累计产值",
}
KEY = ["year", "ytd_months", "unit_code", "industry", "output_district"]


@dataclass(frozen=True)
class Context:
    """What the rules need from the reference data."""

    district_aliases: dict[str, str]
    districts: list[str]
    valid_from: dict[str, int]
    target_unit: dict[str, str]
    established: dict[str, str]
    industries: list[str]
    allowlist: list[str]
    # industries counted where the output occurs (ref_industries.counting_rule = 'output'): only for
    # these does 产值发生地 distinguish an enterprise's records (the counting rule in the key)
    output_industries: tuple[str, ...] = ()
    value_bound_wan: float | None = None  # the per-enterprise upper bound (Reference.value_bound_wan)
    # confirmed outliers: year, ytd_months, unit_code, industry, ytd_value_wan (reference confirmed_outliers.csv)
    confirmed: pl.DataFrame | None = None
    # accepted spellings of an industry (生物产业, bio, new energy …) → the dictionary name
    industry_aliases: dict[str, str] = field(default_factory=dict)
    # the plan of the run's own targets/ (periods, years, industries, bands); None only in a Context made
    # without reference data (the reason catalogue's titles), which then reads the bundled plan
    plan: Plan | None = None

    @property
    def _plan(self) -> Plan:
        return self.plan if self.plan is not None else default_plan()

    @property
    def period_months(self) -> dict[str, int]:
        """'1-3月' → 3 … of the run's periods.csv."""
        return self._plan.periods.months

    @property
    def periods_listed(self) -> str:
        """The run's periods as a message lists them ('1-3月、1-6月、1-9月 或 1-12月')."""
        return self._plan.periods.listed()

    @property
    def first_year(self) -> int:
        """The plan's first year (plan_years.csv): districts valid from a later year are new areas."""
        return self._plan.years.first_year

    @classmethod
    def from_reference(cls, ref: Reference) -> Context:
        plan = Plan.from_reference(ref)
        d = ref.districts
        allow = (
            ref.unit_code_allowlist.select(normalise_code(pl.col("unit_code")).alias("c")).to_series().to_list()
            if ref.unit_code_allowlist.height
            else []
        )
        return cls(
            district_aliases=ref.district_aliases(),
            districts=d["district"].to_list(),
            valid_from=dict(zip(d["district"], d["valid_from_year"])),
            target_unit=dict(zip(d["district"], d["target_unit"])),
            established={k: v for k, v in zip(d["district"], d["established"]) if v},
            industries=ref.industries["industry"].to_list(),
            allowlist=allow,
            output_industries=tuple(ref.industries.filter(pl.col("counting_rule") == "output")["industry"]),
            value_bound_wan=ref.value_bound_wan,
            confirmed=_confirmed(ref, plan.periods.months),
            industry_aliases=plan.industries.aliases(),
            plan=plan,
        )

    def counted_output_district(self) -> pl.Expr:
        """产值发生地 as the record is counted: kept for industries counted where the output occurs,
        null for those counted where the enterprise is registered (it does not place their records)."""
        counted = pl.col("industry").is_in(pl.Series(self.output_industries, dtype=pl.String).implode())
        return pl.when(counted).then(pl.col("output_district"))

    def confirmed_record(self) -> pl.Expr:
        """True on a record listed in confirmed_outliers.csv with the same value (to 2 decimals)."""
        if self.confirmed is None or self.confirmed.height == 0:
            return pl.lit(False)
        keys = self.confirmed.select(_confirmation_key(
            pl.col("year"), pl.col("ytd_months"), pl.col("unit_code"), pl.col("industry"), pl.col("ytd_value_wan")))
        return _confirmation_key(pl.col("year"), pl.col("ytd_months"), pl.col("unit_code"), pl.col("industry"),
                                 pl.col("ytd_value_wan")).is_in(keys.to_series().implode()).fill_null(False)


def _confirmation_key(year, months, code, industry, value) -> pl.Expr:
    return pl.concat_str([year.cast(pl.String), months.cast(pl.String), code.cast(pl.String), industry.cast(pl.String),
                          value.round(2).cast(pl.String)], separator="|")


def _confirmed(ref: Reference, period_months: dict[str, int]) -> pl.DataFrame | None:
    c = ref.confirmed_outliers
    if c is None or c.height == 0:
        return None
    return c.select(
        pl.col("year").cast(pl.Int32),
        pl.col("period").replace_strict(period_months, return_dtype=pl.Int32).alias("ytd_months"),
        normalise_code(pl.col("unit_code")).alias("unit_code"),
        pl.col("industry").cast(pl.String),
        pl.col("ytd_value_wan").cast(pl.Float64),
    )

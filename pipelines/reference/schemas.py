"""pandera contracts of the work plan's reference data (data/raw/targets/), one file each.

No list of industries, bands, periods or years is written here: they are the data of
industries.csv, bands.csv, periods.csv and scale_targets.csv, and the loader checks that the
other files name only those (`loaders._cross_file_failures`)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl


class ScaleTargets(pa.DataFrameModel):
    """One row per year × district (8 units and 全市) × industry; 亿元."""

    year: int = pa.Field()
    district: str
    industry: str = pa.Field()
    target_yi: float = pa.Field(gt=0)

    class Config:
        strict = True
        coerce = True
        unique = ["year", "district", "industry"]

    @pa.dataframe_check
    def districts_sum_to_city(cls, data) -> pl.LazyFrame:
        """The 8 district rows add up exactly to the 全市 row of each year and industry."""
        lf = data.lazyframe
        sums = (
            lf.group_by("year", "industry")
            .agg(
                pl.col("target_yi").filter(pl.col("district") != "全市").sum().alias("districts"),
                pl.col("target_yi").filter(pl.col("district") == "全市").sum().alias("city"),
            )
        )
        # rows in file order (pandera reports a failing row by its position in this result)
        ok = lf.join(sums, on=["year", "industry"], how="left", maintain_order="left").select(
            ((pl.col("districts") - pl.col("city")).abs() < 1e-9).alias("ok")
        )
        return ok


class CombinedTargets(pa.DataFrameModel):
    year: int = pa.Field(unique=True)
    target_yi: float = pa.Field(gt=0)
    source_section: str

    class Config:
        strict = True
        coerce = True


class BandTargets(pa.DataFrameModel):
    """City counts of enterprises over 100亿/10亿/1亿; floor and stretch of a range."""

    year: int = pa.Field()
    industry: str = pa.Field()
    band: str = pa.Field()
    threshold_yi: float = pa.Field(gt=0)
    target_floor: int = pa.Field(ge=0)
    target_stretch: int = pa.Field(ge=0)
    qualifier: str
    measure: str
    source_section: str

    class Config:
        strict = True
        coerce = True
        unique = ["year", "industry", "band"]

    @pa.dataframe_check
    def stretch_not_below_floor(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("target_stretch") >= pl.col("target_floor"))


class IndicatorRegister(pa.DataFrameModel):
    indicator_id: str = pa.Field(unique=True)
    year: int = pa.Field()
    industry: str = pa.Field()
    indicator: str
    target_value: float = pa.Field(gt=0)
    unit: str
    comparator: str = pa.Field(isin=[">=", "="])
    responsible_units: str
    source_section: str

    class Config:
        strict = True
        coerce = True


class Districts(pa.DataFrameModel):
    district: str = pa.Field(unique=True)
    aliases: str = pa.Field(nullable=True)
    gb2260_code: str = pa.Field(nullable=True, str_matches=r"^4403\d\d$")
    kind: str
    target_unit: str
    is_target_unit: bool
    valid_from_year: int
    established: str = pa.Field(nullable=True)
    sort_order: int

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    def target_unit_is_a_target_unit(cls, data) -> pl.LazyFrame:
        lf = data.lazyframe
        units = lf.filter(pl.col("is_target_unit")).select("district")
        return lf.select(pl.col("target_unit").is_in(units.collect().to_series().implode()))


class Industries(pa.DataFrameModel):
    industry: str = pa.Field(unique=True)
    industry_en: str
    counting_rule: str = pa.Field(isin=["output", "registration"])
    counting_rule_zh: str = pa.Field(isin=["产值发生地", "企业注册地"])
    sort_order: int

    class Config:
        strict = True
        coerce = True


class UnitCodeAllowlist(pa.DataFrameModel):
    unit_code: str = pa.Field(unique=True)
    reason: str
    approved_by: str
    approved_on: str

    class Config:
        strict = True
        coerce = True


class ConfirmedOutliers(pa.DataFrameModel):
    """Records a statistician confirmed as genuine although they look implausible (one row a record)."""

    year: int
    period: str
    unit_code: str
    industry: str = pa.Field()
    ytd_value_wan: float = pa.Field(ge=0)
    reason: str = pa.Field(str_length={"min_value": 1})
    confirmed_by: str = pa.Field(str_length={"min_value": 1})
    confirmed_on: str

    class Config:
        strict = True
        coerce = True
        unique = ["year", "period", "unit_code", "industry"]


class Bands(pa.DataFrameModel):
    """The size bands, largest first: an enterprise reaching threshold_yi (亿元, annual) counts in the band."""

    band: str = pa.Field(unique=True)
    threshold_yi: float = pa.Field(gt=0, unique=True)
    sort_order: int = pa.Field(unique=True)

    class Config:
        strict = True
        coerce = True


class Periods(pa.DataFrameModel):
    """The year-to-date reporting periods: label, months covered, the quarter it ends."""

    period_label: str = pa.Field(unique=True)
    ytd_months: int = pa.Field(ge=1, le=12, unique=True)
    quarter: int = pa.Field(ge=1, le=4, unique=True)

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    def quarter_ends_the_period(cls, data) -> pl.LazyFrame:
        """The quarter a period ends is its months ÷ 3 (single quarter = YTD(q) − YTD(q−1))."""
        return data.lazyframe.select(pl.col("ytd_months") == pl.col("quarter") * 3)


class PlanYears(pa.DataFrameModel):
    """The plan's own years: one base year, then its target years."""

    year: int = pa.Field(unique=True)
    role: str = pa.Field(isin=["base", "target"])

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    def one_base_year_first(cls, data) -> pl.LazyFrame:
        """Exactly one base year, earlier than every target year."""
        lf = data.lazyframe
        base = pl.col("year").filter(pl.col("role") == "base")
        return lf.select((base.count() == 1) & (base.min() < pl.col("year").filter(pl.col("role") == "target").min()))

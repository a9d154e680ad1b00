"""pandera contracts of the work plan's reference data (data/raw/targets/)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

INDUSTRIES = ["生物", "互联网", "新能源"]
BANDS = ["超百亿元", "超十亿元", "超亿元"]
TARGET_YEARS = [2011, 2012]


class ScaleTargets(pa.DataFrameModel):
    """One row per year × district (8 units and 全市) × industry; 亿元."""

    year: int = pa.Field(isin=TARGET_YEARS)
    district: str
    industry: str = pa.Field(isin=INDUSTRIES)
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
    year: int = pa.Field(isin=TARGET_YEARS, unique=True)
    target_yi: float = pa.Field(gt=0)
    source_section: str

    class Config:
        strict = True
        coerce = True


class BandTargets(pa.DataFrameModel):
    """City counts of enterprises over 100亿/10亿/1亿; floor and stretch of a range."""

    year: int = pa.Field(isin=TARGET_YEARS)
    industry: str = pa.Field(isin=INDUSTRIES)
    band: str = pa.Field(isin=BANDS)
    threshold_yi: float = pa.Field(isin=[100.0, 10.0, 1.0])
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

    @pa.dataframe_check
    def band_matches_threshold(cls, data) -> pl.LazyFrame:
        expected = pl.col("band").replace_strict({"超百亿元": 100.0, "超十亿元": 10.0, "超亿元": 1.0})
        return data.lazyframe.select(pl.col("threshold_yi") == expected)


class IndicatorRegister(pa.DataFrameModel):
    indicator_id: str = pa.Field(unique=True)
    year: int = pa.Field(isin=TARGET_YEARS)
    industry: str = pa.Field(isin=[*INDUSTRIES, "全部"])
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
    industry: str = pa.Field(isin=INDUSTRIES, unique=True)
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
    period: str = pa.Field(isin=["1-3月", "1-6月", "1-9月", "1-12月"])
    unit_code: str
    industry: str = pa.Field(isin=INDUSTRIES)
    ytd_value_wan: float = pa.Field(ge=0)
    reason: str = pa.Field(str_length={"min_value": 1})
    confirmed_by: str = pa.Field(str_length={"min_value": 1})
    confirmed_on: str

    class Config:
        strict = True
        coerce = True
        unique = ["year", "period", "unit_code", "industry"]

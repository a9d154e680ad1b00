"""Reporting periods as partitions of period_quality: the year-to-date periods found in the data.

The keys ('2012-06' = 2012年1-6月) are added by validated_output for every period its accepted
records hold, so new years need no code change; the periods a year has are the plan's
(data/raw/targets/periods.csv, through pipelines.plan).
"""

import dagster as dg
import polars as pl

from pipelines.plan import default_plan

reporting_period_partitions = dg.DynamicPartitionsDefinition(name="reporting_period")


def period_keys(records: pl.DataFrame) -> list[str]:
    """'YYYY-MM' for every (year, ytd_months) in the records, in order."""
    periods = records.select("year", "ytd_months").unique().sort("year", "ytd_months")
    return [f"{year}-{months:02d}" for year, months in periods.iter_rows()]


def parse_period(partition_key: str) -> tuple[int, int]:
    """'2012-06' → (2012, 6)."""
    year, months = partition_key.split("-")
    return int(year), int(months)


def period_title(partition_key: str, labels: dict[int, str] | None = None) -> str:
    """'2012-06' → '2012年1-6月': the period's label from `labels` (the run's plan, `Periods.label`), else
    from the bundled plan."""
    year, months = parse_period(partition_key)
    labels = default_plan().periods.label if labels is None else labels
    return f"{year}年{labels.get(months, f'{months}月')}"

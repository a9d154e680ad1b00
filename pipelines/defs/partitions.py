"""Reporting periods as partitions: year-to-date months 3/6/9/12 of 2010–2012."""

import dagster as dg

REPORTING_PERIODS = [f"{year}-{month:02d}" for year in (2010, 2011, 2012) for month in (3, 6, 9, 12)]

reporting_period_partitions = dg.StaticPartitionsDefinition(REPORTING_PERIODS)


def parse_period(partition_key: str) -> tuple[int, int]:
    """'2012-06' → (2012, 6)."""
    year, months = partition_key.split("-")
    return int(year), int(months)

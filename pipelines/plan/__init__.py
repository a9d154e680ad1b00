"""The work plan's facts in one place — industries and their counting rule, size bands, reporting
periods, the plan's years and target years, new areas — all read from data/raw/targets/.

Validation, the sample generator, the Dagster partitions and the report take them from here; the
SQL reads the same files as ref_* tables. A new target year is rows in the CSVs, not code."""

from pipelines.plan.facts import Plan, default_plan, load_plan

__all__ = ["Plan", "default_plan", "load_plan"]

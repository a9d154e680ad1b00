"""Per-period quality profile: re-run one reporting period's figures without rebuilding the marts.

The marts are rebuilt as a whole on purpose: revisions, cross-file duplicates and year-on-year
growth all span periods. A statistician checking one newly delivered quarter materializes this
asset for that partition and reads its counts in the UI.
"""


import dagster as dg
import polars as pl

from pipelines.defs.partitions import parse_period, period_title, reporting_period_partitions
from pipelines.validation import OutputBatch


@dg.asset(group_name="validated", partitions_def=reporting_period_partitions, kinds={"polars"})
def period_quality(context: dg.AssetExecutionContext, validated_output: OutputBatch) -> dg.Output[dict]:
    """单期数据质量概况：该期接受记录数、企业数、分产业合计（亿元）与提示数。
    One reporting period's accepted records, enterprises, totals by industry and warnings."""
    year, months = parse_period(context.partition_key)
    in_period = (pl.col("year") == year) & (pl.col("ytd_months") == months)
    accepted = validated_output.accepted.filter(in_period)
    warnings = validated_output.warnings.filter(in_period)
    totals = (
        accepted.group_by("industry")
        .agg((pl.col("ytd_value_wan").sum() / 10000).round(2).alias("total_yi"))
        .sort("industry")
    )
    profile = {
        "records": len(accepted),
        "enterprises": accepted["unit_code"].n_unique(),
        "warnings": len(warnings),
        "totals_yi": dict(totals.iter_rows()),
    }
    context.log.info(f"{period_title(context.partition_key)}: {profile['records']:,} 条记录 records, "
                     f"{profile['enterprises']:,} 家企业 enterprises, {profile['warnings']:,} 条提示 warnings")
    return dg.Output(
        profile,
        metadata={
            "records": profile["records"],
            "dagster/row_count": profile["records"],
            "enterprises": profile["enterprises"],
            "warnings": profile["warnings"],
            "totals": dg.MetadataValue.md(
                "| 产业 | 累计（亿元，未按口径归属前） |\n|---|---:|\n"
                + "\n".join(f"| {k} | {v:,.2f} |" for k, v in totals.iter_rows())
            ),
        },
    )

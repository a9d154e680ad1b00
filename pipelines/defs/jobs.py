"""The jobs statisticians start: refresh everything (the schedule's and the sensor's job too), or
the marts alone. Both leave out the per-period profile `period_quality` (partitioned by reporting
period, it is re-run one period at a time), so neither opens a partition dialog.

Their steps form a chain, so they run in one process (in_process_executor): one Python start-up and
one copy of the data instead of one per step; the validated batch still goes through its IO manager.

Runs of both carry the tag `szei/marts`: the run queue (dagster.yaml, `make dev` and deploy/) lets one
such run at a time build the marts and queues the others, instead of a later run being refused.
"""

import dagster as dg

MARTS_TAG = "szei/marts"

refresh_all = dg.define_asset_job(
    "refresh_all",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets("period_quality"),
    description="全部刷新：读取、校验、重建数据集市并生成报告 / refresh everything: read, validate, rebuild the marts, render the report",
    tags={MARTS_TAG: "refresh"},
    executor_def=dg.in_process_executor,
)

refresh_marts = dg.define_asset_job(
    "refresh_marts",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets("period_quality", "analysis_report"),
    description="只重建数据集市（不生成报告）/ rebuild the marts only, no report",
    tags={MARTS_TAG: "refresh"},
    executor_def=dg.in_process_executor,
)

"""The job the schedule and the sensor launch: every unpartitioned asset, report included."""

import dagster as dg

refresh_all = dg.define_asset_job(
    "refresh_all",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets("period_quality"),
    description="重建数据集市并生成报告 / rebuild the marts and render the report",
)

"""Quarterly run after the plan's reporting deadline (before the 10th of each quarter's first month)."""

import dagster as dg

from pipelines.defs.jobs import refresh_all
from pipelines.settings import Settings

quarterly_refresh = dg.ScheduleDefinition(
    name="quarterly_refresh",
    job=refresh_all,
    # 09:00 on 15 January, April, July and October, Beijing time, unless SZEI_SCHEDULE_CRON says otherwise
    # (the daemon test ticks every minute)
    cron_schedule=Settings.from_env().schedule_cron,
    execution_timezone="Asia/Shanghai",
    description="每季度首月15日9时（北京时间）重建数据集市并生成报告",
)

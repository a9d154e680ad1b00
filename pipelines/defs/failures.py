"""After a refresh fails, say in the UI that the published marts are intact.

A failed run leaves marts_database marked as not materialized in that run, which reads as if the
marts were broken; they are not: nothing is replaced before every blocking check has passed. This
sensor records an observation on marts_database naming the run whose marts are still published
(runs by `szei run` with DAGSTER_HOME set record the same, see pipelines/run.py).
"""

from __future__ import annotations

import dagster as dg

from pipelines.defs.assets.marts import published_state
from pipelines.defs.jobs import refresh_all, refresh_marts
from pipelines.defs.resources import SzeiPaths


def published_marts_observation(paths: SzeiPaths, failed_run_id: str) -> dg.AssetObservation:
    state = published_state(paths.marts_path)
    return dg.AssetObservation(
        asset_key="marts_database",
        description=f"运行 {failed_run_id} 失败；已发布的数据集市未被替换，完好可用 / run {failed_run_id} failed; "
                    "the published marts were not replaced and are intact",
        metadata={"published": state, "failed_run_id": failed_run_id,
                  "marts_db": dg.MetadataValue.path(str(paths.marts_path))},
    )


@dg.run_failure_sensor(monitored_jobs=[refresh_all, refresh_marts], default_status=dg.DefaultSensorStatus.RUNNING,
                       description="刷新失败后，记录已发布的数据集市仍完好 / after a failed refresh, record that "
                                   "the published marts are intact")
def published_marts_intact(context: dg.RunFailureSensorContext, paths: SzeiPaths):
    context.instance.report_runless_asset_event(published_marts_observation(paths, context.dagster_run.run_id))

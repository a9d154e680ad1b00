"""The Dagster face: definitions load, schedule and sensor behave, the graph materializes,
and a failing blocking check keeps the previously published marts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import defs
from pipelines.defs.handover import ArrowBatchIOManager
from pipelines.defs.resources import SzeiPaths
from pipelines.defs.schedules import quarterly_refresh
from pipelines.defs.sensors import new_output_files
from pipelines.settings import SQL_DIR
from tests.conftest import ROOT

RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def definitions() -> dg.Definitions:
    return defs()


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    dest = tmp_path / "raw"
    shutil.copytree(RAW, dest)
    return dest


def resources_for(tmp_path: Path, raw: Path, **overrides) -> dict:
    """The resources of a run as the UI's processes have them: the batch handed over as Arrow IPC."""
    return {"paths": paths_for(tmp_path, raw, **overrides),
            "batch_io_manager": ArrowBatchIOManager(base_dir=str(tmp_path / "storage"))}


def paths_for(tmp_path: Path, raw: Path, **overrides) -> SzeiPaths:
    return SzeiPaths(raw_dir=str(raw), marts_db=str(tmp_path / "marts" / "szei.duckdb"),
                     report_dir=str(tmp_path / "report"), **overrides)


def pipeline_assets(definitions, *, with_report: bool):
    skip = {"period_quality"} | (set() if with_report else {"analysis_report"})
    return [a for a in definitions.assets if not {k.to_user_string() for k in a.keys} & skip]


def test_definitions_load_completely(definitions):
    loaded = defs()
    keys = {k.to_user_string() for a in loaded.assets for k in a.keys}
    assert keys == {"reference_data", "bureau_output_files", "validated_output", "period_quality",
                    "marts_database", "analysis_report"}
    assert [s.name for s in loaded.schedules] == ["quarterly_refresh"]
    assert sorted(s.name for s in loaded.sensors) == ["new_output_files", "published_marts_intact"]
    checks = {spec.name for a in loaded.assets for spec in a.check_specs}
    assert {"rows_reconcile", "no_rows_rejected", "districts_sum_to_city", "targets_sum_to_city",
            "attainment_is_finite", "counting_rule_holds", "row_accounting_holds"} <= checks


def test_the_cli_runs_the_assets_of_the_defs_folder(definitions):
    """`szei run` loads pipelines/defs/assets/ directly (no component tree): an asset or check defined
    anywhere else in the defs folder would be missing from its runs."""
    from pipelines.run import cli_assets

    def described(assets):
        return sorted((k.to_user_string(), a.group_names_by_key[k], sorted(s.name for s in a.check_specs))
                      for a in assets for k in a.keys)

    assert described(cli_assets()) == described(definitions.assets)


def test_schedule_runs_after_the_reporting_deadline_in_beijing_time():
    assert quarterly_refresh.cron_schedule == "0 9 15 1,4,7,10 *"
    assert quarterly_refresh.execution_timezone == "Asia/Shanghai"
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from dagster._utils.schedules import cron_string_iterator

    shanghai = ZoneInfo("Asia/Shanghai")
    start = datetime(2012, 1, 1, tzinfo=shanghai).timestamp()
    ticks = cron_string_iterator(start, quarterly_refresh.cron_schedule, quarterly_refresh.execution_timezone)
    first_four = [next(ticks).astimezone(shanghai).strftime("%Y-%m-%d %H:%M") for _ in range(4)]
    assert first_four == ["2012-01-15 09:00", "2012-04-15 09:00", "2012-07-15 09:00", "2012-10-15 09:00"]


def sensor_ticker(paths: SzeiPaths):
    """One sensor evaluation from a cursor: (result, next cursor)."""
    def tick(cursor):
        context = dg.build_sensor_context(cursor=cursor, resources={"paths": paths})
        return new_output_files(context), context.cursor
    return tick


def test_sensor_fires_on_new_or_changed_content_only(tmp_path, raw_copy):
    tick = sensor_ticker(paths_for(tmp_path, raw_copy))
    first, cursor = tick(None)
    assert isinstance(first, dg.SkipReason) and "首次检查" in first.skip_message  # records, starts nothing
    reference_files = len(list((raw_copy / "targets").glob("*.csv")))
    assert len(json.loads(cursor)["files"]) == 13 + reference_files  # the 13 delivered files and the reference files

    again, cursor = tick(cursor)
    assert isinstance(again, dg.SkipReason)

    some_file = sorted((raw_copy / "output").glob("*.csv"))[0]
    some_file.touch()  # a new timestamp, the same bytes: no run
    touched, cursor = tick(cursor)
    assert isinstance(touched, dg.SkipReason)

    (raw_copy / "output" / "2012_1-12月_补报.csv").write_bytes(some_file.read_bytes())
    new_file, cursor = tick(cursor)
    assert isinstance(new_file, dg.RunRequest) and "补报" in new_file.tags["szei/changed_files"]

    with open(some_file, "ab") as f:
        f.write(b"\n")
    changed, cursor = tick(cursor)
    assert isinstance(changed, dg.RunRequest) and changed.run_key != new_file.run_key


def test_materialize_the_graph_on_the_sample(tmp_path, definitions):
    paths = paths_for(tmp_path, RAW)
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        result = dg.materialize(pipeline_assets(definitions, with_report=False),
                                resources=resources_for(tmp_path, RAW), instance=instance)
        assert result.success
        checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
        assert all(checks[name] for name in ("rows_reconcile", "districts_sum_to_city", "targets_sum_to_city",
                                             "attainment_is_finite", "counting_rule_holds", "row_accounting_holds"))
        materialization = result.asset_materializations_for_node("validated_output")[0]
        assert materialization.metadata["rows_read"].value == (
            materialization.metadata["rows_accepted"].value + materialization.metadata["rows_rejected"].value)
        marts_md = result.asset_materializations_for_node("marts_database")[0].metadata
        assert "| 合计 |" in marts_md["attainment_preview"].value
    con = duckdb.connect(paths.marts_db, read_only=True)
    assert con.execute("select count(*) from mart_attainment").fetchone()[0] > 0
    assert con.execute("select is_synthetic, data_label from meta_run").fetchone() == (True, "模拟数据")
    con.close()


def test_a_failing_blocking_check_keeps_the_published_marts(tmp_path, definitions):
    paths = paths_for(tmp_path, RAW)
    assets = pipeline_assets(definitions, with_report=True)
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        first = dg.materialize(pipeline_assets(definitions, with_report=False),
                               resources=resources_for(tmp_path, RAW), instance=instance)
        assert first.success
        published = Path(paths.marts_db).read_bytes()

        broken_sql = tmp_path / "sql"
        shutil.copytree(SQL_DIR, broken_sql)
        model = broken_sql / "intermediate" / "int_attainment_cells.sql"  # 全市 beside the districts
        text = model.read_text(encoding="utf-8")
        assert "'全市' as district, industry, actual_yi," in text
        model.write_text(text.replace("'全市' as district, industry, actual_yi,",
                                      "'全市' as district, industry, actual_yi + 1,"), encoding="utf-8")

        second = dg.materialize(assets, resources=resources_for(tmp_path, RAW, sql_dir=str(broken_sql)),
                                instance=instance, raise_on_error=False)
        assert not second.success
        failed = {e.check_name for e in second.get_asset_check_evaluations()
                  if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR}
        assert failed == {"districts_sum_to_city"}
        assert not second.asset_materializations_for_node("analysis_report")
        assert Path(paths.marts_db).read_bytes() == published


def test_one_reporting_period_can_be_rerun_on_its_own(tmp_path, definitions):
    """period_quality is partitioned by reporting period: re-run 2012年1-6月 without the rest."""
    paths = paths_for(tmp_path, RAW)
    assets = [a for a in definitions.assets if {k.to_user_string() for k in a.keys} & {
        "reference_data", "bureau_output_files", "validated_output", "period_quality"}]
    io_manager = dg.FilesystemIOManager(base_dir=str(tmp_path / "storage"))
    resources = {"paths": paths, "io_manager": io_manager,
                 "batch_io_manager": ArrowBatchIOManager(base_dir=str(tmp_path / "handover"))}
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        assert instance.get_dynamic_partitions("reporting_period") == []
        upstream = dg.materialize(assets, selection=["reference_data", "bureau_output_files", "validated_output"],
                                  resources=resources, instance=instance)
        assert upstream.success
        # the partitions are the periods found in the data, not a list in the code
        periods = instance.get_dynamic_partitions("reporting_period")
        assert periods == [f"{y}-{m:02d}" for y in (2010, 2011, 2012) for m in (3, 6, 9, 12)]
        # the batch was handed over as Arrow IPC files (no pickle), read back by a later run
        handover = tmp_path / "handover" / "szei_handover" / "validated_output"
        assert (handover / "records.arrow").is_file() and not list(handover.glob("*.pkl"))
        one = dg.materialize(assets, selection=["period_quality"], partition_key="2012-06",
                             resources=resources, instance=instance)
        assert one.success
        profile = one.output_for_node("period_quality")
        metadata = one.asset_materializations_for_node("period_quality")[0].metadata
    # the bundled 2012_1-6月.csv: 1614 rows read, 8 rejected (see the sample's marker file)
    assert profile["records"] == 1614 - 8
    assert metadata["records"].value == profile["records"]
    assert set(profile["totals_yi"]) == {"生物", "互联网", "新能源"}


def test_sensor_fires_again_when_files_return_to_an_earlier_state(tmp_path, raw_copy):
    """A bad file delivered, then withdrawn: the marts must go back to the earlier content."""
    tick = sensor_ticker(paths_for(tmp_path, raw_copy))
    _, cursor = tick(None)
    first = raw_copy / "output" / "2012_1-12月_补报.csv"
    first.write_bytes(sorted((raw_copy / "output").glob("*.csv"))[1].read_bytes())
    first, cursor = tick(cursor)
    extra = raw_copy / "output" / "2012_1-12月_错报.csv"
    extra.write_bytes(sorted((raw_copy / "output").glob("*.csv"))[0].read_bytes())
    with_extra, cursor = tick(cursor)
    extra.unlink()
    back, cursor = tick(cursor)
    assert all(isinstance(r, dg.RunRequest) for r in (first, with_extra, back))
    assert len({first.run_key, with_extra.run_key, back.run_key}) == 3
    assert "2012_1-12月_错报.csv" in back.tags["szei/removed_files"]


def test_a_change_in_targets_starts_a_run(tmp_path, raw_copy):
    tick = sensor_ticker(paths_for(tmp_path, raw_copy))
    first, cursor = tick(None)
    assert isinstance(first, dg.SkipReason)
    targets = raw_copy / "targets" / "scale_targets.csv"
    targets.write_text(targets.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed, cursor = tick(cursor)
    assert isinstance(changed, dg.RunRequest) and "targets/scale_targets.csv" in changed.tags["szei/changed_files"]


def test_the_refresh_jobs_leave_the_partitioned_profile_out(definitions):
    """'Refresh everything' (refresh_all) selects no partitioned asset, so it opens no partition dialog."""
    for name in ("refresh_all", "refresh_marts"):
        job = definitions.resolve_job_def(name)
        assert job.partitions_def is None
        assert job.tags["szei/marts"] == "refresh"
    keys = {k.to_user_string() for k in definitions.resolve_job_def("refresh_all").asset_layer.executable_asset_keys}
    assert keys == {"reference_data", "bureau_output_files", "validated_output", "marts_database", "analysis_report"}


def test_a_failed_cli_run_records_that_the_published_marts_are_intact(tmp_path, raw_copy, monkeypatch):
    """With DAGSTER_HOME set, a failed `szei run` is recorded under its job, and marts_database gets an
    observation naming the run whose marts are still published (the UI no longer reads as broken)."""
    from pipelines.run import run_pipeline
    from pipelines.settings import Settings

    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(ROOT / "deploy" / "dagster.local.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    settings = Settings.from_env(raw_copy, tmp_path / "marts" / "szei.duckdb", tmp_path / "report")
    assert run_pipeline(settings, with_report=False) == 1  # published, the sample's bad rows to review (issue 12)
    targets = raw_copy / "targets" / "scale_targets.csv"
    targets.write_text(targets.read_text(encoding="utf-8").replace("2012,福田区,生物,30", "2012,福田区,生物,-30"),
                       encoding="utf-8")
    assert run_pipeline(settings, with_report=False) == 2  # failed: exit 2 since issue 12
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()
        assert [r.job_name for r in runs] == ["refresh_marts", "refresh_marts"]  # not __ephemeral_asset_job__
        failed, published = runs[0], runs[1]
        observation = instance.fetch_observations(dg.AssetKey("marts_database"), limit=1).records[0]
        metadata = observation.asset_observation.metadata
        assert metadata["failed_run_id"].value == failed.run_id
        assert published.run_id in metadata["published"].value

"""`szei run`: the job `refresh_all` (or `refresh_marts`) in-process, with progress lines."""

from __future__ import annotations

import sys
import time

from pipelines.errors import SzeiError
from pipelines.progress import NORMAL, VERBOSE, Progress, progress_logger
from pipelines.settings import Settings
from pipelines.startup import imports_without_gc

# Steps that raise these carry a message for people; anything else is a bug worth its traceback.
USER_ERRORS = ("SzeiError", "ReferenceDataError", "MartsLockedError", "StorageError", "Failure", "PublicationError",
               "PartialPublicationError")


def _user_message(error) -> str | None:
    """The first message of a user-facing error in a Dagster error chain, if there is one."""
    while error is not None:
        if error.cls_name in USER_ERRORS:
            text = error.message.split(":", 1)[1].strip() if ":" in error.message else error.message
            return text
        error = error.cause or getattr(error, "context", None)
    return None


def _error_class_in(error, name: str) -> bool:
    while error is not None:
        if error.cls_name == name:
            return True
        error = error.cause or getattr(error, "context", None)
    return False


def _storage_message(error, settings: Settings) -> str | None:
    """A full disk or a read-only folder anywhere in the chain (e.g. while writing the report)."""
    from pipelines.errors import storage_error

    while error is not None:
        clear = storage_error(error.message, settings.report_dir.parent, what="报告", what_en="report")
        if clear is not None:
            return clear.message()
        error = error.cause or getattr(error, "context", None)
    return None


def _check_inputs(settings: Settings) -> None:
    from pipelines.marts.publish import check_publish_target

    for folder in (settings.raw_dir, settings.targets_dir, settings.output_dir):
        if not folder.is_dir():
            raise SzeiError(
                "输入目录不存在（--raw-dir 应指向含 targets/ 与 output/ 的目录）",
                f"input folder does not exist: {folder} (--raw-dir must hold targets/ and output/)",
                file=str(folder),
            )
    check_publish_target(settings.marts_db)


def _instance(settings: Settings):
    """The DAGSTER_HOME instance when set (runs then show in the UI under the job's name), else a
    throw-away one."""
    import dagster as dg

    return dg.DagsterInstance.get() if settings.dagster_home else dg.DagsterInstance.ephemeral()


def cli_assets() -> list:
    """The assets of the defs folder (all of them live in pipelines/defs/assets/), loaded directly.
    `load_from_defs_folder` would also walk the component tree and build the component library's
    JSON for the UI, ≈0.3 s of every run that an in-process run never reads; tests/test_dagster.py
    checks that both give the same assets and checks."""
    import dagster as dg

    from pipelines.defs import assets

    return list(dg.load_assets_from_package_module(assets))


def _cli_job(settings: Settings, progress: Progress, with_report: bool):
    """The job `refresh_all` (or `refresh_marts` with --no-report) bound to the CLI's paths, handing
    the validated batch over in memory (one process), logging through the progress lines."""
    import dagster as dg

    from pipelines.defs.jobs import refresh_all, refresh_marts
    from pipelines.defs.resources import SzeiPaths

    job = refresh_all if with_report else refresh_marts
    definitions = dg.Definitions(
        assets=cli_assets(),
        jobs=[job],
        resources={"paths": SzeiPaths.from_settings(settings), "io_manager": dg.mem_io_manager,
                   "batch_io_manager": dg.mem_io_manager},
    )
    return definitions.resolve_job_def(job.name).with_logger_defs({"szei_progress": progress_logger(progress)})


def _report_failures(result, settings: Settings) -> None:
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        message = _user_message(error) or _storage_message(error, settings)
        print(message if message is not None else error.to_string(), file=sys.stderr)


def _record_published_marts(instance, settings: Settings, run_id: str) -> None:
    """In the Dagster UI (DAGSTER_HOME set): the published marts are intact after this failed run."""
    if not settings.dagster_home:
        return
    from pipelines.defs.failures import published_marts_observation
    from pipelines.defs.resources import SzeiPaths

    instance.report_runless_asset_event(published_marts_observation(SzeiPaths.from_settings(settings), run_id))


def run_pipeline(settings: Settings, with_report: bool = True, verbosity: int = NORMAL,
                 freeze_imports: bool = False) -> int:
    """`freeze_imports`: this run is the whole process (`szei run`), see `pipelines.startup`."""
    _check_inputs(settings)
    progress = Progress(verbosity=verbosity)
    progress.line("正在加载 Dagster 定义 / loading Dagster definitions…", level=VERBOSE)
    with imports_without_gc(freeze=freeze_imports):
        job = _cli_job(settings, progress, with_report)
        instance = _instance(settings)
    progress.total = len(job.nodes_in_topological_order)
    progress.line(f"运行 / running {job.name}: {settings.raw_dir} → {settings.marts_db}")

    started = time.perf_counter()
    # the progress logger is the only one (named in the run config, or Dagster adds its console logger)
    result = job.execute_in_process(instance=instance, raise_on_error=False, tags={"szei/entry": "cli"},
                                    run_config={"loggers": {"szei_progress": {}}})
    elapsed = time.perf_counter() - started

    from pipelines.outcome import outcome_of_run, summary_lines

    outcome = outcome_of_run(result)
    if outcome.blocked:  # a blocking check stopped publication: the summary (to stderr) says why
        _record_published_marts(instance, settings, result.run_id)
        for line in summary_lines(outcome):
            print(line, file=sys.stderr)
        print(f"({elapsed:.1f} s, run {result.run_id})", file=sys.stderr)
        return outcome.exit_code
    if not result.success:
        _report_failures(result, settings)
        _record_published_marts(instance, settings, result.run_id)
        partial = any(_error_class_in(e.step_failure_data.error, "PartialPublicationError")
                      for e in result.get_step_failure_events())
        print(("运行失败，部分文件已替换（见上）/ run failed; some files were replaced (see above)" if partial else
               "运行失败，已发布的数据集市与报告未被替换 / run failed; published marts and report untouched")
              + f" ({elapsed:.1f} s, run {result.run_id})", file=sys.stderr)
        return outcome.exit_code

    progress.line(f"完成 / done in {elapsed:.1f} s (run {result.run_id})")
    progress.line(f"数据集市 / marts: {settings.marts_db}")
    progress.line(f"Parquet: {settings.marts_db.parent / 'parquet'}")
    if with_report:
        for kind, path in result.output_for_node("analysis_report").items():
            progress.line(f"报告 / report ({kind}): {path}")
    if verbosity >= NORMAL:  # the end-of-run summary and what the exit code says
        for line in summary_lines(outcome):
            print(line, file=progress.stream, flush=True)
    return outcome.exit_code

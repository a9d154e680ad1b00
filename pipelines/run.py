"""`szei run`: materialize the Definitions' assets in-process, with a progress display."""

from __future__ import annotations

import os
import sys
import time

from pipelines.errors import SzeiError
from pipelines.settings import Settings

# Steps that raise these carry a message for people; anything else is a bug worth its traceback.
USER_ERRORS = ("SzeiError", "ReferenceDataError", "MartsLockedError", "StorageError", "Failure")


def _user_message(error) -> str | None:
    """The first message of a user-facing error in a Dagster error chain, if there is one."""
    while error is not None:
        if error.cls_name in USER_ERRORS:
            text = error.message.split(":", 1)[1].strip() if ":" in error.message else error.message
            return text
        error = error.cause or getattr(error, "context", None)
    return None


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
    for folder in (settings.raw_dir, settings.targets_dir, settings.output_dir):
        if not folder.is_dir():
            raise SzeiError(
                "输入目录不存在（--raw-dir 应指向含 targets/ 与 output/ 的目录）",
                f"input folder does not exist: {folder} (--raw-dir must hold targets/ and output/)",
                file=str(folder),
            )


def run_pipeline(settings: Settings, with_report: bool = True) -> int:
    _check_inputs(settings)
    from rich.console import Console

    console = Console(stderr=True)
    with console.status("正在加载 Dagster 定义 / loading Dagster definitions…"):
        import dagster as dg

        from pipelines.definitions import defs
        from pipelines.defs.resources import SzeiPaths

        definitions = defs()
        assets = [a for a in definitions.assets if "period_quality" not in {k.to_user_string() for k in a.keys}]
        if not with_report:
            assets = [a for a in assets if "analysis_report" not in {k.to_user_string() for k in a.keys}]
        instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()

    started = time.perf_counter()
    with console.status("正在运行：读取、校验、生成数据集市" + ("、报告" if with_report else "") + "…"):
        result = dg.materialize(
            assets,
            resources={"paths": SzeiPaths.from_settings(settings), "io_manager": dg.mem_io_manager},
            instance=instance,
            raise_on_error=False,
            tags={"szei/entry": "cli"},
            # The event stream is for the UI; the terminal gets the summary below.
            # Step failures are printed below, once, as a message (no traceback for user errors).
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
        )
    elapsed = time.perf_counter() - started

    for event in result.all_events:
        if event.is_step_success:
            console.print(f"  [green]✓[/green] {event.step_key}")
        elif event.is_step_failure:
            console.print(f"  [red]✗[/red] {event.step_key}")
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if not evaluation.passed:
                blocking = evaluation.severity.value == "ERROR"
                label = "[red]检查未通过 / check failed[/red]" if blocking else "[yellow]提示 / warning[/yellow]"
                console.print(f"    {label}: {evaluation.description or evaluation.check_name}")

    if not result.success:
        for event in result.get_step_failure_events():
            error = event.step_failure_data.error
            message = _user_message(error) or _storage_message(error, settings)
            if message is None:
                print(error.to_string(), file=sys.stderr)
            else:
                print(message, file=sys.stderr)
        console.print(f"运行失败，已发布的数据集市与报告未被替换 / run failed; published marts and report untouched "
                      f"({elapsed:.1f} s, run {result.run_id})")
        return 1

    console.print(f"完成 / done in {elapsed:.1f} s (run {result.run_id})")
    console.print(f"数据集市 / marts: {settings.marts_db}")
    if with_report:
        report = result.output_for_node("analysis_report")
        for kind, path in report.items():
            console.print(f"报告 / report ({kind}): {path}")
    return 0

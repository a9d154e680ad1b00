"""Progress of `szei run`, as dbt users expect it: one plain line when a step starts and one when it
ends, with its counts and seconds, printed as it happens (also when the output is a pipe or a log).

The lines come from a Dagster logger attached to the CLI's job: it receives every event of the run
while it runs (step started, asset materialized with its metadata, check evaluated, step ended).
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

QUIET, NORMAL, VERBOSE = 0, 1, 2


def counts_text(metadata: dict[str, object]) -> str:
    """The counts of a materialization, in words ('读入 19,090 行，接受 19,075，退回 15')."""
    def value(key):
        entry = metadata.get(key)
        return getattr(entry, "value", entry)

    if value("rows_read") is not None:
        return (f"读入 {value('rows_read'):,} 行，接受 {value('rows_accepted'):,}，退回 {value('rows_rejected'):,} / "
                f"{value('rows_read'):,} rows read, {value('rows_accepted'):,} accepted, "
                f"{value('rows_rejected'):,} rejected")
    if value("files") is not None:
        return f"{value('files'):,} 个文件 / files"
    if value("marts_db") is not None and value("dagster/row_count") is not None:
        return f"mart_attainment {value('dagster/row_count'):,} 行 / rows"
    if value("html") is not None:
        return "、".join(k for k in ("html", "pdf", "xlsx") if k in metadata)
    if value("dagster/row_count") is not None:
        return f"{value('dagster/row_count'):,} 行 / rows"
    return ""


@dataclass
class Progress:
    """Prints the run's steps to `stream` (stdout, as dbt does; errors go to stderr), flushed line by line."""

    stream: TextIO = field(default_factory=lambda: sys.stdout)
    verbosity: int = NORMAL
    total: int = 0
    _started: dict[str, float] = field(default_factory=dict)
    _counts: dict[str, list[str]] = field(default_factory=dict)
    _order: list[str] = field(default_factory=list)

    def line(self, text: str, level: int = NORMAL) -> None:
        if self.verbosity >= level:
            print(f"{time.strftime('%H:%M:%S')}  {text}", file=self.stream, flush=True)

    def _position(self, step: str) -> str:
        if step not in self._order:
            self._order.append(step)
        number = self._order.index(step) + 1
        return f"{number} of {self.total}" if self.total else str(number)

    def step_started(self, step: str) -> None:
        self._started[step] = time.perf_counter()
        self.line(f"{self._position(step)} 开始 START {step}")

    def materialized(self, step: str, metadata: dict[str, object]) -> None:
        text = counts_text(metadata)
        if text:
            self._counts.setdefault(step, []).append(text)

    def step_finished(self, step: str, ok: bool) -> None:
        seconds = time.perf_counter() - self._started.get(step, time.perf_counter())
        counts = "；".join(self._counts.get(step, []))
        status = "完成 OK" if ok else "失败 ERROR"
        self.line(f"{self._position(step)} {status} {step}" + (f"（{counts}）" if counts else "")
                  + f" [{seconds:.1f} s]", level=NORMAL if ok else QUIET)

    def step_skipped(self, step: str) -> None:
        self.line(f"{self._position(step)} 跳过 SKIP {step}（上游失败 / upstream failed）")

    def check(self, name: str, passed: bool, blocking: bool, description: str | None) -> None:
        if passed:
            self.line(f"    检查通过 / check passed: {name}", level=VERBOSE)
        elif blocking:
            self.line(f"    检查未通过（阻断）/ blocking check failed: {description or name}", level=QUIET)
        else:
            self.line(f"    提示 / warning: {description or name}")

    def message(self, step: str | None, text: str, important: bool = False) -> None:
        """A step's own log line: warnings and errors always, context.log.info with --verbose."""
        self.line(f"    {step + ': ' if step else ''}{text}", level=NORMAL if important else VERBOSE)


class ProgressHandler(logging.Handler):
    """Turns the Dagster events of a run into `Progress` lines."""

    def __init__(self, progress: Progress):
        super().__init__(level=logging.DEBUG)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key")
        if event is None:
            if record.levelno >= logging.INFO and step:
                self.progress.message(step, str(meta.get("orig_message") or record.getMessage()),
                                      important=record.levelno >= logging.WARNING)
            return
        kind = event.event_type_value
        if kind == "STEP_START":
            self.progress.step_started(event.step_key)
        elif kind == "ASSET_MATERIALIZATION":
            self.progress.materialized(event.step_key, dict(event.event_specific_data.materialization.metadata))
        elif kind == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            self.progress.check(data.check_name, data.passed, data.severity.value == "ERROR", data.description)
        elif kind == "STEP_SUCCESS":
            self.progress.step_finished(event.step_key, ok=True)
        elif kind == "STEP_FAILURE":
            self.progress.step_finished(event.step_key, ok=False)
        elif kind == "STEP_SKIPPED":
            self.progress.step_skipped(event.step_key)


def progress_logger(progress: Progress):
    """A Dagster logger definition that prints `progress` lines (the CLI's only logger)."""
    import dagster as dg

    @dg.logger(description="szei run progress lines")
    def szei_progress(_init_context):
        logger = logging.Logger("szei_progress", level=logging.DEBUG)
        logger.addHandler(ProgressHandler(progress))
        return logger

    return szei_progress

"""What a run published, and the exit code that says whether it can be trusted.

Exit codes of `szei run` (README, "What blocks publication"):
  0  published, clean: every file read, no row rejected, no warning
  1  published, with findings to review: rows rejected (dq_quarantine), files rejected whole or
     ignored, warnings (dq_warnings) or non-blocking gate findings (dq_publication_gate)
  2  failed (an error: a locked or full disk, unreadable reference data, …): the message says
     exactly what was and was not replaced
  3  blocked: a blocking check failed (an incomplete period, an implausible file, …); nothing was
     published, the last good marts and report stay
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

EXIT_CLEAN, EXIT_FINDINGS, EXIT_FAILED, EXIT_BLOCKED = 0, 1, 2, 3


@dataclass
class RunOutcome:
    """What a run found, in the words the summary prints."""

    files: int = 0
    rows_read: int = 0
    rows_rejected: int = 0
    rejected_files: list[tuple[str, str, str]] = field(default_factory=list)  # (file, why, why in English)
    ignored_files: list[tuple[str, str, str]] = field(default_factory=list)  # (file, why, why in English)
    warnings: dict[str, int] = field(default_factory=dict)  # kind → rows
    gate_notes: list[str] = field(default_factory=list)  # non-blocking gate findings
    blocked: list[str] = field(default_factory=list)  # blocking findings / failed blocking checks
    failed: bool = False  # an error stopped the run (not a blocking check)

    @property
    def clean(self) -> bool:
        return not (self.rows_rejected or self.rejected_files or self.ignored_files or self.warnings
                    or self.gate_notes or self.blocked or self.failed)

    @property
    def exit_code(self) -> int:
        if self.blocked:
            return EXIT_BLOCKED
        if self.failed:
            return EXIT_FAILED
        return EXIT_CLEAN if self.clean else EXIT_FINDINGS


def outcome_of(batch, blocked: list[str] | None = None, failed: bool = False) -> RunOutcome:
    """The outcome of a run from its validated batch (None when the run stopped before it) and the
    messages of the blocking checks that failed."""
    out = RunOutcome(blocked=list(blocked or []), failed=failed)
    if batch is None:
        return out
    fs = batch.file_summary
    out.files = fs.height
    out.rows_read = int(fs["rows_read"].sum())
    out.rows_rejected = int(fs["rows_rejected"].sum())
    status = pl.col("status") if "status" in fs.columns else pl.lit(None, pl.String)
    why = pl.col("status_reason") if "status_reason" in fs.columns else pl.lit(None, pl.String)
    from pipelines.sample import SAMPLE_MARKER

    # the synthetic sample's own marker file is not a delivery: never a finding
    ignored = fs.filter((status == "ignored") & (pl.col("source_file") != SAMPLE_MARKER))
    why_ignored_en = pl.col("status_reason_en") if "status_reason_en" in fs.columns else pl.lit(None, pl.String)
    out.ignored_files = [(f, w or "", e or "") for f, w, e in
                         ignored.select("source_file", why.alias("w"), why_ignored_en.alias("e")).iter_rows()]
    rejected = fs.filter(pl.col("file_error").is_not_null() & ~(status == "ignored").fill_null(False))
    why_en = pl.col("file_error_en") if "file_error_en" in fs.columns else pl.lit("")
    out.rejected_files = rejected.select("source_file", "file_error", why_en.fill_null("")).rows()
    if batch.warnings.height:
        counts = batch.warnings.group_by("warning_code").len().sort("warning_code")
        out.warnings = dict(counts.iter_rows())
    gate = getattr(batch, "gate", None)
    if gate is not None and gate.height:
        # a file rejected whole is listed once, with the files rejected whole
        notes = gate.filter(~pl.col("blocking") & (pl.col("check_code") != "file_rejected_unplaced"))
        out.gate_notes = notes.select(pl.when(pl.col("message_en").is_not_null())
                                      .then(pl.format("{} / {}", "message", "message_en"))
                                      .otherwise(pl.col("message"))).to_series().to_list()
    return out


def blocking_failures(result) -> list[str]:
    """The messages of the blocking asset checks that failed in a Dagster run (each finding of the
    publication gate on its own line; another check by its description)."""
    messages = []
    for event in result.all_events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        evaluation = event.event_specific_data
        if evaluation.passed or evaluation.severity.value != "ERROR":
            continue
        listed = evaluation.metadata.get("messages")
        if listed is not None and listed.value:
            messages += list(listed.value)
        else:
            messages.append(evaluation.description or evaluation.check_name)
    return messages


def outcome_of_run(result) -> RunOutcome:
    """The outcome of an in-process Dagster run (`dg.materialize`, in-memory outputs)."""
    from dagster import DagsterInvariantViolationError  # only here: a Dagster result means Dagster is loaded

    try:
        batch = result.output_for_node("validated_output")
    except DagsterInvariantViolationError:  # the run stopped before validation finished: nothing to count
        batch = None
    blocked = blocking_failures(result)
    return outcome_of(batch, blocked, failed=not result.success and not blocked)


def short_summary(outcome: RunOutcome) -> str:
    """One line: what there is to review, and the exit code (for a Dagster check's description)."""
    counted = [
        (outcome.rows_rejected, "退回 {n:,} 行 / {n:,} rows rejected"),
        (len(outcome.rejected_files), "整个被拒收的文件 {n} 个 / files rejected whole"),
        (len(outcome.ignored_files), "未读取的文件 {n} 个 / files ignored"),
        (sum(outcome.warnings.values()), "提示 {n:,} 行 / rows warned"),
        (len(outcome.gate_notes), "需要核实 {n} 项 / to review"),
        (len(outcome.blocked), "阻断发布 {n} 项 / blocking"),
    ]
    parts = [text.format(n=n) for n, text in counted if n]
    head = "；".join(parts) if parts else "干净 / clean"
    return f"{head}（退出码 / exit code {outcome.exit_code}）"


def summary_lines(outcome: RunOutcome) -> list[str]:
    """The end-of-run summary (Chinese first, English after the slash)."""
    from pipelines.validation.reasons import WARNINGS

    lines = [f"文件 {outcome.files} 个，读入 {outcome.rows_read:,} 行，退回 {outcome.rows_rejected:,} 行 / "
             f"{outcome.files} files, {outcome.rows_read:,} rows read, {outcome.rows_rejected:,} rejected"]
    if outcome.rejected_files:
        lines.append(f"整个被拒收的文件 {len(outcome.rejected_files)} 个 / files rejected whole:")
        lines += [(f"  - {why}" if file in why else f"  - {file}：{why}") + (f" / {en}" if en else "")
                  for file, why, en in outcome.rejected_files]
    if outcome.ignored_files:
        lines.append(f"未读取的文件 {len(outcome.ignored_files)} 个 / files ignored:")
        lines += [f"  - {file}：{why}" + (f" / {why_en}" if why_en else "") for file, why, why_en in outcome.ignored_files]
    if outcome.warnings:
        lines.append("提示（行数）/ warnings by kind (rows):")
        lines += [f"  - {WARNINGS.get(code, (code,))[0]}（{code}）：{n:,}" for code, n in outcome.warnings.items()]
    if outcome.gate_notes:
        lines.append("需要核实（不阻断发布）/ to review (not blocking):")
        lines += [f"  - {m}" for m in outcome.gate_notes]
    if outcome.blocked:
        lines.append(f"阻断发布的问题 {len(outcome.blocked)} 项 / blocking:")
        lines += [f"  - {m}" for m in outcome.blocked]
    verdict = {
        EXIT_CLEAN: "已发布，数据完整无误 / published, clean",
        EXIT_FINDINGS: "已发布，但有上述退回、提示或未读取的文件需要核实 / published, with findings to review",
        EXIT_FAILED: "运行失败 / the run failed",
        EXIT_BLOCKED: "未发布：上述问题阻断了发布，已发布的数据集市与报告保持上次的结果 / "
                      "not published: blocked; the last published marts and report stay",
    }[outcome.exit_code]
    lines.append(f"结论 / verdict: {verdict}（退出码 / exit code {outcome.exit_code}）")
    return lines

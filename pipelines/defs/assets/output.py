"""Stage 2 — the bureau's enterprise output files, read and validated (nothing lost)."""


import dagster as dg
import polars as pl

from pipelines.defs.resources import SzeiPaths
from pipelines.fileinfo import sha256_of
from pipelines.reference import Reference
from pipelines.validation import OutputBatch, list_output_files, validate_output_files


@dg.asset(group_name="raw_output", kinds={"csv", "xlsx"})
def bureau_output_files(paths: SzeiPaths) -> dg.Output[list[dict]]:
    """统计局报送的企业产值文件清单（含 SHA-256）。
    The delivered files in data/raw/output/ with their content hashes; raw files are only read."""
    from concurrent.futures import ThreadPoolExecutor

    listed = list_output_files(paths.output_path)
    with ThreadPoolExecutor(max_workers=2) as pool:  # hashlib releases the GIL: two files at a time
        hashes = list(pool.map(sha256_of, listed))
    files = [
        {"file": p.name, "path": str(p), "bytes": p.stat().st_size, "sha256": h}
        for p, h in zip(listed, hashes)
    ]
    table = "\n".join(f"| {f['file']} | {f['bytes']:,} | `{f['sha256'][:12]}` |" for f in files)
    return dg.Output(
        files,
        metadata={
            "files": len(files),
            "output_dir": dg.MetadataValue.path(str(paths.output_path)),
            "preview": dg.MetadataValue.md("| 文件 | 字节 | sha256 |\n|---|---:|---|\n" + table),
        },
    )


def _periods(accepted: pl.DataFrame) -> str:
    periods = accepted.select("year", "ytd_months").unique().sort("year", "ytd_months")
    return ", ".join(f"{y}年1-{m}月" for y, m in periods.iter_rows())


@dg.asset(
    group_name="validated",
    kinds={"polars", "pandera"},
    check_specs=[
        dg.AssetCheckSpec("rows_reconcile", asset="validated_output", blocking=True,
                          description="每个文件：读入 = 接受 + 退回 / rows read = accepted + rejected per file"),
        dg.AssetCheckSpec("no_rows_rejected", asset="validated_output",
                          description="pandera 校验退回的行及原因 / rows rejected by the pandera contract, by reason"),
    ],
)
def validated_output(
    context: dg.AssetExecutionContext,
    reference_data: Reference,
    bureau_output_files: list[dict],
):
    """校验后的企业记录：接受、退回（含全部原因）、提示、修订替换。
    Every row of every file ends accepted or quarantined with all its reasons (pandera contract)."""
    from pathlib import Path

    batch: OutputBatch = validate_output_files([Path(f["path"]) for f in bureau_output_files], reference_data)
    summary = batch.file_summary
    read, accepted, rejected = (int(summary[c].sum()) for c in ("rows_read", "rows_accepted", "rows_rejected"))
    unbalanced = summary.filter(pl.col("rows_read") != pl.col("rows_accepted") + pl.col("rows_rejected"))
    reasons = batch.quarantine_reasons.group_by("reason").len().sort("len", descending=True)
    yield dg.Output(
        batch,
        metadata={
            "rows_read": read,
            "rows_accepted": accepted,
            "rows_rejected": rejected,
            "rows_warned": int(summary["rows_warned"].sum()),
            "records_in_force": len(batch.records),
            "periods": _periods(batch.records),
            "files_rejected_whole": int(summary["file_error"].is_not_null().sum()),
        },
    )
    yield dg.AssetCheckResult(
        check_name="rows_reconcile",
        passed=unbalanced.is_empty(),
        description="每个文件读入行数 = 接受 + 退回 / rows read = accepted + rejected for every file",
        metadata={"files_unbalanced": ", ".join(unbalanced["source_file"].to_list()) or "无 / none"},
    )
    yield dg.AssetCheckResult(
        check_name="no_rows_rejected",
        passed=rejected == 0,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"退回 {rejected} 行（明细见 dq_quarantine）/ {rejected} rows rejected (see dq_quarantine)",
        metadata={
            "rows_rejected": rejected,
            "reasons": dg.MetadataValue.md(
                "| 原因 | 行数 |\n|---|---:|\n" + "\n".join(f"| {r} | {n} |" for r, n in reasons.iter_rows())
            ),
        },
    )

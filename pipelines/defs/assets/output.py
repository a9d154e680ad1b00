"""Stage 2 — the bureau's enterprise output files, read and validated (nothing lost)."""


import dagster as dg
import polars as pl

from pipelines.defs.partitions import period_keys, period_title, reporting_period_partitions
from pipelines.defs.resources import SzeiPaths
from pipelines.defs.tableschema import frame_schema
from pipelines.fileinfo import sha256_of
from pipelines.ingest import Entry, inventory
from pipelines.plan import Plan
from pipelines.reference import Reference
from pipelines.validation import OutputBatch, validate_output_files
from pipelines.validation.gate import periods_gone, published_periods


def _sha256_or_none(path):
    """None when the file vanished or cannot be read: the reader then says why, for that file."""
    try:
        return sha256_of(path)
    except OSError:
        return None


def _size(path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0


def _md(text: str) -> str:
    """A file name as literal text in a Markdown table cell."""
    return "".join("\\" + ch if ch in "\\`*_{}[]<>()#+-.!|~" else ch for ch in text).replace("\n", " ")


@dg.asset(group_name="raw_output", kinds={"csv", "xlsx"})
def bureau_output_files(context: dg.AssetExecutionContext, paths: SzeiPaths) -> dg.Output[list[dict]]:
    """统计局报送的企业产值文件清单（含 SHA-256）。
    The delivered files in data/raw/output/ with their content hashes; raw files are only read."""
    from concurrent.futures import ThreadPoolExecutor

    entries = inventory(paths.output_path)
    listed = [e.path for e in entries if e.to_read]
    with ThreadPoolExecutor(max_workers=2) as pool:  # hashlib releases the GIL: two files at a time
        hashes = dict(zip(listed, pool.map(_sha256_or_none, listed)))
    # every entry under output/: the files to read, and those ignored with why (nothing in silence)
    files = [
        {"file": e.label, "path": str(e.path), "bytes": _size(e.path),
         "sha256": hashes.get(e.path), "status": e.status, "reason": e.reason_zh, "reason_en": e.reason_en}
        for e in entries
    ]
    table = "\n".join(
        f"| {_md(f['file'])} | {f['bytes']:,} | `{(f['sha256'] or '')[:12]}` | {_md(f['reason'] or '读取')} |"
        for f in files)
    ignored = [f for f in files if f["status"] != "read"]
    context.log.info(f"{len(files) - len(ignored)} 个报送文件待读取，{len(ignored)} 项不读取 / {len(files) - len(ignored)} "
                     f"delivered files to read, {len(ignored)} entries not read, in {paths.output_path}")
    return dg.Output(
        files,
        metadata={
            "files": len(files) - len(ignored),
            "entries_not_read": len(ignored),
            "dagster/row_count": len(files),
            "output_dir": dg.MetadataValue.path(str(paths.output_path)),
            "preview": dg.MetadataValue.md("| 文件 | 字节 | sha256 | 处理 |\n|---|---:|---|---|\n" + table),
        },
    )


def register_periods(context: dg.AssetExecutionContext, records: pl.DataFrame) -> None:
    """The reporting periods found in the data become period_quality's partitions (none fixed in code)."""
    keys = period_keys(records)
    known = set(context.instance.get_dynamic_partitions(reporting_period_partitions.name))
    new = [k for k in keys if k not in known]
    if new:
        context.instance.add_dynamic_partitions(reporting_period_partitions.name, new)
        context.log.info(f"新的统计期 / new reporting periods: {', '.join(new)}")


def _periods(accepted: pl.DataFrame, reference: Reference) -> str:
    """The periods of the accepted records, named as the run's plan names them (its periods.csv)."""
    labels = Plan.from_reference(reference).periods.label
    periods = accepted.select("year", "ytd_months").unique().sort("year", "ytd_months")
    return ", ".join(period_title(f"{y}-{m:02d}", labels) for y, m in periods.iter_rows())


@dg.asset(
    group_name="validated",
    kinds={"polars", "pandera"},
    io_manager_key="batch_io_manager",  # Arrow IPC between processes, never pickled (defs/handover.py)
    check_specs=[
        dg.AssetCheckSpec("rows_reconcile", asset="validated_output", blocking=True,
                          description="每个文件：读入 = 接受 + 退回 / rows read = accepted + rejected per file"),
        dg.AssetCheckSpec("no_rows_rejected", asset="validated_output",
                          description="pandera 校验退回的行及原因 / rows rejected by the pandera contract, by reason"),
    ],
)
def validated_output(
    context: dg.AssetExecutionContext,
    paths: SzeiPaths,
    reference_data: Reference,
    bureau_output_files: list[dict],
):
    """校验后的企业记录：接受、退回（含全部原因）、提示、修订替换。
    Every row of every file ends accepted or quarantined with all its reasons (pandera contract)."""
    from pathlib import Path

    read = [Path(f["path"]) for f in bureau_output_files if f.get("status", "read") == "read"]
    skipped = [Entry(Path(f["path"]), f["file"], f["status"], f["reason"], f["reason_en"])
               for f in bureau_output_files if f.get("status", "read") != "read"]
    batch: OutputBatch = validate_output_files(read, reference_data, root=paths.output_path,
                                               skipped=skipped)
    # a period the last good publication had and this delivery lacks is said (not blocking)
    batch.gate = periods_gone(batch.gate, batch.records, published_periods(paths.marts_path))
    summary = batch.file_summary
    read, accepted, rejected = (int(summary[c].sum()) for c in ("rows_read", "rows_accepted", "rows_rejected"))
    unbalanced = summary.filter(pl.col("rows_read") != pl.col("rows_accepted") + pl.col("rows_rejected"))
    reasons = batch.quarantine_reasons.group_by("reason").len().sort("len", descending=True)
    context.log.info(f"校验完成 / validated: 读入 {read:,} 行 rows read, 接受 {accepted:,} accepted, "
                     f"退回 {rejected:,} rejected; {len(batch.records):,} 条有效记录 records in force")
    for file, error in summary.filter(pl.col("file_error").is_not_null()).select("source_file", "file_error").iter_rows():
        context.log.warning(f"整个文件未接收 / file rejected whole: {file}: {error}")
    register_periods(context, batch.records)
    yield dg.Output(
        batch,
        metadata={
            "rows_read": read,
            "rows_accepted": accepted,
            "rows_rejected": rejected,
            "rows_warned": int(summary["rows_warned"].sum()),
            "records_in_force": len(batch.records),
            "periods": _periods(batch.records, reference_data),
            "files_rejected_whole": int((summary["status"] == "rejected").sum()),
            "files_ignored": int((summary["status"] == "ignored").sum()),
            "dagster/row_count": len(batch.records),
            "dagster/column_schema": frame_schema(batch.records),
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

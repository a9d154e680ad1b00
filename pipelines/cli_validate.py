"""`szei validate FILE…` (the command, not the library): validate output files without touching any database,
print the summary, write the quarantine list. The validation itself is `pipelines.validation`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import polars as pl

from pipelines.errors import SzeiError
from pipelines.exports import neutralise_formulas
from pipelines.ingest import Entry, inventory
from pipelines.ingest.inventory import ignore_reason
from pipelines.ingest.text import display_name, visible_text
from pipelines.reference import load_reference
from pipelines.validation.core import OutputBatch, validate_output_files
from pipelines.validation.gate import finding_lines

EXAMPLES_PER_REASON = 5


def _print(line: str = "") -> None:
    print(line, flush=False)


def summarise(batch: OutputBatch) -> str:
    """The Chinese (with English) summary printed by `szei validate` (invisible characters as U+XXXX)."""
    return _summary_lines(batch)


def _summary_lines(batch: OutputBatch) -> str:
    lines: list[str] = []
    lines.append("校验结果 / validation summary")
    for r in batch.file_summary.filter(pl.col("status") != "ignored").iter_rows(named=True):
        lines.append(
            f"  {r['source_file']}：读取 {r['rows_read']} 行，接收 {r['rows_accepted']} 行，拒收 {r['rows_rejected']} 行，"
            f"警告 {r['rows_warned']} 行，被修订替换 {r['rows_replaced']} 行"
            f"（编码 {r['encoding'] or '-'}，单位 {r['value_unit'] or '-'}{'，工作表 ' + r['sheet'] if r['sheet'] else ''}）"
            f" / read {r['rows_read']}, accepted {r['rows_accepted']}, rejected {r['rows_rejected']}"
        )
        if r["file_error"]:
            lines.append(f"    整个文件无法接收：{r['file_error']}")
            lines.append(f"    {r['file_error_en']}")
    ignored = batch.file_summary.filter(pl.col("status") == "ignored")
    if ignored.height:
        lines.append(f"未读取的条目 / entries not read：{ignored.height} 个")
        for f, why, why_en in ignored.select("source_file", "status_reason", "status_reason_en").iter_rows():
            lines.append(f"  {f}：{why} / {why_en}")
    reasons = batch.quarantine_reasons
    if reasons.height:
        lines.append("拒收原因 / rejection reasons")
        counts = reasons.group_by("reason_code", maintain_order=True).agg(pl.len().alias("n")).sort("n", descending=True)
        for code, n in counts.iter_rows():
            lines.append(f"  [{code}] {n} 行")
            ex = reasons.filter(pl.col("reason_code") == code).head(EXAMPLES_PER_REASON)
            for f, row, reason, col in ex.select("source_file", "source_row", "reason", "column").iter_rows():
                lines.append(f"    {f} 第 {row} 行，列「{col}」：{reason}")
    if batch.warnings.height:
        lines.append("警告（记录已保留）/ warnings (rows kept)")
        counts = batch.warnings.group_by("warning_code", maintain_order=True).agg(pl.len().alias("n"))
        for code, n in counts.iter_rows():
            lines.append(f"  [{code}] {n} 条")
            for f, row, msg in batch.warnings.filter(pl.col("warning_code") == code).head(EXAMPLES_PER_REASON).select(
                "source_file", "source_row", "message"
            ).iter_rows():
                lines.append(f"    {f} 第 {row} 行：{msg}")
    lines += finding_lines(batch.gate)
    fs = batch.file_summary
    lines.append(
        f"合计 / total：读取 {fs['rows_read'].sum()} 行，接收 {fs['rows_accepted'].sum()} 行，"
        f"拒收 {fs['rows_rejected'].sum()} 行，整个拒收的文件 {(fs['status'] == 'rejected').sum()} 个，"
        f"未读取的条目 {(fs['status'] == 'ignored').sum()} 个"
    )
    return "\n".join(visible_text(line) for line in lines)


def write_quarantine(batch: OutputBatch, out: Path) -> list[Path]:
    """The full quarantine list at the `out` stem: <out>.csv (UTF-8 with BOM, opens in Excel) and <out>.xlsx."""
    out = Path(out)
    base = out.with_suffix("") if out.suffix.lower() in (".csv", ".xlsx") else out
    base.parent.mkdir(parents=True, exist_ok=True)
    frame = batch.quarantine.select(
        pl.col("source_file").alias("文件 file"),
        pl.col("source_row").alias("行号 row"),
        pl.col("reasons").alias("原因"),
        pl.col("reasons_en").alias("reasons"),
        pl.col("columns").alias("列 columns"),
        pl.col("reason_codes").alias("原因代码 codes"),
        pl.col("raw").alias("原始值 raw"),
    )
    frame = neutralise_formulas(frame)  # a file name or value starting with = + - @ is never a live formula
    csv_path, xlsx_path = base.with_name(base.name + ".csv"), base.with_name(base.name + ".xlsx")
    csv_path.write_bytes(b"\xef\xbb\xbf" + frame.write_csv().encode("utf-8"))
    frame.write_excel(xlsx_path, worksheet="拒收记录", autofit=frame.height <= 10000)
    return [csv_path, xlsx_path]


def _expand(args: list[Path]) -> tuple[list[Path], list[Entry], Path | None, int]:
    """(files to read, entries not read, the folder labels are relative to, entries named but not read).

    A folder is read as `szei run` reads output/ (subfolders included, hidden and lock files ignored
    with why). A file named on the command line is read whatever its type, unless it is a lock or
    hidden file, which is listed as ignored."""
    read: list[Path] = []
    skipped: list[Entry] = []
    named_not_read = 0
    folders = [a for a in args if a.is_dir()]
    root = None
    if folders:  # labels are paths under the folders' common parent (a folder alone: under itself)
        root = Path(os.path.commonpath([os.path.abspath(a if a.is_dir() else a.parent) for a in args]))

    def label(p: Path, folder: bool = False) -> str:
        rel = Path(os.path.relpath(os.path.abspath(p), root)).as_posix() if root else p.name
        return display_name(rel) + ("/" if folder else "")

    for a in args:
        if a.is_dir():
            for e in inventory(a):
                path = Path(os.path.abspath(e.path))
                if e.to_read:
                    read.append(path)
                else:
                    skipped.append(Entry(path, label(path, e.label.endswith("/")), e.status, e.reason_zh, e.reason_en))
            continue
        why = ignore_reason(display_name(a.name))
        if not a.is_file():  # a pipe or device would block or never end: never opened
            why = ("不是普通文件（设备、管道或失效的链接），不读取", "not a regular file (device, pipe or broken link); not read")
        if why is not None and (not a.is_file() or display_name(a.name).startswith((".", "~$"))):
            skipped.append(Entry(a, label(a), "ignored", *why))
            named_not_read += 1
        else:
            read.append(Path(os.path.abspath(a)) if root else a)
    return read, skipped, root, named_not_read


def run_validate(files: list[Path], out: Path | None, targets_dir: Path) -> int:
    """Validate `files` (files or folders); print a Chinese summary; write the quarantine to `out`.csv/.xlsx when given.

    Returns 0 when every row is accepted and the gate finds nothing, 1 when some rows are rejected or
    the gate has findings to review, 3 when a finding of the gate judged from these files would block
    publication (as `szei run` exits 3), 2 — before 3 — when a file cannot be read at all, a file named
    on the command line is not read (a lock or hidden file), or a file does not exist. No database is touched.
    """
    files = [Path(f) for f in files]
    missing = [f for f in files if not f.exists()]
    try:
        if missing:
            raise SzeiError(
                "文件不存在：" + "、".join(str(f) for f in missing),
                "file(s) not found: " + ", ".join(str(f) for f in missing),
                file=str(missing[0]),
            )
        read, skipped, root, named_not_read = _expand(files)
        reference = load_reference(Path(targets_dir))
        batch = validate_output_files(read, reference, root=root, skipped=skipped)
    except SzeiError as err:
        print(err.message(), file=sys.stderr)  # an error goes where `szei run` puts its errors, not with the results
        return err.exit_code
    _print(summarise(batch))
    if out is not None:
        paths = write_quarantine(batch, out)
        _print("拒收清单已写入 / quarantine written: " + "，".join(str(p) for p in paths))
    if (batch.file_summary["status"] == "rejected").any() or named_not_read:
        return 2
    if batch.gate.height and batch.gate["blocking"].any():
        return 3
    return 1 if batch.quarantine.height or batch.gate.height else 0

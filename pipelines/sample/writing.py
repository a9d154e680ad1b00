"""Writing a sample: the file list and formats, the files themselves (CSV in several encodings,
xlsx), the 模拟数据 marker, and the folder guard (real bureau files are never overwritten)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from pipelines.errors import SzeiError
from pipelines.ingest.inventory import SAMPLE_MARKER  # the one name, which the reader skips
from pipelines.sample import _random as rnd
from pipelines.sample.economy import (
    DISTRICTS,
    PERIOD_LABEL,
    PERIOD_MONTHS,
    S_SHORT,
    SHORT_FORMS,
)

GENERATOR_VERSION = "1.0.0"
XLSX_MAX_ROWS = 1_000_000
COLUMNS = ("统计年度", "累计期", "单位代码", "单位名称", "产业类别", "注册地", "产值发生地", "本年累计产值（万元）")
VALUE_WAN = "本年累计产值（万元）"
VALUE_QIAN = "本年累计产值（千元）"


@dataclass
class FileSpec:
    name: str
    year: int
    months: int
    fmt: str = "csv"  # csv | xlsx
    encoding: str = "utf-8"  # utf-8 | utf-8-sig | gbk
    value_unit: str = "万元"
    reorder: bool = False
    short_districts: bool = False
    is_revision: bool = False
    rows: int = 0
    sha256: str = ""
    notes: list[str] = field(default_factory=list)


def prepare_dir(out_dir: Path) -> None:
    """Create the folder; remove only the files an earlier sample's marker lists."""
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / SAMPLE_MARKER
    listed: set[str] = set()
    if marker.is_file():
        try:
            listed = set(json.loads(marker.read_text(encoding="utf-8")).get("files", []))
        except (json.JSONDecodeError, OSError) as exc:
            raise SzeiError(f"无法读取标记文件 {marker.name}", f"cannot read marker {marker.name}: {exc}") from exc
    data = [p for p in out_dir.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".xlsx", ".xls")]
    foreign = sorted(p.name for p in data if p.name not in listed)
    if foreign:
        raise SzeiError(
            f"目录 {out_dir} 中已有非模拟数据文件（{', '.join(foreign[:5])}），不会覆盖",
            f"{out_dir} already holds data files not written by the sample generator "
            f"({', '.join(foreign[:5])}); refusing to overwrite",
        )
    for p in data:
        p.unlink()


def fmt_tenths(v10: int) -> str:
    sign = "-" if v10 < 0 else ""
    v10 = abs(v10)
    return f"{sign}{v10 // 10}.{v10 % 10}"


def value_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Contract columns with the value as text: tenths of 万元 written `123.4` (exact, no float repr)."""
    if VALUE_WAN in frame.columns and "v10" not in frame.columns:
        return frame.select(COLUMNS)
    v = pl.col("v10")
    text = (v // 10).cast(pl.String) + "." + (v % 10).cast(pl.String)
    return frame.select(*COLUMNS[:7], text.alias(VALUE_WAN))


def file_specs(years: tuple[int, ...], formats: str) -> dict[tuple[int, int], FileSpec]:
    specs = {(y, m): FileSpec(name=f"{y}_{PERIOD_LABEL[m]}.csv", year=y, months=m) for y in years for m in PERIOD_MONTHS}
    if formats != "mixed":
        return specs
    first, mid, last = years[0], years[len(years) // 2], years[-1]
    taken: set[tuple[int, int]] = set()

    def claim(key: tuple[int, int]) -> FileSpec | None:
        if key in taken or (key == (last, 6)) or (key == (last, 12)):
            return None  # the bad-rows and revised files stay plain UTF-8 CSV in 万元
        taken.add(key)
        return specs[key]

    if s := claim((first, 12)):
        s.encoding = "gbk"
    if s := claim((mid, 6)):
        s.fmt, s.name = "xlsx", f"{mid}_{PERIOD_LABEL[6]}.xlsx"
    if s := claim((mid, 9)):
        s.value_unit = "千元"
    if s := claim((last, 3)):
        s.encoding, s.reorder = "utf-8-sig", True
    if s := claim((mid, 3)):
        s.short_districts = True
    return specs


def write_file(frame: pl.DataFrame, spec: FileSpec, out_dir: Path, seed: int) -> None:
    path = out_dir / spec.name
    if spec.fmt == "xlsx" and frame.height > XLSX_MAX_ROWS:
        spec.fmt, spec.name = "csv", spec.name.replace(".xlsx", ".csv")
        spec.notes.append("too many rows for .xlsx: written as CSV")
        path = out_dir / spec.name
    if spec.short_districts and "lid" in frame.columns:
        u = rnd.uniform(pl.col("lid"), seed, S_SHORT)
        short = dict(zip(DISTRICTS, SHORT_FORMS))
        frame = frame.with_columns(
            pl.when(u < 0.02).then(pl.col("注册地").replace_strict(short)).otherwise(pl.col("注册地")).alias("注册地")
        )
        spec.notes.append("about 2 % of 注册地 in short form (e.g. 南山)")
    text = value_text(frame)
    if spec.value_unit == "千元":
        text = frame.select(*COLUMNS[:7], pl.col("v10").cast(pl.String).alias(VALUE_QIAN))  # tenths of 万元 = 千元
    if spec.reorder:
        text = text.with_columns(
            pl.when(pl.col("单位代码").str.len_chars() == 18).then(pl.lit(None)).otherwise(pl.lit("组织机构代码")).cast(pl.String).alias("备注")
        ).select("单位代码", "单位名称", "统计年度", "累计期", "产业类别", "产值发生地", "注册地", VALUE_WAN, "备注")
        spec.notes.append("columns reordered, extra column 备注")
    spec.rows = text.height
    if spec.fmt == "xlsx":
        _write_xlsx(text, path)
    else:
        data = text.write_csv(include_bom=False)
        if spec.encoding == "gbk":
            raw = data.encode("gbk")
        elif spec.encoding == "utf-8-sig":
            raw = data.encode("utf-8-sig")
        else:
            raw = data.encode("utf-8")
        path.write_bytes(raw)
    spec.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()


def _write_xlsx(text: pl.DataFrame, path: Path) -> None:
    import xlsxwriter

    frame = text.with_columns(pl.col(VALUE_WAN).cast(pl.Float64))
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": "模拟数据", "author": "szei sample", "created": datetime(2012, 7, 10)})
    frame.write_excel(workbook=wb, worksheet="数据", autofit=False, table_style=None)
    wb.close()


def write_marker(
    out_dir: Path,
    seed: int,
    enterprises: int,
    years: tuple[int, ...],
    formats: str,
    bad_rows: bool,
    written: list[FileSpec],
    marker_bad: list[dict],
    marker_warn: list[dict],
) -> None:
    files = sorted(written, key=lambda s: s.name)
    marker = {
        "synthetic": True,
        "label": "模拟数据",
        "label_en": "synthetic data",
        "note": "由固定种子生成的模拟数据，企业名称与代码均为虚构，不代表任何真实企业 / "
        "generated from a fixed seed; enterprise names and codes are fictitious",
        "generator": "pipelines.sample",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "enterprises": enterprises,
        "years": list(years),
        "formats": formats,
        "files": [s.name for s in files],
        "file_details": [
            {
                "file": s.name,
                "year": s.year,
                "period": PERIOD_LABEL[s.months],
                "format": s.fmt,
                "encoding": s.encoding if s.fmt == "csv" else None,
                "sheet": "数据" if s.fmt == "xlsx" else None,
                "value_unit": s.value_unit,
                "is_revision": s.is_revision,
                "rows": s.rows,
                "sha256": s.sha256,
                "notes": s.notes,
            }
            for s in files
        ],
        "rows_total": sum(s.rows for s in files),
        "bad_rows_injected": bad_rows,
        "bad_rows": marker_bad,
        "expected_rejected_rows": sum(b["rejected_rows"] for b in marker_bad),
        "corrected_by_revision": marker_warn,
    }
    (out_dir / SAMPLE_MARKER).write_text(json.dumps(marker, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

"""The header row: where it is, which column is which contract field, and the unit of the values.

Chinese headers and English aliases are recognised after normalisation (full-width brackets,
spaces, BOM); the value header must name its unit (万元, 千元, 元, 亿元), which is never guessed.
"""

from __future__ import annotations

import re

import polars as pl

from pipelines.ingest.rawfile import ISSUE_SCHEMA, RawFile
from pipelines.ingest.text import INVISIBLE

# contract field → (standard Chinese header, English alias)
CANONICAL_HEADERS: dict[str, tuple[str, str]] = {
    "year": ("统计年度", "year"),
    "period": ("累计期", "period"),
    "unit_code": ("单位代码", "unit_code"),
    "unit_name": ("单位名称", "unit_name"),
    "industry": ("产业类别", "industry"),
    "reg_district": ("注册地", "reg_district"),
    "output_district": ("产值发生地", "output_district"),
    "ytd_value": ("本年累计产值（万元）", "ytd_value_wan"),
}
FIELDS = tuple(CANONICAL_HEADERS)
# 产值发生地 may be absent as a column (a file of 互联网/新能源 rows only); the 生物 rule is per row.
REQUIRED_FIELDS = tuple(f for f in FIELDS if f != "output_district")

# English value headers (ytd_value_wan, …) → the unit
_EN_UNITS = {"wan": "万元", "qian": "千元", "yuan": "元", "yi": "亿元"}

_VALUE_ZH = "本年累计产值"
_VALUE_EN = "ytd_value"
# brackets to half-width; spaces and invisible characters (a BOM or zero-width space in a header) dropped
_HEADER_TRANS = str.maketrans({"（": "(", "）": ")", " ": "", **{ch: "" for ch in INVISIBLE}})

# the header row is looked for among the first non-blank rows (title lines above it, as Excel exports have)
HEADER_SCAN_ROWS = 10


def normalise_header(header: str) -> str:
    return (header or "").translate(_HEADER_TRANS).strip().lower()


def _value_header_unit(norm: str) -> tuple[bool, str | None]:
    """(is a value header, its unit or None when missing/unrecognised)."""
    if norm.startswith(_VALUE_ZH):
        m = re.fullmatch(r"本年累计产值\((万元|千元|元|亿元)\)", norm)
        return True, (m.group(1) if m else None)
    if norm.startswith(_VALUE_EN):
        m = re.fullmatch(r"ytd_value_(wan|qian|yuan|yi)", norm)
        return True, (_EN_UNITS[m.group(1)] if m else None)
    return False, None


def map_headers(raw: RawFile, columns: list[str]) -> RawFile:
    """Fill raw.header_map / raw.value_unit, or set the file error (missing column, no unit, ambiguity)."""
    lookup = {}
    for f, (zh, en) in CANONICAL_HEADERS.items():
        if f != "ytd_value":
            lookup[normalise_header(zh)] = f
            lookup[en] = f
    mapping: dict[str, str] = {}
    for col in columns:
        norm = normalise_header(raw.header_texts.get(col, col))
        is_value, unit = _value_header_unit(norm)
        f = "ytd_value" if is_value else lookup.get(norm)
        if f is None:
            continue  # unknown extra column: kept in the raw record
        raw.recognised = True
        if is_value and unit is None:
            return raw.fail(
                "产值列表头未注明可识别的计量单位（应为「本年累计产值（万元）」，或千元、元、亿元），单位无法推测，整个文件不予接收",
                "the value header carries no recognised unit (expected 本年累计产值（万元）, or 千元/元/亿元; "
                "English ytd_value_wan/_qian/_yuan/_yi); a unit is never guessed, the file is rejected",
                col,
            )
        if f in mapping:
            return raw.fail(
                f"列「{mapping[f]}」与列「{col}」表示同一字段，无法确定使用哪一列；请删除或改名多余的一列后重新报送",
                f"columns '{mapping[f]}' and '{col}' both map to field {f}; ambiguous: remove or rename one",
                col,
            )
        mapping[f] = col
        if is_value:
            raw.value_unit = unit
    if not mapping:
        raw.not_a_table = True
        return raw.fail(
            f"不是数据表：前 {HEADER_SCAN_ROWS} 个非空行中没有任何约定的列名（统计年度、累计期、单位代码……）",
            f"not a data table: none of the first {HEADER_SCAN_ROWS} non-blank rows holds a contract header "
            "(统计年度/year, 累计期/period, …)",
        )
    missing = [f for f in REQUIRED_FIELDS if f not in mapping]
    if missing:
        names = "、".join(CANONICAL_HEADERS[f][0] for f in missing)
        names_en = ", ".join(f"{CANONICAL_HEADERS[f][0]}/{CANONICAL_HEADERS[f][1]}" for f in missing)
        raw.header_map = mapping
        return raw.fail(f"缺少必需列：{names}", f"missing required column(s): {names_en}", names)
    raw.header_map = mapping
    return raw


def is_header_cell(cell: str | None) -> bool:
    """A cell that names a contract field (Chinese header, English alias, or a value header)."""
    if not cell:
        return False
    norm = normalise_header(cell)
    if _value_header_unit(norm)[0]:
        return True
    return any(norm in (normalise_header(zh), en) for f, (zh, en) in CANONICAL_HEADERS.items() if f != "ytd_value")


def blank(columns: list[str]) -> pl.Expr:
    return pl.all_horizontal(
        [pl.col(c).is_null() | (pl.col(c).str.strip_chars(" \t\r\n\u3000\xa0") == "") for c in columns]
    )


def apply_header(raw: RawFile, records: pl.DataFrame, is_csv: bool) -> tuple[pl.DataFrame, list[str]]:
    """Find the header row, name the columns after it and keep the records below it.

    The header is the first of the first HEADER_SCAN_ROWS non-blank rows holding the most contract
    headers (title lines above it are not records). Row numbers stay the spreadsheet's. A CSV
    record with more fields than the header row gets its extra values in columns named
    「超出表头的第 k 列」 (kept in the raw record) and a `row_extra_fields` issue.
    """
    cells = [c for c in records.columns if c.startswith("c")]
    # the first HEADER_SCAN_ROWS non-blank rows: looked for among the first rows, the whole file only
    # when those are not enough
    head = records.head(HEADER_SCAN_ROWS * 100)
    scan = (head.filter(~blank(cells)) if cells else head).head(HEADER_SCAN_ROWS)
    if scan.height < HEADER_SCAN_ROWS and head.height < records.height:
        scan = (records.filter(~blank(cells)) if cells else records).head(HEADER_SCAN_ROWS)
    if scan.height == 0:
        return records.clear().select("__row"), []
    counts = [sum(is_header_cell(v) for v in row) for row in scan.select(cells).iter_rows()]
    pick = counts.index(max(counts))
    header_row = int(scan["__row"][pick])
    raw.header_row = header_row
    header_cells = scan.select(cells).row(pick)
    width = len(cells)
    if is_csv and "__nfields" in records.columns:
        width = int(scan["__nfields"][pick])
    names: list[str] = []
    seen: set[str] = set()
    for j, value in enumerate(header_cells):
        name = (value or "").strip()
        if j >= width:
            name = f"超出表头的第 {j + 1} 列"
        elif not name:
            name = f"未命名列 {j + 1}"
        written = name
        while name in seen:
            name = f"{name}（第 {j + 1} 列）"
        if name != written and written:
            raw.header_texts[name] = written
        seen.add(name)
        names.append(name)
    body = records.slice(header_row)  # `__row` is the position + 1: the rows below the header, no copy
    rename = dict(zip(cells, names))
    body = body.rename(rename)
    # columns with neither a header nor any value are not part of the table
    empty = [n for j, n in enumerate(names) if (j >= width or not (header_cells[j] or "").strip())
             and body[n].is_null().all()]
    body = body.drop(empty)
    columns = [n for n in names if n not in empty]
    issues = []
    extra = [n for j, n in enumerate(names) if j >= width and n in columns]
    if extra:
        has_extra = pl.any_horizontal([pl.col(c).is_not_null() & (pl.col(c).str.strip_chars() != "") for c in extra])
        vals = pl.concat_str([pl.col(c) for c in extra], separator="，", ignore_nulls=True)
        issues.append(body.filter(has_extra).select(
            pl.col("__row"),
            pl.lit("row_extra_fields").alias("reason_code"),
            pl.format(f"该行有 {{}} 个字段，多于表头（第 {header_row} 行）的 {width} 列；多出的值「{{}}」无法对应到列，"
                      "整行退回（常见原因：数值或名称中含未加引号的逗号）", pl.col("__nfields"), vals).alias("reason"),
            pl.format(f"the row has {{}} fields, more than the {width} columns of the header (row {header_row}); "
                      "the extra values '{}' cannot be assigned to a column, the row is rejected "
                      "(often an unquoted comma in a number or a name)", pl.col("__nfields"), vals).alias("reason_en"),
            pl.lit(",".join(extra)).alias("column"),
        ))
    if issues:
        raw.row_issues = pl.concat(issues).cast(ISSUE_SCHEMA)
    return body.select(*columns, "__row"), columns

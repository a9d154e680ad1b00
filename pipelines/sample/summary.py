"""Read a generated sample back from its files and summarise it (a self-check, not the pipeline's reader).

Uses what the marker says about each file (encoding, sheet, value unit), drops the injected bad
rows it lists, applies the revision file by key, and computes under the counting rule
(生物 by 产值发生地, 互联网/新能源 by 注册地; 龙华新区 → 宝安区, 大鹏新区 → 龙岗区) the
1-12月 totals per year, district and industry and the enterprise band counts.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl

from pipelines.plan import default_plan
from pipelines.sample.economy import DISTRICTS, INDUSTRIES, NEW_AREA_OF, SHORT_FORMS, scale_targets
from pipelines.sample.writing import COLUMNS, SAMPLE_MARKER

KEY = ["year", "period", "unit_code", "industry", "output_district"]
_PLAN = default_plan()
BANDS = tuple(_PLAN.bands.threshold_yi.items())  # (超百亿元, 100.0), … from bands.csv
YEAR_END = _PLAN.periods.label[_PLAN.periods.year_end]  # 1-12月
_RENAME = dict(zip(COLUMNS[:7], ["year", "period", "unit_code", "unit_name", "industry", "reg_district", "output_district"]))


def read_marker(out_dir: Path) -> dict:
    return json.loads((Path(out_dir) / SAMPLE_MARKER).read_text(encoding="utf-8"))


def read_sample(out_dir: Path, *, drop_bad: bool = True) -> pl.DataFrame:
    """All rows of all files (revision included, flagged), value in 万元 as Float64.

    Columns: source_file, source_row (spreadsheet row), is_revision, year, period, unit_code
    (normalised), unit_name, industry, reg_district, output_district, ytd_value_wan, value_text.
    """
    out_dir = Path(out_dir)
    marker = read_marker(out_dir)
    bad = {(b["file"], b["row"]) for b in marker["bad_rows"]}
    aliases = dict(zip(SHORT_FORMS, DISTRICTS)) | {d: d for d in DISTRICTS}
    frames = []
    for info in marker["file_details"]:
        path = out_dir / info["file"]
        if info["format"] == "xlsx":
            df = pl.read_excel(path, sheet_name=info["sheet"], infer_schema_length=0)
        else:
            text = path.read_bytes().decode(info["encoding"])
            df = pl.read_csv(io.StringIO(text), infer_schema=False)
        value_col = next(c for c in df.columns if c.startswith("本年累计产值"))
        factor = {"万元": 1.0, "千元": 0.1, "元": 1e-4, "亿元": 1e4}[info["value_unit"]]
        df = df.select(
            pl.lit(info["file"]).alias("source_file"),
            (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias("source_row"),
            pl.lit(info["is_revision"]).alias("is_revision"),
            *(pl.col(c).alias(n) for c, n in _RENAME.items()),
            pl.col(value_col).cast(pl.String).alias("value_text"),
        )
        frames.append(
            df.with_columns(
                pl.col("year").cast(pl.Float64).cast(pl.Int32),
                pl.col("unit_code").str.replace_all("-", ""),
                pl.col("reg_district").replace(aliases),
                pl.col("output_district").replace(aliases),
                (pl.col("value_text").cast(pl.Float64, strict=False) * factor).alias("ytd_value_wan"),
            )
        )
    rows = pl.concat(frames)
    if drop_bad and bad:
        bad_df = pl.DataFrame(list(bad), schema={"source_file": pl.String, "source_row": pl.Int64}, orient="row")
        rows = rows.join(bad_df, on=["source_file", "source_row"], how="anti")
        # the genuine partner of a conflicting duplicate is rejected as well
        partners = [(b["file"], b["duplicate_of_row"]) for b in marker["bad_rows"] if b["kind"] == "conflicting_duplicate"]
        if partners:
            p = pl.DataFrame(partners, schema={"source_file": pl.String, "source_row": pl.Int64}, orient="row")
            rows = rows.join(p, on=["source_file", "source_row"], how="anti")
    return rows


def apply_revisions(rows: pl.DataFrame) -> pl.DataFrame:
    """Rows of revision files replace the rows of earlier files with the same key."""
    rev = rows.filter("is_revision")
    base = rows.filter(~pl.col("is_revision")).join(rev.select(KEY), on=KEY, how="anti", nulls_equal=True)
    return pl.concat([base, rev])


def attributed(rows: pl.DataFrame) -> pl.DataFrame:
    """Add target_district: counting rule + new areas to their parents (目标口径)."""
    parent = {DISTRICTS[new]: DISTRICTS[p] for p, (new, _) in NEW_AREA_OF.items()}
    where_output = pl.col("industry").is_in(list(_PLAN.industries.counted_where_output))  # 生物 (industries.csv)
    d = pl.when(where_output).then(pl.col("output_district")).otherwise(pl.col("reg_district"))
    return rows.with_columns(target_district=d.replace(parent))


def district_totals(rows: pl.DataFrame) -> pl.DataFrame:
    """1-12月 value (亿元) per year × target district × industry, with targets and completion."""
    annual = attributed(apply_revisions(rows)).filter(pl.col("period") == YEAR_END)
    tot = annual.group_by("year", "target_district", "industry").agg(value_yi=pl.col("ytd_value_wan").sum() / 1e4)
    targets = pl.DataFrame(
        [(y, DISTRICTS[d], ind, float(t)) for (y, ind), ts in scale_targets().items() for d, t in enumerate(ts)],
        schema={"year": pl.Int32, "target_district": pl.String, "industry": pl.String, "target_yi": pl.Float64},
        orient="row",
    )
    out = tot.join(targets, on=["year", "target_district", "industry"], how="full", coalesce=True)
    return out.with_columns(completion=pl.col("value_yi") / pl.col("target_yi")).sort(
        "year", pl.col("industry").replace_strict({k: i for i, k in enumerate(INDUSTRIES)}),
        pl.col("target_district").replace_strict({k: i for i, k in enumerate(DISTRICTS)}, default=99),
    )


def city_totals(rows: pl.DataFrame) -> pl.DataFrame:
    dt = district_totals(rows)
    return (
        dt.group_by("year", "industry")
        .agg(pl.col("value_yi").sum(), pl.when(pl.col("target_yi").is_not_null().any()).then(pl.col("target_yi").sum()))
        .with_columns(completion=pl.col("value_yi") / pl.col("target_yi"))
        .sort("year", pl.col("industry").replace_strict({k: i for i, k in enumerate(INDUSTRIES)}))
    )


def band_targets() -> pl.DataFrame:
    """The plan's band targets (floors) per year × industry, one column 目标<band> per band
    (data/raw/targets/enterprise_band_targets.csv; a band without a target is null)."""
    from pipelines.reference import load_reference
    from pipelines.settings import PROJECT_ROOT

    t = load_reference(PROJECT_ROOT / "data" / "raw" / "targets").band_targets
    return t.group_by("year", "industry").agg(
        *(pl.col("target_floor").filter(pl.col("band") == band).first().cast(pl.Int64).alias(f"目标{band.removesuffix('元')}")
          for band, _ in BANDS)
    ).with_columns(pl.col("year").cast(pl.Int32))


def band_counts(rows: pl.DataFrame) -> pl.DataFrame:
    """Enterprises per year × industry whose 1-12月 value reaches each band (cumulative bands)."""
    annual = apply_revisions(rows).filter(pl.col("period") == YEAR_END)
    ent = annual.group_by("year", "industry", "unit_code").agg(v=pl.col("ytd_value_wan").sum() / 1e4)
    out = ent.group_by("year", "industry").agg(
        *(((pl.col("v") >= t).sum()).alias(name) for name, t in BANDS), enterprises=pl.len()
    )
    tgt = band_targets()
    return out.join(tgt, on=["year", "industry"], how="left").sort(
        "year", pl.col("industry").replace_strict({k: i for i, k in enumerate(INDUSTRIES)})
    )


def summary_text(out_dir: Path) -> str:
    marker = read_marker(out_dir)
    rows = read_sample(out_dir)
    lines = [f"模拟数据 sample in {out_dir}: seed {marker['seed']}, {marker['enterprises']} enterprises, "
             f"years {marker['years']}, formats {marker['formats']}"]
    size = sum((Path(out_dir) / f).stat().st_size for f in marker["files"])
    lines.append(f"{len(marker['files'])} data files, {marker['rows_total']} rows, {size / 1e6:.2f} MB")
    for f in marker["file_details"]:
        extra = f"{f['format']}" + (f" {f['encoding']}" if f["encoding"] else f" sheet {f['sheet']}") + f" {f['value_unit']}"
        lines.append(f"  {f['file']:<24} {f['rows']:>8} rows  {extra}  {'; '.join(f['notes'])}")
    lines.append(f"injected bad rows: {len(marker['bad_rows'])} (rows to be rejected: {marker['expected_rejected_rows']})")
    for b in marker["bad_rows"] + marker["corrected_by_revision"]:
        lines.append(f"  {b['file']} row {b['row']}: {b['kind']} {b['unit_code']}")
    with pl.Config(tbl_rows=200, tbl_cols=20, float_precision=2, tbl_hide_dataframe_shape=True,
                   tbl_hide_column_data_types=True):
        lines.append("city totals at 1-12月 (亿元, counting rule, revisions applied):")
        lines.append(str(city_totals(rows)))
        lines.append("district totals at 1-12月 vs targets (亿元):")
        dt = district_totals(rows).filter(pl.col("year").is_in(list(_PLAN.years.target_years)))
        wide = dt.with_columns(
            cell=pl.format("{} / {} ({}%)", pl.col("value_yi").round(1), pl.col("target_yi").cast(pl.Int64),
                           (pl.col("completion") * 100).round(0).cast(pl.Int64))
        ).pivot(on="industry", index=["year", "target_district"], values="cell")
        lines.append(str(wide))
        lines.append("enterprise bands at 1-12月 (count / target):")
        lines.append(str(band_counts(rows)))
    return "\n".join(lines)

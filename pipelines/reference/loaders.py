"""Load and validate data/raw/targets/*.csv (comment lines start with #)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandera.errors
import pandera.polars as pa
import polars as pl

from pipelines.errors import ReferenceDataError
from pipelines.reference import schemas

# file name → the pandera schema that states its contract
REFERENCE_FILES: dict[str, type[pa.DataFrameModel]] = {
    "scale_targets.csv": schemas.ScaleTargets,
    "combined_targets.csv": schemas.CombinedTargets,
    "enterprise_band_targets.csv": schemas.BandTargets,
    "indicator_register.csv": schemas.IndicatorRegister,
    "districts.csv": schemas.Districts,
    "industries.csv": schemas.Industries,
    "unit_code_allowlist.csv": schemas.UnitCodeAllowlist,
    "confirmed_outliers.csv": schemas.ConfirmedOutliers,
    "bands.csv": schemas.Bands,
    "periods.csv": schemas.Periods,
    "plan_years.csv": schemas.PlanYears,
}
# (file, column(s)) → (dictionary file, column(s)): a value there must be a row of the dictionary,
# so that the industries, bands, periods and target years are stated once (pipelines/plan reads them)
CROSS_FILE_KEYS: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...] = (
    ("scale_targets.csv", ("industry",), "industries.csv", ("industry",)),
    ("enterprise_band_targets.csv", ("industry",), "industries.csv", ("industry",)),
    ("enterprise_band_targets.csv", ("band", "threshold_yi"), "bands.csv", ("band", "threshold_yi")),
    ("enterprise_band_targets.csv", ("year",), "scale_targets.csv", ("year",)),
    ("combined_targets.csv", ("year",), "scale_targets.csv", ("year",)),
    ("indicator_register.csv", ("year",), "scale_targets.csv", ("year",)),
    ("confirmed_outliers.csv", ("industry",), "industries.csv", ("industry",)),
    ("confirmed_outliers.csv", ("period",), "periods.csv", ("period_label",)),
)
# the register's industry may also be 全部 (a target of all three)
ALL_INDUSTRIES = "全部"
# files a deployment may lack (an older targets/ folder): read as empty
OPTIONAL_FILES = {"confirmed_outliers.csv"}


@dataclass(frozen=True)
class Reference:
    scale_targets: pl.DataFrame
    combined_targets: pl.DataFrame
    band_targets: pl.DataFrame
    indicators: pl.DataFrame
    districts: pl.DataFrame
    industries: pl.DataFrame
    unit_code_allowlist: pl.DataFrame
    confirmed_outliers: pl.DataFrame | None = None
    bands: pl.DataFrame | None = None
    periods: pl.DataFrame | None = None
    plan_years: pl.DataFrame | None = None

    @property
    def value_bound_wan(self) -> float:
        """The largest value one enterprise may report, 万元: the whole city's largest annual target of
        any industry in the plan (亿元 × 10,000). No single enterprise can be larger than the city's
        target for its whole industry; a larger value is a keying or unit error unless confirmed."""
        city = self.scale_targets.filter(pl.col("district") == "全市")
        return float(city["target_yi"].max()) * 10_000

    def district_aliases(self) -> dict[str, str]:
        """Every accepted spelling (name and aliases) → the dictionary's district name."""
        mapping = {d: d for d in self.districts["district"]}
        for district, aliases in self.districts.select("district", "aliases").iter_rows():
            for alias in (aliases or "").split("|"):
                if alias:
                    mapping[alias] = district
        return mapping

    def frames(self) -> dict[str, pl.DataFrame]:
        """Tables to load into DuckDB, named ref_<file stem>."""
        return {
            "ref_scale_targets": self.scale_targets,
            "ref_combined_targets": self.combined_targets,
            "ref_band_targets": self.band_targets,
            "ref_indicators": self.indicators,
            "ref_districts": self.districts,
            "ref_industries": self.industries,
            "ref_unit_code_allowlist": self.unit_code_allowlist,
            "ref_confirmed_outliers": self.confirmed_outliers if self.confirmed_outliers is not None
            else pl.DataFrame(schema={"year": pl.Int64, "period": pl.String, "unit_code": pl.String,
                                      "industry": pl.String, "ytd_value_wan": pl.Float64, "reason": pl.String,
                                      "confirmed_by": pl.String, "confirmed_on": pl.String}),
            "ref_bands": self.bands,
            "ref_periods": self.periods,
            "ref_plan_years": self.plan_years,
        }


def _read(path: Path, schema: type[pa.DataFrameModel]) -> pl.DataFrame:
    if not path.is_file() and path.name in OPTIONAL_FILES:
        return schema.validate(pl.DataFrame(schema={c: pl.String for c in schema.to_schema().columns}))
    if not path.is_file():
        raise ReferenceDataError(
            "找不到参考数据文件，请检查 --raw-dir 下的 targets/ 目录",
            f"reference file not found: {path}",
            file=str(path),
        )
    # Codes stay text (leading zeros); everything else is inferred, then coerced by the schema.
    frame = pl.read_csv(
        path,
        comment_prefix="#",
        schema_overrides={c: pl.String for c in ("gb2260_code", "unit_code", "established", "aliases", "confirmed_on")},
    )
    try:
        return schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as err:
        lines = _failure_lines(err.failure_cases, data_line_numbers(path), frame, schema)
        raise ReferenceDataError(
            f"参考数据未通过校验：{lines}",
            f"reference data failed its checks: {lines}",
            file=path.name,
        ) from None


def data_line_numbers(path: Path) -> list[int]:
    """The file's line number (1-based, as an editor shows it) of each data row, in order: comment
    lines (#) and blank lines are skipped by the reader, so a row's position is not its line."""
    numbers = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if line.strip() and not line.lstrip().startswith("#"):
                numbers.append(number)
    return numbers[1:]  # the first is the header


def _failure_lines(cases: pl.DataFrame, line_of: list[int], frame: pl.DataFrame | None = None,
                   schema: type[pa.DataFrameModel] | None = None, limit: int = 10) -> str:
    """'列 target_yi 检查 greater_than(0)：第 38 行（值 -30.0）; …' — each failing row by its line in the file.

    A value that cannot be read as its type makes the checks after it fail with errors of their own
    (no row, an engine message): only the type failure is reported then, as「列 target_yi：第 44 行的值「abc」
    不是数字（Float64）」 (pandera reports it for the whole schema; the column is the one holding the value)."""
    cases = cases.select("column", "check", "failure_case", "index")
    located = cases.filter(pl.col("index").is_not_null())
    if located.height and located.height < cases.height:
        cases = located
    columns = schema.to_schema().columns if schema is not None else {}
    parts = []
    for column, check, value, index in cases.head(limit).iter_rows():
        line = f"第 {line_of[index]} 行" if index is not None and 0 <= index < len(line_of) else "整表"
        holder = _column_holding(frame, index, value) if str(check).startswith("coerce_dtype(") else None
        if holder is not None:
            dtype = str(columns[holder].dtype) if holder in columns else ""
            kind = "整数" if dtype.startswith(("Int", "UInt")) else "数字" if dtype.startswith("Float") else "应有的类型"
            parts.append(f"列 {holder}：{line}的值「{str(value)[:120]}」不是{kind}（{dtype or '?'}）")
            continue
        parts.append(f"列 {column} 检查 {str(check)[:60]}：{line}（值 {str(value)[:120]}）")
    more = cases.height - limit
    return "; ".join(parts) + (f"; 另有 {more} 处 / {more} more" if more > 0 else "")


def _column_holding(frame: pl.DataFrame | None, index: int | None, value) -> str | None:
    """The column of `frame` whose cell at row `index` is `value` (as text), if exactly one is."""
    if frame is None or index is None or not 0 <= index < frame.height:
        return None
    row = frame.row(index, named=True)
    found = [c for c, cell in row.items() if cell is not None and str(cell) == str(value)]
    return found[0] if len(found) == 1 else None


def load_reference(targets_dir: Path) -> Reference:
    """Read every reference file and validate it against its pandera schema."""
    targets_dir = Path(targets_dir)
    if not targets_dir.is_dir():
        raise ReferenceDataError(
            "参考数据目录不存在",
            f"reference data folder does not exist: {targets_dir}",
            file=str(targets_dir),
        )
    frames = {name: _read(targets_dir / name, schema) for name, schema in REFERENCE_FILES.items()}
    failures = _cross_file_failures(frames, targets_dir)
    if failures:
        raise ReferenceDataError(
            f"参考数据前后不一致：{failures}",
            f"reference files disagree: {failures}",
            file=str(targets_dir),
        )
    return Reference(
        scale_targets=frames["scale_targets.csv"],
        combined_targets=frames["combined_targets.csv"],
        band_targets=frames["enterprise_band_targets.csv"],
        indicators=frames["indicator_register.csv"],
        districts=frames["districts.csv"],
        industries=frames["industries.csv"],
        unit_code_allowlist=frames["unit_code_allowlist.csv"],
        confirmed_outliers=frames["confirmed_outliers.csv"],
        bands=frames["bands.csv"],
        periods=frames["periods.csv"],
        plan_years=frames["plan_years.csv"],
    )


def _cross_file_failures(frames: dict[str, pl.DataFrame], targets_dir: Path, limit: int = 10) -> str:
    """'enterprise_band_targets.csv 第 12 行 列 band 值 超千亿元 不在 bands.csv 中; …' — every row naming an
    industry, band, period or year its dictionary file does not hold (empty when none)."""
    parts = []
    for name, cols, dictionary, keys in CROSS_FILE_KEYS:
        frame = frames[name].with_row_index("_row")
        known = frames[dictionary].select(*keys).unique().rename(dict(zip(keys, cols)))
        missing = frame.join(known, on=list(cols), how="anti").sort("_row")
        if missing.height == 0:
            continue
        lines = data_line_numbers(targets_dir / name)
        for row in missing.select("_row", *cols).head(limit).iter_rows():
            value = "/".join(str(v) for v in row[1:])
            parts.append(f"{name} 第 {lines[row[0]]} 行 列 {'/'.join(cols)} 值 {value} 不在 {dictionary} 中")
    register = frames["indicator_register.csv"].with_row_index("_row").filter(
        ~pl.col("industry").is_in(frames["industries.csv"]["industry"].implode()) & (pl.col("industry") != ALL_INDUSTRIES))
    if register.height:
        lines = data_line_numbers(targets_dir / "indicator_register.csv")
        parts += [f"indicator_register.csv 第 {lines[i]} 行 列 industry 值 {v} 不在 industries.csv 中"
                  for i, v in register.select("_row", "industry").head(limit).iter_rows()]
    targets = frames["plan_years.csv"].filter(pl.col("role") == "target").join(
        frames["scale_targets.csv"].select("year").unique(), on="year", how="anti")
    parts += [f"plan_years.csv 目标年 {y} 在 scale_targets.csv 中没有目标" for y in targets["year"]]
    return "; ".join(parts)

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
}
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
        lines = _failure_lines(err.failure_cases, data_line_numbers(path))
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


def _failure_lines(cases: pl.DataFrame, line_of: list[int], limit: int = 10) -> str:
    """'列 target_yi 检查 greater_than(0)：第 38 行（值 -30.0）; …' — each failing row by its line in the file.

    A value that cannot be read as its type makes the checks after it fail with errors of their own
    (no row, an engine message): only the type failure is reported then."""
    cases = cases.select("column", "check", "failure_case", "index")
    located = cases.filter(pl.col("index").is_not_null())
    if located.height and located.height < cases.height:
        cases = located
    parts = []
    for column, check, value, index in cases.head(limit).iter_rows():
        line = f"第 {line_of[index]} 行" if index is not None and 0 <= index < len(line_of) else "整表"
        parts.append(f"列 {column} 检查 {str(check)[:60]}：{line}（值 {str(value)[:120]}）")
    more = cases.height - limit
    return "; ".join(parts) + (f"; 另有 {more} 处 / {more} more" if more > 0 else "")


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
    return Reference(
        scale_targets=frames["scale_targets.csv"],
        combined_targets=frames["combined_targets.csv"],
        band_targets=frames["enterprise_band_targets.csv"],
        indicators=frames["indicator_register.csv"],
        districts=frames["districts.csv"],
        industries=frames["industries.csv"],
        unit_code_allowlist=frames["unit_code_allowlist.csv"],
        confirmed_outliers=frames["confirmed_outliers.csv"],
    )

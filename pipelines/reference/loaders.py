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
}


@dataclass(frozen=True)
class Reference:
    scale_targets: pl.DataFrame
    combined_targets: pl.DataFrame
    band_targets: pl.DataFrame
    indicators: pl.DataFrame
    districts: pl.DataFrame
    industries: pl.DataFrame
    unit_code_allowlist: pl.DataFrame

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
        }


def _read(path: Path, schema: type[pa.DataFrameModel]) -> pl.DataFrame:
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
        schema_overrides={c: pl.String for c in ("gb2260_code", "unit_code", "established", "aliases")},
    )
    try:
        return schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as err:
        cases = err.failure_cases.select("column", "check", "failure_case", "index").head(10)
        lines = "; ".join(
            f"列 {c} 检查 {str(k)[:60]} 值 {v} 行 {'' if i is None else i + 2}" for c, k, v, i in cases.iter_rows()
        )
        raise ReferenceDataError(
            f"参考数据未通过校验：{lines}",
            f"reference data failed its checks: {lines}",
            file=path.name,
        ) from None


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
    )

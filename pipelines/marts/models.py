"""The SQL models of sql/, in dependency order (staging → intermediate → marts)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import SQL_DIR

# Order is the dependency order; each name is the file sql/<layer>/<name>.sql.
MODELS: tuple[tuple[str, str], ...] = (
    ("staging", "stg_output_records"),
    ("staging", "stg_scale_targets"),
    ("staging", "stg_city_targets"),
    ("staging", "stg_enterprise_codes"),
    ("staging", "stg_enterprise_names"),
    ("intermediate", "int_attributed_records"),
    ("intermediate", "int_attributed_facts"),
    ("intermediate", "int_enterprise_codes"),
    ("intermediate", "int_enterprise_names"),
    ("intermediate", "int_attributed_output"),
    ("intermediate", "int_enterprise_records"),
    ("intermediate", "int_periods"),
    ("intermediate", "int_unit_actuals"),
    ("intermediate", "int_city_actuals"),
    ("marts", "mart_attainment"),
    ("marts", "mart_attainment_current"),
    ("marts", "mart_target_gap"),
    ("marts", "mart_period_change"),
    ("marts", "mart_growth_contribution"),
    ("marts", "mart_plan_period"),
    ("marts", "mart_single_quarter"),
    ("marts", "mart_growth_comparable"),
    ("marts", "mart_enterprise_bands"),
    ("marts", "mart_ranking_method"),
    ("marts", "mart_district_ranking"),
    ("marts", "dq_file_summary"),
    ("marts", "dq_quarantine"),
    ("marts", "dq_quarantine_reasons"),
    ("marts", "dq_warnings"),
    ("marts", "dq_replaced_records"),
    ("marts", "dq_publication_gate"),
    ("marts", "mart_provenance"),
    ("marts", "mart_data_status"),
    ("marts", "meta_run"),
)

# Build-time models, never written to the file (besides every stg_ model, a temporary view): the
# attribution with an integer enterprise id, and the narrow copy the enterprise counts read.
TEMPORARY: dict[str, str] = {"int_attributed_records": "temp view", "int_enterprise_records": "temp table"}

# Models stored as views in the file: the record-level table analysts read, over its stored parts.
VIEWS: frozenset[str] = frozenset({"int_attributed_output"})


def storage_kind(name: str) -> str:
    """How a model is created: staging and the TEMPORARY models are build-time scaffolding, never
    written to the file; VIEWS are stored as views; every other model is a table."""
    if name.startswith("stg_"):
        return "temp view"
    if name in VIEWS:
        return "view"
    return TEMPORARY.get(name, "table")


# Blocking checks: each query returns the offending rows; any row stops publication.
CHECKS: dict[str, str] = {
    "districts_sum_to_city": "各区之和等于全市 / districts sum to 全市",
    "targets_sum_to_city": "各区目标之和等于全市目标 / district targets sum to the city targets",
    "attainment_is_finite": "完成进度为有限数 / attainment is finite",
    "counting_rule_holds": "按统计口径归属 / records attributed by the counting rule",
    "row_accounting_holds": "读入 = 接受 + 退回 / rows read = accepted + rejected",
    "publication_gate": "各统计期完整、各文件数值可信 / every period complete and every file plausible",
}

_PARAM = re.compile(r"\$([a-z_]+)")


@dataclass(frozen=True)
class SqlFile:
    name: str
    path: Path

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def params(self, available: dict[str, object]) -> dict[str, object]:
        """Only the bound parameters this file names (DuckDB rejects unused ones)."""
        return {name: available[name] for name in set(_PARAM.findall(self.text))}


def model_files(sql_dir: Path = SQL_DIR) -> list[SqlFile]:
    return [SqlFile(name, sql_dir / layer / f"{name}.sql") for layer, name in MODELS]


def check_files(sql_dir: Path = SQL_DIR) -> list[SqlFile]:
    return [SqlFile(name, sql_dir / "checks" / f"{name}.sql") for name in CHECKS]

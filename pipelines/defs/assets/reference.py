"""Stage 1 — the work plan's reference data (targets, dictionaries, counting rule)."""


import dagster as dg

from pipelines.defs.resources import SzeiPaths
from pipelines.defs.tableschema import frame_schema
from pipelines.reference import Reference, load_reference


@dg.asset(group_name="reference", kinds={"polars", "pandera"})
def reference_data(context: dg.AssetExecutionContext, paths: SzeiPaths) -> dg.Output[Reference]:
    """工作方案参考数据：各区分产业规模目标、重点企业目标、区划与产业字典（pandera 校验）。
    The work plan's targets and dictionaries from data/raw/targets/, validated by their pandera schemas."""
    reference = load_reference(paths.targets_path)
    targets = reference.scale_targets
    last_year = int(targets["year"].max())  # the latest year with targets (2012 in the plan)
    context.log.info(f"参考数据已读入 / reference data read: {len(targets)} 行规模目标 scale-target rows, "
                     f"{len(reference.districts)} 个区 districts, {len(reference.industries)} 个产业 industries")
    return dg.Output(
        reference,
        metadata={
            "targets_dir": dg.MetadataValue.path(str(paths.targets_path)),
            "scale_target_rows": len(targets),
            "last_target_year": last_year,
            "city_targets_last_year_yi": float(
                targets.filter((targets["year"] == last_year) & (targets["district"] == "全市"))["target_yi"].sum()
            ),
            "districts": len(reference.districts),
            "dagster/row_count": len(targets),
            "dagster/column_schema": frame_schema(targets),
        },
    )

"""Stage 4 — the statistical analysis report, rendered from the published marts alone."""


from pathlib import Path

import dagster as dg

from pipelines.defs.resources import SzeiPaths


@dg.asset(group_name="report", kinds={"quarto", "html", "pdf"})
def analysis_report(paths: SzeiPaths, marts_database: str) -> dg.Output[dict[str, str]]:
    """统计分析报告（HTML、PDF、Excel 表格），只读数据集市。
    The bureau's statistical analysis report in Chinese, rendered read-only from the marts."""
    from pipelines.report import render_report  # heavy imports only when the report is built

    outputs = render_report(Path(marts_database), Path(paths.report_dir))
    return dg.Output(
        {kind: str(path) for kind, path in outputs.items()},
        metadata={kind: dg.MetadataValue.path(str(path)) for kind, path in outputs.items()},
    )

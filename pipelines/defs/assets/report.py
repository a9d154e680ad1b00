"""Stage 4 — the statistical analysis report, rendered from the published marts alone."""


from pathlib import Path

import dagster as dg

from pipelines.defs.resources import SzeiPaths


def report_links(outputs: dict[str, Path]) -> dict[str, dg.MetadataValue]:
    """A link (file:// URL, opens in the browser from the UI) and the path of each rendered file."""
    links = {}
    for kind, path in outputs.items():
        path = Path(path).resolve()
        links[kind] = dg.MetadataValue.url(path.as_uri())
        links[f"{kind}_path"] = dg.MetadataValue.path(str(path))
    return links


@dg.asset(group_name="report", kinds={"quarto", "html", "pdf"})
def analysis_report(context: dg.AssetExecutionContext, paths: SzeiPaths, marts_database: str) -> dg.Output[dict[str, str]]:
    """统计分析报告（HTML、PDF、Excel 表格），只读数据集市。
    The bureau's statistical analysis report in Chinese, rendered read-only from the marts."""
    from pipelines.publication import STAGED_SUFFIX, publish_with_report
    from pipelines.report import render_report  # heavy imports only when the report is built

    marts = Path(marts_database)
    if STAGED_SUFFIX in marts.name:  # this run's checked marts, not yet published: both go out together
        outputs = publish_with_report(marts, paths.marts_path, Path(paths.report_dir), context.run.run_id,
                                      render_report)
        context.log.info(f"数据集市与报告一同发布 / marts and report published together: {paths.marts_path}")
    else:  # the published marts (materialized on their own before): the report alone
        outputs = render_report(marts, Path(paths.report_dir))
    for kind, path in outputs.items():
        context.log.info(f"报告已生成 / report written ({kind}): {path}")
    return dg.Output(
        {kind: str(path) for kind, path in outputs.items()},
        metadata=report_links(outputs),
    )

"""Stage 3 — the DuckDB marts: sql/ models run on a new file, checked, then published atomically."""


from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.defs.resources import SzeiPaths
from pipelines.defs.tableschema import duckdb_table_schema
from pipelines.marts import RunParams, build_marts
from pipelines.marts.models import check_descriptions
from pipelines.reference import Reference
from pipelines.sample import SAMPLE_MARKER
from pipelines.validation import OutputBatch

MARTS_CHECKS = [
    dg.AssetCheckSpec(name, asset="marts_database", blocking=True, description=description)
    for name, description in check_descriptions().items()
] + [
    dg.AssetCheckSpec("publication_clean", asset="marts_database",
                      description="发布结果是否干净：整个被拒收或未读取的文件、退回行、分类提示、阻断的统计期（同 szei run 的小结与退出码）"
                                  " / whether the publication is clean (what szei run's summary and exit code say)"),
]


def published_state(marts_db: Path) -> str:
    """Which run the published marts file holds ('run …, built …'), or that there is none yet."""
    if not marts_db.exists():
        return "尚无 / none yet"
    try:
        con = duckdb.connect(str(marts_db), read_only=True)
        try:
            run_id, built_at = con.execute("select run_id, built_at from meta_run").fetchone()
        finally:
            con.close()
    except duckdb.Error as err:
        return f"无法读取 / unreadable: {err}"
    return f"run {run_id}, built {built_at:%Y-%m-%d %H:%M:%S} UTC"


def clean_check(batch, blocked: list[str]) -> dg.AssetCheckResult:
    """The run's summary as a (non-blocking) check: passed only for a clean publication (exit code 0)."""
    from pipelines.outcome import outcome_of, short_summary, summary_lines

    outcome = outcome_of(batch, blocked)
    return dg.AssetCheckResult(
        check_name="publication_clean", passed=outcome.clean, severity=dg.AssetCheckSeverity.WARN,
        description=short_summary(outcome),
        metadata={"exit_code": outcome.exit_code, "summary": dg.MetadataValue.md("\n".join(summary_lines(outcome)))})


def attainment_preview(marts_db: Path) -> str:
    """The latest period's 全市 attainment as a Markdown table, for the Dagster UI."""
    con = duckdb.connect(str(marts_db), read_only=True)
    try:
        rows = con.execute(
            """
            select a.period_label, a.industry, a.actual_yi, a.target_yi, a.attainment, a.schedule_gap_pp, a.year
            from mart_attainment as a
            left join ref_industries as i using (industry)  -- the dictionary's order; 合计 last
            where a.district = '全市'
                and (a.year, a.ytd_months) = (select (latest_year, latest_ytd_months) from meta_run)
            order by i.sort_order nulls last
            """
        ).fetchall()
    finally:
        con.close()
    def fmt(v, f: str) -> str:
        return "" if v is None else format(v, f)

    lines = ["| 期别 | 产业 | 规模（亿元） | 目标（亿元） | 完成进度 | 快慢（个百分点） |", "|---|---|---:|---:|---:|---:|"]
    for label, industry, actual, target, att, gap, year in rows:
        lines.append(
            f"| {year}年{label} | {industry} | {actual:,.2f} | {fmt(target, ',.2f')} | "
            f"{fmt(None if att is None else att * 100, '.1f')}% | {fmt(gap, '+.1f')} |"
        )
    return "\n".join(lines)


def report_in_run(context: dg.AssetExecutionContext) -> bool:
    """Does this run also render the report? (Then the marts wait for it, to be published together.)"""
    selection = context.run.asset_selection  # empty or None: every asset of the job
    if not selection:
        selection = getattr(context.job_def.asset_layer, "executable_asset_keys", None)
    return selection is None or dg.AssetKey("analysis_report") in selection


def check_description(check) -> str:
    """Passed, or what failed: the findings' own messages (period, file, what is missing) when the check
    gives them, else the number of offending rows."""
    if check.passed:
        return f"{check.description}：通过"
    if check.messages:
        return f"{check.description}：" + "；".join(check.messages)
    return f"{check.description}：{check.failing_rows} 行不符"


@dg.asset(group_name="marts", kinds={"duckdb", "sql"}, check_specs=MARTS_CHECKS)
def marts_database(
    context: dg.AssetExecutionContext,
    paths: SzeiPaths,
    reference_data: Reference,
    validated_output: OutputBatch,
):
    """分析用数据集市（DuckDB）：按统计口径归属、目标完成进度、增长、重点企业、排名与数据质量。
    The published marts file; replaced atomically, and only when every blocking check passes."""
    params = RunParams(
        run_id=context.run.run_id,
        built_at=datetime.now(UTC).replace(tzinfo=None),
        is_synthetic=(paths.output_path / SAMPLE_MARKER).exists(),
        szei_version=version("szei"),
        rank_cap=paths.rank_cap,
    )
    def waiting() -> None:
        context.log.warning("另一个运行正在生成数据集市，等待其结束 / another run is building the marts; waiting for it")

    # with the report in the same run, the marts are published together with it (pipelines.publication)
    with_report = report_in_run(context)
    build = build_marts(validated_output, reference_data, paths.marts_path, params, Path(paths.sql_dir),
                        on_wait=waiting, stage=with_report)
    results = [
        dg.AssetCheckResult(
            check_name=check.name,
            passed=check.passed,
            description=check_description(check),
            metadata={"failing_rows": check.failing_rows, "sample": dg.MetadataValue.json(check.sample),
                      "messages": dg.MetadataValue.json(check.messages)},
        )
        for check in build.checks
    ]
    for check in build.checks:
        (context.log.info if check.passed else context.log.error)(
            f"阻断性检查 / blocking check {check.name}: {'通过 passed' if check.passed else f'{check.failing_rows} 行不符 rows fail'}")
    if not (build.published or build.staged):
        context.log.error(f"数据集市未替换；已发布的仍为 / marts not replaced; still published: {published_state(paths.marts_path)}")
        yield from results
        yield clean_check(validated_output, [m for c in build.failed_checks for m in (c.messages or [check_description(c)])])
        failed = "; ".join(check_description(c) for c in build.failed_checks)
        raise dg.Failure(
            description=f"阻断性检查未通过，数据集市与报告均未替换 / blocking checks failed, marts and report not replaced: "
                        f"{failed}",
            metadata={"marts_db": dg.MetadataValue.path(str(paths.marts_path))},
        )
    built = build.staged or paths.marts_path
    schema, rows = duckdb_table_schema(built, "mart_attainment")
    parquet = paths.marts_path.parent / "parquet"
    if build.staged:
        context.log.info(f"数据集市已检查，待与报告一同发布 / marts checked, to be published with the report: {built}")
    else:
        context.log.info(f"数据集市已发布 / marts published: {paths.marts_path} (mart_attainment {rows:,} 行 rows; "
                         f"Parquet: {parquet})")
    try:
        preview = attainment_preview(built)
    except duckdb.Error:  # a preview for the UI never fails a checked build
        preview = ""
    yield dg.Output(
        str(built),
        metadata={
            "dagster/row_count": rows,  # of mart_attainment, the contract's main table
            "dagster/column_schema": schema,
            "marts_db": dg.MetadataValue.path(str(paths.marts_path)),
            "parquet": dg.MetadataValue.path(str(parquet)),
            "published": "与报告一同发布 / published with the report" if build.staged else "已发布 / published",
            "synthetic": params.is_synthetic,
            "attainment_preview": dg.MetadataValue.md(preview),
        },
    )
    yield from results
    yield clean_check(validated_output, [])

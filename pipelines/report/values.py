"""Everything reports/report.qmd prints, read once from the marts for one period: the object `v`.

report.qmd holds the words; this module holds the numbers and the phrases that depend on them
(a growth is '同比增长 12.3%' or '同比下降 4.5%'), the tables and the charts. A plain string is
printed as text by Quarto and by szei's renderer alike (file names cannot become markup); a `Md`
string is Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from pipelines.settings import Settings

from . import analysis_charts, charts, findings, sections, tables
from . import formatting as F
from . import plan_text as P
from .analysis import Analysis
from .data import LABELS, Marts, open_report_data
from .escape import md_text


class Md(str):
    """A string of Markdown: a cell or an inline expression whose value is Md prints it as Markdown."""

    def _repr_markdown_(self) -> str:
        return str(self)


def text(s: object, empty: str = "—") -> Md:
    """Text for the prose, escaped here: every ASCII punctuation character backslash-escaped, so a
    name from an input file (`<img ...>`, `a|b*c`) prints as itself under Quarto and szei's renderer
    alike (Quarto's own escaping of plain strings leaves < and | alone). Never empty: Quarto prints
    an inline expression whose value is empty as the expression itself."""
    s = "" if s is None else str(s)
    return Md(md_text(s if s else empty))


@dataclass(frozen=True)
class Line:
    """One 全市 line of mart_attainment (an industry or 三大产业合计), formatted for the prose."""

    name: Md
    yi: Md               # 规模, 亿元, 2 decimals
    target_yi: Md        # 年度目标, 亿元
    attain: Md           # 完成进度, %, 1 decimal
    time_progress: Md    # 时间进度, %
    growth: Md           # '同比增长 12.3%' / '同比下降 4.5%' / '与上年同期持平' / '无上年同期数据'
    attain_clause: Md    # '完成年度目标（800.00 亿元）的 102.5%，超额完成全年目标' / '本年未设规模目标'
    outlook: Md          # what the second key finding says after the clause, with its full stop

    @property
    def attain_outlook(self) -> Md:
        return Md(self.attain_clause + self.outlook)


def _line(m: Marts, r: dict | None, name: str) -> Line:
    if r is None:
        return Line(text(name), text(""), text(""), text(""), text(""), text(F.growth_phrase(None)),
                    text(findings.attain_clause(None)), text("。"))
    return Line(text(name), text(F.yi(r["actual_yi"])), text(F.yi(r.get("target_yi"))), text(F.pct(r.get("attainment"))),
                text(F.pct(r.get("time_progress"))), text(F.growth_phrase(r.get("yoy_growth"))),
                text(findings.attain_clause(r)), text(findings.total_outlook(m, r)))


def _empty(table: tables.Table, text: str) -> tables.Table:
    table.empty = text
    return table


class Values(SimpleNamespace):
    """The report's values for one period (see the module docstring)."""


def build(m: Marts, today: date | None = None) -> Values:
    p = m.period
    meta = m.meta()
    total = m.attainment_row("全市", "合计")
    inds = [_line(m, r, r["industry"]) for r in findings.industries_by_schedule(m)]
    inds += [_line(m, None, i) for i in m.industries if i not in {x.name for x in inds}]
    rk = m.ranking()
    method = tables._method(m, rk) if rk.height else ""
    band_year, _ = m.bands()
    a = Analysis(m)
    T = {t.number: t for t in tables.all_tables(m, a)}
    quarters = T[6]
    fig = SimpleNamespace(plan=analysis_charts.plan_chart(a), targets=charts.attainment_chart(m),
                          heatmap=charts.heatmap_chart(m), ranking=analysis_charts.ranking_chart(a),
                          quarters=charts.quarter_chart(m))
    for k, f in vars(fig).copy().items():
        setattr(fig, f"{k}_title", text(f.title))
    missing_q = [f"第{'一二三四'[q - 1]}季度" for q in m.single_quarter_gaps()]
    return Values(
        period=SimpleNamespace(title=text(p.title), label=text(p.label), year=p.year, key=p.key),
        title=text(sections.report_name(m)),
        is_synthetic=m.is_synthetic(),
        run_id=text(meta.get("run_id")),
        szei_version=text(meta.get("szei_version")),
        cover=Md(sections.cover_markdown(m, today)),
        total=_line(m, total, "三大产业合计"),
        ind=inds,
        districts_finding=text(findings.districts_finding(m)),
        headings=SimpleNamespace(
            targets=text(findings.heading_targets(m)), districts=text(findings.heading_districts(m)),
            new_areas=text(findings.heading_new_areas(m)), bands=text(findings.heading_bands(m)),
            growth=text(findings.heading_growth(m)), quality=text(findings.heading_quality(m))),
        districts_paragraph=text(findings.district_paragraph(m)),
        # cells, not inline values: these may be empty
        ranking_method_note=Md(md_text(f"排名方法：{method}。") if method else ""),
        ranking_cap_note=text(f"{method}。" if method else "本期无综合排名。"),
        new_area_paragraph=text(findings.new_area_paragraph(m)),
        bands_scope=text(f"（{band_year}年全年）" if band_year else "（暂无数据）"),
        quarters_gap_note=Md(md_text(f"{'、'.join(missing_q)}的上一季度累计数缺失，其单季规模空白。") if missing_q else ""),
        dq_paragraph=text(sections.dq_paragraph(m)),
        warnings=Md(sections.warnings_markdown(m)),
        tables=SimpleNamespace(
            plan=_empty(T[1], "数据集市中没有工作方案期的数据。"), targets=T[2],
            gap=_empty(T[3], "本年未设规模目标，不计算目标差额。"),
            growth=_empty(T[4], "数据集市中没有上年同期数据，暂不计算同比增长（mart\\_growth\\_comparable 为空）。"),
            contribution=_empty(T[5], "数据集市中没有上年同期数据，暂不计算增长贡献。"),
            quarters=_empty(quarters, "数据集市中没有单季数据。"),
            districts=T[7], ranking=T[8],
            new_areas=_empty(T[9], "数据集市未提供现行区划口径数据。"),
            bands=_empty(T[10], "数据集市中暂无全年重点企业规模分组数据（mart\\_enterprise\\_bands 为空）。"),
            files=T[11], reasons=_empty(T[12], "本期无拒收记录。"),
            provenance=_empty(tables.provenance_table(m), "数据集市未提供数据来源记录（mart\\_provenance 为空）。"),
        ),
        charts=fig,
        a=analysis_values(a),
        plan=plan_values(m),
    )


def plan_values(m: Marts) -> SimpleNamespace:
    """The plan's facts as the notes of report.qmd word them (pipelines/report/plan_text.py)."""
    measures = P.band_measures(m)
    return SimpleNamespace(
        document=text(P.document()),
        counting_rule=text(P.counting_rule(m)),
        new_areas_folded=text(P.new_areas_folded(m)),
        new_areas_established=text(P.new_areas_established(m)),
        new_areas_targets=text(P.new_areas_targets(m)),
        new_areas_parents=text("、".join(m.new_areas.values())),
        first_period=text(LABELS[min(LABELS)]),
        year_end=text(P.year_end_label()),
        bands_counted=text(P.bands_counted(m)),
        # never empty (Quarto would print the expression): the plan's other measures, else that there are none
        band_measures=text(f"方案{measures}分档，本数据为产值，见附注。" if measures else "方案各档均按产值分档。"),
    )


# A cell's output sits in a block, where the PDF sets paragraphs without their first-line indent
# (typst/preamble.typ); the analysis' paragraphs are body text, so they carry the indent themselves.
INDENT = "`#h(2em)`{=typst}"


def _paragraphs(parts: list[str]) -> Md:
    """Paragraphs for a cell (any of them may be missing): Markdown-escaped, blank-line separated,
    indented like the body text in the PDF."""
    return Md("\n\n".join(INDENT + md_text(x) for x in parts if x))


def _bullets(parts: list[str]) -> Md:
    return Md("\n".join(f"- {md_text(x)}" for x in parts if x))


def analysis_values(a: Analysis) -> SimpleNamespace:
    """The analysis (analysis.py): inline values via `text`, blocks that may be empty as Md cells."""
    return SimpleNamespace(
        key_findings=_bullets(a.key_findings()),
        plan_heading=text(a.plan_heading()),
        plan_opening=_paragraphs([a.plan_verdict()]),
        gap_heading=text(a.gap_heading()),
        districts_heading=text(a.districts_heading()),
        gap=_paragraphs(a.gap_paragraphs()),
        change=_paragraphs([a.change_paragraph()]),
        contributions=_paragraphs(a.contribution_paragraphs()),
        ranking=_paragraphs(a.ranking_paragraphs()),
        problems=_bullets(a.problems()),
        source=text(a.source_line()),
        notes=SimpleNamespace(
            bands=_paragraphs([a.band_measure_note(), a.qualifier_note()]),
            units=_paragraphs([a.units_note()]),
            status=_paragraphs([a.status_note()]),
            indicators=_paragraphs([a.indicators_note()]),
            combined=_paragraphs([a.combined_target_note()]),
            combined_table=Md(md_text("注：" + a.combined_target_note())),  # a table note: not indented
            method=_paragraphs([a.method_sentence()]),
        ),
        claims=a.claims,
        is_synthetic=a.m.is_synthetic(),
        data_label=text(a.meta.get("data_label") or ""),
    )


def load_values(marts_db: str = "", period: str = "", today: date | None = None) -> Values:
    """`v` for report.qmd: the marts file read once for `period`, the connection closed before the
    report is written. Defaults: the report's parameters (`szei report` sets SZEI_REPORT_MARTS_DB and
    SZEI_REPORT_PERIOD for a Quarto render), else $SZEI_MARTS_DB or data/marts/szei.duckdb and the
    latest period in the marts."""
    settings = Settings.from_env()
    marts_db = marts_db or settings.report_marts_db or settings.marts_db
    m = open_report_data(marts_db, period or settings.report_period)
    try:
        return build(m, today)
    finally:
        m.con.close()

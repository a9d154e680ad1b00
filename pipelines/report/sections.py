"""Markdown blocks of the report that are not tables or findings: cover, data quality, notes (附注)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

import polars as pl

from . import formatting as F
from . import plan_text as P
from .data import LABELS, PERIODS, Marts
from .escape import md_text, typst_markup, typst_str

SYNTHETIC_NOTE = "本报告使用程序生成的模拟数据，仅用于演示统计流程，不代表真实统计结果，不得引用。"


def report_name(m: Marts) -> str:
    """The report's title: it names the plan's industries as the marts hold them (ref_industries, the run's
    own industries.csv)."""
    return P.title(m.industries)


def report_title(m: Marts) -> str:
    return f"{report_name(m)}（{m.period.title}）"


def release_config() -> dict:
    """The `szei:` block of reports/_quarto.yml: release date, next release, publisher, contact.

    Quarto passes unknown top-level keys through as document metadata, so the same file serves
    `quarto render` and szei's renderer; the report's cells read it here.
    """
    import yaml

    from pipelines.settings import REPORTS_DIR

    f = REPORTS_DIR / "_quarto.yml"
    cfg = (yaml.safe_load(f.read_text(encoding="utf-8")) or {}) if f.is_file() else {}
    rel = cfg.get("szei") or {}
    return {k: ("" if v is None else str(v)).strip() for k, v in rel.items()}


def _next_release(m: Marts) -> str:
    nxt = release_config().get("next-release")
    if nxt:
        return nxt
    y, q = m.period.year, m.period.quarter
    ny, nq = (y + 1, 1) if q == 4 else (y, q + 1)
    months = {q: mo for mo, q in PERIODS.quarter.items()}[nq]
    return f"{ny}年{LABELS[months]}（预计于{ny if nq < 4 else ny + 1}年{months % 12 + 1}月中旬）"


BEIJING = timezone(timedelta(hours=8), "北京时间")  # UTC+8 all year: China keeps no summer time


@dataclass(frozen=True)
class Release:
    """The dates a reader is told, all in Beijing time: the report cover and tables.xlsx say the same."""

    release_date: str   # 2013-01-20: the `szei:` block's release-date, else today in Beijing
    next_release: str   # 2013年1-3月（预计于2013年4月中旬）
    built: str          # 2013-01-15 17:00（北京时间）: meta_run.built_at (stored in UTC) in Beijing time
    run_id: str
    publisher: str
    contact: str


def release(m: Marts, today: date | None = None) -> Release:
    meta = m.meta()
    rel = release_config()
    built = meta.get("built_at")
    if built is not None:
        built = built.replace(tzinfo=UTC) if built.tzinfo is None else built
        built = f"{built.astimezone(BEIJING):%Y-%m-%d %H:%M}（北京时间）"
    day = rel.get("release-date") or (today or datetime.now(BEIJING).date()).isoformat()
    return Release(day, _next_release(m), built or "", str(meta.get("run_id", "—")),
                   rel.get("publisher") or "深圳市统计局", rel.get("contact") or "")


def cover_lines(m: Marts, today: date | None = None) -> list[str]:
    r = release(m, today)
    lines = [
        f"发布日期：{r.release_date}",
        f"数据版本：运行编号 {r.run_id}，数据集市生成于 {r.built}" if r.built else f"数据版本：运行编号 {r.run_id}",
        f"下次发布：{r.next_release}",
        # the bureau is credited only for real data: a synthetic report names no publisher or contact
        "编制：szei 统计监测流水线（模拟数据演示，非深圳市统计局发布）" if m.is_synthetic() else
        f"编制：{r.publisher}（由 szei 统计监测流水线自动生成）",
    ]
    if r.contact and not m.is_synthetic():
        lines.append(f"联系方式：{r.contact}")
    return lines


# printed on every PDF page (header and footer), the HTML page's top bar and every source line
SYNTHETIC_LABEL = "模拟数据 · 非真实统计数据"


def cover_markdown(m: Marts, today: date | None = None) -> str:
    """Cover as two raw blocks (Typst and HTML); pandoc keeps the one matching the output format."""
    title = report_title(m)
    title_break = P.title_break(m.industries)  # a Typst line break before 统计分析报告
    synthetic = m.is_synthetic()
    lines = cover_lines(m, today)
    typ_lines = ", ".join(f"[{typst_markup(ln)}]" for ln in lines)
    banner = f"[{typst_markup(SYNTHETIC_LABEL)}]" if synthetic else "none"
    note = f"[{SYNTHETIC_NOTE}]" if synthetic else "none"
    typst = (
        "```{=typst}\n"
        f"#metadata({typst_str(title)}) <szei-report-title>\n"
        + (f"#metadata({typst_str(SYNTHETIC_LABEL)}) <szei-data-label>\n" if synthetic else "")
        + f"#szei-cover(title: [{title_break} \\ （{typst_markup(m.period.title)}）], banner: {banner}, lines: ({typ_lines},), note: {note})\n"
        "```\n"
    )
    h = html.escape
    ban = f'<div class="banner">{h(SYNTHETIC_LABEL)}</div>\n<p><strong>{h(SYNTHETIC_NOTE)}</strong></p>\n' if synthetic else ""
    htm = (
        "```{=html}\n"
        + (f'<div class="synthetic-bar" role="note">{h(SYNTHETIC_LABEL)}</div>\n' if synthetic else "")
        + f'<header class="cover" id="cover">\n{ban}<div class="report-title">{h(report_name(m))}<br>（{h(m.period.title)}）</div>\n'
        + "".join(f"<p>{h(ln)}</p>\n" for ln in lines)
        + "</header>\n```\n"
    )
    return typst + "\n" + htm


def dq_paragraph(m: Marts) -> str:
    fs = m.file_summary()
    if fs.height == 0:
        return "数据集市未提供报送文件记录（dq_file_summary 为空）。"
    n_files = fs.height
    read, acc, rej = (int(fs[c].sum()) for c in ("rows_read", "rows_accepted", "rows_rejected"))
    warned = int(fs["rows_warned"].sum()) if "rows_warned" in fs.columns else 0
    replaced = int(fs["rows_replaced"].sum()) if "rows_replaced" in fs.columns else 0
    revisions = int(fs["is_revision"].sum()) if "is_revision" in fs.columns else 0
    errs = fs.filter(pl.col("file_error").is_not_null()).height if "file_error" in fs.columns else 0
    s = f"共收到报送文件 {n_files} 个，读入记录 {read} 行，接收 {acc} 行，拒收 {rej} 行"
    s += f"（{F.share_phrase(rej / read if read else None)}）。" if rej else "。"
    if revisions:
        s += f"其中修订文件 {revisions} 个，替换原报记录 {replaced} 行。"
    s += f"另有 {warned} 行已接收但需核实（见下文警示）。" if warned else "没有需核实的警示记录。"
    if errs:
        s += f"有 {errs} 个文件整体无法读取，见下表说明。"
    return s + "拒收记录均保留原值和原因，可在数据集市 dq_quarantine 表中查询。"


def warnings_markdown(m: Marts) -> str:
    w = m.warnings_summary()
    if w.height == 0:
        return ""  # dq_paragraph already says there are none
    return "警示（记录已接收，请核实）：\n\n" + "\n".join(f"- {md_text(F.quotes(r['message']))}：{r['rows']} 行" for r in w.iter_rows(named=True))

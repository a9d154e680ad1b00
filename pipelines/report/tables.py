"""The report's tables: built once from the marts, printed as Markdown and written to tables.xlsx."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from . import formatting as F
from . import plan_text as P
from .data import Marts
from .escape import md_text
from .scoring import score_method


@dataclass
class Table:
    number: int
    title: str                      # states the subject; '表1 ...' is added when printed
    columns: list[str]              # headers, unit in brackets
    rows: list[list[str]]           # formatted cells ('' = no data)
    notes: list[str] = field(default_factory=list)
    sheet: str = ""
    empty: str = ""                 # Markdown printed instead of a table without rows

    @property
    def caption(self) -> str:
        return f"表{self.number} {self.title}"

    def to_markdown(self) -> str:
        """The table alone, as a pipe table (its caption and notes are written in report.qmd).
        Every cell is escaped: a file name such as `a|b*c` or `<img ...>` prints as itself."""
        # A header's unit goes on its own line ('规模' / '（亿元）'), so a column is only as wide as its
        # longest part: raw line breaks for each format (a writer drops the other format's raw inline).
        heads = [_split_unit(h) for h in self.columns]
        # Dash counts set relative column widths; a separator longer than pandoc's 72 columns makes
        # the table span the text width (Typst and HTML alike) instead of growing past the margin.
        widths = [max([_width(p) for p in parts] + [_width(r[k]) for r in self.rows] + [4]) + 2
                  for k, parts in enumerate(heads)]
        widths = [min(w, 26) for w in widths]
        dashes = [max(3, round(100 * w / sum(widths))) for w in widths]
        numeric = [k > 0 and sum(_is_number(r[k]) for r in self.rows) * 2 >= max(1, len(self.rows))
                   for k in range(len(self.columns))]
        align = ["-" * (d - 1) + ":" if num else ":" + "-" * (d - 1) for d, num in zip(dashes, numeric)]
        head = [md_text(p[0]) + ("`#linebreak()`{=typst}`<br>`{=html}" + md_text(p[1]) if len(p) > 1 else "")
                for p in heads]
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
        lines += ["| " + " | ".join(md_text(c) for c in r) + " |" for r in self.rows]
        return "\n".join(lines) + "\n"

    def _repr_markdown_(self) -> str:  # a cell whose value is a Table prints it (Quarto and szei alike)
        return self.to_markdown() if self.rows else (self.empty or "（本期无数据）")

    def to_polars(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, schema=self.columns, orient="row")


def _width(s: str) -> int:
    """Display width: CJK characters count two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(s))


def _split_unit(h: str) -> list[str]:
    """'规模（亿元）' -> ['规模', '（亿元）']; a header without a unit stays whole."""
    i = h.find("（")
    return [h[:i], h[i:]] if i > 0 else [h]


def _is_number(s: str) -> bool:
    try:
        float(str(s).replace(",", ""))
        return True
    except ValueError:
        return False


def attainment_table(m: Marts, number: int) -> Table:
    a = m.attainment().filter(pl.col("district") == "全市")
    rows = []
    for ind in m.industries + ["合计"]:
        r = a.filter(pl.col("industry") == ind)
        if r.height == 0:
            continue
        r = r.row(0, named=True)
        rows.append([
            "三大产业合计" if ind == "合计" else ind,
            F.yi(r["actual_yi"]), F.yi(r["target_yi"]), F.pct(r["attainment"]), F.pct(r["time_progress"]),
            F.num(r["schedule_gap_pp"], 1), F.pct(r["yoy_growth"]),
        ])
    return Table(number, f"三大产业规模及目标完成情况（全市，{m.period.title}）",
                 ["产业", "规模（亿元）", "年度目标（亿元）", "完成进度（%）", "时间进度（%）", "快于时间进度（个百分点）", "同比增长（%）"],
                 rows, ["注：完成进度＝本年累计规模÷年度目标；时间进度＝已过月数÷12；负数表示落后时间进度。"], "目标完成")


def district_table(m: Marts, number: int) -> Table:
    a = m.attainment()
    rk = m.ranking()
    ranks = {r["district"]: r for r in rk.iter_rows(named=True)} if rk.height else {}
    rows = []
    for d in m.districts + ["全市"]:
        sub = a.filter(pl.col("district") == d)
        if sub.height == 0:
            continue
        cells = [d]
        for ind in m.industries + ["合计"]:
            r = sub.filter(pl.col("industry") == ind)
            cells.append(F.pct(r["attainment"][0]) if r.height else "")
        rr = ranks.get(d)
        cells += [F.pct(rr["score"]) if rr else "", F.count(rr["rank"]) if rr else ""]
        rows.append(cells)
    notes = [f"注：完成进度为本年累计规模占本区年度目标的百分比；{P.new_areas_folded(m)}（目标口径）。"]
    if rk.height:
        notes.append(f"排名方法：{_method(m, rk)}。")
    return Table(number, f"各区三大产业目标完成进度及排名（{m.period.title}）",
                 ["区", *(f"{i}（%）" for i in m.industries), "合计（%）", "综合得分（%）", "排名"], rows, notes, "各区完成")


def ranking_table(m: Marts, number: int) -> Table:
    """The score (this report's provisional method) beside the combined attainment and its rank."""
    rk = m.ranking()
    rows = []
    for r in rk.iter_rows(named=True):
        change = F.rank_change_short(r["rank"], r["prev_rank"])
        rows.append([F.count(r["rank"]), r["district"], F.pct(r["score"]),
                     *(F.pct(r.get(f"attainment_{en}")) for en in _industry_columns(m)),
                     F.pct(r.get("combined_attainment")), F.count(r.get("combined_rank")), change])
    notes = []
    prev = ""
    if rk.height:
        notes.append(f"注：综合得分为本报告暂行方法（方案未载明考核评分办法）：{_method(m, rk)}。"
                     "合计完成进度＝三大产业合计规模÷合计目标，按目标大小计权。")
        labels = [x for x in rk["prev_period_label"].to_list() if x] if "prev_period_label" in rk.columns else []
        prev = labels[0] if labels else ""
    return Table(number, f"各区综合排名与合计完成进度（{m.period.title}）",
                 ["排名", "区", "综合得分（%）", *(f"{i}（%）" for i in m.industries), "合计完成进度（%）",
                  "合计排名", f"比{prev}" if prev else "名次变化"], rows, notes, "排名")


def _industry_columns(m: Marts) -> list[str]:
    """The English names of the industries in the dictionary's order: mart_district_ranking holds
    attainment_<industry_en> for each (attainment_bio, …)."""
    return [m.industry_en.get(i, i) for i in m.industries]


def _method(m: Marts, rk: pl.DataFrame) -> str:
    """The scoring method in words, without a closing full stop (the note adds its own)."""
    return score_method(m.ranking_method(), rk["cap"][0] if rk.height else None)


def new_area_table(m: Marts, number: int) -> Table:
    c = m.current().filter(pl.col("industry") != "合计") if m.current().height else m.current()
    rows = []
    if c.height:
        present = set(c["district"].to_list())

        def row(name: str, sub: pl.DataFrame) -> list[str]:
            vals = [F.yi(sub.filter(pl.col("industry") == i)["actual_yi"].sum()) for i in m.industries]
            return [name, *vals, F.yi(sub["actual_yi"].sum())]

        for d in m.districts + ["全市"]:
            kids = [n for n, parent in m.new_areas.items() if parent == d and n in present]
            unit = c.filter(pl.col("target_unit") == d) if d != "全市" else c.filter(pl.col("district") == "全市")
            if unit.height == 0:
                continue
            rows.append(row(f"{d}（含{'、'.join(kids)}）" if kids else d, unit))
            for k in kids:
                rows.append(row(f"#{k}", c.filter(pl.col("district") == k)))
                rows.append(row(f"#{d}（不含{k}）", c.filter(pl.col("district") == d)))
    return Table(number, f"新区单列与并入口径三大产业规模（{m.period.title}）",
                 ["区", *(f"{i}（亿元）" for i in m.industries), "合计（亿元）"], rows,
                 [f"注：{P.new_areas_established(m)}，{P.new_areas_targets(m)}（目标口径）；"
                  "“#”行为其中项，单列新区（现行区划）及原区不含新区部分。"], "新区口径")


def bands_table(m: Marts, number: int) -> tuple[int | None, Table]:
    year, b = m.bands()
    rows = []
    for r in b.iter_rows(named=True):
        tgt = "" if r["target"] is None else F.count(r["target"])
        if tgt and r.get("target_stretch") is not None and r["target_stretch"] != r["target"]:
            tgt = f"{tgt}—{F.count(r['target_stretch'])}"
        if tgt and r.get("qualifier") == "左右":
            tgt += "左右"
        elif tgt and r.get("qualifier") in ("力争", "培育"):
            tgt = f"{r['qualifier']} {tgt}"
        status = ""
        if r["target"] is not None:
            status = "达到" if r["enterprises"] >= r["target"] else f"差 {r['target'] - r['enterprises']} 家"
        rows.append([r["industry"], r["band"], F.count(r["enterprises"]), tgt, status])
    order = {i: k for k, i in enumerate(m.industries)}
    bands = P.band_names(m)  # largest first
    rows.sort(key=lambda x: (order.get(x[0], 9), bands.index(x[1]) if x[1] in bands else 9))
    title = f"重点企业规模分组（{year}年全年）" if year else "重点企业规模分组"
    return year, Table(number, title, ["产业", "规模组", "企业数（家）", "规划目标（家）", "对照目标"], rows,
                       [f"注：{P.bands_counted(m)}；目标为区间时按下限判断。"], "重点企业")


def growth_table(m: Marts, number: int) -> Table:
    g = m.growth().filter(pl.col("district") == "全市")
    rows = []
    for ind in m.industries + ["合计"]:
        r = g.filter(pl.col("industry") == ind)
        if r.height == 0:
            continue
        r = r.row(0, named=True)
        rows.append(["三大产业合计" if ind == "合计" else ind, F.yi(r["actual_yi"]), F.yi(r["prior_actual_yi"]),
                     F.pct(r["yoy_growth"]), F.count(r["comparable_enterprises"]), F.pct(r["yoy_growth_comparable"])])
    return Table(number, f"三大产业同比增长（全市，{m.period.title}）",
                 ["产业", "本期（亿元）", "上年同期（亿元）", "同比增长（%）", "可比企业（家）", "可比口径增长（%）"], rows,
                 ["注：可比口径增长按两年均有数据的同一批企业计算；同比增长按上年同期公布数计算。"], "同比增长")


def quarter_table(m: Marts, number: int) -> Table:
    s = m.single_quarter().filter((pl.col("district") == "全市") & (pl.col("year") == m.period.year))
    rows = []
    for q in sorted(set(s["quarter"].to_list())) if s.height else []:
        sub = s.filter(pl.col("quarter") == q)
        # blank where the previous quarter's year-to-date file is missing (quarter_yi is NULL), never 0
        vals = [F.yi(next(iter(sub.filter(pl.col("industry") == i)["quarter_yi"]), None)) for i in m.industries + ["合计"]]
        rows.append([f"第{'一二三四'[q - 1]}季度", *vals])
    return Table(number, f"三大产业单季规模（全市，{m.period.year}年）",
                 ["季度", *(f"{i}（亿元）" for i in m.industries), "合计（亿元）"], rows,
                 ["注：单季规模＝本季末累计数－上季末累计数。"], "单季规模")


def provenance_table(m: Marts) -> Table:
    """Every delivered file the marts were built from (all years: growth and the plan period reach
    back), with its full SHA-256 (units are in the 附注); not numbered."""
    fs = m.file_summary()
    if fs.height:
        fs = fs.filter(pl.col("sha256").is_not_null())
    recs = sorted(fs.iter_rows(named=True), key=lambda r: _file_order(str(r["source_file"])))
    # the hash in groups of 16 hex digits, so that it wraps inside the page instead of running off it
    rows = [[str(r["source_file"]), F.count(r["rows_accepted"]),
             " ".join(str(r["sha256"])[i:i + 16] for i in range(0, len(str(r["sha256"])), 16))]
            for r in recs]
    return Table(0, "数据来源", ["文件", "接收（行）", "SHA-256"], rows, [], "数据来源")


def _file_order(name: str) -> tuple:
    """'2012_1-12月_修订.csv' -> (2012, 12, 1, name): by year, period, then originals before revisions."""
    import re

    mt = re.search(r"(\d{4})\D*?1-(\d{1,2})\s*月", name)
    return (int(mt.group(1)), int(mt.group(2)), "修订" in name, name) if mt else (9999, 99, True, name)


def dq_files_table(m: Marts, number: int) -> Table:
    fs = m.file_summary()
    recs = sorted(fs.iter_rows(named=True), key=lambda r: _file_order(str(r["source_file"])))
    rows = [[r["source_file"], F.count(r["rows_read"]), F.count(r["rows_accepted"]), F.count(r["rows_rejected"]),
             F.count(r.get("rows_replaced") or 0), F.count(r["rows_warned"]),
             F.quotes("；".join(x for x in ["修订文件" if r.get("is_revision") else "", r.get("file_error") or ""] if x))]
            for r in recs]
    return Table(number, "报送文件及记录处理情况",
                 ["文件", "读入（行）", "接收（行）", "拒收（行）", "被修订替换（行）", "警示（行）", "说明"], rows,
                 ["注：读入行数＝接收行数＋拒收行数；被修订替换的记录由其后报送的修订文件中的记录代替；"
                  "拒收记录保留在 dq_quarantine 表中，附原因。"], "报送文件")


def dq_reasons_table(m: Marts, number: int) -> Table:
    r = m.quarantine_reasons()
    rows = [[F.quotes(x["reason"]), F.count(x["rows"])] for x in r.iter_rows(named=True)]
    return Table(number, "拒收原因", ["原因", "记录数（行）"], rows,
                 ["注：一行记录可能有多个拒收原因，故各原因合计可能大于拒收行数。"], "拒收原因")


def all_tables(m: Marts, analysis=None) -> list[Table]:
    """Every table of the report, in the order printed, numbered as printed (tables.xlsx too)."""
    from . import analysis_tables as A
    from .analysis import Analysis

    a = analysis or Analysis(m)
    _, bands = bands_table(m, 10)
    return [A.plan_table(a, 1), attainment_table(m, 2), A.gap_table(a, 3), growth_table(m, 4),
            A.contribution_table(a, 5), quarter_table(m, 6), district_table(m, 7), ranking_table(m, 8),
            new_area_table(m, 9), bands, dq_files_table(m, 11), dq_reasons_table(m, 12)]

"""Altair charts for the report, rendered to static SVG with vl-convert (no JavaScript, no CDN).

Titles state the finding; subtitles give indicator, scope and period. The CJK font is set
explicitly — without it vl-convert falls back to a Japanese CJK font.
"""

from __future__ import annotations

import re

import altair as alt
import polars as pl

from . import formatting as F
from .data import Marts

FONT = "Noto Sans CJK SC"
FOCUS, GREY = "#12436D", "#BFBFBF"
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25"]
WIDTH = 520


def _style(chart: alt.TopLevelMixin, subtitle: str) -> alt.TopLevelMixin:
    """The finding is the figure's caption (report.qmd); the image carries indicator, scope and period."""
    return (
        chart.properties(title=alt.TitleParams(subtitle, anchor="start", fontSize=11, fontWeight="normal",
                                               color="#555"))
        .configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=11, labelFont=FONT, titleFont=FONT)
        .configure_legend(labelFont=FONT, titleFont=FONT)
    )


def to_svg(chart: alt.TopLevelMixin) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_dict())


def to_png(chart: alt.TopLevelMixin | dict, scale: float = 2.0) -> bytes:
    """PNG at 2x for the HTML: the glyphs are drawn here with Noto Sans CJK SC, so the chart looks
    the same on a reader's machine without that font (SVG text would fall back to the reader's fonts)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart if isinstance(chart, dict) else chart.to_dict(), scale=scale)


PHONE_WIDTH = 290  # plot width for a 390 px screen, axes and legend beside it


def narrow(chart: alt.TopLevelMixin) -> dict:
    """The chart's spec with a plot no wider than PHONE_WIDTH (same fonts, so larger on a phone)."""
    spec = chart.to_dict()
    if isinstance(spec.get("width"), (int, float)):
        spec["width"] = min(spec["width"], PHONE_WIDTH)
    t = spec.get("title")
    if isinstance(t, dict) and isinstance(t.get("text"), str):
        spec["title"] = {**t, "text": _lines(t["text"], 24)}  # a long subtitle wraps instead of being cut
    return spec


def _lines(text: str, width: int) -> list[str]:
    """`text` broken after its Chinese commas and semicolons into lines of about `width` characters."""
    parts = [p for p in re.split(r"(?<=[，；])", text) if p]
    lines = [""]
    for p in parts:
        if lines[-1] and len(lines[-1]) + len(p) > width:
            lines.append("")
        lines[-1] += p
    return lines


def title_of(chart: alt.TopLevelMixin) -> str:
    """The chart's title and subtitle as one line (alt text of the image in the HTML)."""
    t = chart.to_dict().get("title") or {}
    if isinstance(t, str):
        return t
    sub = t.get("subtitle") or ""
    return f"{t.get('text', '')}：{sub}" if sub else str(t.get("text", ""))


class Figure:
    """A chart as a cell's value: Markdown holding two raw blocks, one per format — for HTML a 2x PNG
    (glyphs drawn here with Noto Sans CJK SC, so it reads the same without that font), for Typst the
    SVG (vector; Typst embeds the fonts). Markdown, not text/html: Quarto adds require.js and jQuery
    from a CDN to any page with a text/html output, which an offline report cannot load. `title` is
    the finding, the figure's caption in report.qmd."""

    def __init__(self, chart: alt.TopLevelMixin | None, title: str, data: pl.DataFrame | None = None):
        # data: the frame the chart plots; the title's claim is computed from it (tests recompute it)
        self.chart, self.title, self.data = chart, title, data if data is not None else pl.DataFrame()

    def _repr_markdown_(self) -> str:
        if self.chart is None:
            return "（本期无数据）"
        import base64
        import html

        png = base64.b64encode(to_png(self.chart)).decode("ascii")
        phone = base64.b64encode(to_png(narrow(self.chart))).decode("ascii")
        alt_text = html.escape(f"{self.title}：{title_of(self.chart)}", quote=True)
        svg = to_svg(self.chart).replace("\\", "\\\\").replace('"', '\\"')
        # phones get the chart drawn narrower with the same font sizes, so its text stays legible
        return (f'```{{=html}}\n<picture class="szei-chart"><source media="(max-width: 600px)" '
                f'srcset="data:image/png;base64,{phone}"><img src="data:image/png;base64,{png}" alt="{alt_text}">'
                '</picture>\n```\n\n'
                f'```{{=typst}}\n#box(image(bytes("{svg}"), format: "svg", width: 100%))\n```\n')

    def __repr__(self) -> str:
        return self.title


def attainment_chart(m: Marts) -> Figure:
    a = m.attainment().filter((pl.col("district") == "全市") & pl.col("attainment").is_not_null())
    if a.height == 0:
        return Figure(None, "三大产业完成情况")
    order = m.industries + ["合计"]
    df = pl.DataFrame({
        "产业": ["三大产业合计" if i == "合计" else i for i in a["industry"]],
        "完成进度": [float(F.pct(x)) for x in a["attainment"]],
        "标签": [F.pct(x) + "%" for x in a["attainment"]],
        "ahead": ["快于时间进度" if g >= 0 else "落后时间进度" for g in a["schedule_gap_pp"]],
        "ratio": a["attainment"].to_list(), "gap_pp": a["schedule_gap_pp"].to_list(),  # unrounded, for the title
    })
    labels = ["快于时间进度", "落后时间进度"]
    if m.period.ytd_months == 12:  # time progress is 100%: the question is whether the target was met
        labels = ["完成全年目标", "未完成全年目标"]
        df = df.with_columns(ahead=pl.Series([labels[0] if x >= 1 else labels[1] for x in a["attainment"]]))
    sort = ["三大产业合计" if i == "合计" else i for i in order]
    tp = float(F.pct(a["time_progress"][0]))
    base = alt.Chart(df).encode(y=alt.Y("产业:N", sort=sort, title=None))
    bars = base.mark_bar(height=22).encode(
        x=alt.X("完成进度:Q", title="完成年度目标（%）", scale=alt.Scale(domainMin=0)),
        color=alt.Color("ahead:N", scale=alt.Scale(domain=labels, range=[FOCUS, GREY]),
                        legend=alt.Legend(title=None, orient="bottom")),
    )
    text = base.mark_text(align="right", dx=-4, fontSize=11, fontWeight="bold").encode(
        x="完成进度:Q", text="标签:N",
        color=alt.condition(alt.datum.ahead == labels[0], alt.value("white"), alt.value("black")))
    rule = alt.Chart(pl.DataFrame({"tp": [tp], "label": [f"时间进度 {F.pct(a['time_progress'][0])}%"]}))
    line = rule.mark_rule(color="#801650", strokeDash=[4, 3], size=1.5).encode(x="tp:Q")
    lab = rule.mark_text(color="#801650", align="left", dx=4, dy=-6, fontSize=11, baseline="bottom").encode(
        x="tp:Q", y=alt.value(0), text="label:N")
    head = attainment_title(df, m.period.ytd_months == 12, tp)
    return Figure(_style((bars + text + line + lab).properties(width=WIDTH - 90, height=150),
                  f"全市三大产业完成年度目标进度（%），{m.period.title}；虚线为时间进度"), head, df)


def attainment_title(df: pl.DataFrame, year_end: bool, time_progress: float) -> str:
    """From the plotted bars: at the year end which industries reached 100% and the total's
    attainment; before it, the total against time progress."""
    total = df.filter(pl.col("产业") == "三大产业合计")
    if total.height == 0:
        return "三大产业完成情况"
    if year_end:
        done = df.filter((pl.col("产业") != "三大产业合计") & (pl.col("ratio") >= 1))["产业"].to_list()
        return (f"{'、'.join(done)}产业完成全年目标，" if done else "") + f"三大产业合计完成 {total['标签'][0]}"
    return "三大产业" + F.schedule_phrase(total["gap_pp"][0])


def heatmap_title(df: pl.DataFrame, time_progress: float, year_end: bool) -> str:
    """From the plotted cells (their unrounded ratio): how many districts' 合计 reached 100% (year end)
    or time progress (before it)."""
    tot = df.filter(pl.col("产业") == "合计")
    if year_end:
        done = tot.filter(pl.col("ratio") >= 1).height
        return f"{done} 个区完成三大产业合计年度目标" if done else "各区均未完成三大产业合计年度目标"
    behind = tot.filter(pl.col("ratio") < time_progress).height
    if behind == tot.height:
        return "各区合计完成进度均落后于时间进度"
    return f"{behind} 个区合计完成进度落后于时间进度" if behind else "各区合计完成进度均不低于时间进度"


def heatmap_chart(m: Marts) -> Figure:
    a = m.attainment().filter(pl.col("district").is_in(m.districts) & pl.col("attainment").is_not_null())
    if a.height == 0:
        return Figure(None, "各区完成情况")
    df = pl.DataFrame({
        "区": a["district"].to_list(),
        "产业": ["合计" if i == "合计" else i for i in a["industry"]],
        "完成进度": [float(F.pct(x)) for x in a["attainment"]],
        "标签": [F.pct(x) for x in a["attainment"]],
        "ratio": a["attainment"].to_list(),  # unrounded, for the title (a cell at 99.96% has not met 100%)
    })
    tp = float(F.pct(a["time_progress"][0]))
    base = alt.Chart(df).encode(
        x=alt.X("产业:N", sort=m.industries + ["合计"], title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("区:N", sort=m.districts, title=None),
    )
    # diverging colours centred on time progress (100% at the year end): orange behind, blue ahead,
    # symmetric around the centre so equal distances get equal depth; the numbers are printed too
    spread = max(20.0, float((df["完成进度"] - tp).abs().max()))
    rect = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("完成进度:Q", scale=alt.Scale(scheme="blueorange", reverse=True,
                                                      domain=[tp - spread, tp, tp + spread], clamp=True),
                        legend=alt.Legend(title="完成进度（%）", orient="right", gradientLength=160)))
    text = base.mark_text(fontSize=12).encode(
        text="标签:N",
        color=alt.condition(f"abs(datum['完成进度'] - {tp}) > {spread * 0.6}", alt.value("white"), alt.value("black")))
    head = heatmap_title(df, float(a["time_progress"][0]), m.period.ytd_months == 12)
    return Figure(_style((rect + text).properties(width=WIDTH - 170, height=260),
                         f"各区分产业完成年度目标进度（%），{m.period.title}；颜色以时间进度 {F.pct(tp / 100)}% 为中点，"
                         "蓝色快于、橙色落后"), head, df)


def quarter_chart(m: Marts) -> Figure:
    from .analysis_charts import quarter_title

    s = m.single_quarter().filter((pl.col("district") == "全市") & (pl.col("industry") != "合计")
                                  & pl.col("quarter_yi").is_not_null())  # a quarter whose previous one is missing
    if s.height == 0:
        return Figure(None, f"{m.period.year}年三大产业单季规模")
    df = pl.DataFrame({
        "季度": [f"{y}年Q{q}" for y, q in zip(s["year"], s["quarter"])],
        "year": s["year"].to_list(), "quarter": s["quarter"].to_list(),
        "产业": s["industry"].to_list(),
        "规模": [float(F.yi(x)) for x in s["quarter_yi"]],
    })
    order = sorted(set(df["季度"].to_list()))
    chart = alt.Chart(df).mark_line(point=True, strokeWidth=2).encode(
        x=alt.X("季度:N", sort=order, title=None,  # '2012年' over 'Q3': legible when narrow
                axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, '年')")),
        y=alt.Y("规模:Q", title="单季规模（亿元）", scale=alt.Scale(zero=True)),
        color=alt.Color("产业:N", sort=m.industries, scale=alt.Scale(domain=m.industries, range=PALETTE[:3]),
                        legend=alt.Legend(title=None, orient="bottom")),
        strokeDash=alt.StrokeDash("产业:N", sort=m.industries, scale=alt.Scale(domain=m.industries, range=[[1, 0], [6, 3], [2, 2]]),
                                  legend=alt.Legend(title=None, orient="bottom")),
        shape=alt.Shape("产业:N", sort=m.industries, scale=alt.Scale(domain=m.industries), legend=alt.Legend(title=None, orient="bottom")),
    )
    head = quarter_title(df, m.period.year, m.industries)
    return Figure(_style(chart.properties(width=WIDTH - 80, height=220),
                         f"全市分产业单季规模（亿元），{s['year'].min()}年一季度至{m.period.year}年{'一二三四'[m.period.quarter - 1]}季度"),
                  head, df)

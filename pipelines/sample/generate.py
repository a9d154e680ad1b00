"""Seeded generator of synthetic bureau files (模拟数据) in the raw-output contract's format.

`generate_sample(out_dir, seed=2012, enterprises=1500, years=(2010, 2011, 2012))` writes one
file per year and year-to-date period (`2012_1-6月.csv`, …), one revision file
(`<last year>_1-12月_修订.csv`) and the marker `模拟数据.json`. Everything is vectorised
(polars expressions, counter-based random numbers from `_random`): no loop over rows, and
the same seed and size give byte-identical files.

The model
---------
- Enterprises get a primary industry (生物 45 %, 互联网 33 %, 新能源 22 %); 7 % also report a
  second industry (a small line of business). Each industry line has a rank; its annual
  value follows a rank–size curve (log–log interpolation through anchors chosen from the
  plan's enterprise-band targets: a few giants, a long tail of small firms) with noise.
- Districts are allocated on the 2012 values so that each district's total lands on its
  target times a seeded ratio of 0.82–1.22 (some districts ahead, some behind); totals per
  (target district, industry, year) are then rescaled exactly to that intended total.
  2010 is the base year (no targets): city totals 生物 500 (DOMAIN anchor), 互联网 400,
  新能源 560 亿元 (the last two are assumptions), split like the 2011 targets.
- 生物 lines have one to three output districts (one row each), 互联网/新能源 lines fill
  `产值发生地` for about a third of rows, a quarter of those in another district than
  `注册地`. From 2012 some 宝安区 locations report as 龙华新区 and some 龙岗区 as 大鹏新区.
- 7 % of enterprises enter in 2011 or 2012, 6 % stop reporting after 2010 or 2011.
- Quarterly YTD = annual × cumulative seasonal share (≈ 21/24/25/30 % a quarter, noisy per
  enterprise and year): non-decreasing, values in 万元 rounded to 0.1.

Formats (`formats="mixed"`, the default for up to 50,000 enterprises; `"csv"` above that)
------------------------------------------------------------------------------------------
With years (y1, …, yk) — y1 the first, ym = years[len // 2] the middle, yk the last:
- `{y1}_1-12月.csv` is GBK-encoded;
- `{ym}_1-6月.xlsx` is an Excel file, sheet `数据`;
- `{ym}_1-9月.csv` has the value header `本年累计产值（千元）` (values × 10);
- `{yk}_1-3月.csv` is UTF-8 with BOM, its columns in another order plus an extra column
  `备注` (mostly empty);
- `{ym}_1-3月.csv` writes about 2 % of 注册地 in short form (`南山`), which the reader
  normalises (not an error).
  When several of these fall on the same file (one or two years), the earlier rule wins.
With `formats="csv"` every file is plain UTF-8 CSV in 万元.

Injected problems (`bad_rows=True`), all in `{yk}_1-6月.csv`, appended after the genuine
rows in this order (spreadsheet row numbers and codes are listed in the marker under
`bad_rows`):
1. `bad_check_char`   — a fresh unit with a wrong check character in 单位代码;
2. `unknown_district` — a fresh unit whose 注册地 is `南海区` (not a Shenzhen district);
3. `bio_missing_output_district` — a fresh 生物 unit with an empty 产值发生地;
4. `negative_value`   — a fresh unit with a negative value;
5. `non_numeric_value`— a fresh unit whose value is `暂缺`;
6. `exact_duplicate`  — an exact copy of a genuine row of the same file;
7. `conflicting_duplicate` — a copy of another genuine row of the same file with a
   different value (so that genuine row is rejected too).
So 7 rows are added and 8 rows must be rejected (7 + the genuine row of the conflict).
One more error is not rejected but corrected (`corrected_by_revision` in the marker): in
`{yk}_1-12月.csv` one genuine row carries 10 × its value (a 千元/万元 slip); the revision file
puts it right, so after revisions no warning is expected (without the revision it would be
flagged as a possible unit slip). The revision `{yk}_1-12月_修订.csv` (always written) holds 7
rows: that correction plus 6 keys revised by a few per cent.
With `bad_rows=False` nothing is injected; the revision holds the 6 small corrections.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

import polars as pl

from pipelines.errors import SzeiError
from pipelines.sample import _random as rnd
from pipelines.validation.checkcodes import org_code_check_char, uscc_check_char

GENERATOR_VERSION = "1.0.0"
SAMPLE_MARKER = "模拟数据.json"
DEFAULT_ENTERPRISES = 1500
DEFAULT_YEARS = (2010, 2011, 2012)
SUPPORTED_YEARS = (2010, 2011, 2012)
MIXED_FORMATS_MAX_ENTERPRISES = 50_000
XLSX_MAX_ROWS = 1_000_000

INDUSTRIES = ("生物", "互联网", "新能源")
INDUSTRY_SHARE = (0.45, 0.33, 0.22)
SECONDARY_SHARE = 0.07

# The plan's 8 target units (index 0..7) and the two new areas (8, 9) with their parents.
DISTRICTS = ("福田区", "罗湖区", "南山区", "盐田区", "宝安区", "龙岗区", "光明新区", "坪山新区", "龙华新区", "大鹏新区")
SHORT_FORMS = ("福田", "罗湖", "南山", "盐田", "宝安", "龙岗", "光明", "坪山", "龙华", "大鹏")
NEW_AREA_OF = {4: (8, 0.35), 5: (9, 0.12)}  # parent index → (new area index, share from 2012)
NEW_AREA_FROM = 2012

# 深府办〔2010〕98号 十（一）: targets in 亿元, district order as DISTRICTS[:8], read from the
# project's reference data (data/raw/targets/scale_targets.csv) so the numbers live in one place.
@functools.cache
def _scale_targets() -> dict[tuple[int, str], tuple[float, ...]]:
    from pipelines.reference import load_reference
    from pipelines.settings import PROJECT_ROOT

    targets = load_reference(PROJECT_ROOT / "data" / "raw" / "targets").scale_targets
    return {
        (year, industry): tuple(
            float(targets.filter((pl.col("year") == year) & (pl.col("industry") == industry)
                                 & (pl.col("district") == d))["target_yi"].item())
            for d in DISTRICTS[:8]
        )
        for year in (2011, 2012)
        for industry in ("生物", "互联网", "新能源")
    }




def __getattr__(name: str):
    # SCALE_TARGETS is read on first use: importing the module (e.g. for SAMPLE_MARKER on every
    # `szei run`) does not load the reference data
    if name == "SCALE_TARGETS":
        return _scale_targets()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# 2010 base year (no targets): 生物 ≈ 500亿 (DOMAIN anchor); the other two are assumptions.
BASE_YEAR_TOTALS = {"生物": 500.0, "互联网": 400.0, "新能源": 560.0}

# Rank–size anchors (rank, 亿元) per industry and year, from the enterprise-band targets
# (超百亿 / 超十亿 / 超亿 counts). 2010 uses the 2011 curve scaled to the base-year total.
ANCHORS: dict[tuple[str, int], tuple[tuple[int, float], ...]] = {
    ("生物", 2012): ((1, 135.0), (2, 62.0), (8, 26.0), (25, 10.6), (120, 1.05)),
    ("生物", 2011): ((1, 92.0), (2, 48.0), (10, 10.4), (25, 5.0), (80, 1.03)),
    ("互联网", 2012): ((1, 430.0), (2, 118.0), (3, 62.0), (8, 10.8), (30, 1.06)),
    ("互联网", 2011): ((1, 330.0), (2, 92.0), (3, 45.0), (4, 9.0), (11, 1.03)),
    ("新能源", 2012): ((1, 420.0), (2, 250.0), (3, 160.0), (4, 108.0), (5, 32.0), (6, 9.2), (20, 1.06)),
    ("新能源", 2011): ((1, 300.0), (2, 180.0), (3, 128.0), (4, 30.0), (5, 12.0), (6, 7.5), (16, 1.05)),
}
TAIL_END_YI = 0.02  # 200万元: the smallest firm in a bundled-size sample

# Quarterly seasonality (share of the annual value per quarter, before noise).
SEASON = (0.21, 0.24, 0.25, 0.30)
PERIOD_MONTHS = (3, 6, 9, 12)

COLUMNS = ("统计年度", "累计期", "单位代码", "单位名称", "产业类别", "注册地", "产值发生地", "本年累计产值（万元）")
VALUE_WAN = "本年累计产值（万元）"
VALUE_QIAN = "本年累计产值（千元）"

# Synthetic name parts: uncommon brand syllables (no real company's brand can be formed
# from them together with these suffixes is the intent — the data is labelled 模拟数据).
SYLLABLES = tuple(
    "澄翊珩岫沅芃瀚骁琛璟岚霁颀昀晟湛朗弈栩翎钧珏晗玥沣峤铖煦曦禾弘奕"
    "彧熠烨淼垚骞逸韬祺潼澈臻蔚泓楠樾霖朔甯棠桁昶晞翀宸溯璞瑭峥渝岑"
)
NAME_WORDS = {
    "生物": ("生物科技", "生物医药", "医疗器械", "基因科技", "生物工程", "制药", "健康科技", "诊断技术"),
    "互联网": ("网络科技", "信息技术", "互联网科技", "数码科技", "软件", "电子商务", "网络信息", "云计算技术"),
    "新能源": ("新能源科技", "光伏科技", "电池技术", "储能技术", "新能源汽车", "光电科技", "节能科技", "风电科技"),
}

# Random-number streams (any distinct integers).
S_INDUSTRY, S_SECOND, S_SECOND_IND, S_RANK, S_ENTRY, S_EXIT = 1, 2, 3, 4, 5, 6
S_NOISE, S_PARTS, S_PART_W, S_ALLOC, S_HQ, S_HQ_PICK = 10, 11, 12, 13, 14, 15
S_OUT_FILL, S_OUT_SAME, S_OUT_OTHER, S_NEWAREA, S_SEASON, S_FORM = 20, 21, 22, 23, 24, 25
S_NAME, S_CODEFMT, S_RATIO, S_SHORT, S_REVISE, S_PICK = 30, 31, 32, 33, 34, 35

Formats = Literal["auto", "mixed", "csv"]


@dataclass
class _FileSpec:
    name: str
    year: int
    months: int
    fmt: str = "csv"  # csv | xlsx
    encoding: str = "utf-8"  # utf-8 | utf-8-sig | gbk
    value_unit: str = "万元"
    reorder: bool = False
    short_districts: bool = False
    is_revision: bool = False
    rows: int = 0
    sha256: str = ""
    notes: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- public API


def generate_sample(
    out_dir: Path,
    *,
    seed: int = 2012,
    enterprises: int = DEFAULT_ENTERPRISES,
    years: tuple[int, ...] = DEFAULT_YEARS,
    bad_rows: bool = True,
    formats: Formats = "auto",
) -> list[Path]:
    """Write a synthetic sample of bureau files into `out_dir`; return the data files, sorted.

    `formats`: "mixed" (GBK, 千元, .xlsx, BOM variants — see the module docstring), "csv"
    (plain UTF-8 CSV in 万元 only, for benchmarks) or "auto" (mixed up to 50,000
    enterprises). A folder holding data files that a previous sample's marker does not
    list is refused: real bureau files are never overwritten.
    """
    out_dir = Path(out_dir)
    years = tuple(sorted(set(int(y) for y in years)))
    if not years or any(y not in SUPPORTED_YEARS for y in years):
        raise SzeiError(
            f"模拟数据只能生成 2010—2012 年（收到 {list(years)}）",
            f"the sample covers 2010–2012 only (got {list(years)})",
        )
    if enterprises < 10:
        raise SzeiError("企业数至少为 10", "enterprises must be at least 10")
    if formats == "auto":
        formats = "mixed" if enterprises <= MIXED_FORMATS_MAX_ENTERPRISES else "csv"
    if formats not in ("mixed", "csv"):
        raise SzeiError(f"未知的格式选项 {formats!r}", f"unknown formats option {formats!r}")

    _prepare_dir(out_dir)
    model = _build_model(seed, enterprises)
    specs = _file_specs(years, formats)
    marker_bad: list[dict] = []
    marker_warn: list[dict] = []
    written: list[_FileSpec] = []
    last = years[-1]
    revision_frame: pl.DataFrame | None = None

    for year in years:
        base = _year_frame(model, year, seed)
        for months in PERIOD_MONTHS:
            spec = specs[(year, months)]
            frame = _period_frame(base, year, months, seed)
            if year == last and months == 12:
                revision_frame, slip = _revision(frame, seed, with_slip=bad_rows)
                if slip is not None:
                    frame = _apply_slip(frame, slip)
                    marker_warn.append(
                        {
                            "file": spec.name,
                            "row": int(slip["row"]),
                            "kind": "unit_slip_x10",
                            "unit_code": slip["unit_code"],
                            "industry": slip["industry"],
                            "note": "值为正确值的 10 倍（单位误填），由修订文件更正，修订后不应再有警告 / value 10× too high, "
                            "corrected by the revision file (no warning expected after revisions)",
                        }
                    )
            if bad_rows and year == last and months == 6:
                frame, injected = _inject_bad_rows(frame, model, seed, spec.name)
                marker_bad.extend(injected)
            _write(frame, spec, out_dir, seed)
            written.append(spec)

    assert revision_frame is not None
    rev = _FileSpec(name=f"{last}_1-12月_修订.csv", year=last, months=12, is_revision=True)
    _write(revision_frame, rev, out_dir, seed)
    written.append(rev)

    _write_marker(out_dir, seed, enterprises, years, formats, bad_rows, written, marker_bad, marker_warn)
    return sorted(out_dir / s.name for s in written)


# ----------------------------------------------------------------------------- model


def _prepare_dir(out_dir: Path) -> None:
    """Create the folder; remove only the files an earlier sample's marker lists."""
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / SAMPLE_MARKER
    listed: set[str] = set()
    if marker.is_file():
        try:
            listed = set(json.loads(marker.read_text(encoding="utf-8")).get("files", []))
        except (json.JSONDecodeError, OSError) as exc:
            raise SzeiError(f"无法读取标记文件 {marker.name}", f"cannot read marker {marker.name}: {exc}") from exc
    data = [p for p in out_dir.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".xlsx", ".xls")]
    foreign = sorted(p.name for p in data if p.name not in listed)
    if foreign:
        raise SzeiError(
            f"目录 {out_dir} 中已有非模拟数据文件（{', '.join(foreign[:5])}），不会覆盖",
            f"{out_dir} already holds data files not written by the sample generator "
            f"({', '.join(foreign[:5])}); refusing to overwrite",
        )
    for p in data:
        p.unlink()


def _intended_totals(seed: int) -> pl.DataFrame:
    """Intended total (亿元) per (year, target district index, industry): target × ratio."""
    rows = []
    for (year, industry), targets in _scale_targets().items():
        ii = INDUSTRIES.index(industry)
        for d, target in enumerate(targets):
            z = rnd.py_normal(seed, S_RATIO, year * 100 + ii * 10 + d)
            ratio = min(1.22, max(0.82, math.exp(0.10 * z)))
            rows.append((year, d, industry, float(target), ratio, target * ratio))
    for industry, total in BASE_YEAR_TOTALS.items():
        ii = INDUSTRIES.index(industry)
        weights = [
            t * math.exp(0.08 * rnd.py_normal(seed, S_RATIO, 2010 * 100 + ii * 10 + d))
            for d, t in enumerate(_scale_targets()[(2011, industry)])
        ]
        for d, w in enumerate(weights):
            rows.append((2010, d, industry, None, None, total * w / sum(weights)))
    return pl.DataFrame(
        rows,
        schema={
            "year": pl.Int32,
            "target_idx": pl.Int32,
            "industry": pl.String,
            "target_yi": pl.Float64,
            "ratio": pl.Float64,
            "intended_yi": pl.Float64,
        },
        orient="row",
    )


def _build_model(seed: int, n: int) -> dict:
    """Enterprise- and line-level attributes (no year yet)."""
    intended = _intended_totals(seed)
    eid = pl.col("eid")
    ent = pl.DataFrame({"eid": pl.int_range(0, n, dtype=pl.Int64, eager=True)})
    ent = ent.with_columns(
        u_ind=rnd.uniform(eid, seed, S_INDUSTRY),
        u_entry=rnd.uniform(eid, seed, S_ENTRY),
        u_exit=rnd.uniform(eid, seed, S_EXIT),
        u_second=rnd.uniform(eid, seed, S_SECOND),
        u_second_ind=rnd.uniform(eid, seed, S_SECOND_IND),
    ).with_columns(
        ind=pl.when(pl.col("u_ind") < INDUSTRY_SHARE[0])
        .then(0)
        .when(pl.col("u_ind") < INDUSTRY_SHARE[0] + INDUSTRY_SHARE[1])
        .then(1)
        .otherwise(2)
        .cast(pl.Int32),
        start=pl.when(pl.col("u_entry") < 0.035)
        .then(2011)
        .when(pl.col("u_entry") < 0.07)
        .then(2012)
        .otherwise(2010)
        .cast(pl.Int32),
    )
    ent = ent.with_columns(
        last=pl.when((pl.col("u_exit") < 0.03) & (pl.col("start") <= 2010))
        .then(2010)
        .when((pl.col("u_exit") < 0.06) & (pl.col("start") <= 2011))
        .then(2011)
        .otherwise(2012)
        .cast(pl.Int32),
        has_second=pl.col("u_second") < SECONDARY_SHARE,
    )
    ent = ent.with_columns(churn=(pl.col("start") > 2010) | (pl.col("last") < 2012))

    primary = ent.select("eid", "ind", "start", "last", "churn", secondary=pl.lit(False))
    second = ent.filter("has_second").select(
        "eid",
        ind=((pl.col("ind") + 1 + (pl.col("u_second_ind") < 0.5).cast(pl.Int32)) % 3).cast(pl.Int32),
        start="start",
        last="last",
        churn="churn",
        secondary=pl.lit(True),
    )
    lines = pl.concat([primary, second]).with_columns(lid=eid * 4 + pl.col("ind"))
    lid = pl.col("lid")
    # rank within industry: giants are never secondary lines nor entering/exiting firms
    lines = lines.with_columns(
        rank_key=rnd.uniform(lid, seed, S_RANK)
        + (pl.col("secondary") | pl.col("churn")).cast(pl.Float64)
    ).with_columns(
        rank=pl.col("rank_key").rank("ordinal").over("ind").cast(pl.Float64),
        n_ind=pl.len().over("ind").cast(pl.Float64),
    )

    # values per year on the rank-size curve (亿元), before district rescaling
    value_cols = []
    for year in SUPPORTED_YEARS:
        expr = pl.lit(0.0)
        for ii, industry in enumerate(INDUSTRIES):
            expr = pl.when(pl.col("ind") == ii).then(_curve(industry, year, lines, intended)).otherwise(expr)
        noise = (
            rnd.normal(lid * 8 + (year - 2010), seed, S_NOISE)
            * pl.when(pl.col("rank") <= 10).then(0.04).otherwise(0.10)
        ).exp()
        value_cols.append((expr * noise).alias(f"v{year}"))
    lines = lines.with_columns(value_cols)

    parts = _allocate(lines, intended, seed)
    lines = _registration(lines, parts, seed)
    ent = ent.join(lines.filter(~pl.col("secondary")).select("eid", "reg_idx"), on="eid", how="left")
    ent = _identity(ent, seed)
    return {"ent": ent, "lines": lines, "parts": parts, "intended": intended, "n": n}


def _curve(industry: str, year: int, lines: pl.DataFrame, intended: pl.DataFrame) -> pl.Expr:
    """Rank–size value (亿元) for one industry-year, scaled so the city total is intended."""
    ii = INDUSTRIES.index(industry)
    anchors = ANCHORS[(industry, 2011 if year == 2010 else year)]
    total = intended.filter((pl.col("year") == year) & (pl.col("industry") == industry))["intended_yi"].sum()
    if year == 2010:
        total_2011 = intended.filter((pl.col("year") == 2011) & (pl.col("industry") == industry))[
            "intended_yi"
        ].sum()
        anchors = tuple((r, v * total / total_2011) for r, v in anchors)
    n = int(lines.filter(pl.col("ind") == ii).height)
    pts = [(float(r), v) for r, v in anchors if r <= n]
    if n > pts[-1][0]:
        pts.append((float(n), min(TAIL_END_YI, pts[-1][1] / 2)))
    if len(pts) == 1:
        pts.append((pts[0][0] + 1, pts[0][1] / 2))
    r_top = anchors[-1][0]

    rank = pl.col("rank")
    lr = rank.log()
    seg = None
    for (r0, v0), (r1, v1) in zip(pts[:-1], pts[1:]):
        slope = (math.log(v1) - math.log(v0)) / (math.log(r1) - math.log(r0))
        val = (math.log(v0) + slope * (lr - math.log(r0))).exp()
        seg = pl.when(rank <= r1).then(val) if seg is None else seg.when(rank <= r1).then(val)
    curve = seg.otherwise(pl.lit(pts[-1][1]))

    # scale: keep the top (bands) and fit the tail into what is left of the total
    sums = lines.filter(pl.col("ind") == ii).select(
        top=curve.filter(rank <= r_top).sum(), tail=curve.filter(rank > r_top).sum()
    )
    s_top, s_tail = float(sums["top"][0] or 0.0), float(sums["tail"][0] or 0.0)
    budget = max(total - s_top, 0.06 * total)
    f_tail = min(1.0, budget / s_tail) if s_tail > 0 else 1.0
    f_top = (total - s_tail * f_tail) / s_top if s_top > 0 else 1.0
    return pl.when(rank <= r_top).then(curve * f_top).otherwise(curve * f_tail)


def _allocate(lines: pl.DataFrame, intended: pl.DataFrame, seed: int) -> pl.DataFrame:
    """Split lines into parts and give every counted part a district (index 0..7).

    生物 lines get 1–3 output districts; 互联网/新能源 primary lines get their registration
    district (secondary ones follow their enterprise, set later). Allocation: parts in
    descending (noisy) size fill the districts in descending intended total, each part going
    to the district whose cumulative interval holds its midpoint — district totals land near
    the intended ones and giants sit in the large districts.
    """
    lid = pl.col("lid")
    base = lines.select("lid", "eid", "ind", "rank", "secondary", "v2012")
    u2 = rnd.uniform(lid, seed, S_PARTS)
    big = pl.col("rank") <= 30
    bio = base.filter(pl.col("ind") == 0).with_columns(
        n_parts=(
            1
            + (u2 < pl.when(big).then(0.55).otherwise(0.16)).cast(pl.Int32)
            + (u2 < pl.when(big).then(0.25).otherwise(0.04)).cast(pl.Int32)
        )
    )
    w = [pl.lit(1.0), 0.15 + 0.35 * rnd.uniform(lid * 4 + 1, seed, S_PART_W), 0.05 + 0.2 * rnd.uniform(lid * 4 + 2, seed, S_PART_W)]
    bio_parts = pl.concat(
        [bio.filter(pl.col("n_parts") > k).with_columns(part=pl.lit(k, dtype=pl.Int32), w=w[k]) for k in range(3)]
    ).with_columns(share=pl.col("w") / pl.col("w").sum().over("lid"))
    others = base.filter((pl.col("ind") != 0) & ~pl.col("secondary")).with_columns(
        part=pl.lit(0, dtype=pl.Int32), share=pl.lit(1.0)
    )
    items = pl.concat(
        [bio_parts.select("lid", "eid", "ind", "part", "share", "v2012"), others.select("lid", "eid", "ind", "part", "share", "v2012")]
    ).with_columns(value=pl.col("v2012") * pl.col("share"))

    target = intended.filter(pl.col("year") == 2012).select(
        ind=pl.col("industry").replace_strict({k: i for i, k in enumerate(INDUSTRIES)}, return_dtype=pl.Int32),
        target_idx="target_idx",
        intended="intended_yi",
    )
    target = target.sort(["ind", "intended", "target_idx"], descending=[False, True, False]).with_columns(
        start=(pl.col("intended").cum_sum() - pl.col("intended")).over("ind"),
        total=pl.col("intended").sum().over("ind"),
    )
    key = pl.col("lid") * 4 + pl.col("part")
    items = (
        items.with_columns(sort_key=pl.col("value").log() + 0.6 * rnd.normal(key, seed, S_ALLOC))
        .sort(["ind", "sort_key", "lid", "part"], descending=[False, True, False, False])
        .with_columns(scaled=pl.col("value") / pl.col("value").sum().over("ind"))
        .with_columns(mid=(pl.col("scaled").cum_sum() - pl.col("scaled") / 2).over("ind"))
    )
    bounds = target.select("ind", "target_idx", start=pl.col("start") / pl.col("total"))
    items = pl.concat(
        [  # loop over the 3 industries, not rows
            items.filter(pl.col("ind") == ii)
            .sort("mid")
            .join_asof(
                bounds.filter(pl.col("ind") == ii).drop("ind").sort("start"),
                left_on="mid",
                right_on="start",
                strategy="backward",
            )
            for ii in range(len(INDUSTRIES))
        ]
    )
    # two parts of one line in the same district are one part
    parts = (
        items.group_by("lid", "eid", "ind", "target_idx")
        .agg(share=pl.col("share").sum(), part=pl.col("part").min())
        .sort("lid", "part")
        .with_columns(part=pl.col("part").rank("ordinal").over("lid").cast(pl.Int32) - 1)
    )
    return parts


def _registration(lines: pl.DataFrame, parts: pl.DataFrame, seed: int) -> pl.DataFrame:
    """注册地 index per line: allocated for 互联网/新能源 primaries, HQ rule for 生物, enterprise's for secondaries."""
    eid = pl.col("eid")
    main_part = (
        parts.sort(["lid", "share", "target_idx"], descending=[False, True, False])
        .group_by("lid", maintain_order=True)
        .first()
        .select("lid", main_idx="target_idx")
    )
    prim = lines.filter(~pl.col("secondary")).join(main_part, on="lid", how="left")
    u_hq = rnd.uniform(eid, seed, S_HQ)
    u_pick = rnd.uniform(eid, seed, S_HQ_PICK)
    hq = (  # headquarters of bio firms registered elsewhere than their main plant
        pl.when(u_pick < 0.25).then(0).when(u_pick < 0.33).then(1).when(u_pick < 0.75).then(2)
        .when(u_pick < 0.88).then(4).otherwise(5)
    )
    prim = prim.with_columns(
        reg_idx=pl.when((pl.col("ind") == 0) & (u_hq < 0.3)).then(hq).otherwise(pl.col("main_idx")).cast(pl.Int32)
    )
    reg = prim.select("eid", "reg_idx")
    return lines.join(reg, on="eid", how="left")


def _identity(ent: pl.DataFrame, seed: int, name_offset: int | None = None) -> pl.DataFrame:
    """单位代码 (valid check characters via checkcodes) and a synthetic 单位名称 per enterprise."""
    n = ent.height
    eid = pl.col("eid")
    # organisation-code body: a bijection of eid onto 10000000..99999999 (distinct for eid < 9e7)
    mult, span = 7_919_347, 90_000_000
    body_num = (eid * mult + (rnd.splitmix(seed) % span)) % span + 10_000_000
    ent = ent.with_columns(body=body_num.cast(pl.String))
    ent = ent.with_columns(org=pl.col("body") + org_code_check_char(pl.col("body")))
    ent = ent.with_columns(uscc_body=pl.lit("91440300") + pl.col("org"))
    ent = ent.with_columns(uscc=pl.col("uscc_body") + uscc_check_char(pl.col("uscc_body")))
    u_fmt = rnd.uniform(eid, seed, S_CODEFMT)
    ent = ent.with_columns(
        unit_code=pl.when(u_fmt < 0.70)
        .then(pl.col("uscc"))
        .when(u_fmt < 0.88)
        .then(pl.col("org"))
        .otherwise(pl.col("body") + "-" + pl.col("org").str.slice(8, 1))
    )
    # names: brand of 2 syllables (3 when the run is large), unique per industry via a bijection
    k = len(SYLLABLES)
    brand_len = 2 if n <= 25_000 else 3
    combos = k**brand_len * 8
    within = pl.col("eid") if name_offset is not None else pl.col("eid").rank("ordinal").over("ind") - 1
    mixed = (within.cast(pl.Int64) * 104_729 + rnd.splitmix(seed + 1) % combos) % combos
    syl = pl.Series(SYLLABLES)
    brand_parts = []
    rest = mixed
    for _ in range(brand_len):
        brand_parts.append(rest % k)
        rest = rest // k
    ent = ent.with_columns(*(p.alias(f"s{i}") for i, p in enumerate(brand_parts)), word_idx=rest % 8)
    brand = pl.concat_str([pl.col(f"s{i}").map_batches(lambda s: syl.gather(s), return_dtype=pl.String) for i in range(brand_len)])
    word = pl.lit(None, dtype=pl.String)
    for ii, industry in enumerate(INDUSTRIES):
        words = pl.Series(NAME_WORDS[industry])
        word = pl.when(pl.col("ind") == ii).then(
            pl.col("word_idx").map_batches(lambda s, w=words: w.gather(s), return_dtype=pl.String)
        ).otherwise(word)
    u_form = rnd.uniform(eid, seed, S_FORM)
    ent = ent.with_columns(
        unit_name=pl.when(u_form < 0.12)
        .then(pl.lit("深圳") + brand + word + "股份有限公司")
        .when(u_form < 0.20)
        .then(brand + word + "（深圳）有限公司")
        .otherwise(pl.lit("深圳市") + brand + word + "有限公司")
    )
    return ent.select("eid", "ind", "start", "last", "reg_idx", "unit_code", "unit_name")


# ----------------------------------------------------------------------------- per year


def _district_name(idx: pl.Expr, eid: pl.Expr, year: int, seed: int) -> pl.Expr:
    """District name of an old-district index; from 2012 part of 宝安/龙岗 is 龙华/大鹏新区.

    Keyed by (enterprise, district) so a firm's plant and seat in 宝安 move together.
    """
    names = pl.Series(DISTRICTS)
    final = idx
    if year >= NEW_AREA_FROM:
        u = rnd.uniform(eid * 16 + idx, seed, S_NEWAREA)
        final = idx
        for parent, (new_idx, share) in NEW_AREA_OF.items():
            final = pl.when((idx == parent) & (u < share)).then(new_idx).otherwise(final)
    return final.map_batches(lambda s: names.gather(s.cast(pl.Int64)), return_dtype=pl.String)


def _year_frame(model: dict, year: int, seed: int) -> pl.DataFrame:
    """One row per (line, output district) active in `year`, with the annual value in 万元."""
    ent, lines, parts, intended = model["ent"], model["lines"], model["parts"], model["intended"]
    active = lines.filter((pl.col("start") <= year) & (pl.col("last") >= year)).select(
        "lid", "eid", "ind", "reg_idx", "rank", value=pl.col(f"v{year}")
    )
    bio = active.filter(pl.col("ind") == 0).join(parts.select("lid", "target_idx", "share", "part"), on="lid")
    lid = pl.col("lid")
    other = active.filter(pl.col("ind") != 0).with_columns(
        target_idx=pl.col("reg_idx"), share=pl.lit(1.0), part=pl.lit(0, dtype=pl.Int32)
    )
    rows = pl.concat([bio, other.select(bio.columns)]).with_columns(value=pl.col("value") * pl.col("share"))
    # exact district totals: intended (target × ratio) per (target district, industry)
    goal = intended.filter(pl.col("year") == year).select(
        ind=pl.col("industry").replace_strict({k: i for i, k in enumerate(INDUSTRIES)}, return_dtype=pl.Int32),
        target_idx="target_idx",
        goal="intended_yi",
    )
    rows = rows.join(goal, on=["ind", "target_idx"], how="left").with_columns(
        value=pl.col("value") * pl.col("goal") / pl.col("value").sum().over("ind", "target_idx")
    )
    # output district for 互联网/新能源: a third filled, a quarter of those elsewhere
    fill = rnd.uniform(lid, seed, S_OUT_FILL) < 0.35
    same = rnd.uniform(lid, seed, S_OUT_SAME) < 0.75
    other_idx = (pl.col("reg_idx") + 1 + (rnd.uniform(lid, seed, S_OUT_OTHER) * 7).floor().cast(pl.Int32)) % 8
    rows = rows.with_columns(
        out_idx=pl.when(pl.col("ind") == 0)
        .then(pl.col("target_idx"))
        .when(fill & same)
        .then(pl.col("reg_idx"))
        .when(fill)
        .then(other_idx)
        .otherwise(None)
        .cast(pl.Int32)
    )
    rows = rows.join(ent.select("eid", "unit_code", "unit_name"), on="eid", how="left")
    eid = pl.col("eid")
    rows = rows.with_columns(
        reg_district=_district_name(pl.col("reg_idx"), eid, year, seed),
        output_district=_district_name(pl.col("out_idx"), eid, year, seed),
        industry=pl.col("ind").map_batches(lambda s: pl.Series(INDUSTRIES).gather(s.cast(pl.Int64)), return_dtype=pl.String),
        annual_wan=(pl.col("value") * 10_000).clip(lower_bound=1.0),
    )
    # seasonal cumulative shares per line and year
    q = [
        SEASON[k] * (0.15 * rnd.normal(lid * 64 + (year - 2010) * 4 + k, seed, S_SEASON)).exp() for k in range(4)
    ]
    total = q[0] + q[1] + q[2] + q[3]
    rows = rows.with_columns(
        c3=q[0] / total, c6=(q[0] + q[1]) / total, c9=(q[0] + q[1] + q[2]) / total, c12=pl.lit(1.0)
    )
    return rows.sort(["reg_idx", "unit_code", "ind", "out_idx"], nulls_last=True).select(
        "eid",
        "lid",
        "rank",
        "unit_code",
        "unit_name",
        "industry",
        "reg_district",
        "output_district",
        "annual_wan",
        "c3",
        "c6",
        "c9",
        "c12",
    )


def _period_frame(base: pl.DataFrame, year: int, months: int, seed: int) -> pl.DataFrame:
    """The contract's columns for one YTD period; value kept as tenths of 万元 (Int64)."""
    return base.select(
        pl.lit(year, dtype=pl.Int32).alias("统计年度"),
        pl.lit(f"1-{months}月").alias("累计期"),
        pl.col("unit_code").alias("单位代码"),
        pl.col("unit_name").alias("单位名称"),
        pl.col("industry").alias("产业类别"),
        pl.col("reg_district").alias("注册地"),
        pl.col("output_district").alias("产值发生地"),
        (pl.col("annual_wan") * pl.col(f"c{months}") * 10).round(0).cast(pl.Int64).alias("v10"),
        pl.col("lid"),
        pl.col("rank"),
    )


# ----------------------------------------------------------------------------- injections


def _revision(frame: pl.DataFrame, seed: int, *, with_slip: bool) -> tuple[pl.DataFrame, dict | None]:
    """6 keys revised by ±2–8 % (+ the unit-slip key when `with_slip`), from the last 1-12月 frame."""
    picked = (
        frame.with_row_index("row0")
        .filter(pl.col("rank") > 40)  # never touch the band-making giants
        .with_columns(u=rnd.uniform(pl.col("lid") * 8 + pl.col("row0").cast(pl.Int64) % 8, seed, S_REVISE))
        .sort("u")
        .head(7 if with_slip else 6)
    )
    sign = pl.when(rnd.uniform(pl.col("lid"), seed, S_PICK) < 0.5).then(-1.0).otherwise(1.0)
    pct = 0.02 + 0.06 * rnd.uniform(pl.col("lid"), seed, S_PICK + 1)
    revised = picked.head(6).with_columns(v10=(pl.col("v10") * (1 + sign * pct)).round(0).cast(pl.Int64))
    slip = None
    if with_slip:
        s = picked.slice(6, 1)
        revised = pl.concat([revised, s])
        slip = {"row0": int(s["row0"][0]), "row": int(s["row0"][0]) + 2, "unit_code": s["单位代码"][0], "industry": s["产业类别"][0]}
    revised = revised.sort("row0").drop("row0", "u")
    return revised, slip


def _apply_slip(frame: pl.DataFrame, slip: dict) -> pl.DataFrame:
    row0 = slip["row0"]
    idx = pl.int_range(pl.len(), dtype=pl.Int64)
    return frame.with_columns(v10=pl.when(idx == row0).then(pl.col("v10") * 10).otherwise(pl.col("v10")))


def _inject_bad_rows(frame: pl.DataFrame, model: dict, seed: int, file_name: str) -> tuple[pl.DataFrame, list[dict]]:
    """Append the 7 documented bad rows; the value column becomes text (one is non-numeric)."""
    n = model["n"]
    # fresh enterprises with ids beyond the run's: identity through the same code/name rules
    fresh = pl.DataFrame(
        {
            "eid": pl.Series([n + k for k in range(5)], dtype=pl.Int64),
            "ind": pl.Series([1, 2, 0, 0, 1], dtype=pl.Int32),
            "start": pl.Series([2010] * 5, dtype=pl.Int32),
            "last": pl.Series([2012] * 5, dtype=pl.Int32),
            "reg_idx": pl.Series([2, 5, 2, 4, 0], dtype=pl.Int32),
        }
    )
    fresh = _identity(fresh, seed, name_offset=n)
    codes = fresh["unit_code"].to_list()
    names = fresh["unit_name"].to_list()
    # 1: wrong check character (next character of the charset)
    norm = codes[0].replace("-", "")
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY" if len(norm) == 18 else "0123456789X"
    bad_code = codes[0][:-1] + charset[(charset.index(norm[-1]) + 1) % len(charset)]
    year = int(frame["统计年度"][0])
    period = frame["累计期"][0]
    text = _value_text(frame)
    new_rows = [
        (year, period, bad_code, names[0], "互联网", "南山区", None, "1523.4", "bad_check_char"),
        (year, period, codes[1], names[1], "新能源", "南海区", None, "842.0", "unknown_district"),
        (year, period, codes[2], names[2], "生物", "南山区", None, "615.5", "bio_missing_output_district"),
        (year, period, codes[3], names[3], "生物", "宝安区", "宝安区", "-356.0", "negative_value"),
        (year, period, codes[4], names[4], "互联网", "福田区", None, "暂缺", "non_numeric_value"),
    ]
    h = text.height
    dup_exact = text.slice(h // 3, 1)
    dup_conf_src = text.slice(h // 2, 1)
    conf_val = _fmt_tenths(int(frame["v10"][h // 2] * 11 // 10 + 1))
    dup_conf = dup_conf_src.with_columns(pl.lit(conf_val).alias(VALUE_WAN))
    injected_frame = pl.DataFrame(
        [r[:8] for r in new_rows], schema=dict(zip(COLUMNS, [pl.Int32] + [pl.String] * 7)), orient="row"
    )
    out = pl.concat([text, injected_frame, dup_exact, dup_conf])
    first = h + 2  # spreadsheet row of the first appended row
    report = [
        {"file": file_name, "row": first + i, "kind": r[8], "unit_code": r[2], "rejected_rows": 1}
        for i, r in enumerate(new_rows)
    ]
    report.append(
        {"file": file_name, "row": first + 5, "kind": "exact_duplicate", "unit_code": dup_exact["单位代码"][0],
         "duplicate_of_row": h // 3 + 2, "rejected_rows": 1}
    )
    report.append(
        {"file": file_name, "row": first + 6, "kind": "conflicting_duplicate", "unit_code": dup_conf["单位代码"][0],
         "duplicate_of_row": h // 2 + 2, "rejected_rows": 2,
         "note": "两行同键不同值，两行都拒收 / same key, different value: both rows are rejected"}
    )
    return out, report


# ----------------------------------------------------------------------------- writing


def _fmt_tenths(v10: int) -> str:
    sign = "-" if v10 < 0 else ""
    v10 = abs(v10)
    return f"{sign}{v10 // 10}.{v10 % 10}"


def _value_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Contract columns with the value as text: tenths of 万元 written `123.4` (exact, no float repr)."""
    if VALUE_WAN in frame.columns and "v10" not in frame.columns:
        return frame.select(COLUMNS)
    v = pl.col("v10")
    text = (v // 10).cast(pl.String) + "." + (v % 10).cast(pl.String)
    return frame.select(*COLUMNS[:7], text.alias(VALUE_WAN))


def _file_specs(years: tuple[int, ...], formats: str) -> dict[tuple[int, int], _FileSpec]:
    specs = {(y, m): _FileSpec(name=f"{y}_1-{m}月.csv", year=y, months=m) for y in years for m in PERIOD_MONTHS}
    if formats != "mixed":
        return specs
    first, mid, last = years[0], years[len(years) // 2], years[-1]
    taken: set[tuple[int, int]] = set()

    def claim(key: tuple[int, int]) -> _FileSpec | None:
        if key in taken or (key == (last, 6)) or (key == (last, 12)):
            return None  # the bad-rows and revised files stay plain UTF-8 CSV in 万元
        taken.add(key)
        return specs[key]

    if s := claim((first, 12)):
        s.encoding = "gbk"
    if s := claim((mid, 6)):
        s.fmt, s.name = "xlsx", f"{mid}_1-6月.xlsx"
    if s := claim((mid, 9)):
        s.value_unit = "千元"
    if s := claim((last, 3)):
        s.encoding, s.reorder = "utf-8-sig", True
    if s := claim((mid, 3)):
        s.short_districts = True
    return specs


def _write(frame: pl.DataFrame, spec: _FileSpec, out_dir: Path, seed: int) -> None:
    path = out_dir / spec.name
    if spec.fmt == "xlsx" and frame.height > XLSX_MAX_ROWS:
        spec.fmt, spec.name = "csv", spec.name.replace(".xlsx", ".csv")
        spec.notes.append("too many rows for .xlsx: written as CSV")
        path = out_dir / spec.name
    if spec.short_districts and "lid" in frame.columns:
        u = rnd.uniform(pl.col("lid"), seed, S_SHORT)
        short = dict(zip(DISTRICTS, SHORT_FORMS))
        frame = frame.with_columns(
            pl.when(u < 0.02).then(pl.col("注册地").replace_strict(short)).otherwise(pl.col("注册地")).alias("注册地")
        )
        spec.notes.append("about 2 % of 注册地 in short form (e.g. 南山)")
    text = _value_text(frame)
    if spec.value_unit == "千元":
        text = frame.select(*COLUMNS[:7], pl.col("v10").cast(pl.String).alias(VALUE_QIAN))  # tenths of 万元 = 千元
    if spec.reorder:
        text = text.with_columns(
            pl.when(pl.col("单位代码").str.len_chars() == 18).then(pl.lit(None)).otherwise(pl.lit("组织机构代码")).cast(pl.String).alias("备注")
        ).select("单位代码", "单位名称", "统计年度", "累计期", "产业类别", "产值发生地", "注册地", VALUE_WAN, "备注")
        spec.notes.append("columns reordered, extra column 备注")
    spec.rows = text.height
    if spec.fmt == "xlsx":
        _write_xlsx(text, path)
    else:
        data = text.write_csv(include_bom=False)
        if spec.encoding == "gbk":
            raw = data.encode("gbk")
        elif spec.encoding == "utf-8-sig":
            raw = data.encode("utf-8-sig")
        else:
            raw = data.encode("utf-8")
        path.write_bytes(raw)
    spec.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()


def _write_xlsx(text: pl.DataFrame, path: Path) -> None:
    import xlsxwriter

    frame = text.with_columns(pl.col(VALUE_WAN).cast(pl.Float64))
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": "模拟数据", "author": "szei sample", "created": datetime(2012, 7, 10)})
    frame.write_excel(workbook=wb, worksheet="数据", autofit=False, table_style=None)
    wb.close()


def _write_marker(
    out_dir: Path,
    seed: int,
    enterprises: int,
    years: tuple[int, ...],
    formats: str,
    bad_rows: bool,
    written: list[_FileSpec],
    marker_bad: list[dict],
    marker_warn: list[dict],
) -> None:
    files = sorted(written, key=lambda s: s.name)
    marker = {
        "synthetic": True,
        "label": "模拟数据",
        "label_en": "synthetic data",
        "note": "由固定种子生成的模拟数据，企业名称与代码均为虚构，不代表任何真实企业 / "
        "generated from a fixed seed; enterprise names and codes are fictitious",
        "generator": "pipelines.sample",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "enterprises": enterprises,
        "years": list(years),
        "formats": formats,
        "files": [s.name for s in files],
        "file_details": [
            {
                "file": s.name,
                "year": s.year,
                "period": f"1-{s.months}月",
                "format": s.fmt,
                "encoding": s.encoding if s.fmt == "csv" else None,
                "sheet": "数据" if s.fmt == "xlsx" else None,
                "value_unit": s.value_unit,
                "is_revision": s.is_revision,
                "rows": s.rows,
                "sha256": s.sha256,
                "notes": s.notes,
            }
            for s in files
        ],
        "rows_total": sum(s.rows for s in files),
        "bad_rows_injected": bad_rows,
        "bad_rows": marker_bad,
        "expected_rejected_rows": sum(b["rejected_rows"] for b in marker_bad),
        "corrected_by_revision": marker_warn,
    }
    (out_dir / SAMPLE_MARKER).write_text(json.dumps(marker, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

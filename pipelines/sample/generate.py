"""Seeded generator of synthetic bureau files (模拟数据) in the raw-output contract's format.

`generate_sample(out_dir, seed=2012, enterprises=1500, years=(2010, 2011, 2012))` writes one
file per year and year-to-date period (`2012_1-6月.csv`, …), one revision file
(`<last year>_1-12月_修订.csv`) and the marker `模拟数据.json`. Everything is vectorised
(polars expressions, counter-based random numbers from `_random`): no loop over rows, and
the same seed and size give byte-identical files.

The parts: `economy` (parameters: industries, districts, targets, size curves, seasons, random
streams), `model` (the enterprises and their annual values), `periods` (a year's rows and its
year-to-date files), `injections` (the revision, the unit slip, the bad rows), `writing` (formats,
files, the marker); this module puts them together.

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

from pathlib import Path
from typing import Literal

import polars as pl

from pipelines.errors import SzeiError
from pipelines.sample.economy import PERIOD_LABEL, PERIOD_MONTHS, SUPPORTED_YEARS
from pipelines.sample.injections import apply_slip, inject_bad_rows, revision
from pipelines.sample.model import build_model
from pipelines.sample.periods import period_frame, year_frame
from pipelines.sample.writing import GENERATOR_VERSION, SAMPLE_MARKER, FileSpec, file_specs, prepare_dir, write_file, write_marker

__all__ = ["DEFAULT_ENTERPRISES", "GENERATOR_VERSION", "SAMPLE_MARKER", "generate_sample"]
DEFAULT_ENTERPRISES = 1500
DEFAULT_YEARS = SUPPORTED_YEARS  # the plan's years (data/raw/targets/plan_years.csv)
MIXED_FORMATS_MAX_ENTERPRISES = 50_000
Formats = Literal["auto", "mixed", "csv"]


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
            f"模拟数据只能生成 {SUPPORTED_YEARS[0]}—{SUPPORTED_YEARS[-1]} 年（收到 {list(years)}）",
            f"the sample covers {SUPPORTED_YEARS[0]}–{SUPPORTED_YEARS[-1]} only (got {list(years)})",
        )
    if enterprises < 10:
        raise SzeiError("企业数至少为 10", "enterprises must be at least 10")
    if formats == "auto":
        formats = "mixed" if enterprises <= MIXED_FORMATS_MAX_ENTERPRISES else "csv"
    if formats not in ("mixed", "csv"):
        raise SzeiError(f"未知的格式选项 {formats!r}", f"unknown formats option {formats!r}")

    prepare_dir(out_dir)
    model = build_model(seed, enterprises)
    specs = file_specs(years, formats)
    marker_bad: list[dict] = []
    marker_warn: list[dict] = []
    written: list[FileSpec] = []
    last = years[-1]
    revision_frame: pl.DataFrame | None = None

    for year in years:
        base = year_frame(model, year, seed)
        for months in PERIOD_MONTHS:
            spec = specs[(year, months)]
            frame = period_frame(base, year, months, seed)
            if year == last and months == 12:
                revision_frame, slip = revision(frame, seed, with_slip=bad_rows)
                if slip is not None:
                    frame = apply_slip(frame, slip)
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
                frame, injected = inject_bad_rows(frame, model, seed, spec.name)
                marker_bad.extend(injected)
            write_file(frame, spec, out_dir, seed)
            written.append(spec)

    assert revision_frame is not None
    rev = FileSpec(name=f"{last}_{PERIOD_LABEL[12]}_修订.csv", year=last, months=12, is_revision=True)
    write_file(revision_frame, rev, out_dir, seed)
    written.append(rev)

    write_marker(out_dir, seed, enterprises, years, formats, bad_rows, written, marker_bad, marker_warn)
    return sorted(out_dir / s.name for s in written)

"""The synthetic economy's parameters: industries, districts, the plan's targets, size curves,
seasonality, name parts and the random-number streams (see `generate` for the model)."""

from __future__ import annotations

import functools

import polars as pl

from pipelines.plan import default_plan

_PLAN = default_plan()  # the bundled data/raw/targets/, which the sample copies beside its files
SUPPORTED_YEARS = _PLAN.years.plan_years  # the model below is calibrated on the plan's years only
# the plan's base year (no target), its first and its last target year: 2010, 2011, 2012
BASE_YEAR = _PLAN.years.base_year
FIRST_TARGET_YEAR = min(y for y in SUPPORTED_YEARS if y != BASE_YEAR)
LAST_YEAR = _PLAN.years.last_year
INDUSTRIES = _PLAN.industries.names  # 生物, 互联网, 新能源: INDUSTRY_SHARE and NAME_WORDS follow this order
INDUSTRY_SHARE = (0.45, 0.33, 0.22)
SECONDARY_SHARE = 0.07

# The plan's 8 target units (index 0..7) and the two new areas (8, 9) with their parents.
DISTRICTS = (*_PLAN.areas.target_units, *_PLAN.areas.new_areas)
SHORT_FORMS = tuple(d.removesuffix("新区").removesuffix("区") for d in DISTRICTS)  # 福田, …, 光明, …, 龙华
NEW_AREA_SHARE = (0.35, 0.12)  # the share of its parent's locations each new area takes (an assumption)
NEW_AREA_OF = {  # parent index → (new area index, share from the year it may appear)
    DISTRICTS.index(parent): (DISTRICTS.index(new), share)
    for (new, parent), share in zip(_PLAN.areas.new_areas.items(), NEW_AREA_SHARE)
}
NEW_AREA_FROM = min(_PLAN.areas.valid_from.values())


# 深府办〔2010〕98号 十（一）: targets in 亿元, district order as DISTRICTS[:8], read from the
# project's reference data (data/raw/targets/scale_targets.csv) so the numbers live in one place.
@functools.cache
def scale_targets() -> dict[tuple[int, str], tuple[float, ...]]:
    """(year, industry) → the 8 units' targets; read on first call, so that importing the sample
    package (for SAMPLE_MARKER on every `szei run`) does not load the reference data."""
    from pipelines.reference import load_reference
    from pipelines.settings import PROJECT_ROOT

    targets = load_reference(PROJECT_ROOT / "data" / "raw" / "targets").scale_targets
    return {
        (year, industry): tuple(
            float(targets.filter((pl.col("year") == year) & (pl.col("industry") == industry)
                                 & (pl.col("district") == d))["target_yi"].item())
            for d in DISTRICTS[:8]
        )
        for year in _PLAN.years.target_years
        for industry in INDUSTRIES
    }


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
PERIOD_MONTHS = tuple(_PLAN.periods.months.values())  # 3, 6, 9, 12
PERIOD_LABEL = _PLAN.periods.label  # 3 → '1-3月' (the files' 累计期 and their names)

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

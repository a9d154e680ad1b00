"""The enterprises of a sample: industries, ranks, annual values per district, registration,
names and codes — everything decided once per seed and size."""

from __future__ import annotations

import math

import polars as pl

from pipelines.sample import _random as rnd
from pipelines.sample.economy import (
    ANCHORS,
    BASE_YEAR,
    BASE_YEAR_TOTALS,
    FIRST_TARGET_YEAR,
    INDUSTRIES,
    INDUSTRY_SHARE,
    LAST_YEAR,
    NAME_WORDS,
    S_ALLOC,
    S_CODEFMT,
    S_ENTRY,
    S_EXIT,
    S_FORM,
    S_HQ,
    S_HQ_PICK,
    S_INDUSTRY,
    S_NOISE,
    S_PART_W,
    S_PARTS,
    S_RANK,
    S_RATIO,
    S_SECOND,
    S_SECOND_IND,
    SECONDARY_SHARE,
    SUPPORTED_YEARS,
    SYLLABLES,
    TAIL_END_YI,
    scale_targets,
)
from pipelines.validation.checkcodes import org_code_check_char, uscc_check_char


def _intended_totals(seed: int) -> pl.DataFrame:
    """Intended total (亿元) per (year, target district index, industry): target × ratio."""
    rows = []
    for (year, industry), targets in scale_targets().items():
        ii = INDUSTRIES.index(industry)
        for d, target in enumerate(targets):
            z = rnd.py_normal(seed, S_RATIO, year * 100 + ii * 10 + d)
            ratio = min(1.22, max(0.82, math.exp(0.10 * z)))
            rows.append((year, d, industry, float(target), ratio, target * ratio))
    for industry, total in BASE_YEAR_TOTALS.items():
        ii = INDUSTRIES.index(industry)
        weights = [
            t * math.exp(0.08 * rnd.py_normal(seed, S_RATIO, BASE_YEAR * 100 + ii * 10 + d))
            for d, t in enumerate(scale_targets()[(FIRST_TARGET_YEAR, industry)])
        ]
        for d, w in enumerate(weights):
            rows.append((BASE_YEAR, d, industry, None, None, total * w / sum(weights)))
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


def build_model(seed: int, n: int) -> dict:
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
        .then(FIRST_TARGET_YEAR)
        .when(pl.col("u_entry") < 0.07)
        .then(LAST_YEAR)
        .otherwise(BASE_YEAR)
        .cast(pl.Int32),
    )
    ent = ent.with_columns(
        last=pl.when((pl.col("u_exit") < 0.03) & (pl.col("start") <= BASE_YEAR))
        .then(BASE_YEAR)
        .when((pl.col("u_exit") < 0.06) & (pl.col("start") <= FIRST_TARGET_YEAR))
        .then(FIRST_TARGET_YEAR)
        .otherwise(LAST_YEAR)
        .cast(pl.Int32),
        has_second=pl.col("u_second") < SECONDARY_SHARE,
    )
    ent = ent.with_columns(churn=(pl.col("start") > BASE_YEAR) | (pl.col("last") < LAST_YEAR))

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
            rnd.normal(lid * 8 + (year - BASE_YEAR), seed, S_NOISE)
            * pl.when(pl.col("rank") <= 10).then(0.04).otherwise(0.10)
        ).exp()
        value_cols.append((expr * noise).alias(f"v{year}"))
    lines = lines.with_columns(value_cols)

    parts = _allocate(lines, intended, seed)
    lines = _registration(lines, parts, seed)
    ent = ent.join(lines.filter(~pl.col("secondary")).select("eid", "reg_idx"), on="eid", how="left")
    ent = identity(ent, seed)
    return {"ent": ent, "lines": lines, "parts": parts, "intended": intended, "n": n}


def _curve(industry: str, year: int, lines: pl.DataFrame, intended: pl.DataFrame) -> pl.Expr:
    """Rank–size value (亿元) for one industry-year, scaled so the city total is intended."""
    ii = INDUSTRIES.index(industry)
    anchors = ANCHORS[(industry, FIRST_TARGET_YEAR if year == BASE_YEAR else year)]
    total = intended.filter((pl.col("year") == year) & (pl.col("industry") == industry))["intended_yi"].sum()
    if year == BASE_YEAR:
        total_first = intended.filter((pl.col("year") == FIRST_TARGET_YEAR) & (pl.col("industry") == industry))[
            "intended_yi"
        ].sum()
        anchors = tuple((r, v * total / total_first) for r, v in anchors)
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
    base = lines.select("lid", "eid", "ind", "rank", "secondary", f"v{LAST_YEAR}")
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
    last = f"v{LAST_YEAR}"  # the last year's values place the lines
    items = pl.concat(
        [bio_parts.select("lid", "eid", "ind", "part", "share", last), others.select("lid", "eid", "ind", "part", "share", last)]
    ).with_columns(value=pl.col(last) * pl.col("share"))

    target = intended.filter(pl.col("year") == LAST_YEAR).select(
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


def identity(ent: pl.DataFrame, seed: int, name_offset: int | None = None) -> pl.DataFrame:
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

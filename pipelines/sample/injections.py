"""What a sample gets wrong on purpose: the revision file, a unit slip it corrects, and the
injected bad rows (listed in the marker)."""

from __future__ import annotations

import polars as pl

from pipelines.sample import _random as rnd
from pipelines.sample.economy import (
    BASE_YEAR,
    LAST_YEAR,
    S_PICK,
    S_REVISE,
)
from pipelines.sample.model import identity
from pipelines.sample.writing import COLUMNS, VALUE_WAN, fmt_tenths, value_text


def revision(frame: pl.DataFrame, seed: int, *, with_slip: bool) -> tuple[pl.DataFrame, dict | None]:
    """6 keys revised by ±2–8 % (+ the unit-slip key when `with_slip`), from the last 1-12月 frame."""
    picked = (
        frame.with_row_index("row0")
        .with_columns(u=rnd.uniform(pl.col("lid") * 8 + pl.col("row0").cast(pl.Int64) % 8, seed, S_REVISE))
        # the band-making giants (rank ≤ 40) last: touched only when a small sample has too few others
        .sort(pl.col("rank") <= 40, "u")
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


def apply_slip(frame: pl.DataFrame, slip: dict) -> pl.DataFrame:
    row0 = slip["row0"]
    idx = pl.int_range(pl.len(), dtype=pl.Int64)
    return frame.with_columns(v10=pl.when(idx == row0).then(pl.col("v10") * 10).otherwise(pl.col("v10")))


def inject_bad_rows(frame: pl.DataFrame, model: dict, seed: int, file_name: str) -> tuple[pl.DataFrame, list[dict]]:
    """Append the 7 documented bad rows; the value column becomes text (one is non-numeric)."""
    n = model["n"]
    # fresh enterprises with ids beyond the run's: identity through the same code/name rules
    fresh = pl.DataFrame(
        {
            "eid": pl.Series([n + k for k in range(5)], dtype=pl.Int64),
            "ind": pl.Series([1, 2, 0, 0, 1], dtype=pl.Int32),
            "start": pl.Series([BASE_YEAR] * 5, dtype=pl.Int32),
            "last": pl.Series([LAST_YEAR] * 5, dtype=pl.Int32),
            "reg_idx": pl.Series([2, 5, 2, 4, 0], dtype=pl.Int32),
        }
    )
    fresh = identity(fresh, seed, name_offset=n)
    codes = fresh["unit_code"].to_list()
    names = fresh["unit_name"].to_list()
    # 1: wrong check character (next character of the charset)
    norm = codes[0].replace("-", "")
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY" if len(norm) == 18 else "0123456789X"
    bad_code = codes[0][:-1] + charset[(charset.index(norm[-1]) + 1) % len(charset)]
    year = int(frame["统计年度"][0])
    period = frame["累计期"][0]
    text = value_text(frame)
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
    conf_val = fmt_tenths(int(frame["v10"][h // 2] * 11 // 10 + 1))
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

"""The size bands (重点企业规模分档), largest first, with their thresholds in 亿元 (bands.csv)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Bands:
    names: tuple[str, ...]              # 超百亿元, 超十亿元, 超亿元
    threshold_yi: dict[str, float]      # an annual value reaching it counts in the band (cumulative)

    @classmethod
    def from_frame(cls, frame: pl.DataFrame) -> Bands:
        f = frame.sort("sort_order")
        names = tuple(f["band"])
        return cls(names, dict(zip(names, f["threshold_yi"].cast(pl.Float64))))

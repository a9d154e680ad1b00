"""The target units and the new areas (新区) that count toward one of them (districts.csv)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Areas:
    target_units: tuple[str, ...]     # the plan's 8 units, in the dictionary's order
    new_areas: dict[str, str]         # 龙华新区 → 宝安区: set up after the plan's first year, counted toward it
    established: dict[str, str]       # new area → the date it was set up ('2011-12-30')
    valid_from: dict[str, int]        # new area → the first year bureau data may name it

    @classmethod
    def from_frame(cls, districts: pl.DataFrame, first_year: int) -> Areas:
        d = districts.sort("sort_order")
        units = tuple(d.filter(pl.col("is_target_unit"))["district"])
        new = d.filter(~pl.col("is_target_unit") & (pl.col("valid_from_year") > first_year))
        return cls(units, dict(zip(new["district"], new["target_unit"])),
                   {k: v for k, v in zip(new["district"], new["established"]) if v},
                   dict(zip(new["district"], new["valid_from_year"])))

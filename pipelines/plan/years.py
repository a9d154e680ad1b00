"""The plan's years (plan_years.csv: base year and its own target years) and the years with targets
(scale_targets.csv: the plan's, and any later year whose targets are added there)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Years:
    base_year: int                      # 2010: the year the plan starts from, no target
    plan_years: tuple[int, ...]         # 2010, 2011, 2012: the plan's span
    target_years: tuple[int, ...]       # every year with scale targets

    @classmethod
    def from_frames(cls, plan_years: pl.DataFrame, scale_targets: pl.DataFrame) -> Years:
        base = int(plan_years.filter(pl.col("role") == "base")["year"][0])
        return cls(base, tuple(sorted(plan_years["year"])), tuple(sorted(scale_targets["year"].unique())))

    @property
    def first_year(self) -> int:
        return self.plan_years[0]

    @property
    def last_year(self) -> int:
        return self.plan_years[-1]

    @property
    def span(self) -> str:
        """'2010—2012' (the plan's title writes its years so)."""
        return f"{self.first_year}—{self.last_year}"

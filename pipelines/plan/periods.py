"""The year-to-date reporting periods (累计期 1-3月 … 1-12月), their months and quarters (periods.csv)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Periods:
    months: dict[str, int]      # '1-3月' → 3, in order
    quarter: dict[int, int]     # ytd months → the quarter the period ends

    @classmethod
    def from_frame(cls, frame: pl.DataFrame) -> Periods:
        f = frame.sort("ytd_months")
        return cls(dict(zip(f["period_label"], f["ytd_months"])), dict(zip(f["ytd_months"], f["quarter"])))

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.months)

    @property
    def label(self) -> dict[int, str]:
        """3 → '1-3月'."""
        return {m: label for label, m in self.months.items()}

    @property
    def year_end(self) -> int:
        """The months of the last period of a year (12: 1-12月, the annual value)."""
        return max(self.months.values())

    def listed(self) -> str:
        """'1-3月、1-6月、1-9月 或 1-12月'."""
        labels = self.labels
        return "、".join(labels[:-1]) + " 或 " + labels[-1] if len(labels) > 1 else labels[0]

"""The plan's industries in their order, with the counting rule (统计口径) of each (industries.csv)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Industries:
    names: tuple[str, ...]          # 生物, 互联网, 新能源 — the dictionary's order (sort_order)
    english: dict[str, str]         # 生物 → bio: the suffix of per-industry column names
    counting_rule: dict[str, str]   # output (产值发生地) | registration (企业注册地)
    counting_rule_zh: dict[str, str]

    @classmethod
    def from_frame(cls, frame: pl.DataFrame) -> Industries:
        f = frame.sort("sort_order")
        names = tuple(f["industry"])
        return cls(names, dict(zip(names, f["industry_en"])), dict(zip(names, f["counting_rule"])),
                   dict(zip(names, f["counting_rule_zh"])))

    @property
    def counted_where_output(self) -> tuple[str, ...]:
        """Industries counted where the output occurs: their records need 产值发生地."""
        return tuple(i for i in self.names if self.counting_rule[i] == "output")

    def aliases(self) -> dict[str, str]:
        """Accepted spellings → the dictionary name: the name, name + 产业, the English name with _,
        a space or nothing between its words (new_energy, new energy, newenergy)."""
        mapping = {i: i for i in self.names} | {f"{i}产业": i for i in self.names}
        for name, en in self.english.items():
            for spelling in (en, en.replace("_", " "), en.replace("_", "")):
                mapping[spelling] = name
        return mapping

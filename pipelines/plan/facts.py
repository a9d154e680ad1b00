"""The plan as one object: everything it fixes, read from data/raw/targets/ (never restated in code)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipelines.plan.areas import Areas
from pipelines.plan.bands import Bands
from pipelines.plan.industries import Industries
from pipelines.plan.periods import Periods
from pipelines.plan.years import Years
from pipelines.reference import Reference, load_reference


@dataclass(frozen=True)
class Plan:
    industries: Industries
    bands: Bands
    periods: Periods
    years: Years
    areas: Areas

    @classmethod
    def from_reference(cls, ref: Reference) -> Plan:
        years = Years.from_frames(ref.plan_years, ref.scale_targets)
        return cls(Industries.from_frame(ref.industries), Bands.from_frame(ref.bands),
                   Periods.from_frame(ref.periods), years, Areas.from_frame(ref.districts, years.first_year))


def load_plan(targets_dir: Path) -> Plan:
    return Plan.from_reference(load_reference(targets_dir))


@lru_cache(maxsize=1)
def default_plan() -> Plan:
    """The plan of the bundled data/raw/targets/, for what must be known before any raw folder is read
    (the sample generator, which copies that folder; the static contracts). A run reads the plan of
    its own folder (`load_plan`)."""
    from pipelines.settings import PROJECT_ROOT

    return load_plan(PROJECT_ROOT / "data" / "raw" / "targets")

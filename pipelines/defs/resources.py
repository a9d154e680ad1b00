"""Where the pipeline reads and writes: one resource, defaults from the environment."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipelines.settings import RANK_CAP, SQL_DIR, Settings


class SzeiPaths(dg.ConfigurableResource):
    """Folders and files of one deployment (raw inputs, published marts, rendered report)."""

    raw_dir: str
    marts_db: str
    report_dir: str
    sql_dir: str = str(SQL_DIR)
    rank_cap: float = RANK_CAP

    @classmethod
    def from_settings(cls, settings: Settings, **overrides) -> SzeiPaths:
        return cls(
            raw_dir=str(settings.raw_dir),
            marts_db=str(settings.marts_db),
            report_dir=str(settings.report_dir),
            rank_cap=settings.rank_cap,
            **overrides,
        )

    @property
    def targets_path(self) -> Path:
        return Path(self.raw_dir) / "targets"

    @property
    def output_path(self) -> Path:
        return Path(self.raw_dir) / "output"

    @property
    def marts_path(self) -> Path:
        return Path(self.marts_db)


@dg.definitions
def resources() -> dg.Definitions:
    from pipelines.defs.handover import ArrowBatchIOManager

    return dg.Definitions(resources={
        "paths": SzeiPaths.from_settings(Settings.from_env()),
        "batch_io_manager": ArrowBatchIOManager(),  # the validated batch between processes, as Arrow IPC
    })

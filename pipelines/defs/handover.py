"""How the validated batch reaches the marts step (and period_quality) when steps run as separate
processes, as they do under the Dagster UI and the daemon.

Choice: the batch is written **once, as Arrow IPC files** (one per frame: records, quarantine, …;
uncompressed, Categorical text kept) in the instance's storage folder, and read back by polars's Arrow reader —
no pickling of ten million rows, no copy through Python objects. `szei run` runs the steps in one
process and hands the batch over in memory instead (mem_io_manager; see pipelines/run.py).
The folder is `$DAGSTER_HOME/storage/szei_handover/validated_output/`, replaced whole by each run
(runs that build the marts are queued one at a time, see jobs.py).
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import dagster as dg
import polars as pl

from pipelines.validation import OutputBatch


class ArrowBatchIOManager(dg.ConfigurableIOManager):
    """Stores an OutputBatch as one Arrow IPC file per frame."""

    base_dir: str | None = None  # default: the Dagster instance's storage folder

    def _folder(self, instance, asset_key: dg.AssetKey) -> Path:
        base = Path(self.base_dir) if self.base_dir else Path(instance.storage_directory())
        return base / "szei_handover" / Path(*asset_key.path)

    def handle_output(self, context: dg.OutputContext, obj: OutputBatch) -> None:
        folder = self._folder(context.step_context.instance, context.asset_key)
        staged = folder.with_name(f".{folder.name}.{context.run_id}")
        shutil.rmtree(staged, ignore_errors=True)
        staged.mkdir(parents=True)
        sizes = {}
        for f in dataclasses.fields(obj):
            frame = getattr(obj, f.name)
            frame.write_ipc(staged / f"{f.name}.arrow", compression="uncompressed")
            sizes[f.name] = frame.height
        old = folder.with_name(f".{folder.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        staged.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
        context.add_output_metadata({"handover": dg.MetadataValue.path(str(folder)),
                                     "handover_rows": dg.MetadataValue.json(sizes)})

    def load_input(self, context: dg.InputContext) -> OutputBatch:
        folder = self._folder(context.instance, context.asset_key)
        if not folder.is_dir():
            raise dg.Failure(
                description=f"找不到校验结果 {folder}，请先运行 validated_output / "
                            f"no validated batch at {folder}: materialize validated_output first")
        frames = {f.name: pl.read_ipc(folder / f"{f.name}.arrow")
                  for f in dataclasses.fields(OutputBatch)}
        return OutputBatch(**frames)

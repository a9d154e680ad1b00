"""`szei sample --out DIR`: a complete raw folder that `szei run --raw-dir DIR` accepts.

DIR/output/ gets the synthetic bureau files (and the 模拟数据 marker), DIR/targets/ a copy of the
plan's reference data. A targets/ folder already there is kept as it is (it may hold edited
targets); the generator never overwrites files it did not write.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipelines.sample.generate import generate_sample


def generate_raw_folder(raw_dir: Path, targets_source: Path, **options) -> tuple[list[Path], bool]:
    """(the data files written, whether targets/ was copied) for a raw folder at `raw_dir`."""
    raw_dir = Path(raw_dir)
    files = generate_sample(raw_dir / "output", **options)
    targets = raw_dir / "targets"
    if targets.exists():
        return files, False
    staged = raw_dir / ".targets.copying"
    shutil.rmtree(staged, ignore_errors=True)
    shutil.copytree(targets_source, staged)
    staged.rename(targets)  # never a half-copied targets/
    return files, True

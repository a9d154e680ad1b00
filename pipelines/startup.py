"""Start-up of a `szei` command: its imports (Dagster, polars, pandera, the definitions) with the cyclic
garbage collector paused, then frozen.

Importing dagster, pydantic and sqlalchemy allocates some 300,000 long-lived objects; every collection the
allocations trigger walks them again and frees next to nothing (≈1,200 objects). `gc.freeze()` afterwards
moves them out of the collector's sight, so the collections during the run walk only the run's own objects:
a trivial two-asset `dg.materialize` takes 0.57× the CPU time (benchmarks/README-performance.md, item 26)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def imports_without_gc(freeze: bool) -> Iterator[None]:
    """The imports inside the block run with the collector paused. `freeze`: then keep what exists out of
    its sight for the rest of the process — only where the command is the whole process (the `szei` script,
    `python -m pipelines.cli`): a caller that goes on in the same process (a test) would never again have
    cycles among those objects collected. (Unfreezing at the end is no way out: the collection at interpreter
    exit then walks them all, ≈ 0.7 s CPU after importing Dagster.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()

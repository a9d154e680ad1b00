"""Start-up of a `szei` command: importing Dagster and the definitions with the cyclic garbage collector paused.

Importing dagster, pydantic and sqlalchemy allocates hundreds of thousands of long-lived objects; each
collection the allocations trigger walks all of them again and finds next to nothing to free (≈20 % of
the import's CPU time, measured). `gc.freeze()` afterwards moves what was imported out of the collector's
sight, so the collections during the run walk only the run's own objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def imports_without_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()

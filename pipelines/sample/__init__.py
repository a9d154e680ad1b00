"""Synthetic sample of bureau files (模拟数据): `generate_sample` and the marker file name.

The generator is imported on first use: a run needs only the marker's name, and importing the
generator reads the bundled plan (its model is calibrated on it)."""

from pipelines.ingest.inventory import SAMPLE_MARKER

__all__ = ["DEFAULT_ENTERPRISES", "GENERATOR_VERSION", "SAMPLE_MARKER", "generate_sample"]


def __getattr__(name: str):
    if name in ("DEFAULT_ENTERPRISES", "GENERATOR_VERSION", "generate_sample"):
        from pipelines.sample import generate

        return getattr(generate, name)
    raise AttributeError(f"module 'pipelines.sample' has no attribute {name!r}")

"""Synthetic sample of bureau files (模拟数据): `generate_sample` and the marker file name."""

from pipelines.sample.generate import DEFAULT_ENTERPRISES, GENERATOR_VERSION, SAMPLE_MARKER, generate_sample

__all__ = ["DEFAULT_ENTERPRISES", "GENERATOR_VERSION", "SAMPLE_MARKER", "generate_sample"]

"""The work plan's reference data: targets, dictionaries, the counting rule."""

from pipelines.reference.loaders import Reference, load_reference

__all__ = ["Reference", "load_reference"]

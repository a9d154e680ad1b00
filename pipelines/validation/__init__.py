"""Ingest + validation of the statistics bureau's enterprise output files.

`list_output_files(output_dir)`, `validate_output_files(paths, reference) -> OutputBatch`;
the contract is stated by the pandera schemas of `pipelines.validation.schemas` and the
rule expressions of `pipelines.validation.rules`.
"""

from pipelines.ingest import list_output_files
from pipelines.validation.core import OutputBatch, validate_output_files

__all__ = ["OutputBatch", "list_output_files", "validate_output_files"]

"""Validation of the statistics bureau's enterprise output files: every row accepted or quarantined
with every reason.

`list_output_files(output_dir)`, `validate_output_files(paths, reference) -> OutputBatch`.
Modules by job:
  normalise.py    text normalisation of a cell (spaces, full-width characters, dashes, separators)
  vocabulary.py   the words a delivery may use (fields, periods, years) and `Context` from the reference data
  parsing.py      text cells → typed columns, each normalisation recorded
  checkcodes.py   unit codes: format and check character
  rules.py        the row rules (named polars expressions), reasons.py the catalogue of every reason code
  crossfile.py    duplicates and revisions across files; row_warnings.py warnings that keep the row
  gate.py, cell_gate.py   the publication gate (keys.py: the counting key)
  schemas.py      the contract of an accepted record (pandera), checked at the end of every validation
  summary.py, batch.py    dq_file_summary and the `OutputBatch` returned
  core.py         `validate_output_files`: the steps in order
The command `szei validate` (printing, the quarantine list) is `pipelines/cli_validate.py`.
"""

from pipelines.ingest import list_output_files
from pipelines.validation.batch import OutputBatch
from pipelines.validation.core import validate_output_files

__all__ = ["OutputBatch", "list_output_files", "validate_output_files"]

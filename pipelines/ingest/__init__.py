"""Reading the statistics bureau's enterprise output files (CSV in UTF-8/BOM/GBK, .xlsx).

Everything is read as text; parsing and the rules live in `pipelines.validation`.
"""

from pipelines.ingest.readers import (
    CANONICAL_HEADERS,
    FIELDS,
    REQUIRED_FIELDS,
    UNIT_FACTORS,
    RawFile,
    list_output_files,
    read_output_file,
)

__all__ = [
    "CANONICAL_HEADERS",
    "FIELDS",
    "REQUIRED_FIELDS",
    "UNIT_FACTORS",
    "RawFile",
    "list_output_files",
    "read_output_file",
]

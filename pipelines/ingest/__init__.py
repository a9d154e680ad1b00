"""Reading the statistics bureau's enterprise output files (CSV in UTF-8/BOM/GBK, .xlsx).

Everything is read as text; parsing and the rules live in `pipelines.validation`.
`readers.read_output_file` is the entry; `headers`, `encoding` and `xlsx` hold its parts and
`rawfile.RawFile` what it returns.
"""

from pipelines.ingest.headers import CANONICAL_HEADERS, FIELDS, REQUIRED_FIELDS
from pipelines.ingest.inventory import Entry, inventory, list_output_files, order_key
from pipelines.ingest.rawfile import UNIT_FACTORS, RawFile
from pipelines.ingest.readers import read_output_file

__all__ = [
    "CANONICAL_HEADERS",
    "Entry",
    "FIELDS",
    "REQUIRED_FIELDS",
    "UNIT_FACTORS",
    "inventory",
    "RawFile",
    "list_output_files",
    "order_key",
    "read_output_file",
]

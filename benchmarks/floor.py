"""The floor: one DuckDB query that reads the bureau CSV files and sums the values by district and industry.

The least any implementation must do (read every byte, parse the values, group). Run as its
own process by `benchmarks.run`, so that its time and memory are whole-process figures
like the pipeline's: `python -m benchmarks.floor OUTPUT_DIR`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

QUERY = """
select 注册地 as district, 产业类别 as industry, sum("本年累计产值（万元）") as value_wan, count(*) as n
from read_csv($files, header = true)
group by all
"""


def floor(output_dir: Path) -> tuple[int, int]:
    """(groups, rows) of the floor query over every CSV file of `output_dir`."""
    files = sorted(str(p) for p in Path(output_dir).glob("*.csv"))
    con = duckdb.connect()
    try:
        rows = con.execute(QUERY, {"files": files}).fetchall()
    finally:
        con.close()
    return len(rows), sum(r[3] for r in rows)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    groups, rows = floor(Path(args[0]))
    print(f"groups={groups} rows={rows}")
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main())

"""`python -m pipelines.sample [--out DIR] [--seed N] [--enterprises N] [--years 2010,2011,2012] [--formats auto|mixed|csv]`.

Generates the synthetic sample and prints its summary (the `szei sample` command calls the same function).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipelines.sample.generate import DEFAULT_ENTERPRISES, DEFAULT_YEARS, generate_sample
from pipelines.sample.summary import summary_text
from pipelines.settings import Settings


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m pipelines.sample", description="模拟数据 generator")
    p.add_argument("--out", type=Path, default=None, help="folder (default: the raw output folder)")
    p.add_argument("--seed", type=int, default=2012)
    p.add_argument("--enterprises", type=int, default=DEFAULT_ENTERPRISES)
    p.add_argument("--years", default=",".join(str(y) for y in DEFAULT_YEARS))
    p.add_argument("--formats", default="auto", choices=["auto", "mixed", "csv"])
    p.add_argument("--no-bad-rows", action="store_true")
    p.add_argument("--no-summary", action="store_true")
    a = p.parse_args(argv)
    out = a.out or Settings.from_env().output_dir
    t0 = time.perf_counter()
    files = generate_sample(
        out,
        seed=a.seed,
        enterprises=a.enterprises,
        years=tuple(int(y) for y in a.years.split(",")),
        bad_rows=not a.no_bad_rows,
        formats=a.formats,
    )
    print(f"wrote {len(files)} files to {out} in {time.perf_counter() - t0:.1f} s")
    if not a.no_summary:
        print(summary_text(out))


if __name__ == "__main__":
    main()

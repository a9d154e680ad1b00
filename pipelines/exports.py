"""Spreadsheet exports: text cells can never become live formulas (CSV/formula injection).

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is taken as a formula by
Excel, LibreOffice and WPS when the CSV is opened (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3`). Every text cell
that could be read so is written with a leading `'`, which makes it plain text and shows the original
characters. Only text (String) columns are touched: a number stays a number, and a text cell that is
a plain number (`-3.5`, `+12`, `-1,234.5`) is left as it is, since it cannot be a formula.

One function for every export: `szei validate --out` (quarantine .csv/.xlsx) and the report's tables.xlsx.
"""

from __future__ import annotations

import polars as pl

FORMULA_START = r"^[=+\-@\t\r]"
_PLAIN_NUMBER = r"^[+-]?(\d[\d,]*(\.\d+)?|\.\d+)([eE][+-]?\d+)?%?$"


def neutralise_expr(e: pl.Expr) -> pl.Expr:
    """A String expression with every formula-like cell prefixed by `'`."""
    risky = e.str.contains(FORMULA_START) & ~e.str.contains(_PLAIN_NUMBER)
    return pl.when(risky.fill_null(False)).then(pl.lit("'") + e).otherwise(e)


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its text columns (String, Categorical, Enum) neutralised; other columns untouched."""
    text = [c for c, t in frame.schema.items() if t in (pl.String, pl.Categorical) or isinstance(t, pl.Enum)]
    if not text:
        return frame
    return frame.with_columns(neutralise_expr(pl.col(c).cast(pl.String)).alias(c) for c in text)


def neutralise_text(value: object) -> object:
    """One cell (for code that writes cells one by one): text neutralised, anything else as it is."""
    if not isinstance(value, str):
        return value
    return pl.select(neutralise_expr(pl.lit(value, dtype=pl.String))).item()

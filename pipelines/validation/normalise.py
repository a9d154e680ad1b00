"""Text normalisation of the cells of a delivery: what is tidied, never guessed (polars expressions).

Trimmed spaces (half- and full-width), full-width digits and letters, dash variants in periods, a
trailing 年, thousands separators where every group has three digits. Each parser records what it
changed (`note`), so a normalised row says so in `normalized`."""

from __future__ import annotations

import polars as pl

SPACES = " \t\r\n\u3000\xa0"
FULLWIDTH_DIGITS = [chr(0xFF10 + i) for i in range(10)]
ASCII_DIGITS = [str(i) for i in range(10)]
FULLWIDTH_UPPER = [chr(0xFF21 + i) for i in range(26)]
FULLWIDTH_LOWER = [chr(0xFF41 + i) for i in range(26)]
ASCII_UPPER = [chr(0x41 + i) for i in range(26)]
DASHES = ["—", "–", "－", "~", "～", "‐", "‑", "‒", "−", "―", "〜"]


def strip(e: pl.Expr) -> pl.Expr:
    """Trim spaces (half/full-width); empty → null."""
    s = e.str.strip_chars(SPACES)
    return pl.when(s == "").then(None).otherwise(s)


# A cell with no space at either end (and not empty) is one `strip` leaves as it is: most cells of most
# files. Such cells skip the trimming and its note (`where_needed`).
EDGE_SPACE = f"^[{SPACES}]|[{SPACES}]$"
# A unit code of ASCII capitals and digits only is already what `normalise_code(strip(·))` makes of it.
PLAIN_CODE = r"^[0-9A-Z]+$"


def needs_trim(e: pl.Expr) -> pl.Expr:
    """True where `strip` would change the cell: a space at an end, or empty (null cells: False)."""
    return (e.str.contains(EDGE_SPACE) | (e == "")).fill_null(False)


def where_needed(df: pl.DataFrame, needs: pl.Expr, plain: list[pl.Expr], full: list[pl.Expr]) -> pl.DataFrame:
    """`df` with the columns of `full`, evaluated only on the rows where `needs` holds; on the others
    `plain` gives the very same values (same names and types) without the work.

    A when/then would not save anything: polars evaluates both branches on every row. So the rows
    that need it are gathered, parsed, and scattered back; when most rows need it, `full` runs on all.
    """
    rows = df.select(pl.arg_where(needs)).to_series()
    if rows.len() > df.height // 2:
        return df.with_columns(full)
    out = df.with_columns(plain)
    if rows.len():
        fixed = df[rows].select(full)
        out = out.with_columns(out.get_column(c).clone().scatter(rows, fixed.get_column(c)) for c in fixed.columns)
    return out


def halfwidth_digits(e: pl.Expr) -> pl.Expr:
    return e.str.replace_many(FULLWIDTH_DIGITS, ASCII_DIGITS)


def normalise_code(e: pl.Expr) -> pl.Expr:
    """Upper case, half-width, no '-' / spaces."""
    return (
        e.str.replace_many(FULLWIDTH_DIGITS + FULLWIDTH_UPPER + FULLWIDTH_LOWER, ASCII_DIGITS + ASCII_UPPER + ASCII_UPPER)
        .str.replace_all(r"[\s\-－—–\u3000]", "")
        .str.to_uppercase()
    )


def normalise_period(e: pl.Expr) -> pl.Expr:
    """Full-width digits and dash variants → `1-3月`; spaces removed; a missing 月 added."""
    p = halfwidth_digits(e).str.replace_many(DASHES, ["-"] * len(DASHES)).str.replace_all(r"\s", "")
    return pl.when(p.str.contains(r"^\d+-\d+$")).then(p + "月").otherwise(p)


def normalise_year(e: pl.Expr) -> pl.Expr:
    """Full-width digits → ASCII; a trailing 年 and an Excel `.0` removed."""
    return halfwidth_digits(e).str.replace(r"年$", "").str.replace(r"^(\d{4})\.0+$", "${1}")


def normalise_value(e: pl.Expr) -> pl.Expr:
    """Full-width digits → ASCII; thousands separators removed (only where every group has 3 digits:
    `1,234,567.8` → 1234567.8; `12,34` stays as it is and is rejected, a comma is never guessed)."""
    s = halfwidth_digits(e).str.replace_many(["，", "．"], [",", "."])
    grouped = s.str.contains(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
    return pl.when(grouped).then(s.str.replace_all(",", "", literal=True)).otherwise(s)


def note(changed: pl.Expr, text: pl.Expr | str) -> pl.Expr:
    return pl.when(changed.fill_null(False)).then(text if isinstance(text, pl.Expr) else pl.lit(text))

"""Invisible characters, made visible in messages: `U+200B` instead of nothing.

A zero-width space in a code, a BOM in the middle of a header, a no-break space after a district:
the cell looks right in Excel and is wrong. Every message that quotes text from a file shows such
characters as `U+XXXX`, so that the person who reads it can find them.
"""

from __future__ import annotations

import os

import polars as pl

# control characters, no-break and odd-width spaces, zero-width and direction marks, BOM, fillers
INVISIBLE: tuple[str, ...] = tuple(
    [chr(c) for c in range(0x00, 0x20)] + [chr(0x7F)] + [chr(c) for c in range(0x80, 0xA0)]
    + ["\u00a0", "\u00ad", "\u034f", "\u061c", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180e"]
    + [chr(c) for c in range(0x2000, 0x2010)] + [chr(c) for c in range(0x2028, 0x2030)]
    + [chr(c) for c in range(0x205F, 0x2070)]
    + ["\u3000", "\u3164", "\ufeff", "\uffa0", "\ufff9", "\ufffa", "\ufffb"]
)
ESCAPES: tuple[str, ...] = tuple(f"U+{ord(ch):04X}" for ch in INVISIBLE)
_TABLE = str.maketrans(dict(zip(INVISIBLE, ESCAPES)))

# stripped from the ends of sheet names and headers: spaces and the invisible characters above
TRIM_CHARS = "".join(INVISIBLE) + " "


def visible_text(text: str | None) -> str | None:
    """`text` with every invisible character written as `U+XXXX`."""
    return text.translate(_TABLE) if text else text


def visible_expr(e: pl.Expr) -> pl.Expr:
    """The same as a polars expression (one Aho–Corasick pass over the column)."""
    return e.str.replace_many(list(INVISIBLE), list(ESCAPES))


def display_name(name: str) -> str:
    """A file name as valid text. On Linux a name may hold bytes that are not UTF-8 (a zip made on
    Chinese Windows, unpacked here, gives GBK names): those are read as GBK when they are GBK,
    else shown as `\\xff` escapes — never a crash further on."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")

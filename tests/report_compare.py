"""Text, tables and numbers of a rendered report, for comparing two renders of it."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


class _Text(HTMLParser):
    SKIP = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._skip = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("p", "div", "li", "br", "tr", "h1", "h2", "figcaption", "table"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skip -= 1
        elif tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._skip:
            return
        self.parts.append(data)
        if self._cell is not None:
            self._cell.append(data)


def html_text(path: Path) -> tuple[str, list]:
    """The visible text of an HTML file (whitespace removed) and its tables (rows of cell texts)."""
    p = _Text()
    p.feed(path.read_text(encoding="utf-8"))
    return squash("".join(p.parts)), p.tables


def pdf_text(path: Path) -> str:
    """The PDF's text in reading order of its layout (two Typst versions emit text in different
    orders, so pdftotext's stream order differs where the layout does not), whitespace removed."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return squash(out)


def squash(text: str) -> str:
    """Whitespace removed: CJK text has no word spaces, and the two paths space 表1 and its caption differently."""
    return re.sub(r"\s+", "", text.replace("\u00a0", " ").replace("\u3000", " "))


def numbers(text: str) -> list[str]:
    return NUMBER.findall(text)

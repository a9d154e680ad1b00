"""Embed subsets of the installed CJK fonts in the HTML, so it reads the same on any machine, offline.

Only the characters the page uses are kept (a few hundred of ~65,000 glyphs), which keeps the
file small; the fonts are found through fontconfig, the same ones Typst embeds in the PDF.
"""

from __future__ import annotations

import base64
import io
import re
import subprocess
from html import unescape

# CSS family → (fontconfig pattern, CSS weight)
EMBEDDED_FACES = (
    ("Noto Serif CJK SC", "Noto Serif CJK SC:style=Regular", 400),
    ("Noto Sans CJK SC", "Noto Sans CJK SC:style=Regular", 400),
    ("Noto Sans CJK SC", "Noto Sans CJK SC:style=Bold", 700),
)

_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)


def _font_file(pattern: str) -> tuple[str, int]:
    out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", pattern], capture_output=True, text=True, check=True)
    path, index = out.stdout.split("|")
    return path, int(index or 0)


def _subset_woff(pattern: str, text: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path, index = _font_file(pattern)
    font = TTFont(path, fontNumber=index)
    options = subset.Options()
    options.flavor = "woff"  # zlib only: no brotli dependency
    options.layout_features = ["*"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    return buffer.getvalue()


def page_text(html: str) -> str:
    """The characters a reader can see (markup, scripts and styles removed), plus ASCII."""
    visible = unescape(_TAG.sub(" ", html))
    ascii_printable = "".join(chr(c) for c in range(32, 127))
    return "".join(sorted(set(visible) | set(ascii_printable)))


def embed_fonts(html: str) -> str:
    """Insert @font-face rules with base64 WOFF subsets before </head>."""
    text = page_text(html)
    rules = []
    for family, pattern, weight in EMBEDDED_FACES:
        data = base64.b64encode(_subset_woff(pattern, text)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
            f'src: url(data:font/woff;base64,{data}) format("woff"); }}'
        )
    style = "<style>/* CJK font subsets, embedded */\n" + "\n".join(rules) + "\n</style>\n"
    return html.replace("</head>", style + "</head>", 1)

"""Text from input files (file names, messages, reasons) made safe for each place it reaches.

Markdown: every ASCII punctuation character backslash-escaped (pandoc reads `\\<` as `<`, `\\|` as
`|`), so `<img src=x onerror=alert(1)>` prints as text in HTML and Typst and `|`/`*` cannot break
a table or start emphasis. Typst markup and strings, HTML: their own escapes.
"""

from __future__ import annotations

import html
import re

_MD = re.compile(r"([!-/:-@\[-`{-~])")  # ASCII punctuation: ! " # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \ ] ^ _ ` { | } ~
_TYPST_SPECIAL = set("\\#*_[]$<>@`~/=-+")


def md_text(s: object) -> str:
    """Plain text as pandoc Markdown that reads back as the same text, on one line."""
    return _MD.sub(r"\\\1", " ".join(str(s).splitlines()))


def typst_markup(s: object) -> str:
    """Plain text as Typst markup: every character Typst could read as syntax escaped."""
    return "".join("\\" + ch if ch in _TYPST_SPECIAL else ch for ch in str(s))


def typst_str(s: object) -> str:
    """A Typst string literal."""
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def html_text(s: object) -> str:
    return html.escape(str(s), quote=True)

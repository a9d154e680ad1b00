"""An executed notebook as one Markdown document: cell outputs in place, inline values in their text.

Inline values follow Quarto 1.7 (src/core/jupyter/jupyter-inline.ts): a value with a text/markdown
form (`_repr_markdown_`) is inserted as Markdown; otherwise its text/plain repr, and a quoted repr
(a str) loses its quotes and has \\ ` * _ { } [ ] ( ) > # + , - . ! backslash-escaped — NOT < or |,
so raw text from input files must reach the report as Markdown escaped by its producer. An empty
result leaves the expression as written, as Quarto does. Images: SVG before PNG, as Quarto prefers.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from .qmd import INLINE_TOKEN_RX

# Quarto 1.7's order (src/core/jupyter/display-data.ts): HTML output takes text/html first
PREFERENCE = {"html": ("text/html", "text/markdown", "image/svg+xml", "image/png"),
              "typst": ("text/markdown", "image/svg+xml", "image/png")}
_QUARTO_ESCAPE = re.compile(r"([\\`*_{}\[\]()>#+,\-.!])")  # Quarto's class [...+-.!]: + to . is a range


def quarto_plain(text: str) -> str:
    """Quarto's asEscapedMarkdown: a quoted repr unquoted and escaped, anything else as it is."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return _QUARTO_ESCAPE.sub(r"\\\1", text[1:-1].replace("\\", "\\\\"))
    return text


def _inline_value(cell) -> str:
    for out in cell.get("outputs", []):
        if out.get("output_type") not in ("execute_result", "display_data"):
            continue
        data = out.get("data", {})
        text = data["text/markdown"] if data.get("text/markdown") else quarto_plain(data.get("text/plain") or "")
        if text:
            return text
    return cell.metadata["literal"]  # no value: the expression stays as written, as in Quarto


def _output_div(markdown: str, fmt: str) -> str:
    """In HTML a cell's output sits in its own div, as in Quarto (`div.cell-output-display`), which is
    what lets a wide table scroll inside it; Quarto's Typst has no such wrapper around a float's table."""
    if fmt != "html" or not markdown.strip():
        return markdown
    return "::: {.cell-output-display}\n" + markdown.strip("\n") + "\n:::"


def notebook_to_markdown(nb, fig_dir: Path, fmt: str = "typst") -> str:
    """The executed notebook as Markdown for `fmt` ("html" or "typst"): each display output in the
    first form of PREFERENCE[fmt] it carries."""
    fig_dir.mkdir(parents=True, exist_ok=True)
    inline = {c.metadata["inline"]: _inline_value(c) for c in nb.cells
              if c.cell_type == "code" and "inline" in c.metadata}
    parts, n = [], 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(INLINE_TOKEN_RX.sub(lambda mt: inline[int(mt.group(1))], cell.source))
            continue
        if "inline" in cell.metadata:
            continue
        opts = cell.metadata.get("qmd", {})
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "stream" and out.get("name") == "stdout" and opts.get("output") == "asis":
                parts.append(out["text"])
            elif kind in ("display_data", "execute_result"):
                data = out.get("data", {})
                mime = next((t for t in PREFERENCE[fmt] if data.get(t)), None)
                if mime == "text/html":
                    parts.append(_output_div("```{=html}\n" + data[mime].strip("\n") + "\n```", fmt))
                    continue
                if mime == "text/markdown":
                    parts.append(_output_div(data[mime], fmt))
                    continue
                if mime is None:
                    continue
                n += 1
                f = fig_dir / f"fig-{n}.{'svg' if mime == 'image/svg+xml' else 'png'}"
                if mime == "image/svg+xml":
                    f.write_text(data[mime], encoding="utf-8")
                else:
                    f.write_bytes(base64.b64decode(data[mime]))
                parts.append(f"![]({f.parent.name}/{f.name})")
    return "\n\n".join(p.strip("\n") for p in parts if p and p.strip()) + "\n"

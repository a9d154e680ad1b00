"""A .qmd file as a Jupyter notebook: front matter, Markdown, ```{python} cells and inline expressions."""

from __future__ import annotations

import re

import yaml

FENCE = re.compile(r"^```\{python\}[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
# Quarto 1.7's pattern (src/core/execute-inline.ts): not after a backtick, one space or tab, no backtick inside
INLINE = re.compile(r"(^|[^`])`\{python\}[ \t]([^`]+)`", re.M)
INLINE_TOKEN = "\u2063szei-inline-{}\u2063"  # invisible separator: never in real text
INLINE_TOKEN_RX = re.compile("\u2063szei-inline-(\\d+)\u2063")


def split_front_matter(text: str) -> tuple[dict, str]:
    if text.startswith("---\n"):
        end = text.index("\n---", 4)
        return yaml.safe_load(text[4:end]) or {}, text[end + 4:].lstrip("\n")
    return {}, text


def cell_options(source: str) -> dict:
    """The `#| key: value` lines at the top of a cell, parsed as YAML."""
    opts = []
    for line in source.splitlines():
        if not line.startswith("#|"):
            break
        opts.append(line[2:].strip())
    return (yaml.safe_load("\n".join(opts)) or {}) if opts else {}


def qmd_to_notebook(text: str, params: dict | None = None):
    """The notebook to execute. A Markdown chunk's inline expressions become tokens in its text and
    code cells right after it, one per expression, whose results markdown.py puts in their place."""
    import nbformat.v4 as v4

    meta, body = split_front_matter(text)
    cells, pos, n_inline = [], 0, 0

    def markdown(chunk: str) -> None:
        nonlocal n_inline
        if not chunk.strip():
            return
        exprs = []

        def token(mt: re.Match) -> str:
            nonlocal n_inline
            exprs.append((n_inline, mt.group(2).strip(), mt.group(0)[len(mt.group(1)):]))
            n_inline += 1
            return mt.group(1) + INLINE_TOKEN.format(n_inline - 1)

        cells.append(v4.new_markdown_cell(INLINE.sub(token, chunk.strip("\n"))))
        for k, expr, literal in exprs:
            cells.append(v4.new_code_cell(expr, metadata={"qmd": {}, "inline": k, "literal": literal}))

    for mt in FENCE.finditer(body):
        markdown(body[pos:mt.start()])
        src = mt.group(1).rstrip("\n")
        opts = cell_options(src)
        cells.append(v4.new_code_cell(src, metadata={"qmd": opts, "tags": list(opts.get("tags") or [])}))
        if "parameters" in cells[-1].metadata["tags"] and params:
            inj = "\n".join(f"{k} = {v!r}" for k, v in params.items())
            cells.append(v4.new_code_cell(inj, metadata={"qmd": {}, "tags": ["injected-parameters"]}))
        pos = mt.end()
    markdown(body[pos:])
    nb = v4.new_notebook(cells=cells, metadata={"qmd": meta})
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb

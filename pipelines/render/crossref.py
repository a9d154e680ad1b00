"""Quarto's cross-references for the fallback renderer: numbered table and figure floats, and refs.

A float is a fenced Div whose id starts with `tbl-` or `fig-`; its last paragraph is the caption:

    ::: {#tbl-targets}
    <a table, usually a cell's output>

    三大产业规模及目标完成情况（全市，`{python} v.period_title`）
    :::

and `[@tbl-targets]` (or `@tbl-targets` after a space) refers to it. Numbers run in document order
per kind, and are written as Quarto 1.7 writes them with `crossref: {tbl-title: 表, title-delim: "　",
custom: [... space-before-numbering: false]}`: in HTML the caption reads "表1　caption" and a
reference is a link "表1"; in Typst the float is `#figure(kind: "quarto-float-tbl", supplement: "表")`
with the caption's body only, a reference is `#ref(<tbl-x>, supplement: [表])`, and the preamble's
show rules print the number (so both paths print what Quarto prints).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = {"tbl": ("表", "top"), "fig": ("图", "bottom")}
TITLE_DELIM = "\u3000"
_OPEN = re.compile(r"^(:{3,})\s*\{#(tbl|fig)-([\w-]+)[^}]*\}\s*$")
_ANY_OPEN = re.compile(r"^:{3,}\s*\S")
_CLOSE = re.compile(r"^:{3,}\s*$")
_REF = re.compile(r"\[@(tbl|fig)-([\w-]+)\]|(?:(?<=^)|(?<=\s))@(tbl|fig)-([\w-]+)", re.M)


@dataclass
class Float:
    kind: str
    label: str
    number: int
    body: str
    caption: str

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.label}"


def _split_caption(lines: list[str]) -> tuple[str, str]:
    """The float's content and its caption (its last paragraph)."""
    text = "\n".join(lines).strip("\n")
    paras = re.split(r"\n\s*\n", text)
    if len(paras) < 2:
        return text, ""
    return "\n\n".join(paras[:-1]), paras[-1].strip()


def _html(f: Float) -> str:
    supplement, position = KINDS[f.kind]
    cap = ("```{=html}\n<figcaption class=\"quarto-float-caption\">\n```\n\n"
           f"{supplement}{f.number}{TITLE_DELIM}{f.caption}\n\n```{{=html}}\n</figcaption>\n```")
    parts = [f"```{{=html}}\n<div id=\"{f.id}\" class=\"quarto-float\"><figure class=\"quarto-float quarto-float-{f.kind}\">\n```"]
    parts += [cap, f.body] if position == "top" else [f.body, cap]
    parts.append("```{=html}\n</figure></div>\n```")
    return "\n\n".join(parts)


def _typst(f: Float) -> str:
    supplement, position = KINDS[f.kind]
    return ("```{=typst}\n#figure([\n```\n\n" + f.body + "\n\n```{=typst}\n], caption: figure.caption(\n"
            f"position: {position}, \n[\n```\n\n{f.caption}\n\n```{{=typst}}\n]), \n"
            f"kind: \"quarto-float-{f.kind}\", \nsupplement: \"{supplement}\", \n)\n<{f.id}>\n```")


def resolve(markdown: str, fmt: str) -> str:
    """`markdown` with its floats numbered and captioned, and its references resolved, for `fmt`
    ("html" or "typst"). A reference to a label that does not exist is an error, as in Quarto."""
    lines, out, floats = markdown.split("\n"), [], {}
    counters = {k: 0 for k in KINDS}
    i = 0
    while i < len(lines):
        mt = _OPEN.match(lines[i])
        if not mt:
            out.append(lines[i])
            i += 1
            continue
        depth, j, body = 1, i + 1, []
        while j < len(lines):
            if _CLOSE.match(lines[j]):
                depth -= 1
                if depth == 0:
                    break
            elif _ANY_OPEN.match(lines[j]):
                depth += 1
            body.append(lines[j])
            j += 1
        kind, label = mt.group(2), mt.group(3)
        counters[kind] += 1
        content, caption = _split_caption(body)
        f = Float(kind, label, counters[kind], content, caption)
        floats[f.id] = f
        out.append(_html(f) if fmt == "html" else _typst(f))
        i = j + 1
    text = "\n".join(out)

    def ref(mt: re.Match) -> str:
        kind, label = (mt.group(1), mt.group(2)) if mt.group(1) else (mt.group(3), mt.group(4))
        f = floats.get(f"{kind}-{label}")
        if f is None:
            raise ValueError(f"cross-reference to an unknown {kind}: @{kind}-{label}")
        supplement = KINDS[kind][0]
        if fmt == "html":
            return f"[{supplement}{f.number}](#{f.id}){{.quarto-xref}}"
        return f"`#ref(<{f.id}>, supplement: [{supplement}])`{{=typst}}"

    return _REF.sub(ref, text)

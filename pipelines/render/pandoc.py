"""Markdown -> HTML (one self-contained file) and Markdown -> Typst source, with pandoc, reading the
options Quarto reads: lang, format.html.css, format.typst (papersize, mainfont, fontsize, margin,
include-in-header, ...)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from .fonts import embed_fonts


def _pandoc(args: list[str], source: Path, cwd: Path) -> None:
    import pypandoc

    cmd = [pypandoc.get_pandoc_path(), str(source), "-f", "markdown", "--wrap=none", *args]
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"pandoc failed ({' '.join(cmd)}):\n{r.stderr}")


def load_config(qmd: Path, front: dict) -> dict:
    """_quarto.yml beside the document, overridden by the document's front matter (as in Quarto)."""
    cfg = {}
    q = qmd.parent / "_quarto.yml"
    if q.is_file():
        cfg = yaml.safe_load(q.read_text(encoding="utf-8")) or {}
    for k, v in front.items():
        cfg[k] = v
    return cfg


def render_html(md: Path, out: Path, cfg: dict, qmd_dir: Path) -> Path:
    html = (cfg.get("format") or {}).get("html") or {}
    args = ["-t", "html5", "--standalone", "--embed-resources", "-o", str(out),
            "--resource-path", f"{md.parent}:{qmd_dir}", "-M", f"lang={cfg.get('lang', 'zh-CN')}",
            "-M", f"pagetitle={cfg.get('pagetitle') or cfg.get('title') or qmd_dir.name}"]
    for css in [html["css"]] if isinstance(html.get("css"), str) else (html.get("css") or []):
        args += ["--css", str(qmd_dir / css)]
    _pandoc(args, md, md.parent)
    out.write_text(embed_fonts(out.read_text(encoding="utf-8")), encoding="utf-8")
    return out


def render_typst_source(md: Path, out: Path, cfg: dict, qmd_dir: Path) -> Path:
    typ = dict((cfg.get("format") or {}).get("typst") or {})
    header = typ.pop("include-in-header", None)
    typ.pop("section-numbering", None)
    meta = {k: v for k, v in typ.items() if v is not None and not isinstance(v, bool)}
    meta["lang"] = cfg.get("lang", "zh-CN")
    meta_file = out.with_suffix(".meta.yaml")
    meta_file.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    args = ["-t", "typst", "--standalone", "-o", str(out), "--metadata-file", str(meta_file)]
    for h in [header] if isinstance(header, str) else (header or []):
        args += ["-H", str(qmd_dir / h)]
    _pandoc(args, md, md.parent)
    _keep_document_title(out, cfg)
    return out


_TEMPLATE_TITLE = "set document(\n    title: title,"


def _keep_document_title(typ: Path, cfg: dict) -> None:
    """pandoc's Typst template ends with `set document(title: title)` — none without a `title`, which
    would erase the preamble's PDF Title (Quarto's template leaves it alone). Without `title` (that
    would print a title block) the template's rule falls back to the page title."""
    src = typ.read_text(encoding="utf-8")
    name = str(cfg.get("pagetitle") or "").replace("\\", "\\\\").replace('"', '\\"')
    if name and _TEMPLATE_TITLE in src:
        src = src.replace(_TEMPLATE_TITLE, f'set document(\n    title: if title != none {{ title }} else {{ "{name}" }},', 1)
        typ.write_text(src, encoding="utf-8")

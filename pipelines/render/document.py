"""Render one .qmd to HTML or PDF: execute, assemble Markdown, resolve cross-references, write."""

from __future__ import annotations

from pathlib import Path

from . import crossref, kernel, pandoc, typst_pdf
from .markdown import notebook_to_markdown
from .qmd import qmd_to_notebook, split_front_matter

FORMATS = ("html", "typst")


def render_qmd(qmd: Path, out_dir: Path, params: dict, formats=FORMATS, *, env: dict | None = None) -> dict[str, Path]:
    """Execute `qmd` once with `params` and write <stem>.html and/or <stem>.pdf into `out_dir`
    (intermediate files in out_dir/_build). Returns {"html": ..., "pdf": ..., "markdown": ..., "typst": ...}."""
    typst_pdf.check_cjk_fonts()
    text = qmd.read_text(encoding="utf-8")
    front, _ = split_front_matter(text)
    cfg = pandoc.load_config(qmd, front)
    nb = qmd_to_notebook(text, params)
    build = out_dir / "_build"
    build.mkdir(parents=True, exist_ok=True)
    kernel.execute(nb, cwd=qmd.parent, env=env, log=build / "kernel.log")
    md = build / f"{qmd.stem}.md"  # the executed document, before cross-references (for reading)
    md.write_text(notebook_to_markdown(nb, build / "figures"), encoding="utf-8")
    done: dict[str, Path] = {"markdown": md}
    if "html" in formats:
        md_html = build / f"{qmd.stem}.html.md"
        md_html.write_text(crossref.resolve(notebook_to_markdown(nb, build / "figures", "html"), "html"), encoding="utf-8")
        done["html"] = pandoc.render_html(md_html, out_dir / f"{qmd.stem}.html", cfg, qmd.parent)
    if "typst" in formats:
        md_typ = build / f"{qmd.stem}.typst.md"
        md_typ.write_text(crossref.resolve(md.read_text(encoding="utf-8"), "typst"), encoding="utf-8")
        done["typst"] = pandoc.render_typst_source(md_typ, build / f"{qmd.stem}.typ", cfg, qmd.parent)
        done["pdf"] = typst_pdf.compile_pdf(done["typst"], out_dir / f"{qmd.stem}.pdf")
    return done

"""szei's own renderer of a Quarto document, for machines without the Quarto CLI.

It runs the engines Quarto itself uses and supports the subset of Quarto that reports/report.qmd uses:

  qmd.py       report.qmd -> notebook: YAML front matter, ```{python} cells with `#|` options,
               inline `{python} expr` expressions, the `parameters` cell
  kernel.py    the notebook executed in a Jupyter kernel (nbclient + ipykernel)
  markdown.py  cell outputs and inline values -> Markdown (text/markdown, SVG/PNG images)
  crossref.py  `::: {#tbl-x}` / `::: {#fig-x}` floats with captions and `@tbl-x` references, numbered
               and written the way Quarto writes them for each format
  pandoc.py    Markdown -> HTML (--embed-resources) and Typst source (pandoc)
  typst_pdf.py Typst -> PDF, refusing to print Chinese without a font
  fonts.py     CJK font subsets embedded in the HTML

The entry point is `render_qmd(qmd, out_dir, params, fmt)`. Nothing here knows about szei's report.
"""

from .document import render_qmd

__all__ = ["render_qmd"]

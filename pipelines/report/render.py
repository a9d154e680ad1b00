"""Render a Quarto document without the Quarto CLI, with the engines Quarto itself uses.

  report.qmd --(nbformat)--> notebook --(nbclient + ipykernel)--> outputs --(ours)--> Markdown
  Markdown --(pandoc --embed-resources)--> report.html
  Markdown --(pandoc -t typst)--> report.typ --(typst)--> report.pdf

Supported .qmd subset (what both paths render the same): YAML front matter, Markdown, ```{python}
cells with `#|` options (echo, output, label, tags: [parameters]); cell outputs as text/markdown
(display(Markdown(...))), stdout of `output: asis` cells, image/svg+xml and image/png.
Parameters follow Quarto's convention: a cell tagged `parameters`, followed by an injected cell.
"""

from __future__ import annotations

import base64
import json
import re
import sys
import tempfile
from pathlib import Path

import yaml


from pipelines.errors import SzeiError
from pipelines.report.fonts import embed_fonts

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC")
FENCE = re.compile(r"^```\{python\}[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)


# ---- .qmd -> notebook -----------------------------------------------------------------------
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
    import nbformat.v4 as v4

    meta, body = split_front_matter(text)
    cells, pos = [], 0
    for mt in FENCE.finditer(body):
        if body[pos:mt.start()].strip():
            cells.append(v4.new_markdown_cell(body[pos:mt.start()].strip("\n")))
        src = mt.group(1).rstrip("\n")
        opts = cell_options(src)
        cell = v4.new_code_cell(src, metadata={"qmd": opts, "tags": list(opts.get("tags") or [])})
        cells.append(cell)
        if "parameters" in cell.metadata["tags"] and params:
            inj = "\n".join(f"{k} = {v!r}" for k, v in params.items())
            cells.append(v4.new_code_cell(inj, metadata={"qmd": {}, "tags": ["injected-parameters"]}))
        pos = mt.end()
    if body[pos:].strip():
        cells.append(v4.new_markdown_cell(body[pos:].strip("\n")))
    nb = v4.new_notebook(cells=cells, metadata={"qmd": meta})
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


# ---- execution --------------------------------------------------------------------------------
def execute(nb, cwd: Path, env: dict | None = None, timeout: int = 120, log: Path | None = None):
    """Run every cell in a kernel of *this* interpreter (sys.executable), not whatever `python` is on PATH.

    The kernel talks over IPC sockets in a private temporary folder (no TCP port, so ipykernel has
    no 'running over TCP without encryption' warning), its stdout/stderr go to `log` (never to the
    user's terminal), and it is shut down before this returns — not left for an atexit handler.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    with tempfile.TemporaryDirectory(prefix="szei-kernel-") as kdir:
        spec = Path(kdir) / "szei-python"
        spec.mkdir()
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "szei", "language": "python", "env": env or {}}))
        km = KernelManager(kernel_name="szei-python", kernel_spec_manager=KernelSpecManager(kernel_dirs=[kdir]),
                           transport="ipc", ip=str(Path(kdir) / "ipc"),
                           connection_file=str(Path(kdir) / "connection.json"))
        client = NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(cwd)}},
                                shutdown_kernel="graceful")
        log_path = Path(log) if log else Path(kdir) / "kernel.log"
        with open(log_path, "ab") as fh:
            try:
                client.execute(cleanup_kc=True, stdout=fh, stderr=fh)
            except CellExecutionError as e:
                raise RuntimeError(f"report cell failed:\n{e}") from e
            finally:
                if km.has_kernel:
                    km.shutdown_kernel(now=True)
                km.cleanup_resources()
    return nb


# ---- outputs -> Markdown ----------------------------------------------------------------------
IMAGE_TYPES = {"svg": ("image/svg+xml", "image/png"), "png": ("image/png", "image/svg+xml")}


def notebook_to_markdown(nb, fig_dir: Path, prefer: str = "svg") -> str:
    """The executed notebook as Markdown. An image output carrying both SVG and PNG is written in
    the `prefer`red form (the PDF takes SVG, the HTML PNG); text/plain of an image becomes its alt text."""
    fig_dir.mkdir(parents=True, exist_ok=True)
    parts, n = [], 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
            continue
        opts = cell.metadata.get("qmd", {})
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "stream" and out.get("name") == "stdout" and opts.get("output") == "asis":
                parts.append(out["text"])
            elif kind in ("display_data", "execute_result"):
                data = out.get("data", {})
                if "text/markdown" in data:
                    parts.append(data["text/markdown"])
                    continue
                mime = next((t for t in IMAGE_TYPES[prefer] if t in data), None)
                if mime is None:
                    continue
                n += 1
                svg = mime == "image/svg+xml"
                f = fig_dir / f"fig-{n}.{'svg' if svg else 'png'}"
                if svg:
                    f.write_text(data[mime], encoding="utf-8")
                else:
                    f.write_bytes(base64.b64decode(data[mime]))
                alt = str(data.get("text/plain", "")).strip().strip("'\"")
                alt = alt if alt and not alt.startswith("<") else ""
                # alt= attribute, not ![alt]: pandoc would turn the alt text into a second caption
                alt_attr = f' alt="{alt.replace(chr(34), "“")}"' if alt else ""
                parts.append(f"![]({f.parent.name}/{f.name}){{width=100%{alt_attr}}}")
    return "\n\n".join(p.strip("\n") for p in parts if p and p.strip()) + "\n"


# ---- pandoc / typst ---------------------------------------------------------------------------
def check_cjk_fonts() -> None:
    import typst

    families = set(typst.Fonts(include_system_fonts=True).families())
    missing = [f for f in CJK_FONTS if f not in families]
    if missing:
        raise SzeiError(
            f"未安装中文字体（{', '.join(missing)}），PDF 中的中文将无法显示。请以 root 运行：apt-get install fonts-noto-cjk",
            f"No CJK font installed ({', '.join(missing)}); Chinese would print as boxes. "
            "Install it as root: apt-get install fonts-noto-cjk",
        )


def _pandoc(args: list[str], source: Path, cwd: Path) -> None:
    import subprocess

    import pypandoc

    cmd = [pypandoc.get_pandoc_path(), str(source), "-f", "markdown", "--wrap=none", *args]
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"pandoc failed ({' '.join(cmd)}):\n{r.stderr}")


def load_config(qmd: Path, front: dict) -> dict:
    cfg = {}
    q = qmd.parent / "_quarto.yml"
    if q.is_file():
        cfg = yaml.safe_load(q.read_text(encoding="utf-8")) or {}
    for k, v in front.items():  # the document's front matter wins, as in Quarto
        cfg[k] = v
    return cfg


def render_html(md: Path, out: Path, cfg: dict, qmd_dir: Path, title: str) -> Path:
    html = (cfg.get("format") or {}).get("html") or {}
    args = ["-t", "html5", "--standalone", "--embed-resources", "-o", str(out),
            "--resource-path", f"{md.parent}:{qmd_dir}", "-M", f"lang={cfg.get('lang', 'zh-CN')}",
            "-M", f"pagetitle={title}"]
    if html.get("css"):
        args += ["--css", str(qmd_dir / html["css"])]
    _pandoc(args, md, md.parent)
    out.write_text(embed_fonts(out.read_text(encoding="utf-8")), encoding="utf-8")
    return out


def render_typst_source(md: Path, out: Path, cfg: dict, qmd_dir: Path) -> Path:
    typ = dict((cfg.get("format") or {}).get("typst") or {})
    header = typ.pop("include-in-header", None)
    meta = {k: v for k, v in typ.items() if v is not None}
    meta["lang"] = cfg.get("lang", "zh-CN")
    meta_file = out.with_suffix(".meta.yaml")
    meta_file.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    args = ["-t", "typst", "--standalone", "-o", str(out), "--metadata-file", str(meta_file)]
    for h in [header] if isinstance(header, str) else (header or []):
        args += ["-H", str(qmd_dir / h)]
    _pandoc(args, md, md.parent)
    return out


def compile_pdf(typ: Path, out: Path) -> Path:
    import typst

    try:
        _, warnings = typst.compile_with_warnings(str(typ), output=str(out), root=str(typ.parent), format="pdf")
    except typst.TypstError as e:
        raise RuntimeError(f"typst failed on {typ}:\n{getattr(e, 'diagnostic', e)}") from e
    bad = [w.message for w in warnings if "unknown font family" in w.message]
    if bad:
        raise SzeiError(
            f"PDF 排版缺少字体：{'；'.join(bad)}。请以 root 运行：apt-get install fonts-noto-cjk",
            f"Fonts missing for the PDF: {'; '.join(bad)}. Install them as root: apt-get install fonts-noto-cjk",
        )
    return out


def render_qmd(qmd: Path, out_dir: Path, params: dict, *, title: str, env: dict | None = None) -> dict[str, Path]:
    """Execute `qmd` with `params` and write report.html, report.pdf (and the intermediate files in _build).

    Writes straight into `out_dir`: `render_report` points it at a fresh temporary folder and
    publishes the finished files itself.
    """
    check_cjk_fonts()
    text = qmd.read_text(encoding="utf-8")
    front, _ = split_front_matter(text)
    cfg = load_config(qmd, front)
    nb = qmd_to_notebook(text, params)
    build = out_dir / "_build"
    build.mkdir(parents=True, exist_ok=True)
    execute(nb, cwd=qmd.parent, env=env, log=build / "kernel.log")
    md_html = build / f"{qmd.stem}.html.md"
    md_html.write_text(notebook_to_markdown(nb, build / "figures-html", prefer="png"), encoding="utf-8")
    md = build / f"{qmd.stem}.md"
    md.write_text(notebook_to_markdown(nb, build / "figures", prefer="svg"), encoding="utf-8")
    html = render_html(md_html, out_dir / f"{qmd.stem}.html", cfg, qmd.parent, title)
    typ = render_typst_source(md, build / f"{qmd.stem}.typ", cfg, qmd.parent)
    pdf = compile_pdf(typ, out_dir / f"{qmd.stem}.pdf")
    return {"html": html, "pdf": pdf, "markdown": md, "typst": typ}

"""The genuine Quarto CLI, where one is installed: found, and run once per output format."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pipelines.errors import SzeiError
from pipelines.settings import REPORT_PARAM_VARS, Settings

FORMATS = {"html": "html", "typst": "pdf"}  # Quarto format -> the file it writes


def find_quarto() -> str | None:
    """SZEI_QUARTO or QUARTO_PATH if set, else `quarto` on PATH; None with SZEI_NO_QUARTO=1 or none found.
    A variable naming something that is not there is an error, not a silent fallback."""
    settings = Settings.from_env()
    if settings.no_quarto:
        return None
    if settings.quarto is None:
        return shutil.which("quarto")
    var, named = settings.quarto
    p = Path(named)
    for cand in (p, p / "bin" / "quarto"):
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    raise SzeiError(f"环境变量 {var} 指向的 Quarto 不存在或不可执行：{named}",
                    f"{var} names no executable Quarto: {named}")


def render_with_quarto(quarto: str, qmd: Path, out_dir: Path, params: dict, env: dict) -> dict[str, Path]:
    """`quarto render` once per format (Quarto refuses `--to html,typst` when the formats are only in
    _quarto.yml). The source folder is copied first, so Quarto's own scratch files (.quarto/, *_files/)
    never land in reports/ and two renders never share them. Cells run in this interpreter."""
    # not inside out_dir: `szei report` renders into a hidden temporary folder, and Quarto does not
    # take a folder under a hidden one as a project ("--output-dir can only be used when rendering projects")
    scratch = Path(tempfile.mkdtemp(prefix="szei-quarto-"))
    src = scratch / qmd.parent.name
    shutil.copytree(qmd.parent, src, ignore=shutil.ignore_patterns("_output", ".quarto", "*_files", "*.html", "*.pdf"))
    # parameters as environment variables: Quarto's -P needs papermill, which szei does not install
    full_env = {**os.environ, **env, "QUARTO_PYTHON": sys.executable,
                **{REPORT_PARAM_VARS[k]: str(v) for k, v in params.items()}}
    done = {}
    try:
        for fmt, ext in FORMATS.items():
            args = [quarto, "render", str(src / qmd.name), "--to", fmt, "--output-dir", str(out_dir)]
            r = subprocess.run(args, capture_output=True, text=True, env=full_env, cwd=src)
            if r.returncode != 0:
                raise RuntimeError(f"quarto render --to {fmt} failed:\n{r.stderr[-4000:]}")
            done[ext] = out_dir / f"{qmd.stem}.{ext}"
            if not done[ext].is_file():
                raise RuntimeError(f"quarto render --to {fmt} wrote no {done[ext].name}:\n{r.stderr[-2000:]}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return done

"""Typst source -> PDF, and the check that the CJK fonts the report names are installed."""

from __future__ import annotations

from pathlib import Path

from pipelines.errors import SzeiError

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC")


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

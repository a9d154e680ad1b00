"""The HTML carries its own CJK fonts: subsets of the installed Noto CJK fonts, as data: URLs."""

from __future__ import annotations

import base64
import io
import re

from fontTools.ttLib import TTFont

from pipelines.render.fonts import embed_fonts, page_text

PAGE = "<html><head><title>t</title></head><body><h1>全市完成进度 96.4%</h1><p>龙岗区排名第1位</p></body></html>"


def embedded_faces(html: str) -> list[tuple[str, int, TTFont]]:
    faces = []
    for family, weight, data in re.findall(
        r'font-family: "([^"]+)"; font-weight: (\d+);.*?base64,([A-Za-z0-9+/=]+)\)', html
    ):
        faces.append((family, int(weight), TTFont(io.BytesIO(base64.b64decode(data)))))
    return faces


def test_subsets_cover_the_page_and_nothing_external():
    html = embed_fonts(PAGE)
    faces = embedded_faces(html)
    assert [(f, w) for f, w, _ in faces] == [
        ("Noto Serif CJK SC", 400), ("Noto Sans CJK SC", 400), ("Noto Sans CJK SC", 700)]
    for _, _, font in faces:
        cmap = font.getBestCmap()
        assert all(ord(ch) in cmap for ch in "全市完成进度龙岗区排名第位%.0123456789")
        assert ord("鹏") not in cmap  # a subset: characters the page does not use are left out
        assert font.flavor == "woff"
    assert "http" not in html.split("<style>")[1]


def test_page_text_ignores_markup_and_styles():
    text = page_text("<style>.x{color:red}</style><p title='忽略'>可见</p>")
    assert "可" in text and "见" in text and "忽" not in text

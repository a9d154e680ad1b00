"""szei's renderer (pipelines/render): the Quarto subset it supports, on small documents."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from pipelines.render import crossref, render_qmd
from pipelines.render.markdown import notebook_to_markdown, quarto_plain
from pipelines.render.qmd import qmd_to_notebook

POPPLER = shutil.which("pdftotext") is not None

DOC = """---
pagetitle: 测试文档
lang: zh-CN
---

```{python}
#| tags: [parameters]
period = ""
```

```{python}
from IPython.display import Markdown
class T:
    def _repr_markdown_(self):
        return "| 区 | 规模（亿元） |\\n|:--|--:|\\n| 福田区 | 1.50 |\\n"
name = "<img src=x onerror=alert(1)>|a*b"
safe = Markdown("\\\\<b\\\\>ok\\\\</b\\\\>")
empty = ""
```

# 一、规模 `{python} period`

全市规模见[@tbl-scale]，又见 @tbl-scale。数字 `{python} 1.5 + 1`，文本 `{python} "a*b_c"`，空值 `{python} empty`。
安全的 `{python} safe`。

::: {#tbl-scale}
```{python}
T()
```

各区规模（`{python} period`）
:::

::: {#tbl-second}
```{python}
T()
```

第二张表
:::

见[@tbl-second]。
"""


def test_parameters_are_injected_after_the_parameters_cell():
    nb = qmd_to_notebook(DOC, {"period": "2012-12"})
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata["tags"] == ["parameters"] and code[1].metadata["tags"] == ["injected-parameters"]
    assert "period = '2012-12'" in code[1].source
    assert nb.metadata["qmd"]["pagetitle"] == "测试文档"


def test_inline_expressions_become_cells_in_place():
    nb = qmd_to_notebook(DOC)
    inline = [c for c in nb.cells if "inline" in c.metadata]
    assert [c.source for c in inline[:5]] == ["period", "1.5 + 1", "\"a*b_c\"", "empty", "safe"]
    assert all("{python}" not in c.source for c in nb.cells if c.cell_type == "markdown")


def test_quarto_plain_escaping():
    assert quarto_plain("'a*b_c'") == "a\\*b\\_c"
    assert quarto_plain("2.5") == "2.5"
    assert quarto_plain("''") == ""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    d = tmp_path_factory.mktemp("doc")
    qmd = d / "doc.qmd"
    qmd.write_text(DOC, encoding="utf-8")
    (d / "_quarto.yml").write_text("format:\n  typst:\n    papersize: a4\n    mainfont: Noto Serif CJK SC\n",
                                   encoding="utf-8")
    return render_qmd(qmd, d / "out", {"period": "2012-12"})


@pytest.mark.slow
def test_html_numbers_captions_refs_and_inline_values(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    body = re.sub(r"[ \t\n]+", " ", html.split("<body", 1)[1])
    assert "一、规模 2012-12" in body
    assert '<a href="#tbl-scale" class="quarto-xref">表1</a>' in body
    assert body.count('class="quarto-xref">表1</a>') == 2 and 'class="quarto-xref">表2</a>' in body
    assert re.search(r"表1\u3000 ?各区规模（2012-12）", body) and "表2\u3000第二张表" in body
    assert 'id="tbl-scale"' in body and "福田区" in body
    assert "数字 2.5，文本 a*b_c，" in body
    assert "空值 <code>{python} empty</code>" in body  # as Quarto leaves an empty value
    assert "安全的 &lt;b&gt;ok&lt;/b&gt;" in body


@pytest.mark.slow
@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_pdf_has_captions_and_refs(rendered):
    typ = rendered["typst"].read_text(encoding="utf-8")
    assert 'kind: "quarto-float-tbl"' in typ and "<tbl-scale>" in typ
    assert "#ref(<tbl-scale>, supplement: [表])" in typ
    text = subprocess.run(["pdftotext", str(rendered["pdf"]), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "Figure" not in text and "Table" not in text
    assert "各区规模（2012-12）" in flat and "第二张表" in flat and "见表2" in flat
    info = subprocess.run(["pdfinfo", str(rendered["pdf"])], capture_output=True, text=True).stdout
    assert "测试文档" in info  # the PDF's Title: the preamble's, else the page title


def test_crossref_unknown_label_is_an_error():
    with pytest.raises(ValueError, match="tbl-nope"):
        crossref.resolve("见[@tbl-nope]。\n", "html")


def test_crossref_numbers_per_kind_in_order():
    md = "::: {#fig-a}\n![](x.png)\n\n图甲\n:::\n\n::: {#tbl-b}\n| a |\n|--|\n| 1 |\n\n表乙\n:::\n\n[@fig-a] [@tbl-b]\n"
    html = crossref.resolve(md, "html")
    assert "图1\u3000图甲" in html and "表1\u3000表乙" in html
    assert "[图1](#fig-a){.quarto-xref} [表1](#tbl-b){.quarto-xref}" in html
    assert html.index("表1\u3000表乙") < html.index("| 1 |")  # table captions on top
    assert html.index("图1\u3000图甲") > html.index("x.png")  # figure captions below
    typ = crossref.resolve(md, "typst")
    assert 'supplement: "图"' in typ and 'supplement: "表"' in typ and "<fig-a>" in typ


def test_notebook_to_markdown_prefers_html_for_html_and_svg_for_typst(tmp_path):
    import nbformat.v4 as v4

    out = v4.new_output("display_data", data={"text/html": "<img alt=x>", "image/svg+xml": "<svg/>"})
    nb = v4.new_notebook(cells=[v4.new_code_cell("x", outputs=[out], metadata={"qmd": {}})])
    assert "```{=html}\n<img alt=x>\n```" in notebook_to_markdown(nb, tmp_path, "html")
    md = notebook_to_markdown(nb, tmp_path, "typst")
    assert md.strip() == "![](" + tmp_path.name + "/fig-1.svg)"

"""pipelines.ingest: read any file as text, map headers, never raise."""

from pathlib import Path

import polars as pl

from pipelines.ingest import read_output_file

HEADER = "统计年度,累计期,单位代码,单位名称,产业类别,注册地,产值发生地,本年累计产值（万元）,备注\n"


def test_gbk_is_decoded_and_everything_is_text(tmp_path: Path):
    p = tmp_path / "a.csv"
    p.write_bytes((HEADER + "2012,1-3月,0012,甲,生物,南山,南山,00100,额外\n").encode("gbk"))
    raw = read_output_file(p)
    assert raw.file_error_zh is None and raw.encoding == "gbk" and raw.value_unit == "万元"
    assert all(dt == pl.String for c, dt in raw.frame.schema.items() if c != "__row")
    assert raw.frame["单位代码"].item() == "0012" and raw.frame["本年累计产值（万元）"].item() == "00100"
    assert raw.frame["__row"].item() == 2 and raw.header_map["ytd_value"] == "本年累计产值（万元）"


def test_headers_with_spaces_and_halfwidth_brackets(tmp_path: Path):
    p = tmp_path / "a.csv"
    p.write_text(" 统计年度 ,累计期,单位代码,单位名称,产业类别,注册地,本年累计产值 (亿元)\n", encoding="utf-8")
    raw = read_output_file(p)
    assert raw.file_error_zh is None and raw.value_unit == "亿元" and raw.factor == 10000.0
    assert "output_district" not in raw.header_map  # optional column


def test_unknown_unit_names_the_column(tmp_path: Path):
    p = tmp_path / "a.csv"
    p.write_text("统计年度,累计期,单位代码,单位名称,产业类别,注册地,本年累计产值（美元）\n2012,1-3月,x,y,生物,南山,1\n")
    raw = read_output_file(p)
    assert raw.error_column == "本年累计产值（美元）" and "本年累计产值（美元）" in raw.file_error_zh
    assert raw.recognised and raw.frame.height == 1


def test_two_value_columns_are_ambiguous(tmp_path: Path):
    p = tmp_path / "a.csv"
    p.write_text("统计年度,累计期,单位代码,单位名称,产业类别,注册地,本年累计产值（万元）,本年累计产值（千元）\n")
    assert "同一字段" in read_output_file(p).file_error_zh


def test_a_header_written_twice_is_ambiguous_not_a_missing_unit_or_an_extra_column(tmp_path: Path):
    """The same header twice (a value column, or any field: two 单位代码 columns that may differ) rejects the
    file as ambiguous, naming both columns. Before, the second copy was renamed 「…（第 N 列）」 and then judged
    under that name: a value header 'without a unit', or, for any other field, an unknown extra column kept
    silently while the first copy was used."""
    for header, field_name in (("本年累计产值（万元）", "本年累计产值（万元）"), ("单位代码", "单位代码")):
        p = tmp_path / "a.csv"
        p.write_text(HEADER.rstrip("\n") + f",{header}\n" + "2012,1-3月,0012,甲,生物,南山,南山,100,额外,999\n",
                     encoding="utf-8")
        raw = read_output_file(p)
        assert raw.file_error_zh.endswith(f"：列「{field_name}」与列「{field_name}（第 10 列）」表示同一字段，无法确定使用"
                                          "哪一列；请删除或改名多余的一列后重新报送"), raw.file_error_zh
        assert raw.file_error_zh.startswith("文件 a.csv 第 1 行（表头）")
        assert raw.error_column == f"{field_name}（第 10 列）"
        assert "计量单位" not in raw.file_error_zh and raw.frame.height == 1


def test_a_file_with_a_header_and_no_rows_is_warned(tmp_path: Path):
    """Read, not rejected (nothing in it is wrong), but said: a delivery of no records is worth a look."""
    p = tmp_path / "a.csv"
    p.write_text(HEADER + "\n,,,,,,,,\n", encoding="utf-8")
    raw = read_output_file(p)
    assert raw.file_error_zh is None and raw.frame.height == 0
    assert [code for code, _, _ in raw.file_warnings] == ["file_no_records"]
    p.write_text(HEADER + "2012,1-3月,0012,甲,生物,南山,南山,100,\n", encoding="utf-8")
    assert read_output_file(p).file_warnings == []


def test_missing_file_is_an_error_not_an_exception(tmp_path: Path):
    raw = read_output_file(tmp_path / "nope.csv")
    assert raw.file_error_zh and raw.frame is None

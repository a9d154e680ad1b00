"""The work plan's reference data: its own checks, and every number against the document."""

from __future__ import annotations

import re

import polars as pl
import pytest

from pipelines.errors import ReferenceDataError
from pipelines.reference import load_reference
from tests.conftest import PLAN_TEXT, TARGETS_DIR

INDUSTRIES = ["生物", "互联网", "新能源"]


@pytest.fixture(scope="module")
def reference():
    return load_reference(TARGETS_DIR)


def document_scale_table() -> pl.DataFrame:
    """Parse the table of section 十（一） from the plan's text: one value per line after each unit name."""
    text = PLAN_TEXT.read_text(encoding="utf-8")
    section = text[text.index("各区(新区)产业发展目标分解如下") : text.index("说明：生物产业数据按产值发生地统计")]
    lines = [line.strip().replace(" ", "").replace("\u3000", "") for line in section.splitlines()]
    lines = [line for line in lines if line]
    rows = []
    for i, line in enumerate(lines):
        if line in {"全市", "福田区", "罗湖区", "南山区", "盐田区", "宝安区", "龙岗区", "光明新区", "坪山新区"}:
            values = [float(v) for v in lines[i + 1 : i + 7]]
            for (year, industry), value in zip([(y, ind) for y in (2011, 2012) for ind in INDUSTRIES], values):
                rows.append({"year": year, "district": line, "industry": industry, "target_yi": value})
    return pl.DataFrame(rows)


def test_scale_targets_match_the_document(reference):
    expected = document_scale_table()
    assert len(expected) == 54  # 9 rows × 2 years × 3 industries
    actual = reference.scale_targets.select("year", "district", "industry", "target_yi")
    joined = expected.join(actual, on=["year", "district", "industry"], how="full", suffix="_csv")
    mismatches = joined.filter(pl.col("target_yi") != pl.col("target_yi_csv"))
    assert joined["target_yi_csv"].null_count() == 0 and joined["target_yi"].null_count() == 0
    assert mismatches.is_empty(), mismatches


def test_districts_sum_to_city_for_every_year_and_industry(reference):
    t = reference.scale_targets
    sums = (
        t.group_by("year", "industry")
        .agg(
            pl.col("target_yi").filter(pl.col("district") != "全市").sum().alias("districts"),
            pl.col("target_yi").filter(pl.col("district") == "全市").sum().alias("city"),
            pl.col("district").filter(pl.col("district") != "全市").n_unique().alias("units"),
        )
    )
    assert len(sums) == 6
    assert (sums["districts"] == sums["city"]).all()
    assert (sums["units"] == 8).all()


def test_2012_city_targets_sum_to_2800(reference):
    t = reference.scale_targets
    city_2012 = t.filter((pl.col("year") == 2012) & (pl.col("district") == "全市"))["target_yi"].sum()
    combined = reference.combined_targets.filter(pl.col("year") == 2012)["target_yi"].item()
    assert city_2012 == combined == 2800
    assert "三大产业产业规模达到2800亿元" in PLAN_TEXT.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("year", "industry", "band", "floor", "stretch", "phrase"),
    [
        (2011, "生物", "超十亿元", 10, 10, "年产值超十亿元企业10家"),
        (2011, "生物", "超亿元", 80, 80, "超亿元企业80家"),
        (2011, "互联网", "超百亿元", 1, 1, "营业收入超百亿元企业达到1家"),
        (2011, "互联网", "超十亿元", 3, 3, "超十亿元企业达到3家"),
        (2011, "互联网", "超亿元", 10, 10, "超亿元企业达到10家"),
        (2011, "新能源", "超百亿元", 3, 3, "力争年产值超百亿元企业达到3家"),
        (2011, "新能源", "超十亿元", 4, 4, "超十亿元企业达到4家"),
        (2011, "新能源", "超亿元", 15, 15, "超亿元企业达到15家"),
        (2012, "生物", "超百亿元", 1, 1, "培育销售收入超百亿元企业1家"),
        (2012, "生物", "超十亿元", 25, 25, "超十亿元企业25家左右"),
        (2012, "生物", "超亿元", 120, 120, "超亿元企业120家左右"),
        (2012, "互联网", "超百亿元", 1, 2, "营业收入超百亿元企业达到1—2家"),
        (2012, "互联网", "超十亿元", 8, 8, "超十亿元企业达到8家"),
        (2012, "互联网", "超亿元", 30, 30, "超亿元企业达到30家"),
        (2012, "新能源", "超百亿元", 4, 4, "力争年产值超百亿元企业达到4家"),
        (2012, "新能源", "超十亿元", 5, 5, "超十亿元企业达到5家"),
        (2012, "新能源", "超亿元", 20, 20, "超亿元企业达到20家"),
    ],
)
def test_band_targets_match_the_document(reference, year, industry, band, floor, stretch, phrase):
    text = PLAN_TEXT.read_text(encoding="utf-8")
    start = text.index(f"({'一' if year == 2011 else '二'}){year}年目标")
    paragraph = next(p for p in text[start:].split("\n") if p.strip().startswith(industry + "产业规模"))
    assert phrase in paragraph
    row = reference.band_targets.filter(
        (pl.col("year") == year) & (pl.col("industry") == industry) & (pl.col("band") == band)
    )
    assert row.select("target_floor", "target_stretch").row(0) == (floor, stretch)


def test_no_2011_bio_over_100_yi_target(reference):
    """The plan sets none: the row is absent (NULL in the marts), not zero."""
    b = reference.band_targets
    assert b.filter((pl.col("year") == 2011) & (pl.col("industry") == "生物") & (pl.col("band") == "超百亿元")).is_empty()
    assert len(b) == 17


def test_counting_rule_and_new_areas(reference):
    rules = dict(reference.industries.select("industry", "counting_rule_zh").iter_rows())
    assert rules == {"生物": "产值发生地", "互联网": "企业注册地", "新能源": "企业注册地"}
    text = PLAN_TEXT.read_text(encoding="utf-8")
    assert "生物产业数据按产值发生地统计；互联网、新能源产业数据按企业注册地统计" in text
    d = reference.districts
    parents = dict(d.filter(~pl.col("is_target_unit")).select("district", "target_unit").iter_rows())
    assert parents == {"龙华新区": "宝安区", "大鹏新区": "龙岗区"}
    assert d.filter(pl.col("is_target_unit"))["district"].to_list() == [
        "福田区", "罗湖区", "南山区", "盐田区", "宝安区", "龙岗区", "光明新区", "坪山新区"
    ]
    assert reference.district_aliases()["南山"] == "南山区"
    assert reference.district_aliases()["光明"] == "光明新区"


# Every indicator of the register, with the phrase of the plan that states its number.
INDICATOR_PHRASES = {
    "BIO-DRUG-2011": (1, "开发出1个以上针对重大疾病、具有全球专利保护的创新药"),
    "BIO-DEVICE-2011": (1, "1个以上跨领域、多系统集成、具有全球专利保护的新型生物医疗设备产品"),
    "NET-BASE-2011": (6, "推进6个互联网产业基地建设"),
    "NET-RND-2011": (40, "新建、续建40个以上市级研发机构"),
    "NE-BASE-2011": (4, "争取开工建设4个新能源产业基地"),
    "NE-NATPLAT-2011": (2, "启动2个以上国家级研发平台建设"),
    "NE-CITYPLAT-2011": (20, "组建20个以上市级研发平台"),
    "BIO-DRUG-2012": (3, "开发出3个以上针对重大疾病、具有全球专利保护的创新药"),
    "BIO-DEVICE-2012": (3, "3个以上跨领域、多系统集成、具有全球专利保护的新型生物医疗设备产品"),
    "NET-BASE-2012": (6, "初步建成6个互联网产业基地"),
    "NET-RND-2012": (50, "新建、续建50个以上市级研发机构"),
    "NE-BASE-2012": (6, "初步建成6个新能源产业基地"),
    "NE-NATPLAT-2012": (2, "建成2个以上国家级研发平台"),
    "NE-CITYPLAT-BUILT-2012": (20, "和20个市级研发平台"),
    "NE-CITYPLAT-2012": (20, "组建20个以上市级研发平台"),
    "STD-2012": (10, "参与标准、技术规范编制10项以上"),
}


def test_every_indicator_of_the_register_is_stated_in_the_document(reference):
    text = PLAN_TEXT.read_text(encoding="utf-8")
    register = dict(reference.indicators.select("indicator_id", "target_value").iter_rows())
    assert set(register) == set(INDICATOR_PHRASES)
    for indicator_id, (value, phrase) in INDICATOR_PHRASES.items():
        year = int(indicator_id[-4:])
        section = "一、主要目标" if not indicator_id.startswith("STD") else "（三）建立产业标准及分析体系"
        start = text.index(f"({'一' if year == 2011 else '二'}){year}年目标") if section == "一、主要目标" else 0
        assert phrase in text[start:], indicator_id
        assert register[indicator_id] == value, indicator_id
    std = reference.indicators.filter(pl.col("indicator_id") == "STD-2012")
    assert std["responsible_units"].item() == "市市场监管局"


def test_a_wrong_number_fails_the_reference_checks(targets_copy):
    path = targets_copy / "scale_targets.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2012,南山区,生物,460", "2012,南山区,生物,461"),
                    encoding="utf-8")
    with pytest.raises(ReferenceDataError) as err:
        load_reference(targets_copy)
    assert "scale_targets.csv" in err.value.message()
    assert "districts_sum_to_city" in err.value.message()


def test_a_value_that_is_not_a_number_names_its_column_line_and_value(targets_copy):
    """'abc' as a target: the message names the column, the file's line and the value, in words — not
    pandera's schema-level coerce_dtype('{'year': DataType(Int64), … with the schema's name as the column."""
    path = targets_copy / "scale_targets.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("2012,南山区,生物,460"))
    lines[at] = "2012,南山区,生物,abc\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ReferenceDataError) as err:
        load_reference(targets_copy)
    text = err.value.message()
    assert f"列 target_yi：第 {at + 1} 行的值「abc」不是数字（Float64）" in text, text
    assert "coerce_dtype" not in text and "DataType" not in text and "ScaleTargets" not in text


def test_a_swapped_number_keeps_the_sums_but_fails_against_the_document(targets_copy):
    """Moving 1亿 between two districts keeps every sum: only the comparison with the text catches it."""
    path = targets_copy / "scale_targets.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("2012,福田区,生物,30", "2012,福田区,生物,31").replace("2012,罗湖区,生物,6", "2012,罗湖区,生物,5")
    path.write_text(text, encoding="utf-8")
    swapped = load_reference(targets_copy).scale_targets
    expected = document_scale_table()
    joined = expected.join(swapped, on=["year", "district", "industry"], suffix="_csv")
    assert joined.filter(pl.col("target_yi") != pl.col("target_yi_csv")).height == 2


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ReferenceDataError) as err:
        load_reference(tmp_path / "nowhere")
    assert "参考数据目录不存在" in err.value.message()


@pytest.mark.parametrize("value", ["-30", "abc"])
def test_a_broken_target_row_is_named_by_its_line_in_the_file(targets_copy, value):
    """Line 38 of scale_targets.csv is 2012 福田区 生物 (six comment lines stand above the header)."""
    path = targets_copy / "scale_targets.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[37].startswith("2012,福田区,生物,")
    lines[37] = f"2012,福田区,生物,{value}\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ReferenceDataError) as err:
        load_reference(targets_copy)
    message = err.value.zh
    first = message.split(";")[0]
    assert "target_yi" in first or "coerce" in first
    assert "第 38 行" in first and value.lstrip("-") in first
    # the sum check names only the rows of 2012 生物 (全市 on line 35, then every 3rd line), in file order
    named = [int(n) for n in re.findall(r"第 (\d+) 行", message)]
    assert all(n == 35 or (n - 35) % 3 == 0 for n in named), named
    assert "Error(" not in message  # no engine messages when a value cannot be read

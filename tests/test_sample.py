"""The synthetic sample generator (pipelines.sample): determinism, validity, calibration, formats."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import SzeiError
from pipelines.sample import SAMPLE_MARKER, generate_sample
from pipelines.sample.economy import DISTRICTS, scale_targets
from pipelines.sample.generate import GENERATOR_VERSION
from pipelines.sample.summary import (
    KEY,
    apply_revisions,
    band_counts,
    city_totals,
    district_totals,
    read_marker,
    read_sample,
)
from pipelines.validation.checkcodes import unit_code_is_valid

ROOT = Path(__file__).resolve().parent.parent
MONTHS = pl.col("period").str.extract(r"1-(\d+)月").cast(pl.Int32)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "output"
    generate_sample(out)
    return out


@pytest.fixture(scope="module")
def rows(sample: Path) -> pl.DataFrame:
    return read_sample(sample)


def test_same_seed_and_size_give_byte_identical_files(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    files_a = generate_sample(a, seed=7, enterprises=600)
    files_b = generate_sample(b, seed=7, enterprises=600)
    generate_sample(c, seed=8, enterprises=600)
    assert [p.name for p in files_a] == [p.name for p in files_b]
    for name in [p.name for p in files_a] + [SAMPLE_MARKER]:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "2012_1-12月.csv").read_bytes() != (c / "2012_1-12月.csv").read_bytes()


def test_marker_file(sample: Path) -> None:
    marker = json.loads((sample / SAMPLE_MARKER).read_text(encoding="utf-8"))
    assert marker["synthetic"] is True
    assert marker["label"] == "模拟数据"
    assert marker["seed"] == 2012
    assert marker["enterprises"] == 1500
    assert marker["generator_version"] == GENERATOR_VERSION
    assert marker["years"] == [2010, 2011, 2012]
    data_files = sorted(p.name for p in sample.iterdir() if p.suffix in (".csv", ".xlsx"))
    assert marker["files"] == data_files
    assert len(data_files) == 3 * 4 + 1  # one file per year and period + the revision
    assert "2012_1-12月_修订.csv" in data_files
    assert marker["rows_total"] == sum(f["rows"] for f in marker["file_details"])
    kinds = [b["kind"] for b in marker["bad_rows"]]
    assert kinds == [
        "bad_check_char",
        "unknown_district",
        "bio_missing_output_district",
        "negative_value",
        "non_numeric_value",
        "exact_duplicate",
        "conflicting_duplicate",
    ]
    assert marker["expected_rejected_rows"] == 8
    assert marker["expected_rejected_rows"] < 0.01 * marker["rows_total"]


def test_injected_bad_rows_are_where_the_marker_says(sample: Path) -> None:
    raw = read_sample(sample, drop_bad=False)
    marker = read_marker(sample)
    by_kind = {b["kind"]: b for b in marker["bad_rows"]}

    def row(b: dict) -> dict:
        return raw.filter(source_file=b["file"], source_row=b["row"]).row(0, named=True)

    assert row(by_kind["unknown_district"])["reg_district"] == "南海区"
    bio = row(by_kind["bio_missing_output_district"])
    assert bio["industry"] == "生物" and bio["output_district"] is None
    assert float(row(by_kind["negative_value"])["value_text"]) < 0
    assert row(by_kind["non_numeric_value"])["ytd_value_wan"] is None
    for kind, same_value in (("exact_duplicate", True), ("conflicting_duplicate", False)):
        b = by_kind[kind]
        copy = row(b)
        original = raw.filter(source_file=b["file"], source_row=b["duplicate_of_row"]).row(0, named=True)
        assert {k: copy[k] for k in KEY} == {k: original[k] for k in KEY}
        assert (copy["value_text"] == original["value_text"]) is same_value


def test_all_codes_valid_except_the_injected_bad_one(sample: Path) -> None:
    raw = read_sample(sample, drop_bad=False)
    invalid = raw.filter(~unit_code_is_valid(pl.col("unit_code")))
    bad = [b for b in read_marker(sample)["bad_rows"] if b["kind"] == "bad_check_char"]
    assert invalid.select("source_file", "source_row").rows() == [(b["file"], b["row"]) for b in bad]
    # all three spellings occur: 18-char USCC, 9-char org code, and 12345678-9
    codes = pl.concat([pl.read_csv(sample / "2012_1-12月.csv", infer_schema=False)["单位代码"]])
    lengths = set(codes.str.len_chars().unique().to_list())
    assert lengths == {9, 10, 18}
    assert codes.str.contains("-").any()


def test_no_bad_rows_when_disabled(tmp_path: Path) -> None:
    generate_sample(tmp_path, enterprises=400, bad_rows=False)
    marker = read_marker(tmp_path)
    assert marker["bad_rows"] == [] and marker["corrected_by_revision"] == [] and marker["expected_rejected_rows"] == 0
    raw = read_sample(tmp_path, drop_bad=False)
    assert raw.filter(~unit_code_is_valid(pl.col("unit_code"))).is_empty()
    assert raw["ytd_value_wan"].min() > 0
    assert raw.filter(pl.col("is_revision")).height == 6


def test_new_areas_only_from_2012(rows: pl.DataFrame) -> None:
    new = rows.filter(pl.col("reg_district").is_in(["龙华新区", "大鹏新区"]) | pl.col("output_district").is_in(["龙华新区", "大鹏新区"]))
    assert not new.is_empty()
    assert new["year"].unique().to_list() == [2012]
    assert set(new["reg_district"]) | set(new["output_district"].drop_nulls()) >= {"龙华新区", "大鹏新区"}


def test_districts_are_all_in_the_dictionary(rows: pl.DataFrame) -> None:
    assert set(rows["reg_district"]) <= set(DISTRICTS)
    assert set(rows["output_district"].drop_nulls()) <= set(DISTRICTS)


def test_counting_rule_features(rows: pl.DataFrame) -> None:
    annual = rows.filter(year=2012, period="1-12月", is_revision=False)
    bio = annual.filter(industry="生物")
    assert bio["output_district"].null_count() == 0
    multi = bio.group_by("unit_code").agg(pl.col("output_district").n_unique().alias("n"))
    assert (multi["n"] >= 2).sum() >= 20  # bio firms with several output districts
    others = annual.filter(pl.col("industry") != "生物")
    elsewhere = others.filter(pl.col("output_district").is_not_null() & (pl.col("output_district") != pl.col("reg_district")))
    assert elsewhere.height >= 20  # active outside their registration district
    assert others["output_district"].null_count() > 0  # optional for 互联网/新能源
    multi_industry = annual.group_by("unit_code").agg(pl.col("industry").n_unique().alias("n"))
    assert (multi_industry["n"] >= 2).sum() >= 20
    # one registration district per enterprise and year
    assert annual.group_by("unit_code").agg(pl.col("reg_district").n_unique().alias("n"))["n"].max() == 1


def test_ytd_non_decreasing_within_a_year(rows: pl.DataFrame) -> None:
    genuine = rows.filter(~pl.col("is_revision")).with_columns(months=MONTHS)
    assert genuine["ytd_value_wan"].null_count() == 0 and genuine["ytd_value_wan"].min() > 0
    steps = (
        genuine.sort("months")
        .group_by(["year", "unit_code", "industry", "output_district"])
        .agg(pl.col("ytd_value_wan").diff().min().alias("min_step"), pl.len().alias("n"))
    )
    assert steps["min_step"].min() >= 0
    assert steps["n"].max() == 4  # no key twice in a period among accepted rows
    # after revisions too
    revised = apply_revisions(rows).with_columns(months=MONTHS)
    steps = revised.sort("months").group_by(["year", "unit_code", "industry", "output_district"]).agg(
        pl.col("ytd_value_wan").diff().min().alias("min_step")
    )
    assert steps["min_step"].min() >= 0


def test_2012_city_totals_near_plan_targets(rows: pl.DataFrame) -> None:
    city = city_totals(rows)
    y2012 = city.filter(year=2012)
    assert y2012.height == 3
    for r in y2012.iter_rows(named=True):
        assert 0.7 <= r["completion"] <= 1.3, r
    bio_2010 = city.filter(year=2010, industry="生物")["value_yi"][0]
    assert bio_2010 == pytest.approx(500, rel=0.05)  # DOMAIN's calibration anchor
    # growth 2010 → 2011 → 2012 for every industry
    for industry in ("生物", "互联网", "新能源"):
        v = city.filter(industry=industry).sort("year")["value_yi"].to_list()
        assert v[0] < v[1] < v[2], industry


def test_district_totals_ahead_and_behind(rows: pl.DataFrame) -> None:
    dt = district_totals(rows).filter(pl.col("year") >= 2011)
    assert dt.height == 2 * 3 * 8
    assert dt["completion"].min() >= 0.78 and dt["completion"].max() <= 1.27
    assert (dt["completion"] < 0.95).sum() >= 5 and (dt["completion"] > 1.05).sum() >= 5


def test_band_counts_roughly_near_targets(rows: pl.DataFrame) -> None:
    bands = band_counts(rows).filter(year=2012)
    for r in bands.iter_rows(named=True):
        assert abs(r["超亿元"] - r["目标超亿"]) <= max(5, 0.25 * r["目标超亿"]), r
        assert abs(r["超十亿元"] - r["目标超十亿"]) <= max(3, 0.3 * r["目标超十亿"]), r
        assert abs(r["超百亿元"] - r["目标超百亿"]) <= 1, r


def test_formats_of_the_mixed_sample(sample: Path) -> None:
    gbk = (sample / "2010_1-12月.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert gbk.decode("gbk").startswith("统计年度,累计期")
    assert (sample / "2012_1-3月.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    qian = pl.read_csv(sample / "2011_1-9月.csv", infer_schema=False)
    assert "本年累计产值（千元）" in qian.columns
    xlsx = pl.read_excel(sample / "2011_1-6月.xlsx", sheet_name="数据")
    assert xlsx.height == read_marker(sample)["file_details"][6]["rows"]
    assert "本年累计产值（万元）" in xlsx.columns
    total_size = sum(p.stat().st_size for p in sample.iterdir())
    assert total_size < 3_000_000


def test_revision_file(sample: Path, rows: pl.DataFrame) -> None:
    rev = rows.filter(pl.col("is_revision"))
    assert rev.height == 7
    main = rows.filter(source_file="2012_1-12月.csv")
    joined = rev.join(main, on=KEY, how="inner", nulls_equal=True, suffix="_old")
    assert joined.height == 7
    slip = read_marker(sample)["corrected_by_revision"][0]
    fixed = joined.filter(pl.col("source_row_old") == slip["row"])
    assert fixed["ytd_value_wan_old"][0] == pytest.approx(10 * fixed["ytd_value_wan"][0], rel=1e-3)


def test_row_count_scales_with_enterprises(tmp_path: Path) -> None:
    small = generate_sample(tmp_path / "s", enterprises=300, formats="csv")
    large = generate_sample(tmp_path / "l", enterprises=3000, formats="csv")
    n_small = read_marker(tmp_path / "s")["rows_total"]
    n_large = read_marker(tmp_path / "l")["rows_total"]
    assert 8 < n_large / n_small < 12
    assert all(p.suffix == ".csv" for p in small + large)
    assert 10 * 3000 < n_large < 15 * 3000  # about a dozen rows per enterprise over 3 years


def test_years_subset(tmp_path: Path) -> None:
    files = generate_sample(tmp_path, enterprises=300, years=(2012,))
    assert [p.name for p in files] == sorted(
        ["2012_1-3月.csv", "2012_1-6月.csv", "2012_1-9月.csv", "2012_1-12月.csv", "2012_1-12月_修订.csv"]
    )
    with pytest.raises(SzeiError):
        generate_sample(tmp_path / "x", years=(2013,))


def test_never_overwrites_foreign_files_and_replaces_its_own(tmp_path: Path) -> None:
    (tmp_path / "福田区_2012.csv").write_text("统计年度\n2012\n", encoding="utf-8")
    with pytest.raises(SzeiError):
        generate_sample(tmp_path, enterprises=200)
    (tmp_path / "福田区_2012.csv").unlink()
    generate_sample(tmp_path, enterprises=200, formats="mixed")
    assert (tmp_path / "2011_1-6月.xlsx").exists()
    generate_sample(tmp_path, enterprises=200, formats="csv")
    assert not (tmp_path / "2011_1-6月.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".csv", ".xlsx")) == read_marker(tmp_path)["files"]


def test_embedded_targets_match_the_reference_file() -> None:
    ref = pl.read_csv(ROOT / "data" / "raw" / "targets" / "scale_targets.csv", comment_prefix="#")
    for (year, industry), targets in scale_targets().items():
        for district, target in zip(DISTRICTS, targets):
            got = ref.filter(year=year, industry=industry, district=district)["target_yi"][0]
            assert got == target, (year, industry, district)


def test_bundled_sample_is_the_default_generation(tmp_path: Path) -> None:
    bundled = ROOT / "data" / "raw" / "output"
    if not (bundled / SAMPLE_MARKER).exists():
        pytest.skip("no bundled sample")
    generate_sample(tmp_path)
    for name in read_marker(bundled)["files"] + [SAMPLE_MARKER]:
        assert (tmp_path / name).read_bytes() == (bundled / name).read_bytes(), name


@pytest.mark.parametrize(("seed", "enterprises"), [(1, 50), (2012, 10), (3, 60)])
def test_small_samples_generate_and_validate_as_their_marker_says(tmp_path: Path, seed: int, enterprises: int) -> None:
    """The smallest sizes `szei sample` accepts (10 enterprises and up) used to crash while choosing the
    revised keys (too few enterprises outside the 40 largest); they now revise some of those."""
    from pipelines.reference import load_reference
    from pipelines.validation import validate_output_files

    files = generate_sample(tmp_path, seed=seed, enterprises=enterprises)
    marker = read_marker(tmp_path)
    batch = validate_output_files(files, load_reference(ROOT / "data" / "raw" / "targets"))
    assert batch.quarantine.height == marker["expected_rejected_rows"] == 8
    revision = next(d for d in marker["file_details"] if d["is_revision"])
    assert revision["rows"] == 7 and batch.file_summary["rows_replaced"].sum() == 7

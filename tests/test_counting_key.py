"""The counting rule in the key (issue 12): for industries counted where the enterprise is registered
(互联网, 新能源 — read from industries.csv), 产值发生地 does not distinguish records."""

from __future__ import annotations

import shutil

import duckdb
import polars as pl
import pytest

from pipelines.marts import build_marts
from pipelines.reference import load_reference
from pipelines.validation import validate_output_files
from tests.conftest import TARGETS_DIR
from tests.marts_fixtures import params
from tests.test_validation_rules import row, run, uscc, write_csv


@pytest.fixture(scope="module")
def ref():
    return load_reference(TARGETS_DIR)


def outcome(batch):
    return (sorted(batch.accepted.select("source_file", "source_row", "ytd_value_wan").rows()),
            sorted(batch.quarantine.select("source_file", "source_row", "reason_codes").rows()))


@pytest.mark.parametrize("industry", ["互联网", "新能源"])
def test_empty_and_filled_output_district_are_one_record(ref, tmp_path, industry):
    """Same value: an exact duplicate (the first kept); different value: a conflict (both rejected)."""
    same = write_csv(tmp_path / "a.csv", [
        row(code=uscc(1), ind=industry, out="", val="50000"),
        row(code=uscc(1), ind=industry, out="福田区", val="50000"),
        row(code=uscc(2), ind=industry, out="", val="70000"),
        row(code=uscc(2), ind=industry, out="罗湖区", val="71000"),
    ])
    accepted, rejected = outcome(run(ref, same))
    assert accepted == [("a.csv", 2, 50000.0)]
    assert rejected == [("a.csv", 3, "duplicate_exact"), ("a.csv", 4, "duplicate_conflict"),
                        ("a.csv", 5, "duplicate_conflict")]


def test_two_files_differing_only_in_output_district_count_once(ref, tmp_path):
    a = write_csv(tmp_path / "a.csv", [row(code=uscc(3), ind="互联网", out="南山区", val="2000000")])
    b = write_csv(tmp_path / "b.csv", [row(code=uscc(3), ind="互联网", out="", val="2000000")])
    batch = run(ref, a, b)
    assert outcome(batch) == ([("a.csv", 2, 2000000.0)], [("b.csv", 2, "duplicate_exact")])
    # one enterprise in the band, one record in the marts
    db = tmp_path / "m.duckdb"
    assert build_marts(batch, ref, db, params()).published
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from int_attributed_output").fetchone()[0] == 1
        assert con.execute("select actual_yi from mart_attainment where year = 2012 and ytd_months = 3 and "
                           "district = '全市' and industry = '互联网'").fetchone()[0] == pytest.approx(200.0)
    finally:
        con.close()


def test_bio_records_in_two_output_districts_stay_two_records(ref, tmp_path):
    """生物 is counted where the output occurs: the output district is part of its key."""
    a = write_csv(tmp_path / "a.csv", [row(code=uscc(4), out="南山区", val="10"), row(code=uscc(4), out="坪山新区", val="20")])
    accepted, rejected = outcome(run(ref, a))
    assert accepted == [("a.csv", 2, 10.0), ("a.csv", 3, 20.0)] and rejected == []


def test_a_revision_replaces_an_internet_record_whatever_its_output_district(ref, tmp_path):
    base = write_csv(tmp_path / "2012_1-3月.csv", [row(code=uscc(5), ind="新能源", out="宝安区", val="100")])
    rev = write_csv(tmp_path / "2012_1-3月_修订.csv", [row(code=uscc(5), ind="新能源", out="", val="120")])
    batch = run(ref, base, rev)
    assert batch.accepted.select("source_file", "ytd_value_wan").rows() == [("2012_1-3月_修订.csv", 120.0)]
    assert batch.replaced.select("source_file", "replaced_by_file").rows() == [("2012_1-3月.csv", "2012_1-3月_修订.csv")]


def test_the_rule_is_read_from_the_reference_data(tmp_path):
    """Change industries.csv so that 互联网 is counted where the output occurs: its 产值发生地 then
    distinguishes records (the rule is not restated in code)."""
    targets = tmp_path / "targets"
    shutil.copytree(TARGETS_DIR, targets)
    text = (targets / "industries.csv").read_text(encoding="utf-8")
    (targets / "industries.csv").write_text(text.replace("互联网,internet,registration,企业注册地", "互联网,internet,output,产值发生地"),
                                            encoding="utf-8")
    ref = load_reference(targets)
    assert "互联网" in ref.industries.filter(pl.col("counting_rule") == "output")["industry"].to_list()
    a = write_csv(tmp_path / "a.csv", [row(code=uscc(6), ind="互联网", out="南山区", val="10"),
                                       row(code=uscc(6), ind="互联网", out="福田区", val="20")])
    batch = validate_output_files([a], ref, check_schema=False)
    assert batch.accepted.height == 2 and batch.quarantine.height == 0


@pytest.mark.parametrize("as_held", [True, False], ids=["categorical", "string"])
def test_the_accepted_schema_checks_uniqueness_on_the_counting_key(ref, tmp_path, as_held):
    """The pandera post-condition states the same key: two 新能源 records differing only in 产值发生地 fail it
    (one enterprise counted twice); the same two records as 生物 (counted where the output occurs) pass."""
    import pandera.errors

    from pipelines.validation.schemas import accepted_schema

    batch = run(ref, write_csv(tmp_path / "a.csv", [row(code=uscc(6), out="南山区", val="10"),
                                                   row(code=uscc(6), out="坪山新区", val="20")]))
    frame = batch.records if as_held else batch.accepted
    accepted_schema(ref).validate(frame, lazy=True)  # two 生物 records: two output districts, two records
    industry = frame["industry"].cast(pl.String).str.replace("生物", "新能源").cast(frame.schema["industry"])
    counted_twice = frame.with_columns(industry)
    with pytest.raises(pandera.errors.SchemaErrors) as err:
        accepted_schema(ref).validate(counted_twice, lazy=True)
    failed = err.value.failure_cases
    assert [c.endswith("one record per counting key") for c in set(failed["check"].to_list())] == [True]
    assert sorted(failed["index"].to_list()) == [0, 1]

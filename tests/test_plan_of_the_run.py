"""A run is judged by the plan of its own targets/ folder (`--raw-dir`), never by the bundled
data/raw/targets/: the pandera contract, the industries counted where the output occurs, each period's
months and the plan's first year all come from the run's reference data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandera.errors
import polars as pl
import pytest

from pipelines.plan import default_plan
from pipelines.reference import load_reference
from pipelines.validation import validate_output_files
from pipelines.validation.schemas import accepted_schema
from tests.conftest import TARGETS_DIR
from tests.test_validation_rules import row, uscc, write_csv

NEW_INDUSTRY = "新材料"  # not one of the bundled plan's industries


def _append(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")


@pytest.fixture(scope="module")
def own_targets(tmp_path_factory) -> Path:
    """A copy of the bundled targets/ with a fourth industry, counted where the output occurs, and
    half-yearly reporting (1-6月 and 1-12月 only)."""
    targets = tmp_path_factory.mktemp("raw") / "targets"
    shutil.copytree(TARGETS_DIR, targets)
    _append(targets / "industries.csv", f"{NEW_INDUSTRY},new_materials,output,产值发生地,4")
    periods = (targets / "periods.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in periods if not line.startswith(("1-3月", "1-9月"))]
    (targets / "periods.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return targets


def test_the_folder_differs_from_the_bundled_plan(own_targets):
    bundled = default_plan()
    assert NEW_INDUSTRY not in bundled.industries.names and "1-3月" in bundled.periods.months
    ref = load_reference(own_targets)
    assert NEW_INDUSTRY in ref.industries["industry"].to_list()
    assert ref.periods["period_label"].to_list() == ["1-6月", "1-12月"]


def test_a_record_of_the_runs_own_industry_is_accepted_and_counted_where_its_output_occurs(own_targets, tmp_path):
    """Before, the contract held the bundled industries: a record the rules accepted (they read the run's
    industries.csv) failed the post-condition as an internal error."""
    ref = load_reference(own_targets)
    f = write_csv(tmp_path / "2012_1-6月.csv", [
        row(period="1-6月", code=uscc(11), ind=NEW_INDUSTRY, reg="福田区", out="坪山新区", val="300"),
        row(period="1-6月", code=uscc(12), ind=NEW_INDUSTRY, reg="福田区", out="", val="400"),  # needs 产值发生地
    ])
    batch = validate_output_files([f], ref)
    accepted = batch.accepted
    assert accepted.select("source_row", "industry", "target_unit").rows() == [(2, NEW_INDUSTRY, "坪山新区")]
    assert batch.quarantine["source_row"].to_list() == [3]


def _one_record(period: str, months: int, industry: str) -> pl.DataFrame:
    return pl.DataFrame({
        "source_file": ["x.csv"], "source_row": [2], "year": [2012], "ytd_months": [months],
        "period_label": [period], "unit_code": [uscc(13)], "unit_name": ["甲公司"], "industry": [industry],
        "reg_district": ["南山区"], "output_district": ["南山区"], "ytd_value_wan": [10.0],
        "normalized": [None], "target_unit": ["南山区"],
    }, schema_overrides={"source_row": pl.Int32, "year": pl.Int32, "ytd_months": pl.Int32, "normalized": pl.String})


def test_the_contract_holds_the_runs_periods_and_industries(own_targets):
    own = accepted_schema(load_reference(own_targets))
    bundled = accepted_schema(load_reference(TARGETS_DIR))
    own.validate(_one_record("1-6月", 6, NEW_INDUSTRY), lazy=True)  # the run's own industry
    with pytest.raises(pandera.errors.SchemaErrors) as err:
        bundled.validate(_one_record("1-6月", 6, NEW_INDUSTRY), lazy=True)
    assert set(err.value.failure_cases.select("column", "check").rows()) == {
        ("industry", "isin(['生物', '互联网', '新能源'])")}
    bundled.validate(_one_record("1-3月", 3, "生物"), lazy=True)  # a period the run's plan does not have
    with pytest.raises(pandera.errors.SchemaErrors) as err:
        own.validate(_one_record("1-3月", 3, "生物"), lazy=True)
    failed = set(err.value.failure_cases.select("column", "check").rows())
    assert {("ytd_months", "isin([6, 12])"), ("period_label", "isin(['1-6月', '1-12月'])")} <= failed
    assert "period_matches_months" in {check for _, check in failed}


def test_a_period_the_runs_plan_does_not_have_is_a_rejected_row_not_an_internal_error(own_targets, tmp_path):
    """The row rules parse 累计期 with the run's periods.csv, as the contract checks it: under half-yearly
    reporting a 1-3月 row is quarantined (period_invalid, the message listing the run's periods) and the
    others are accepted. When parsing read the bundled periods, the row passed the rules and the contract
    refused it, and the whole batch stopped as an internal error."""
    ref = load_reference(own_targets)
    f = write_csv(tmp_path / "2012_1-6月.csv", [
        row(period="1-6月", code=uscc(21), ind="生物", reg="南山区", out="南山区", val="100"),
        row(period="1-3月", code=uscc(22), ind="生物", reg="南山区", out="南山区", val="50"),
    ])
    batch = validate_output_files([f], ref)
    assert batch.accepted.select("source_row", "ytd_months").rows() == [(2, 6)]
    reasons = batch.quarantine_reasons
    assert reasons.select("source_row", "reason_code").rows() == [(3, "period_invalid")]
    assert "1-6月 或 1-12月" in reasons["reason"][0] and "1-3月" not in reasons["reason"][0].split("应为")[1]
    assert "1-6月, 1-12月" in reasons["reason_en"][0]

"""The catalogue of reasons (pipelines/validation/reasons.py) names every code a row or a warning can carry."""

from __future__ import annotations

import re

import pytest

from pipelines.reference import load_reference
from pipelines.validation import list_output_files, validate_output_files
from pipelines.validation.reasons import WARNINGS, reason_catalogue
from tests.conftest import ROOT, TARGETS_DIR


@pytest.fixture(scope="module")
def sample_batch():
    return validate_output_files(list_output_files(ROOT / "data" / "raw" / "output"), load_reference(TARGETS_DIR))


def test_the_samples_reasons_are_in_the_catalogue(sample_batch):
    reasons = set(sample_batch.quarantine_reasons["reason_code"])
    assert len(reasons) >= 5  # the sample's deliberately bad rows, several kinds
    assert reasons - set(reason_catalogue()) == set()
    assert set(sample_batch.warnings["warning_code"]) - set(WARNINGS) == set()


def test_every_code_the_code_emits_is_in_the_catalogue():
    """Codes the sample does not produce: every literal code given to a reason_code or warning_code
    column, or to a file warning, in pipelines/."""
    emitted = re.compile(r'pl\.lit\("([a-z_]+)"\)\.alias\("(reason_code|warning_code)"\)|file_warnings\.append\(\(\s*"([a-z_]+)"')
    reasons, warnings = set(), set()
    for path in (ROOT / "pipelines").rglob("*.py"):
        for code, column, file_warning in emitted.findall(path.read_text(encoding="utf-8")):
            (reasons if column == "reason_code" else warnings).add(code or file_warning)
    assert {"duplicate_exact", "cell_undecodable", "ytd_decrease", "hidden_sheet"} <= reasons | warnings
    assert reasons - set(reason_catalogue()) == set()
    assert warnings - set(WARNINGS) == set()


def test_row_rule_codes_are_unique():
    codes = list(reason_catalogue())
    assert len(codes) == len(set(codes))

"""Shared fixtures: paths of the bundled reference data and a temporary raw folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TARGETS_DIR = ROOT / "data" / "raw" / "targets"
PLAN_TEXT = ROOT / "docs" / "source" / "shenzhen-bio-internet-newenergy-work-plan-2010-2012.txt"


@pytest.fixture
def targets_copy(tmp_path: Path) -> Path:
    """A writable copy of data/raw/targets/ (tests never modify the bundled files)."""
    dest = tmp_path / "targets"
    shutil.copytree(TARGETS_DIR, dest)
    return dest


@pytest.fixture
def output_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample's data/raw/output/, at tmp_path/output, to damage."""
    dest = tmp_path / "output"
    shutil.copytree(ROOT / "data" / "raw" / "output", dest)
    return dest


@pytest.fixture(scope="session")
def sample_marts(tmp_path_factory) -> Path:
    """Marts built from the bundled sample through the library (validate → build → publish)."""
    from pipelines.marts import build_marts
    from pipelines.reference import load_reference
    from pipelines.validation import list_output_files, validate_output_files
    from tests.marts_fixtures import params

    reference = load_reference(TARGETS_DIR)
    batch = validate_output_files(list_output_files(ROOT / "data" / "raw" / "output"), reference)
    db = tmp_path_factory.mktemp("sample_marts") / "szei.duckdb"
    build = build_marts(batch, reference, db, params("sample"))
    assert build.published, build.failed_checks
    return db


@pytest.fixture(scope="module")
def builtin_renderer():
    """szei's own renderer (SZEI_NO_QUARTO) for a module's tests, even where Quarto is installed; the variable
    is undone after the module (`pytestmark = pytest.mark.usefixtures("builtin_renderer")`)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SZEI_NO_QUARTO", "1")
        yield

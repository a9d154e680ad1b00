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

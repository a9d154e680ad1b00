"""`szei report` finds the Quarto CLI: SZEI_QUARTO or QUARTO_PATH (an executable or the folder holding
bin/quarto), else PATH; SZEI_NO_QUARTO=1 means szei's renderer; a variable naming nothing is an error."""

from __future__ import annotations

import os
import stat

import pytest

from pipelines.errors import SzeiError
from pipelines.report.quarto import find_quarto


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for var in ("SZEI_QUARTO", "QUARTO_PATH", "SZEI_NO_QUARTO"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    return monkeypatch


def _fake_quarto(folder):
    exe = folder / "bin" / "quarto"
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\necho 1.7.34\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


def test_none_without_quarto(clean_env):
    assert find_quarto() is None


def test_named_by_szei_quarto_file_or_folder(clean_env, tmp_path):
    exe = _fake_quarto(tmp_path / "kit")
    clean_env.setenv("SZEI_QUARTO", str(exe))
    assert find_quarto() == str(exe)
    clean_env.setenv("SZEI_QUARTO", str(tmp_path / "kit"))
    assert find_quarto() == str(exe)


def test_quarto_path_and_path(clean_env, tmp_path):
    exe = _fake_quarto(tmp_path / "q")
    clean_env.setenv("QUARTO_PATH", str(tmp_path / "q"))
    assert find_quarto() == str(exe)
    clean_env.delenv("QUARTO_PATH")
    clean_env.setenv("PATH", str(exe.parent) + os.pathsep + os.environ["PATH"])
    assert find_quarto() == str(exe)
    clean_env.setenv("SZEI_NO_QUARTO", "1")
    assert find_quarto() is None


def test_a_variable_naming_nothing_is_an_error(clean_env, tmp_path):
    clean_env.setenv("SZEI_QUARTO", str(tmp_path / "nowhere" / "quarto"))
    with pytest.raises(SzeiError) as e:
        find_quarto()
    assert "SZEI_QUARTO" in e.value.zh and "SZEI_QUARTO" in e.value.en

"""Results folders with their reports, written once per session by the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import pz


@pytest.fixture(scope="session")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default scenario, as `make run` simulates it."""
    folder = tmp_path_factory.mktemp("report") / "venezuela"
    result = pz("run", "--out", str(folder))
    assert result.returncode == 0, result.stderr
    assert f"open {folder / 'report.html'}" in " ".join(result.stdout.split())
    return folder


@pytest.fixture(scope="session")
def compare_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report") / "toy-compare"
    policies = "historical,no-peace-zones"
    result = pz("compare", "-s", "toy", "--policies", policies, "--replicates", "2",
                "--workers", "1", "--scale", "0.05", "--out", str(folder))  # fmt: skip
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="session")
def validate_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report") / "toy-validate"
    result = pz("validate", "-s", "toy", "--replicates", "2", "--workers", "1",
                "--scale", "0.05", "--out", str(folder))  # fmt: skip
    assert result.returncode in (0, 1), result.stderr  # 1: a pattern fails on the toy
    return folder

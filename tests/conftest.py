"""Shared fixtures: paths to test data and the built-in scenarios, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from peacezones import Scenario, load_scenario

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def toy() -> Scenario:
    return load_scenario("toy")


@pytest.fixture(scope="session")
def venezuela() -> Scenario:
    return load_scenario("venezuela")

"""Shared fixtures: paths to test data and the built-in scenarios, loaded once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from peacezones import Scenario, load_scenario

# In CI the property tests draw the same examples every run: a failure found there is
# reproducible, and a green CI does not hang on luck. Locally they explore.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def toy() -> Scenario:
    return load_scenario("toy")


@pytest.fixture(scope="session")
def venezuela() -> Scenario:
    return load_scenario("venezuela")


@pytest.fixture
def failing_arm(monkeypatch: pytest.MonkeyPatch) -> str:
    """validate's arm 'no-peace-zones' made one that no scenario can take (a parameter
    outside its range); its name."""
    from peacezones.experiments import validate
    from peacezones.experiments.policies import Policy

    real = validate.load_policy

    def load(name: str) -> Policy:
        if name == "no-peace-zones":
            return Policy(name=name, parameters={"recruitment.base_rate": 5.0})
        return real(name)

    monkeypatch.setattr(validate, "load_policy", load)
    return "no-peace-zones"

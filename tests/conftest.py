"""Shared fixtures: paths to test data, the built-in scenarios loaded once, and Chromium
(Debian's, driven by Playwright) for the browser tests of the report and the web page."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


CHROMIUM = ("chromium", "chromium-browser")


def _chromium() -> str:
    found = next((path for name in CHROMIUM if (path := shutil.which(name))), None)
    reason = ""
    if found is None:
        reason = "Chromium not found (install it: apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright not installed (pip install -e '.[dev]')"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()

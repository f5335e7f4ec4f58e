"""The report in a real browser: Playwright driving Debian's Chromium (`.ci/run` installs it).

Without Chromium these tests fail in CI and are skipped elsewhere, with the reason.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


class Visit:
    """A page of the report, with every console error and request it made."""

    def __init__(self, browser: Any, report: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(report.as_uri())
        self.page.wait_for_selector("#map .scatterlayer .trace")
        self.page.wait_for_selector("#fig-homicides .scatterlayer .trace")

    def fills(self) -> list[str]:
        """The fill colour of every cell drawn on the map."""
        return self.page.eval_on_selector_all(
            "#map .scatterlayer .trace path.js-fill", "paths => paths.map(p => p.style.fill)"
        )


@pytest.fixture
def visit(browser: Any, run_folder: Path) -> Iterator[Visit]:
    opened = Visit(browser, run_folder / "report.html")
    yield opened
    opened.page.close()


def test_the_report_loads_without_errors_or_network(visit: Visit) -> None:
    assert visit.errors == []
    assert visit.requests, "the page itself was requested"
    assert all(url.startswith(LOCAL_SCHEMES) for url in visit.requests), visit.requests
    assert visit.page.locator("#map .slider-container").count() == 1
    assert visit.page.locator("#map .updatemenu-button").count() == 2  # play and pause


def test_moving_the_slider_changes_the_map(visit: Visit) -> None:
    frames = visit.page.evaluate("document.getElementById('map')._transitionData._frames")
    first, last = frames[0]["data"], frames[-1]["data"]
    assert [d.get("fillcolor") for d in first] != [d.get("fillcolor") for d in last]
    before = visit.fills()
    visit.page.locator("#map .slider-container").scroll_into_view_if_needed()
    rail = visit.page.locator("#map .slider-rail-rect").bounding_box()
    assert rail is not None
    visit.page.mouse.click(rail["x"] + rail["width"] - 2, rail["y"] + rail["height"] / 2)
    visit.page.wait_for_function(  # the slider's current value, above its rail
        "name => document.querySelector('#map .slider-group > .slider-label')"
        ".textContent.endsWith(name)",
        arg=frames[-1]["name"],
    )
    visit.page.wait_for_timeout(300)
    after = visit.fills()
    assert len(after) == len(before)
    assert after != before
    assert visit.errors == []


def test_pausing_the_map_while_it_plays_is_no_error(visit: Visit) -> None:
    buttons = visit.page.locator("#map .updatemenu-button")  # play, then pause
    buttons.nth(0).scroll_into_view_if_needed()
    buttons.nth(0).click()
    visit.page.wait_for_timeout(600)
    buttons.nth(1).click()
    visit.page.wait_for_timeout(800)
    assert visit.errors == []


def test_clicking_a_place_shows_its_series(visit: Visit, run_folder: Path) -> None:
    places = json.loads((run_folder / "report.json").read_text())["places"]
    index = next(k for k, p in enumerate(places) if p["id"] == "guarico")  # far from others
    points = visit.page.locator("#map .scatterlayer .trace .points path.point")  # main map's
    points.nth(index).click(force=True)
    panel = visit.page.locator("#place-panel")
    panel.locator("h3").first.wait_for()
    assert panel.locator("h3").first.text_content() == places[index]["name"]
    panel.locator("#place-chart .main-svg").first.wait_for()
    drawn = visit.page.evaluate("document.getElementById('place-chart').data.map(t => t.name)")
    assert "violent deaths (a month)" in drawn
    assert "gang governance (0-1)" in drawn
    assert visit.errors == []


def test_the_chronicle_opens_at_its_first_year_and_steps_through_years(visit: Visit) -> None:
    """A chronicle of hundreds of entries (about 18,000 px) is read a year at a time."""
    shown = visit.page.locator("#chronicle tbody tr:not(.hidden)")
    years = visit.page.locator("#filter-year option").evaluate_all("o => o.map(x => x.value)")
    assert years[0] == ""  # every year
    for year in years[1:3]:
        assert visit.page.locator("#filter-year").input_value() == year
        dates = shown.evaluate_all("rows => rows.map(r => r.cells[0].textContent)")
        assert dates
        assert all(d.startswith(year) for d in dates)
        visit.page.click("#year-next")
    visit.page.click("#year-prev")
    assert visit.page.locator("#filter-year").input_value() == years[2]
    assert visit.errors == []


def test_the_chronicle_filters_by_gang(visit: Visit) -> None:
    rows = visit.page.locator("#chronicle tbody tr")
    total = rows.count()
    visit.page.select_option("#filter-year", "")  # every year
    visit.page.select_option("#filter-gang", "koki")
    shown = visit.page.locator("#chronicle tbody tr:not(.hidden)")
    assert 0 < shown.count() < total
    gangs = shown.evaluate_all("rows => rows.map(r => r.dataset.gangs.split(' '))")
    assert all("koki" in g for g in gangs)
    count = visit.page.locator("#chronicle-count").text_content()
    assert count == f"{shown.count()} of {total} entries shown"


def test_a_screenshot_is_not_blank(visit: Visit) -> None:
    from matplotlib.image import imread

    visit.page.locator("#where").scroll_into_view_if_needed()
    image = imread(io.BytesIO(visit.page.screenshot()), format="png")
    colours = np.unique((image[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 50


def test_the_comparison_report_loads_without_errors(browser: Any, compare_folder: Path) -> None:
    opened = Visit(browser, compare_folder / "report.html")
    opened.page.wait_for_selector("#fig-differences .scatterlayer .trace")
    assert opened.errors == []
    assert all(url.startswith(LOCAL_SCHEMES) for url in opened.requests)
    assert opened.page.locator("#policies table").count() == 2
    opened.page.close()

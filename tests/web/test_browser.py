"""`peacezones serve` in a real browser: Playwright driving Debian's Chromium.

The flow of a new user: the page opens on the default scenario's map; the slider moves
it; a lever changes the story; a comparison gives intervals; bad input is told, not run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

LONG = 180_000  # ms: a run, or a comparison of a few replicates, on a busy CI machine


class Page:
    """The page, with every console error and every request it (and its frame) made."""

    def __init__(self, browser: Any, server: str) -> None:
        self.server = server
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1500, "height": 1100})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(server + "/")
        self.wait_done()

    def wait_done(self) -> None:
        """Until the job under way has ended and its report is in the frame."""
        self.page.wait_for_function(
            "['done','failed','cancelled'].includes(document.body.dataset.job)", timeout=LONG
        )
        if self.page.evaluate("document.body.dataset.job") == "done":
            self.page.wait_for_function(
                "document.body.dataset.shown === document.body.dataset.report", timeout=LONG
            )
            self.report.locator("#map .scatterlayer .trace").first.wait_for(timeout=LONG)

    @property
    def report(self) -> Any:
        return self.page.frame_locator("#report")

    def report_data(self) -> dict:
        return json.loads(self.report.locator("#report-data").text_content())

    def chronicle(self) -> str:
        return self.report.locator("#why").inner_text()

    def problems(self) -> str:
        return self.page.locator("#problems").inner_text()

    def upload_problems(self) -> str:
        return self.page.locator("#upload-problems").inner_text()

    def refused_upload(self, path: Path) -> str:
        """Send a scenario file that the page should refuse; what it says about it."""
        self.page.set_input_files("#upload", str(path))
        self.page.wait_for_function(
            "document.getElementById('upload-status').textContent.endsWith('refused')"
        )
        return self.upload_problems()


@pytest.fixture(scope="module")
def page(browser: Any, server: str) -> Iterator[Page]:
    opened = Page(browser, server)
    yield opened
    opened.page.close()


def test_opens_on_the_default_scenario_with_nothing_from_outside(page: Page) -> None:
    assert page.page.locator("#status").inner_text().startswith("Venezuela")
    assert page.report.locator("#map .slider-container").count() == 1  # the time slider
    assert page.report.locator("#map .updatemenu-button").count() >= 1  # play
    assert page.report.locator("#fig-homicides .scatterlayer .trace").count() >= 1
    assert "Cota 905" in page.chronicle()
    assert page.errors == []
    outside = [u for u in page.requests if not u.startswith((page.server, "data:", "blob:"))]
    assert outside == []


def test_moving_the_slider_changes_the_map(page: Page) -> None:
    fills = "paths => paths.map(p => p.style.fill)"
    cells = page.report.locator("#map .scatterlayer .trace path.js-fill")
    before = cells.evaluate_all(fills)
    page.report.locator("#map .slider-container").scroll_into_view_if_needed()
    box = page.report.locator("#map .slider-rail-rect").bounding_box()
    assert box is not None
    page.page.mouse.click(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    label = page.report.locator("#map .slider-group > .slider-label")
    label.evaluate("(node, year) => new Promise(done => { const wait = () => "
                   "node.textContent.includes(year) ? done() : setTimeout(wait, 50); wait(); })",
                   "2022")  # fmt: skip
    page.page.wait_for_timeout(500)
    after = cells.evaluate_all(fills)
    assert len(after) == len(before)
    assert after != before


def test_a_lever_changes_the_chronicle_and_the_series(page: Page) -> None:
    chronicle, series = page.chronicle(), page.report_data()["figures"]
    page.page.check("#hot-pursuit")
    page.page.click("#run-once")
    page.page.wait_for_function("document.body.dataset.job === 'running' || "
                                "document.body.dataset.job === 'queued'")  # fmt: skip
    page.wait_done()
    assert page.page.evaluate("document.body.dataset.job") == "done"
    header = page.report.locator("header").inner_text()
    assert "pursuit_turn_back = 0, recall_incursions = false" in header  # the levers set
    assert page.chronicle() != chronicle
    assert page.report_data()["figures"] != series
    page.page.uncheck("#hot-pursuit")


def test_a_comparison_shows_intervals_and_paired_differences(page: Page) -> None:
    page.page.check("#hot-pursuit")
    page.page.fill("#replicates", "2")
    page.page.click("#compare")
    page.page.wait_for_function("document.body.dataset.job === 'running' || "
                                "document.body.dataset.job === 'queued'")  # fmt: skip
    page.wait_done()
    page.page.uncheck("#hot-pursuit")
    table = page.page.locator("#comparison-table")
    assert table.is_visible()
    heads = table.locator("thead th").all_inner_texts()
    assert heads[1] == "historical"
    assert heads[-1].endswith("− historical")
    row = table.locator("tbody tr[data-outcome='violent_deaths_per_100k'] td").all_inner_texts()
    interval = re.compile(r"^-?[\d,.]+ \[-?[\d,.]+, -?[\d,.]+\]$")
    assert len(row) == 4
    assert all(interval.match(cell.split("\n")[0]) for cell in row[1:]), row
    assert row[-1].split("\n")[1].startswith("p ")  # the paired difference's p-value
    assert table.locator("tbody tr[data-outcome='gang_members_end']").count() == 1
    assert page.report.locator("#policies").count() == 1  # the comparison's report
    assert page.errors == []


def test_a_reload_finds_the_job_again_and_built_in_policies_compare_alone(page: Page) -> None:
    page.page.select_option("#others", ["no-peace-zones"])  # and no lever set
    page.page.fill("#replicates", "2")
    page.page.click("#compare")
    page.page.wait_for_function("['queued','running'].includes(document.body.dataset.job)")
    title = page.page.locator("#status").inner_text().split(" — ")[0]
    page.page.reload()
    page.page.wait_for_function(
        "title => document.getElementById('status').textContent.startsWith(title)", arg=title
    )
    page.wait_done()
    heads = page.page.locator("#comparison-table thead th").all_inner_texts()
    assert heads[1:3] == ["historical", "no-peace-zones"]
    assert len(heads) == 4  # the policies and their one difference
    page.page.fill("#replicates", "10")


def test_an_invalid_upload_shows_its_messages(page: Page, tmp_path: Path) -> None:
    bad = tmp_path / "mine.toml"
    bad.write_text('[meta]\nname = "mine"\ntitle = "Mine"\nstart = 2020-01-06\n', "utf-8")
    text = page.refused_upload(bad)
    assert "mine.toml: " in text
    assert "meta.end" in text
    assert "expected" in text


def test_an_upload_that_reads_a_file_of_the_machine_is_refused(page: Page, tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.toml"
    sneaky.write_text('[parameters]\nfrom = "/etc/passwd"\n', "utf-8")
    said = page.refused_upload(sneaky)
    assert "reads no other file" in said
    assert "root:" not in said


def test_an_oversized_upload_is_refused(page: Page, tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * 1_100_000 + "\n", "utf-8")
    assert "at most 1,000,000" in page.refused_upload(big)


def test_an_out_of_range_request_is_refused(page: Page) -> None:
    page.page.fill("#replicates", "500")
    page.page.check("#hot-pursuit")
    page.page.click("#compare")
    page.page.wait_for_function("document.getElementById('status').textContent === 'refused'")
    assert "replicates: found 500; expected a number less than or equal to 50" in page.problems()
    page.page.fill("#replicates", "10")
    page.page.uncheck("#hot-pursuit")


def test_a_problem_of_the_policy_names_and_marks_the_control_that_set_it(page: Page) -> None:
    """The server's messages name the policy format's fields (policy.add[0].gangs); the
    page tells them with the words of the controls, and marks each control."""
    page.page.check("#truce")
    page.page.select_option("#truce-gangs", ["koki"])
    page.page.fill("#monitoring", "2")
    page.page.click("#run-once")
    page.page.wait_for_function("document.getElementById('status').textContent === 'refused'")
    told = page.problems()
    assert "Monitoring (share of weeks checked): found 2" in told, told
    assert "levers.zone_terms" not in told
    page.page.fill("#monitoring", "")
    page.page.click("#run-once")
    page.page.wait_for_function(
        "document.getElementById('truce-gangs').getAttribute('aria-invalid') === 'true'"
    )
    told = page.problems()
    assert "State-brokered truce: Gangs (two or more): found ['koki']" in told, told
    assert page.page.evaluate("document.activeElement.id") == "truce-gangs"
    # a base policy that adds a decision of its own puts it before the page's
    page.page.select_option("#base", "conditional-repression")
    page.page.evaluate("document.getElementById('truce-gangs').removeAttribute('aria-invalid')")
    page.page.click("#run-once")
    page.page.wait_for_function(
        "document.getElementById('truce-gangs').getAttribute('aria-invalid') === 'true'"
    )
    assert "State-brokered truce: Gangs" in page.problems()
    page.page.select_option("#base", "historical")
    page.page.uncheck("#truce")
    page.page.select_option("#truce-gangs", [])


def test_every_lever_the_page_offers_makes_a_policy_the_server_accepts(page: Page) -> None:
    page.errors.clear()  # the refusals above were meant
    boxes = ["hot-pursuit", "crackdown", "conditional", "leader", "truce", "patrol",
             "occupation", "force", "collusion"]  # fmt: skip
    for box in boxes:
        page.page.check(f"#{box}")
    page.page.fill("#monitoring", "0.5")
    page.page.select_option("#sanction", "end_zone")
    page.page.select_option("#leader-gang", "koki")
    page.page.select_option("#leader-mode", "extradite")
    page.page.select_option("#truce-gangs", ["koki", "el_culon"])
    for select in ("#patrol-places", "#occupation-places", "#force-places"):
        page.page.select_option(select, ["cota905"])
    page.page.click("details > summary")  # the parameters, folded away at first
    page.page.fill("#parameters input[data-key='pax.pact_restraint']", "0.5")
    page.page.click("#run-once")
    page.page.wait_for_function(
        "['queued','running'].includes(document.body.dataset.job) || "
        "document.getElementById('status').textContent === 'refused'"
    )
    assert page.problems() == ""
    status = page.page.locator("#status").inner_text()
    assert "historical + hot pursuit, monitoring 0.5, sanction end_zone" in status, status
    page.page.click("#cancel")
    page.page.wait_for_function("document.body.dataset.job === 'cancelled'", timeout=LONG)
    assert page.problems() == ""
    for box in boxes:
        page.page.uncheck(f"#{box}")
    page.page.fill("#monitoring", "")
    page.page.select_option("#sanction", "")
    page.page.fill("#parameters input[data-key='pax.pact_restraint']", "")
    page.page.click("details > summary")
    assert page.errors == []

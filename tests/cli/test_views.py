"""Terminal views show text from a scenario exactly as written, never as markup."""

from __future__ import annotations

from rich.console import Console

from peacezones import Scenario
from peacezones.cli import views
from peacezones.scenario import evolve


def render(scenario: Scenario) -> str:
    console = Console(width=250, record=True, color_system=None)
    for part in views.scenario_tables(scenario):
        console.print(part)
    return console.export_text()


def test_lists_in_the_schedule_are_shown(toy: Scenario) -> None:
    text = render(toy)
    assert "places=[barrio_norte]" in text
    assert "conditions=[lay_down_weapons, keep_peace" in text


def test_markup_in_names_is_shown_as_written(toy: Scenario) -> None:
    gang = evolve(toy.gangs[0], name="Banda [/] [bold]Norte[/bold]")
    text = render(evolve(toy, gangs=(gang, *toy.gangs[1:])))
    assert "Banda [/] [bold]Norte[/bold]" in text


def test_every_section_is_shown(venezuela: Scenario) -> None:
    text = render(venezuela)
    for title in ("Places", "Edges", "Gangs", "Security forces", "Schedule", "Doctrine",
                  "Parameters", "Observations", "Sources"):  # fmt: skip
        assert title in text


def test_show_marks_defaults_and_inherited_parameters(toy: Scenario) -> None:
    """A record's fields left at their defaults are listed as such (they need no
    evidence), and each parameter says whether it was inherited."""
    text = render(toy)
    assert "synthetic; default: traffic, band_density" in text  # a place
    assert "default: posture" in text  # a force unit that does not write its posture
    assert "inherited from venezuela" in text
    assert "this file" in text  # the toy's two own parameters

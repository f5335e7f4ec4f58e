"""Each broken file in tests/data gets a message naming file, line, field, value, expectation."""

from __future__ import annotations

import pytest

from peacezones import ScenarioError, load_scenario
from tests.conftest import DATA

# file -> (line, field path, found, expected), each checked as the rendered message's parts
CASES = {
    "invalid_toml.toml": (19, "(top level)", "invalid TOML", "a valid TOML document"),
    "unknown_key.toml": (29, "places[1].populaton", "unknown key 'populaton'", "known keys"),
    "wrong_type.toml": (44, "gangs[0].members", "'fifty'", "a whole number"),
    "unknown_place.toml": (43, "gangs[0].home", "'barrios'", "the id of a place"),
    "negative_population.toml": (19, "places[0].population", "-20000", ">= 0"),
    "self_edge.toml": (34, "edges[0].b", "'barrio'", "a place other than a"),
    "coordinate_out_of_range.toml": (28, "places[1].lon", "-266.7", "-180"),
    "decision_outside_dates.toml": (50, "schedule[0].date", "2023-06-01", "within the scenario"),
    "overlapping_zones.toml": (60, "schedule[1].places[1]", "'barrio'", "zone 'zone_a' holds it"),
    "unknown_source.toml": (47, "gangs[0].sources[0]", "'synthetc'", "a source in [sources]"),
    "missing_source.toml": (29, "places[1].population", "no source", "assumed.population"),
    "unknown_action.toml": (51, "schedule[0].action", "'declare_peace'", "'declare_zone'"),
    "unknown_area.toml": (58, "observations[0].area", "'Capitol'", "a region of the scenario"),
    "observation_outside_years.toml": (59, "observations[0].year", "2019", "2020 to 2021"),
    "unknown_event_kind.toml": (
        63,
        "patterns[0].steps[0].events[0]",
        "'takover_won'",
        "'takeover_won'",
    ),
    "parameter_out_of_range.toml": (
        57,
        "parameters.recruitment.base_rate.value",
        "0.5",
        "within its range",
    ),
}


def _problems(name: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(DATA / name)
    return caught.value


def test_every_broken_file_has_a_case() -> None:
    broken = {p.name for p in DATA.glob("*.toml")} - {"valid_minimal.toml"}
    assert broken == set(CASES) | {"many_problems.toml"}


@pytest.mark.parametrize(("name", "case"), sorted(CASES.items()))
def test_message_names_file_line_field_value_and_expectation(
    name: str, case: tuple[int, str, str, str]
) -> None:
    line, path, found, expected = case
    error = _problems(name)
    messages = [p.render(error.file) for p in error.problems]
    expected_head = f"{DATA / name}:{line}: {path}: found "
    matching = [m for m in messages if m.startswith(expected_head)]
    assert matching, messages
    found_part, expected_part = matching[0].split("; expected ", 1)
    assert found in found_part
    assert expected.replace(">= 0", "greater than or equal to 0") in expected_part


def test_all_problems_are_reported_at_once() -> None:
    error = _problems("many_problems.toml")
    paths = {p.path for p in error.problems}
    assert paths == {
        ("places", 0, "population"),
        ("places", 1, "lat"),
        ("edges", 0, "kind"),
        ("gangs", 0, "home"),
        ("schedule", 0, "date"),
    }
    assert [p.line for p in error.problems] == sorted(p.line or 0 for p in error.problems)


def test_a_missing_file_is_a_scenario_error() -> None:
    error = _problems("no_such_file.toml")
    assert "no such scenario or file" in error.render()
    assert "venezuela" in error.render()


def test_the_unbroken_base_is_valid() -> None:
    assert load_scenario(DATA / "valid_minimal.toml").meta.name == "mini"

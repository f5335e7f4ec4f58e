"""Loading: files, encodings, strict types, and messages written for scenario authors."""

from __future__ import annotations

from pathlib import Path

import pytest

from peacezones import ScenarioError, load_scenario
from peacezones.scenario import parse_scenario
from tests.conftest import DATA

BASE = (DATA / "valid_minimal.toml").read_text("utf-8")


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "case.toml")
    return [p.render("case.toml") for p in caught.value.problems]


def test_a_quoted_date_is_reported_not_coerced() -> None:
    text = BASE.replace("date = 2020-06-01", 'date = "2020-06-01"')
    assert any("schedule[0].date: found '2020-06-01'; expected a date, unquoted" in m
               for m in problems(text))  # fmt: skip


def test_a_date_with_a_time_is_shown_as_written() -> None:
    text = BASE.replace("end = 2021-12-27", "end = 2021-12-27T10:00:00")
    assert any("meta.end: found 2021-12-27T10:00:00; expected a date" in m for m in problems(text))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("population = 20000", "population = 99999999999999999999", "population: found"),
        ("treasury = 1000.0", "treasury = inf", "expected a finite number"),
        ("cost = 1.0", "cost = nan", "expected a finite number"),
        ("members = 50", "members = 50.0", "expected a whole number"),
        ('places = ["barrio"]', 'places = "barrio"', "expected a list, in brackets"),
    ],
)
def test_absurd_or_mistyped_values(old: str, new: str, message: str) -> None:
    assert any(message in m for m in problems(BASE.replace(old, new))), problems(
        BASE.replace(old, new)
    )


def test_a_misspelt_array_header_gets_its_line() -> None:
    text = BASE.replace("[[edges]]", "[[edge]]")
    assert any(m.startswith("case.toml:32: edge: found unknown key 'edge'") for m in problems(text))


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(BASE.replace("Capital", "Capitál").encode("latin-1"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert problem.line == 15
    assert problem.expected == "a file saved as UTF-8"


def test_a_directory_is_not_a_scenario(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="found a directory"):
        load_scenario(tmp_path)


def test_an_empty_file_lists_what_is_missing(tmp_path: Path) -> None:
    messages = problems("")
    assert any("meta: found nothing; expected a value" in m for m in messages)
    assert any("places: found nothing" in m for m in messages)


def test_a_scenario_error_survives_pickling() -> None:
    """Raised in a worker process, it reaches the parent whole (a pool hung on it)."""
    import pickle

    from tests.conftest import DATA

    with pytest.raises(ScenarioError) as caught:
        load_scenario(DATA / "self_edge.toml")
    again = pickle.loads(pickle.dumps(caught.value))
    assert again.file == caught.value.file
    assert again.problems == caught.value.problems
    assert str(again) == str(caught.value)


def test_sources_is_the_spelling_everywhere_and_source_still_reads() -> None:
    """Parameters, observations and patterns cite ``sources`` as records do; the old
    spelling ``source`` is still read, and ``scenario validate`` notes it; both at once
    is an error."""
    obs = ('\n[[observations]]\nvariable = "violent_deaths_per_100k"\nyear = 2020\n'
           'value = 50.0\nSPELLING = ["synthetic"]\n')  # fmt: skip
    new = parse_scenario(BASE + obs.replace("SPELLING", "sources"), "case.toml")
    old = parse_scenario(BASE + obs.replace("SPELLING", "source"), "case.toml")
    assert new.observations == old.observations
    assert new.observations[0].source == ("synthetic",)
    both = obs.replace("SPELLING", 'sources = ["synthetic"]\nsource')
    assert problems(BASE + both) == [
        "case.toml:64: observations[0].source: found both sources and source; "
        "expected sources only (source is its old spelling)"
    ]


def test_the_old_spelling_is_noted_with_its_line(tmp_path: Path) -> None:
    from peacezones.scenario.load import spelling_notes

    path = tmp_path / "old.toml"
    param = '\n[parameters.recruitment]\nbase_rate = { value = 0.01, unit = "x", range = [0.002, 0.04], source = ["synthetic"] }\n'  # noqa: E501
    path.write_text(BASE + param, "utf-8")
    load_scenario(path)
    notes = spelling_notes(path)
    line = (BASE + param).splitlines().index(param.strip().splitlines()[-1]) + 1
    assert notes == [
        f"{path}:{line}: parameters.recruitment.base_rate.source: `source` is the old "
        "spelling of `sources`; it is still read, but write `sources`"
    ]
    assert spelling_notes("venezuela") == []


def test_evidence_for_a_name_is_refused_with_the_reason() -> None:
    """Ids and names are not data: evidence for one is refused, saying why."""
    old = 'population = 20000\nsources = ["synthetic"]'
    text = BASE.replace(old, old + '\nassumed = { name = "x" }', 1)
    found = problems(text)
    assert any("places[0].assumed.name: found 'name'" in m and "a name needs no evidence" in m
               for m in found)  # fmt: skip


def test_a_parameter_takes_sources_or_an_assumption_and_says_so() -> None:
    param = ('\n[parameters.recruitment]\nbase_rate = { value = 0.01, unit = "x", '
             'range = [0.0, 1.0], sources = ["synthetic"], assumed = "y" }\n')  # fmt: skip
    assert any("base_rate.sources: found both sources and assumed; expected one of them"
               in m for m in problems(BASE + param))  # fmt: skip

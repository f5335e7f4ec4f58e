"""The README's examples work as written."""

from __future__ import annotations

import re
from pathlib import Path

from peacezones import load_scenario
from peacezones.experiments.policies import apply_policy, load_policy
from peacezones.scenario import parse_scenario

README = (Path(__file__).parents[1] / "README.md").read_text("utf-8")


def test_the_policy_example_is_a_valid_policy(tmp_path: Path) -> None:
    block = re.search(r"```toml\n(\[policy\].*?)```", README, re.S)
    assert block
    path = tmp_path / "example.toml"
    path.write_text(block.group(1))
    variant = apply_policy(load_scenario("venezuela"), load_policy(path))
    assert all(d.terms.monitoring == 1.0 for d in variant.schedule if d.action == "declare_zone")


def test_the_readme_opens_with_the_two_commands() -> None:
    head = README[: README.index("## Commands")]
    assert "make run" in head
    assert "make test" in head


ODD = (Path(__file__).parents[1] / "docs" / "ODD.md").read_text("utf-8")
MINIMAL = Path(__file__).parent / "data" / "valid_minimal.toml"
SMALL_BAND = """
[[gangs]]
id = "small_band"
name = "The Small Band"
leader = { alias = "Flaco" }
home = "barrio"
members = 10
weapons = 5
treasury = 100.0
sources = ["synthetic"]
"""


def test_the_pattern_examples_of_readme_and_odd_load_in_a_scenario() -> None:
    for text in (README, ODD):
        block = re.search(r"```toml\n(\[\[patterns\]\].*?)```", text, re.S)
        assert block
        scenario_text = MINIMAL.read_text("utf-8").replace(
            '[sources]\nsynthetic = "Made up for tests."',
            '[sources]\nsynthetic = "Made up for tests."\nmy_report = "A report."',
        )
        scenario = parse_scenario(scenario_text + SMALL_BAND + "\n" + block.group(1), "x.toml")
        assert len(scenario.patterns) == 1


def test_the_guide_to_writing_a_scenario_has_valid_toml_and_commands() -> None:
    """docs/writing-a-scenario.md: each TOML block parses, and each command it shows is
    one the command line has."""
    import tomllib

    guide = (Path(__file__).parents[1] / "docs" / "writing-a-scenario.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", guide, re.S)
    assert len(blocks) >= 6
    for block in blocks:
        tomllib.loads(block)
    commands = re.findall(r"^peacezones (\w+(?: \w+)?)", guide, re.M)
    known = {"scenario new", "scenario validate", "scenario show", "run", "compare", "validate"}
    assert {c if c.startswith("scenario") else c.split()[0] for c in commands} <= known

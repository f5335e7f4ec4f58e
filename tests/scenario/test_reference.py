"""The scenario format's reference: written from the schema, complete, and kept in docs/."""

from __future__ import annotations

from pathlib import Path

from peacezones.scenario import schema
from peacezones.scenario.reference import SECTIONS, markdown
from tests.cli.test_cli import pz

DOC = Path(__file__).parents[2] / "docs" / "scenario-reference.md"


def test_the_reference_in_docs_is_the_one_the_schema_writes() -> None:
    assert DOC.read_text("utf-8") == markdown(), (
        "docs/scenario-reference.md is stale: "
        "python -m peacezones scenario reference > docs/scenario-reference.md"
    )


def test_every_record_of_the_format_has_a_section() -> None:
    classes = {cls for _, cls in SECTIONS}
    reachable = {schema.Scenario}
    todo = [schema.Scenario]
    while todo:  # every model a scenario file can hold, however deep
        for info in todo.pop().model_fields.values():
            for cls in _models(info.annotation):
                if cls not in reachable:
                    reachable.add(cls)
                    todo.append(cls)
    containers = {schema.Scenario, schema.Forces, schema.Doctrine}  # only lists of records
    assert reachable - containers <= classes
    assert set(schema.DECISION_TYPES.values()) <= classes
    assert set(schema.PATTERNS_BY_STATISTIC.values()) <= classes


def test_each_field_is_listed_with_its_default_and_meaning() -> None:
    text = markdown()
    terms = text.split('action = "declare_zone": terms')[1].split("\n## ")[0]
    # a default a writer could not guess, in the table of the record that has it
    assert (
        "| `pursuit_turn_back` | a number (>= 0, <= 1) (or left out) | `1.0` where "
        "`suspend_police`, else `0.0` | Chance that a pursuit"
    ) in terms
    assert "| `recall_incursions` | `true` or `false` (or left out) | `suspend_police`'s" in terms
    use_of_force = text.split('action = "use_of_force"`')[1].split("\n## ")[0]
    assert "| `name` | text | *required* | The posture's name" in use_of_force
    assert "| `level` | a number (>= 0, <= 10) | *required* |" in use_of_force
    # the evidence fields are said once, not in every table; files write `sources`
    assert "| `notes` |" not in text.split("## `[[places]]`")[1].split("\n## ")[0]
    assert "| `sources` | a list of ids (at least 1) | *required* |" in text


def test_the_command_prints_the_reference() -> None:
    result = pz("scenario", "reference")
    assert result.returncode == 0, result.stderr
    assert result.stdout == markdown()


def _models(annotation: object) -> list[type]:
    """The scenario models named anywhere in a field's type."""
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, schema.Frozen):
        return [annotation]
    return [cls for arg in get_args(annotation) for cls in _models(arg)]

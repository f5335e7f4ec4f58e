"""The model's parameters, read from the scenario by name, each mechanism declaring its own."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import SimpleNamespace

from ..scenario import Problem, Scenario, ScenarioError


def read_parameters(scenario: Scenario, required: Mapping[str, Iterable[str]]) -> SimpleNamespace:
    """``params.group.name`` for every parameter; a missing one is a scenario error.

    ``required`` maps each group to the names that the mechanisms read, so that a scenario
    written for another version of the model fails at once, naming what it lacks.
    """
    problems = [
        Problem(("parameters", group, name), "nothing", "a parameter that the model reads")
        for group, names in required.items()
        for name in names
        if name not in scenario.parameters.get(group, {})
    ]
    if problems:
        raise ScenarioError(scenario.meta.name, problems)
    return SimpleNamespace(
        **{
            group: SimpleNamespace(**{name: p.value for name, p in members.items()})
            for group, members in scenario.parameters.items()
        }
    )

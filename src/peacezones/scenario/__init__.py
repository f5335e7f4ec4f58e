"""Scenarios: the schema, loading with full validation, and the built-in cases."""

from .errors import Problem, ScenarioError
from .load import (
    builtin_names,
    derive,
    evolve,
    load_scenario,
    parse_scenario,
    validate_data,
    with_parameters,
)
from .schema import Scenario

__all__ = [
    "Problem",
    "Scenario",
    "ScenarioError",
    "builtin_names",
    "derive",
    "evolve",
    "load_scenario",
    "parse_scenario",
    "validate_data",
    "with_parameters",
]

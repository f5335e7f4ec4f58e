"""Property: any mutation of a valid scenario loads, or fails with our own error only."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from importlib import resources
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peacezones import ScenarioError
from peacezones.scenario import parse_scenario, validate_data

TOY = tomllib.loads(
    (resources.files("peacezones.scenario.scenarios") / "toy.toml").read_text("utf-8")
)

scalars = st.one_of(
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from(["barrio_norte", "norte", "zona_norte", "synthetic", "patrol", ""]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            found += _paths(child, (*prefix, i))
    return found


PATHS = _paths(TOY)


def _mutate(data: dict, path: tuple, action: str, value: Any) -> dict:
    data = copy.deepcopy(data)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    if action == "delete":
        del parent[key]
    elif action == "replace":
        parent[key] = value
    elif isinstance(parent, dict):
        parent[f"{key}_extra"] = value
    else:
        parent.append(value)
    return data


mutations = st.lists(
    st.tuples(st.sampled_from(PATHS), st.sampled_from(["delete", "replace", "add"]), values),
    min_size=1,
    max_size=4,
)


def _error_of(load: Any, *args: Any) -> ScenarioError | None:
    """Load; return our validation error if there is one. Any other exception fails."""
    try:
        load(*args)
    except ScenarioError as exc:
        return exc
    return None


def _apply(muts: list) -> dict:
    data = TOY
    for path, action, value in muts:
        try:
            data = _mutate(data, path, action, value)
        except (KeyError, IndexError, TypeError, AttributeError):
            continue  # an earlier mutation removed or retyped this path
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations)
def test_mutated_data_loads_or_raises_scenario_error(muts: list) -> None:
    error = _error_of(validate_data, _apply(muts), "mutant.toml")
    if error is not None:
        assert error.problems
        assert all(p.expected for p in error.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations)
def test_mutated_files_load_or_raise_scenario_error(muts: list) -> None:
    try:
        text = tomli_w.dumps(_apply(muts))
    except (TypeError, ValueError):
        return  # not representable as TOML (for example a NaN key); nothing to test
    error = _error_of(parse_scenario, text, "mutant.toml")
    if error is not None:
        assert all(p.line is None or p.line >= 1 for p in error.problems)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises_anything_else(text: str) -> None:
    _error_of(parse_scenario, text, "noise.toml")

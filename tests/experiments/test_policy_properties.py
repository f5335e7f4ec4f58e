"""Property: any policy file, however broken, is applied or refused with our own error,
and so is any scenario file of any bytes or nesting (issue 17)."""

from __future__ import annotations

import copy
import tempfile
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peacezones import ScenarioError, load_scenario
from peacezones.experiments.policies import apply_policy, builtin_policies, load_policy
from tests.scenario.test_properties import _paths

POLICIES = [
    tomllib.loads((resources.files("peacezones.experiments.policies") / f"{n}.toml").read_text())
    for n in builtin_policies()
]
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=10)  # control characters too
scalars = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
    st.booleans(),
    st.dates(),
    st.sampled_from(
        [
            "facility_attack",
            "declare_zone",
            "peace_zones",
            "barrio_norte",
            "pax.encounter_rate",
            "crackdown",
            "start",
            "first_zone",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


def _mutated(base: dict, muts: list) -> dict:
    data = copy.deepcopy(base)
    for path, action, value in muts:
        paths = [p for p in _paths(data) if isinstance(p[-1], str)]  # keys of tables
        if not paths:
            break
        path = paths[path % len(paths)]
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = value
        else:
            parent[f"{path[-1]}_x"] = value
    return data


def _applied_or_ours(text: str | bytes) -> None:
    """Load the policy file and apply it to the toy: anything but our error fails."""
    toy = load_scenario("toy")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.toml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        error = _error_of(lambda: apply_policy(toy, load_policy(path)))
    if error is not None:
        assert error.problems
        assert all(p.expected for p in error.problems)


def _error_of(load: Any) -> ScenarioError | None:
    """Call ``load``; our error if it raises one. Any other exception fails the test."""
    try:
        load()
    except ScenarioError as exc:
        return exc
    return None


@SLOW
@given(
    st.sampled_from(range(len(POLICIES))),
    st.lists(
        st.tuples(st.integers(0, 50), st.sampled_from(["delete", "replace", "add"]), values),
        min_size=1,
        max_size=3,
    ),
)
def test_mutated_policies_apply_or_raise_our_error(which: int, muts: list) -> None:
    try:
        text = tomli_w.dumps(_mutated(POLICIES[which], muts))
    except (TypeError, ValueError):
        return  # not representable as TOML
    _applied_or_ours(text)


@SLOW
@given(st.binary(max_size=200))
def test_policy_bytes_of_any_encoding_raise_our_error(data: bytes) -> None:
    _applied_or_ours(b'[policy]\nname = "x"\ndescription = "' + data + b'"\n')


@pytest.mark.parametrize("depth", [10, 600, 5000])
def test_nesting_at_any_depth_is_our_error(depth: int) -> None:
    nested = "[" * depth + "]" * depth
    _applied_or_ours(f'[policy]\nname = "x"\ndrop = {nested}\n')
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deep.toml"
        path.write_text(f"a = {nested}\n", "utf-8")
        with pytest.raises(ScenarioError):
            load_scenario(path)


@SLOW
@given(st.binary(max_size=300))
def test_scenario_bytes_raise_our_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "noise.toml"
        path.write_bytes(data)
        with pytest.raises(ScenarioError):
            load_scenario(path)


@SLOW
@given(st.integers(min_value=-(2**70), max_value=2**70) | st.floats())
def test_extreme_numbers_in_a_scenario_are_our_error_or_fine(number: int | float) -> None:
    from peacezones.scenario import parse_scenario

    text = (resources.files("peacezones.scenario.scenarios") / "toy.toml").read_text("utf-8")
    for key in ("population = 40000", "members = 120", "officers = 3000"):
        try:
            written = tomli_w.dumps({"v": number})[4:].strip()
        except (TypeError, ValueError):
            return
        mutated = text.replace(key, f"{key.split(' = ')[0]} = {written}", 1)
        error = _error_of(lambda text=mutated: parse_scenario(text, "extreme.toml"))
        assert error is None or error.problems

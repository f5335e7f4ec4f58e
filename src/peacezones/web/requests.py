"""What the page may ask for, bounded, and how a request becomes checked scenarios.

A request names a scenario (built in, or sent to the page earlier) and one or more
policies: a built-in policy by name, or a built-in policy with levers set on it. The
levers are the policy format's own fields (zone terms, zones turned into crackdowns,
decisions added, programmes dropped, parameters), so the page can ask for nothing that a
policy file could not say, and every value is checked by the same code, with the same
messages, as ``peacezones run --policy FILE``.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import __version__
from ..cli.batch import SEED_MAX
from ..experiments.policies import Policy, builtin_policies, load_policy
from ..scenario import Problem, Scenario, ScenarioError
from ..scenario.errors import alternatives
from ..scenario.load import _translate
from ..scenario.schema import MIN_SCALE

MAX_UPLOAD = 1_000_000
"""Bytes in a scenario sent to the page (the default scenario has about 125,000)."""
MAX_REPLICATES = 50
MAX_POLICIES = 6
MAX_ADDITIONS = 12
"""Decisions a set of levers may add."""
MAX_WEEKS = 2_610
"""Steps in a run asked for through the page: fifty years of weeks."""
MAX_RECORDS = 2_000_000
"""Person records in a run asked for through the page (population times scale)."""


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PolicyChoice(Request):
    """A built-in policy, with levers set on it where ``levers`` says."""

    base: str = "historical"
    levers: dict[str, Any] = Field(default_factory=dict)
    """Fields of a policy file's ``[policy]`` table (``zone_terms``, ``add``, ...)."""
    label: Annotated[str, Field(max_length=500)] = ""
    """The levers in a few words: the policy's name is made from them (with a digest of
    the levers, so that two sets of levers never share a name)."""


class RunRequest(Request):
    scenario: Annotated[str, Field(max_length=80)] = "venezuela"
    policy: PolicyChoice = Field(default_factory=PolicyChoice)
    seed: Annotated[int, Field(ge=0, le=SEED_MAX)] = 0
    scale: Annotated[float, Field(ge=MIN_SCALE, le=1.0)] | None = None


class CompareRequest(Request):
    scenario: Annotated[str, Field(max_length=80)] = "venezuela"
    policies: Annotated[list[PolicyChoice], Field(min_length=2, max_length=MAX_POLICIES)]
    replicates: Annotated[int, Field(ge=1, le=MAX_REPLICATES)] = 10
    seed: Annotated[int, Field(ge=0, le=SEED_MAX)] = 0
    scale: Annotated[float, Field(ge=MIN_SCALE, le=1.0)] | None = None


def parse(model: type[Request], data: Any) -> Request:
    """``data`` as a ``model``, or a :class:`ScenarioError` naming each field wrong."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = alternatives(_translate(e, model) for e in exc.errors(include_url=False))
        raise ScenarioError("request", problems) from None


def policy(choice: PolicyChoice) -> Policy:
    """The policy a choice names: the built-in one, or a new one with the levers set on
    it (a name of its own, made from the levers, so that runs are stored apart)."""
    if choice.base not in builtin_policies():
        expected = f"a built-in policy ({', '.join(builtin_policies())})"
        raise ScenarioError("request", [Problem(("policy", "base"), repr(choice.base), expected)])
    base = load_policy(choice.base)
    if not choice.levers:
        return base
    adds = choice.levers.get("add", [])
    if isinstance(adds, list) and len(adds) > MAX_ADDITIONS:
        found = f"{len(adds)} decisions"
        problem = Problem(("levers", "add"), found, f"at most {MAX_ADDITIONS}")
        raise ScenarioError("request", [problem])
    merged = _merge(base.model_dump(mode="json", exclude_defaults=True), choice.levers)
    digest = hashlib.sha256(json.dumps(merged, sort_keys=True).encode()).hexdigest()[:6]
    words = re.sub(r"[^a-z0-9]+", "-", choice.label.lower()).strip("-")[:48].strip("-")
    merged["name"] = f"{words if words[:1].isalpha() else choice.base}-{digest}"
    merged["description"] = describe(choice)
    try:
        return Policy.model_validate(merged)
    except ValidationError as exc:
        problems = alternatives(_translate(e, Policy) for e in exc.errors(include_url=False))
        moved = [Problem(("levers", *p.path), p.found, p.expected) for p in problems]
        raise ScenarioError(f"levers on {choice.base}", moved) from None


def _merge(base: dict[str, Any], levers: dict[str, Any]) -> dict[str, Any]:
    """The base policy's fields with the levers over them: tables are merged key by key,
    lists of decisions and programmes appended, anything else replaced."""
    out = {k: v for k, v in base.items() if k not in ("name", "description")}
    for key, value in levers.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = {**old, **value}
        elif isinstance(old, list) and isinstance(value, list):
            out[key] = [*old, *value]
        else:
            out[key] = value
    return out


def describe(choice: PolicyChoice) -> str:
    """The levers in words, for the tables and the report's header."""
    parts = []
    for key, value in choice.levers.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k} = {json.dumps(v)}" for k, v in value.items())
            parts.append(f"{key}: {inner}")
        elif isinstance(value, list):
            items = [_decision(v) if isinstance(v, dict) else str(v) for v in value]
            parts.append(f"{key}: {', '.join(items)}")
        else:
            parts.append(f"{key} = {json.dumps(value)}")
    detail = f"{choice.base}, with " + "; ".join(parts)
    return f"{choice.label} ({detail})" if choice.label else detail


def _decision(added: dict[str, Any]) -> str:
    fields = ", ".join(f"{k} = {json.dumps(v)}" for k, v in added.items() if k != "action")
    return f"{added.get('action', '?')} ({fields})"


def bounded(scenario: Scenario, scale: float | None) -> None:
    """Refuse a run too long or too large for a page's request."""
    meta = scenario.meta
    weeks = meta.steps
    records = sum(p.population for p in scenario.places) * (scale or meta.default_scale)
    problems = []
    if weeks > MAX_WEEKS:
        found = f"{weeks:,} steps ({meta.start} to {meta.end})"
        problems.append(Problem(("meta", "end"), found, f"at most {MAX_WEEKS:,} steps"))
    if records > MAX_RECORDS:
        found = f"{records:,.0f} person records"
        expected = f"at most {MAX_RECORDS:,}: a smaller scale"
        problems.append(Problem(("scale",), found, expected))
    if problems:
        raise ScenarioError(scenario.meta.name, problems)


def key(kind: str, scenario: Scenario, request: Request, policies: list[Policy]) -> str:
    """The id of a request: the same request, the same id, and its results found again."""
    body = request.model_dump(mode="json", exclude={"scenario", "policy", "policies"})
    text = json.dumps(
        {
            "kind": kind,
            "scenario": scenario.digest(),
            "policies": [p.model_dump(mode="json") for p in policies],
            "request": body,
            "version": __version__,
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]

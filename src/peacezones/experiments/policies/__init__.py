"""Policies: named sets of levers, applied to any scenario as changes to its schedule,
zone terms, doctrine or parameters (the EMA workbench's "levers").

A policy is a TOML file with a ``[policy]`` table; the built-in ones live beside this
module. Applying one gives a new, fully checked scenario: counterfactual decisions are
marked ``assumed`` with the policy's name, so that the evidence rule still holds.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path as FsPath
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from ...scenario import Problem, Scenario, ScenarioError, derive, with_parameters
from ...scenario.load import _translate
from ...scenario.locate import key_lines, locate
from ...scenario.schema import DECISION_TYPES, Frozen, Id, Number, Positive, Probability

PACKAGE = __name__  # the built-in policies are TOML files beside this module


class ZoneTermChanges(Frozen):
    """Terms set on every zone the schedule declares."""

    aid_per_week: Annotated[Number, Field(ge=0.0)] | None = None
    monitoring: Probability | None = None
    pursuit_turn_back: Probability | None = None
    recall_incursions: bool | None = None
    suspend_police: bool | None = None
    sanction: Literal["none", "suspend_aid", "end_zone"] | None = None


class ZonesToCrackdowns(Frozen):
    """Each zone becomes a crackdown on its places, for as long as the zone would have held."""

    officers_per_place: Positive
    lethality: Probability


class Addition(Frozen):
    """A decision to add, dated absolutely or at the start or the first zone."""

    model_config = Frozen.model_config | {"extra": "allow"}
    at: Literal["start", "first_zone"] | dt.date = "start"
    action: str


class DoctrineChanges(Frozen):
    drop: tuple[Id, ...] = ()
    set: dict[Id, dict[str, Any]] = Field(default_factory=dict)


class Policy(Frozen):
    """What a policy changes; every part is optional."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")]
    description: str = ""
    drop: tuple[str, ...] = ()
    """Actions removed from the schedule."""
    drop_programs: tuple[str, ...] = ()
    """Programmes removed from the schedule: every decision tagged with one of them."""
    zone_terms: ZoneTermChanges | None = None
    zones_to_crackdowns: ZonesToCrackdowns | None = None
    add: tuple[Addition, ...] = ()
    doctrine: DoctrineChanges = Field(default_factory=DoctrineChanges)
    parameters: dict[str, Number] = Field(default_factory=dict)


class _File(Frozen):
    policy: Policy


def builtin_policies() -> list[str]:
    """Names of the policies that ship with the package."""
    folder = resources.files(PACKAGE)
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_policy(name_or_path: str | FsPath) -> Policy:
    """A built-in policy by name, or a policy file; every problem reported at once."""
    name = str(name_or_path)
    if name in builtin_policies():
        file, text = f"{name}.toml", (resources.files(PACKAGE) / f"{name}.toml").read_text("utf-8")
    elif FsPath(name).is_file():
        file, text = name, FsPath(name).read_text("utf-8").removeprefix("\ufeff")
    else:
        expected = f"a built-in policy ({', '.join(builtin_policies())}) or a policy file"
        raise ScenarioError(name, [Problem(("policy",), repr(name), expected)])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problem = Problem((), f"invalid TOML: {exc}", "a valid TOML document")
        raise ScenarioError(file, [problem]) from None
    try:
        return _File.model_validate(data).policy
    except ValidationError as exc:
        lines = key_lines(text)
        problems = [_translate(e, _File) for e in exc.errors(include_url=False)]
        placed = [Problem(p.path, p.found, p.expected, locate(lines, p.path)) for p in problems]
        raise ScenarioError(file, placed) from None


def apply_policy(scenario: Scenario, policy: Policy) -> Scenario:
    """The scenario under the policy, checked in full like any scenario."""
    # only what the scenario wrote: a field left at its default needs no evidence
    schedule = [d.model_dump(mode="python", exclude_unset=True) for d in scenario.schedule]
    if policy.zones_to_crackdowns is not None:
        schedule = _zones_to_crackdowns(scenario, schedule, policy)
    kept = [
        d
        for d in schedule
        if d["action"] not in policy.drop and d.get("program") not in policy.drop_programs
    ]
    gone = {d.get("id") for d in schedule if d not in kept} - {None}
    schedule = [d for d in kept if not (d["action"] == "end" and d.get("decision") in gone)]
    if policy.zone_terms is not None:
        changes = policy.zone_terms.model_dump(exclude_none=True)
        for d in schedule:
            if d["action"] == "declare_zone":
                d["terms"] = {**d.get("terms", {}), **changes}
    schedule += [_addition(scenario, policy, a) for a in policy.add]
    changes: dict[str, Any] = {"schedule": sorted(schedule, key=lambda d: d["date"])}
    if policy.doctrine.drop or policy.doctrine.set:
        changes["doctrine"] = {"rules": _rules(scenario, policy)}
    variant = derive(scenario, changes, f"{scenario.meta.name} under {policy.name}")
    if policy.parameters:
        variant = with_parameters(variant, policy.parameters)
    return variant


def _counterfactual(policy: Policy, decision: dict[str, Any]) -> dict[str, Any]:
    """Mark every data field of an added decision as assumed by the policy."""
    cls = DECISION_TYPES[decision["action"]]
    reason = f"counterfactual: policy {policy.name}"
    fields = [f for f in cls.data_fields() if f in decision]
    return {**decision, "sources": (), "cite": {}, "assumed": dict.fromkeys(fields, reason)}


def _addition(scenario: Scenario, policy: Policy, addition: Addition) -> dict[str, Any]:
    if addition.at == "start":
        date = scenario.meta.start
    elif addition.at == "first_zone":
        zones = [d.date for d in scenario.schedule if d.action == "declare_zone"]
        date = min(zones, default=scenario.meta.start)
    else:
        date = addition.at
    fields = {k: v for k, v in addition.model_dump().items() if k != "at"}
    return _counterfactual(policy, {**fields, "date": date})


def _zones_to_crackdowns(scenario: Scenario, schedule: list[dict[str, Any]],
                         policy: Policy) -> list[dict[str, Any]]:  # fmt: skip
    """Each declare_zone becomes a crackdown on its places until the zone's end."""
    swap = policy.zones_to_crackdowns
    if swap is None:
        return schedule
    ends: dict[str, list[dt.date]] = {}
    for d in schedule:
        if d["action"] == "end_zone":
            ends.setdefault(d["zone"], []).append(d["date"])
    out = []
    for d in schedule:
        if d["action"] == "end_zone":
            continue
        if d["action"] != "declare_zone":
            out.append(d)
            continue
        later = [e for e in ends.get(d["zone"], []) if e > d["date"]]
        stop = min([*later, d.get("until") or scenario.meta.end, scenario.meta.end])
        crackdown = {
            "date": d["date"], "action": "crackdown", "name": f"instead of zone {d['zone']}",
            "places": list(d["places"]), "weeks": max(1, (stop - d["date"]).days // 7),
            "officers": int(swap.officers_per_place * len(d["places"])),
            "lethality": swap.lethality, "targeting": "area",
        }  # fmt: skip
        out.append(_counterfactual(policy, crackdown))
    return out


def _rules(scenario: Scenario, policy: Policy) -> list[dict[str, Any]]:
    rules = []
    for rule in scenario.doctrine.rules:
        if rule.id in policy.doctrine.drop:
            continue
        data = rule.model_dump(mode="python", exclude_unset=True)
        data.update(policy.doctrine.set.get(rule.id, {}))
        rules.append(data)
    return rules

"""Policies: named sets of levers, applied to any scenario as changes to its schedule,
zone terms, doctrine or parameters (the EMA workbench's "levers").

A policy is a TOML file with a ``[policy]`` table; the built-in ones live beside this
module. Applying one gives a new, fully checked scenario: counterfactual decisions are
marked ``assumed`` with the policy's name, so that the evidence rule still holds.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path as FsPath
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, ValidationError

from ...scenario import Problem, Scenario, ScenarioError, checks, derive, with_parameters
from ...scenario.errors import Path, alternatives
from ...scenario.load import _decode, _translate, read_toml
from ...scenario.locate import key_lines, locate, placed
from ...scenario.schema import (
    DECISION_TYPES,
    Frozen,
    Id,
    Number,
    Positive,
    Probability,
    weeks_between,
)

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
    _file: str = PrivateAttr(default="")
    """The file it was read from, which its problems name (none if built in Python)."""
    _lines: dict[Path, int] = PrivateAttr(default_factory=dict)


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
        try:
            file, text = name, _decode(name, FsPath(name).read_bytes())
        except OSError as exc:
            problem = Problem(("policy",), f"{name}: {exc.strerror or exc}", "a readable file")
            raise ScenarioError(name, [problem]) from None
    else:
        expected = f"a built-in policy ({', '.join(builtin_policies())}) or a policy file"
        raise ScenarioError(name, [Problem(("policy",), repr(name), expected)])
    data = read_toml(text, file)
    lines = key_lines(text)
    controls = checks.control_characters(data)
    if controls:
        raise ScenarioError(file, placed(controls, lines))
    try:
        policy = _File.model_validate(data).policy
    except ValidationError as exc:
        problems = alternatives([_translate(e, _File) for e in exc.errors(include_url=False)])
        raise ScenarioError(file, placed(problems, lines)) from None
    if policy.name in builtin_policies() and name not in builtin_policies():
        path = ("policy", "name")
        expected = "a name of its own: a built-in policy has this one"
        problem = Problem(path, repr(policy.name), expected, locate(lines, path))
        raise ScenarioError(file, [problem])
    policy._file, policy._lines = file, lines
    return policy


def apply_policy(scenario: Scenario, policy: Policy) -> Scenario:
    """The scenario under the policy, checked in full like any scenario.

    A problem that comes from the policy (a decision it adds, a rule or a parameter it
    sets, a rule it names that the scenario lacks) is reported at its place in the
    policy's file; one that the policy only brings out in the scenario, in the variant.
    """
    unknown = _unknown_rules(scenario, policy)
    if unknown:
        raise ScenarioError(_file(policy), _placed(policy, unknown))
    origin: list[int | None] = []
    try:
        return _apply(scenario, policy, origin)
    except ScenarioError as exc:
        raise _blame(scenario, policy, exc, origin) from None


def _file(policy: Policy) -> str:
    return policy._file or f"policy {policy.name}"


def _placed(policy: Policy, problems: list[Problem]) -> list[Problem]:
    return placed(problems, policy._lines)


def _unknown_rules(scenario: Scenario, policy: Policy) -> list[Problem]:
    """Rules the policy sets or drops that the scenario's doctrine does not have, and
    actions it drops that no decision has: a policy that silently does nothing is a typo."""
    rules = [r.id for r in scenario.doctrine.rules]
    listing = ", ".join(rules) or "none"
    problems = []
    named = [(("policy", "doctrine", "set", rid), rid) for rid in policy.doctrine.set]
    named += [
        (("policy", "doctrine", "drop", i), rid) for i, rid in enumerate(policy.doctrine.drop)
    ]
    for path, rid in named:
        if rid not in rules:
            hint = checks.did_you_mean(rid, rules, n=1)
            problems.append(
                Problem(path, repr(rid), f"a rule of the scenario's doctrine ({listing}){hint}")
            )
    for rid in sorted(set(policy.doctrine.set) & set(policy.doctrine.drop)):
        problems.append(
            Problem(("policy", "doctrine", "set", rid), repr(rid), "a rule not also dropped")
        )
    zones = any(d.action == "declare_zone" for d in scenario.schedule)
    for i, addition in enumerate(policy.add):
        if addition.at == "first_zone" and not zones:
            problems.append(
                Problem(
                    ("policy", "add", i, "at"),
                    "'first_zone'",
                    "'start' or a date: the scenario declares no zone",
                )
            )
        if addition.action not in DECISION_TYPES:
            hint = checks.did_you_mean(addition.action, DECISION_TYPES, n=1)
            problems.append(
                Problem(
                    ("policy", "add", i, "action"),
                    repr(addition.action),
                    f"an action ({', '.join(DECISION_TYPES)}){hint}",
                )
            )
    programs = sorted({d.program for d in scenario.schedule if getattr(d, "program", "")})
    for i, program in enumerate(policy.drop_programs):
        hint = checks.did_you_mean(program, programs, n=1)
        if program not in programs and hint:  # absent elsewhere is fine; a typo is not
            problems.append(
                Problem(
                    ("policy", "drop_programs", i),
                    repr(program),
                    f"a programme of the scenario's decisions{hint}",
                )
            )
    for i, action in enumerate(policy.drop):
        if action not in DECISION_TYPES:
            hint = checks.did_you_mean(action, DECISION_TYPES, n=1)
            known = ", ".join(DECISION_TYPES)
            problems.append(
                Problem(("policy", "drop", i), repr(action), f"an action ({known}){hint}")
            )
    return problems


def _blame(
    scenario: Scenario, policy: Policy, exc: ScenarioError, origin: list[int | None]
) -> ScenarioError:
    """``exc``, raised by the scenario under ``policy``, with each problem that comes from
    the policy moved to its place in the policy; ``origin[i]``: the index in the
    policy's ``add`` of the variant's decision ``i`` (None: the scenario's own)."""
    rules = [r.id for r in scenario.doctrine.rules if r.id not in policy.doctrine.drop]
    terms = set(policy.zone_terms.model_dump(exclude_none=True)) if policy.zone_terms else set()
    mine, theirs = [], []
    for p in exc.problems:
        path = _policy_path(p.path, policy, origin, rules, terms)
        if path is None:
            theirs.append(p)
        else:
            mine.append(Problem(path, p.found, p.expected))
    if not mine:
        return exc
    variant = f"{scenario.meta.name} under {policy.name}"
    placed = sorted(_placed(policy, mine), key=lambda p: (p.line or 0, str(p.path)))
    return ScenarioError(
        _file(policy),
        [
            *placed,
            *(Problem((variant, *p.path), p.found, p.expected) for p in theirs),
        ],
    )


def _policy_path(
    path: Path, policy: Policy, origin: list[int | None], rules: list[str], terms: set[str]
) -> Path | None:
    """Where in the policy a problem at ``path`` of the variant comes from, if it does."""
    head = path[:2]
    if head[:1] == ("schedule",) and len(path) > 1 and isinstance(path[1], int):
        if path[1] < len(origin) and origin[path[1]] is not None:
            rest = path[2:]
            if rest[:1] == ("date",):  # an addition's date is its ``at``
                rest = ("at", *rest[1:])
            return ("policy", "add", origin[path[1]], *rest)
        if len(path) > 3 and path[2] == "terms" and path[3] in terms:
            return ("policy", "zone_terms", *path[3:])
    if head[:1] == ("doctrine",) and len(path) > 3 and path[1] == "rules":
        index = path[2]
        if isinstance(index, int) and index < len(rules):
            changed = policy.doctrine.set.get(rules[index], {})
            if path[3] in changed:
                return ("policy", "doctrine", "set", rules[index], *path[3:])
    if head[:1] == ("parameters",) and len(path) > 1:
        dotted = f"{path[1]}.{path[2]}" if len(path) > 2 else str(path[1])
        if dotted in policy.parameters:
            return ("policy", "parameters", dotted)
    return None


def _apply(scenario: Scenario, policy: Policy, origin: list[int | None]) -> Scenario:
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
    # a zone no longer declared is not ended either (its end_zone may carry no programme)
    declared = {d["zone"] for d in schedule if d["action"] == "declare_zone"}
    schedule = [d for d in schedule if d["action"] != "end_zone" or d["zone"] in declared]
    if policy.zone_terms is not None:
        changes = policy.zone_terms.model_dump(exclude_none=True)
        for d in schedule:
            if d["action"] == "declare_zone":
                d["terms"] = {**d.get("terms", {}), **changes}
    added = [_addition(scenario, policy, a) for a in policy.add]
    tagged = [(d, None) for d in schedule] + [(d, i) for i, d in enumerate(added)]
    tagged.sort(key=lambda pair: pair[0]["date"])
    origin[:] = [i for _, i in tagged]
    changes: dict[str, Any] = {"schedule": [d for d, _ in tagged]}
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
            "places": list(d["places"]), "weeks": weeks_between(d["date"], stop),
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

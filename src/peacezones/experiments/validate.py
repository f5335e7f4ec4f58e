"""Validation: a scenario's own patterns and observations, over replicates of its arms.

The arms are those the scenario's patterns name (``historical``, built-in policies,
``without:TRAIT`` contrasts), and ``historical`` for the observations. With ablation, each
arm of each pattern is run again with each mechanism the pattern names switched off
(``[engine] mechanisms_off``); a pattern that still passes then is not evidence for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ..analysis.patterns import (
    HISTORICAL,
    NOT_EVIDENCE,
    PASS,
    Verdict,
    arm_label,
    judge,
    observation_verdicts,
    pattern_arms,
    wide,
)
from ..scenario import Scenario, ScenarioError, derive
from .policies import apply_policy, load_policy
from .runner import Output, plan_arms, run_and_collect

WITHOUT = "without:"
ABLATION_WORDS = {
    PASS: "still passes",
    "fail": "fails",
    "too few cases": "too few cases",
}
COLUMNS = [
    "kind", "id", "role", "title", "statistic", "expected", "observed", "outcome", "n",
    "mechanisms", "ablation", "passed",
]  # fmt: skip


@dataclass
class Validation:
    """Every verdict of one validation, and what it took."""

    patterns: list[Verdict]
    observations: list[Verdict]
    ran: int
    runs: int
    ablated: bool
    observations_required: bool = True

    @property
    def evidence(self) -> list[Verdict]:
        """The patterns that pass and, ablated, fail without each of their mechanisms."""
        return [v for v in self.patterns if v.passed and self.ablated]

    @property
    def passed(self) -> bool:
        """Every pattern is evidence and passes; every observation (and trend) holds,
        unless observations were relaxed to warnings."""
        patterns = len(self.evidence) == len(self.patterns)
        observed = all(v.passed for v in self.observations) or not self.observations_required
        return patterns and observed

    def frame(self) -> pd.DataFrame:
        rows = [
            {
                "kind": v.kind,
                "id": v.id,
                "role": v.role,
                "title": v.title,
                "statistic": v.statistic,
                "expected": v.expected,
                "observed": v.observed,
                "outcome": v.outcome,
                "n": v.n,
                "mechanisms": ", ".join(v.mechanisms),
                "ablation": v.ablation,
                "passed": v.passed and (v.kind != "pattern" or self.ablated),
            }
            for v in [*self.patterns, *self.observations]
        ]
        return pd.DataFrame(rows, columns=COLUMNS)


def arm_scenario(scenario: Scenario, arm: str) -> Scenario:
    """The scenario as one arm runs it."""
    if arm == HISTORICAL:
        return scenario
    if arm.startswith(WITHOUT):
        trait = arm.removeprefix(WITHOUT)
        gangs = [g.model_dump(exclude_unset=True) for g in scenario.gangs]
        for g in gangs:
            g["traits"] = {**g.get("traits", {}), trait: False}
        return derive(scenario, {"gangs": gangs}, f"{scenario.meta.name} {arm}")
    return apply_policy(scenario, load_policy(arm))


def without_mechanism(scenario: Scenario, mechanism: str) -> Scenario:
    """The scenario with one more mechanism switched off."""
    off = [*scenario.engine.mechanisms_off, mechanism]
    engine = {**scenario.engine.model_dump(), "mechanisms_off": off}
    return derive(scenario, {"engine": engine}, f"{scenario.meta.name} without {mechanism}")


def arm_names(scenario: Scenario) -> list[str]:
    """Historical first, then every other arm the patterns name, in order."""
    names = [HISTORICAL]
    for pattern in scenario.patterns:
        names += [a for a in pattern_arms(pattern) if a not in names]
    return names


def ablations(scenario: Scenario) -> list[tuple[str, str]]:
    """(arm, mechanism) for every arm of every pattern and each mechanism it names."""
    pairs: list[tuple[str, str]] = []
    for pattern in scenario.patterns:
        for mechanism in pattern.mechanisms:
            for arm in pattern_arms(pattern):
                if (arm, mechanism) not in pairs:
                    pairs.append((arm, mechanism))
    return pairs


def arms(scenario: Scenario, ablate: bool = True) -> dict[str, Scenario]:
    """Every arm to run, by its label in the store."""
    named = {arm: arm_scenario(scenario, arm) for arm in arm_names(scenario)}
    if ablate:
        for arm, mechanism in ablations(scenario):
            named[arm_label(arm, mechanism)] = without_mechanism(named[arm], mechanism)
    return named


def refusals(scenario: Scenario) -> list[tuple[str, ScenarioError]]:
    """What the commands would refuse to build from ``scenario``, before any run: the
    variant ``run`` makes by default (the historical policy) and every arm and ablation
    of ``validate``. Pairs of (which variant, its error); empty when all build.

    ``peacezones scenario validate`` reports these, so that it refuses whatever a
    command would."""
    refused: list[tuple[str, ScenarioError]] = []

    def attempt(label: str, build: Callable[[], Scenario]) -> Scenario | None:
        try:
            return build()
        except ScenarioError as exc:
            refused.append((label, exc))
            return None

    attempt(
        f"run under its default policy {HISTORICAL!r}",
        lambda: apply_policy(scenario, load_policy(HISTORICAL)),
    )
    built = {
        arm: attempt(f"validate's arm {arm!r}", lambda arm=arm: arm_scenario(scenario, arm))
        for arm in arm_names(scenario)
    }
    for arm, mechanism in ablations(scenario):
        base = built.get(arm)
        if base is not None:
            attempt(
                f"validate's arm {arm!r} without {mechanism}",
                lambda base=base, mechanism=mechanism: without_mechanism(base, mechanism),
            )
    return refused


def arm_replicates(scenario: Scenario, replicates: int, ablate: bool = True) -> dict[str, int]:
    """Runs of each arm, by its label: ``replicates``, times the largest
    ``replicate_factor`` of the patterns that read the arm (or its ablation)."""
    runs = dict.fromkeys(arm_names(scenario), replicates)
    if ablate:
        runs |= {arm_label(arm, m): replicates for arm, m in ablations(scenario)}
    for pattern in scenario.patterns:
        n = replicates * pattern.replicate_factor
        for arm in pattern_arms(pattern):
            labels = [arm] + ([arm_label(arm, m) for m in pattern.mechanisms] if ablate else [])
            for label in labels:
                runs[label] = max(runs[label], n)
    return runs


def count_runs(scenario: Scenario, replicates: int, ablate: bool = True) -> int:
    """How many runs a validation holds, without building its arms."""
    return sum(arm_replicates(scenario, replicates, ablate).values())


def verdicts(
    scenario: Scenario, outcomes: pd.DataFrame, ablate: bool
) -> tuple[list[Verdict], list[Verdict]]:
    """The patterns' verdicts (with their ablation) and the observations'."""
    table = wide(outcomes)
    patterns = []
    for pattern in scenario.patterns:
        verdict = judge(pattern, table)
        if ablate:
            ablated = {m: judge(pattern, table, off=m) for m in pattern.mechanisms}
            still = [m for m, v in ablated.items() if v.passed]
            words = [
                f"without {m}: {ABLATION_WORDS[v.outcome]} ({v.observed})"
                for m, v in ablated.items()
            ]
            verdict = replace(verdict, ablation="; ".join(words))
            if verdict.passed and still:
                verdict = replace(verdict, outcome=NOT_EVIDENCE)
        else:
            verdict = replace(verdict, ablation="not run")
        patterns.append(verdict)
    return patterns, observation_verdicts(scenario, table)


def validate(
    scenario: Scenario,
    replicates: int,
    out: Path,
    seed: int = 0,
    scale: float | None = None,
    workers: int = 1,
    on_done: Callable[[Output], None] | None = None,
    ablate: bool = True,
    observations_required: bool = True,
) -> Validation:
    """Run what is missing from the store in ``out``; judge every pattern and observation."""
    scale = scenario.meta.default_scale if scale is None else scale
    runs = arm_replicates(scenario, replicates, ablate)
    tasks = [
        task
        for label, arm in arms(scenario, ablate).items()
        for task in plan_arms({label: arm}, runs[label], seed, scale)
    ]
    outcomes, ran = run_and_collect(tasks, out, workers, on_done)
    patterns, observed = verdicts(scenario, outcomes, ablate)
    result = Validation(patterns, observed, ran, len(tasks), ablate, observations_required)
    result.frame().to_csv(out / "validation.csv", index=False)
    return result


__all__ = ["PASS", "Validation", "arm_replicates", "arms", "count_runs", "validate"]

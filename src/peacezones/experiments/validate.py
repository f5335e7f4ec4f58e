"""Validation: the patterns P1-P12 and the level checks over replicates of the arms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..analysis.patterns import BASE, NO_ZONES, Verdict, contrasts, judge, levels
from ..scenario import Scenario
from .policies import apply_policy, load_policy
from .runner import Output, plan_arms, run_and_collect


@dataclass
class Validation:
    patterns: list[Verdict]
    levels: list[Verdict]
    ran: int
    runs: int

    @property
    def passed(self) -> bool:
        """Whether every pattern holds (levels are reported, not required)."""
        return all(v.passed for v in self.patterns)

    def frame(self) -> pd.DataFrame:
        rows = [(*_row(v), "pattern") for v in self.patterns]
        rows += [(*_row(v), "level") for v in self.levels]
        return pd.DataFrame(
            rows, columns=["check", "statistic", "expected", "observed", "passed", "kind"]
        )


def _row(v: Verdict) -> tuple[str, str, str, str, bool]:
    return (v.pattern, v.statistic, v.expected, v.observed, v.passed)


def arms(scenario: Scenario) -> dict[str, Scenario]:
    """Historical, no peace zones, and one contrast per gang trait."""
    return {
        BASE: scenario,
        NO_ZONES: apply_policy(scenario, load_policy(NO_ZONES)),
        **contrasts(scenario),
    }


def validate(
    scenario: Scenario,
    replicates: int,
    out: Path,
    seed: int = 0,
    scale: float | None = None,
    workers: int = 1,
    on_done: Callable[[Output], None] | None = None,
) -> Validation:
    """Run what is missing from the store in ``out``; judge every pattern."""
    scale = scenario.meta.default_scale if scale is None else scale
    tasks = plan_arms(arms(scenario), replicates, seed, scale)
    outcomes, ran = run_and_collect(tasks, out, workers, on_done)
    result = Validation(judge(outcomes, scenario), levels(outcomes, scenario), ran, len(tasks))
    result.frame().to_csv(out / "validation.csv", index=False)
    return result

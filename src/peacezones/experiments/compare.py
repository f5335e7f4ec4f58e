"""Policies side by side over replicates with common random numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis.outcomes import OUTCOMES
from ..analysis.statistics import mean_interval, paired_difference
from ..analysis.window import Window, window_outcomes
from ..scenario import Scenario
from .policies import Policy
from .runner import Output, plan, run_and_collect
from .store import Store


@dataclass
class Comparison:
    """Outcomes per policy with intervals, and differences against the first policy."""

    per_policy: pd.DataFrame
    differences: pd.DataFrame
    outcomes: pd.DataFrame
    ran: int
    runs: int
    where: Window | None = None
    """The years and places the tables are about, where narrowed (else the whole run)."""

    @property
    def unchanged(self) -> list[str]:
        """The policies after the first under which every outcome of every replicate is
        what it is under the first: levers that changed nothing in these runs (a truce
        between allies, a lever after the end, a leader already gone...)."""
        return unchanged(self.outcomes, list(self.per_policy["policy"].drop_duplicates()))


def compare(
    scenario: Scenario,
    policies: list[Policy],
    replicates: int,
    out: Path,
    seed: int = 0,
    scale: float | None = None,
    workers: int = 1,
    on_done: Callable[[Output], None] | None = None,
    where: Window | None = None,
    scheduler: str | None = None,
    store_folder: Path | None = None,
) -> Comparison:
    """Run what is missing from the store in ``out`` (on ``workers`` processes here, or on
    the Dask cluster whose ``scheduler`` address is given), then summarise every run asked
    for: over the whole run, or over ``where``'s years and places (then ``per_policy.csv``
    and ``differences.csv`` are about those, and say so in a ``window`` column). With
    ``store_folder`` the runs are kept in that folder's store, which other comparisons
    share (``out`` then holds the tables of this one); by default in ``out``'s."""
    scale = scenario.meta.default_scale if scale is None else scale
    tasks = plan(scenario, policies, replicates, seed, scale, monthly=True)
    outcomes, ran = run_and_collect(tasks, out, workers, on_done, scheduler, store_folder)
    if where is not None:
        ids = [t.run_id for t in tasks]
        with Store(store_folder or out) as store:
            series = store.table("series", "WHERE run_id IN (SELECT unnest(?))", [ids])
            events = store.table("events", "WHERE run_id IN (SELECT unnest(?))", [ids])
        outcomes = window_outcomes(series, events, scenario, where)
    per_policy, differences = summarise(outcomes, [p.name for p in policies])
    if where is not None:
        per_policy.insert(0, "window", where.describe())
        differences.insert(0, "window", where.describe())
    per_policy.to_csv(out / "per_policy.csv", index=False)
    differences.to_csv(out / "differences.csv", index=False)
    return Comparison(per_policy, differences, outcomes, ran, len(tasks), where)


def unchanged(outcomes: pd.DataFrame, policies: list[str]) -> list[str]:
    """The policies after the first whose outcomes are the first's, replicate by replicate."""
    if len(policies) < 2 or outcomes.empty:
        return []
    wide = outcomes.pivot_table(
        index=["outcome", "replicate"], columns="policy", values="value", dropna=False
    )
    base = wide[policies[0]].to_numpy(float)
    return [
        p
        for p in policies[1:]
        if p in wide and np.array_equal(wide[p].to_numpy(float), base, equal_nan=True)
    ]


def summarise(outcomes: pd.DataFrame, policies: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per policy and outcome a mean with its 95% interval; per policy after the first, the
    paired difference from the first, replicate by replicate."""
    wide = outcomes.pivot_table(index=["outcome", "replicate"], columns="policy", values="value")
    rows, diffs = [], []
    for outcome, least in ((o.name, o.least) for o in OUTCOMES):
        if outcome not in wide.index.get_level_values(0):
            continue
        table = wide.loc[outcome]
        for policy in policies:
            est = mean_interval(table[policy].dropna(), least=least)
            rows.append((outcome, policy, est.mean, est.low, est.high, est.n))
        base = policies[0]
        for policy in policies[1:]:
            both = table[[policy, base]].dropna()
            d = paired_difference(both[policy], both[base])
            diffs.append((outcome, policy, base, d.mean, d.low, d.high, d.p_value, d.n))
    per_policy = pd.DataFrame(rows, columns=["outcome", "policy", "mean", "low", "high", "n"])
    differences = pd.DataFrame(
        diffs, columns=["outcome", "policy", "baseline", "difference", "low", "high", "p", "n"]
    )
    return per_policy, differences

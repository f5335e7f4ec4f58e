"""Paired-seed comparisons on the toy scenario, for the mechanisms' causal tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import pandas as pd

from peacezones import Scenario, load_scenario
from peacezones.engine import RunResult, prepare, simulate
from peacezones.engine.step import step
from peacezones.engine.world import World
from peacezones.scenario import derive, evolve, with_parameters

SEEDS = range(4)
SCALE = 0.05


@cache
def toy() -> Scenario:
    """The toy scenario cut to three years (the zone comes in year two)."""
    base = load_scenario("toy")
    return evolve(base, meta=evolve(base.meta, end=dt.date(2022, 12, 26)))


def variant(parameters: Mapping[str, float] | None = None, **sections: Any) -> Scenario:
    """The toy scenario with some parameters or whole sections changed."""
    scenario = toy()
    if sections:
        scenario = derive(scenario, sections)
    return with_parameters(scenario, parameters) if parameters else scenario


def decisions(*drop: str, add: tuple[dict[str, Any], ...] = ()) -> list[dict[str, Any]]:
    """The toy schedule without the actions named in ``drop``, plus ``add``."""
    kept = [d.model_dump() for d in toy().schedule if d.action not in drop]
    return kept + list(add)


_RUNS: dict[str, list[RunResult]] = {}


def runs(scenario: Scenario) -> list[RunResult]:
    """The replicates of a scenario (paired: replicate r has the same stream in every arm).

    Kept for the session by the scenario's digest, since many tests share an arm.
    """
    key = scenario.digest()
    if key not in _RUNS:
        _RUNS[key] = [simulate(scenario, seed=0, replicate=r, scale=SCALE) for r in SEEDS]
    return _RUNS[key]


def total(
    results: list[RunResult], variable: str, place: str | None = None, gang: str | None = None
) -> float:
    """A counted outcome summed over the run and all replicates."""
    return sum(_select(r.series, variable, place, gang)["value"].sum() for r in results)


def final(
    results: list[RunResult], variable: str, place: str | None = None, gang: str | None = None
) -> float:
    """A state outcome at the last step, summed over replicates."""
    values = 0.0
    for r in results:
        rows = _select(r.series, variable, place, gang)
        values += rows[rows["date"] == rows["date"].max()]["value"].sum()
    return values


def events(
    results: list[RunResult],
    kind: str,
    actor: str | None = None,
    where: Callable[[pd.DataFrame], pd.Series] | None = None,
) -> float:
    """How many events (weighted by their count) of ``kind`` the replicates had."""
    n = 0.0
    for r in results:
        e = r.events[r.events["kind"] == kind]
        if actor is not None:
            e = e[e["actor"] == actor]
        if where is not None:
            e = e[where(e)]
        n += e["count"].sum()
    return n


def _select(
    series: pd.DataFrame, variable: str, place: str | None, gang: str | None
) -> pd.DataFrame:
    rows = series[series["variable"] == variable]
    if place is not None:
        rows = rows[rows["place"] == place]
    if gang is not None:
        rows = rows[rows["gang"] == gang]
    return rows


def stepped(
    weeks: int = 10,
    seed: int = 0,
    scale: float = SCALE,
    scenario: Scenario | None = None,
    until: dt.date | None = None,
) -> World:
    """The toy world (or ``scenario``'s) after its first ``weeks`` steps, or, where
    ``until`` is given, after its first step dated past ``until``: state to test on."""
    world = prepare(scenario or toy(), seed=seed, scale=scale)
    for t, date in enumerate(world.dates):
        if until is None and t >= weeks:
            break
        world.step = t
        step(world)
        if until is not None and date > until:
            break
    return world

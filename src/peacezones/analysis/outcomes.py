"""Outcomes: what a run is judged by, each with the direction a policy should move it.

In the EMA workbench's terms these are the *outcomes*; policies are the *levers* and the
scenario's uncertain parameters the *uncertainties*.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from ..engine import RunResult
from ..engine.mechanisms.residents import HOMICIDES
from ..engine.outcomes import PLACE_COUNTS

WEEKS_A_YEAR = 365.25 / 7


@dataclass(frozen=True)
class Outcome:
    name: str
    description: str
    direction: Literal["min", "max", "none"]
    measure: Callable[[RunResult], float]
    least: float | None = 0.0
    """The smallest value the outcome can take (every outcome here is a count, a rate or a
    mean of a share): its intervals over replicates are cut there."""


def _total(result: RunResult, *variables: str) -> float:
    s = result.series
    return float(s.loc[s["variable"].isin(variables), "value"].sum())


def _per_100k_year(result: RunResult, *variables: str) -> float:
    years = len(result.world.dates) / WEEKS_A_YEAR
    return _total(result, *variables) / result.world.population.sum() * 1e5 / years


def _last(result: RunResult, variable: str) -> float:
    s = result.series
    rows = s[s["variable"] == variable]
    return float(rows.loc[rows["date"] == rows["date"].max(), "value"].sum())


def _mean(result: RunResult, variable: str) -> float:
    s = result.series
    return float(s.loc[s["variable"] == variable, "value"].mean())


def _events(result: RunResult, kind: str, caused: bool = False) -> float:
    e = result.events
    rows = e[e["kind"] == kind]
    return float(reactions(e, rows).sum() if caused else len(rows))


def reactions(events: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Which of ``rows`` (events of ``events``) the model's mechanisms caused: a cause that
    is not a decision of the schedule (an ``end_zone`` decision is not the state's
    reaction)."""
    decided = events.loc[events["kind"] == "decision", "event"]
    return (rows["cause"] >= 0) & ~rows["cause"].isin(decided)


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("violent_deaths_per_100k",
            "violent deaths a year per 100,000 residents at the start, all kinds", "min",
            lambda r: _per_100k_year(r, *HOMICIDES)),
    Outcome("killed_by_gangs_per_100k",
            "killings by gangs a year per 100,000 residents at the start", "min",
            lambda r: _per_100k_year(r, "homicides_gang_on_gang", "homicides_gang_on_civilian")),
    Outcome("killed_by_police_per_100k",
            "killings by police a year per 100,000 residents at the start", "min",
            lambda r: _per_100k_year(r, "homicides_by_police")),
    Outcome("officials_killed", "officials killed", "min",
            lambda r: _total(r, "officials_killed")),
    Outcome("gang_members_end", "gang members at the end", "min",
            lambda r: _last(r, "members")),
    Outcome("gang_weapons_end", "gang weapons at the end", "min",
            lambda r: _last(r, "weapons")),
    Outcome("governance_mean", "mean gang governance over places and weeks", "min",
            lambda r: _mean(r, "governance")),
    Outcome("displaced", "people displaced (fled or expelled)", "min",
            lambda r: _total(r, "displaced")),
    Outcome("extortion", "extortion payments", "min", lambda r: _total(r, "extortion")),
    Outcome("kidnapping", "kidnappings", "min", lambda r: _total(r, "kidnapping")),
    Outcome("highway_robbery", "highway robberies", "min",
            lambda r: _total(r, "highway_robbery")),
    Outcome("crimes_outside", "crimes by gangs outside the places they hold", "min",
            lambda r: _total(r, "crimes_outside")),
    Outcome("offensives", "offensives launched by the state", "none",
            lambda r: _events(r, "offensive")),
    Outcome("zones_ended_by_doctrine", "zones ended by the state's reaction", "none",
            lambda r: _events(r, "zone_ended", caused=True)),
)  # fmt: skip


def measure(result: RunResult) -> dict[str, float]:
    """Every outcome of one run."""
    return {o.name: o.measure(result) for o in OUTCOMES}


def yearly_series(result: RunResult) -> pd.DataFrame:
    """The run's series by year: counts summed, states at the year's last step."""
    return _by_period(result, "Y")


def monthly_series(result: RunResult) -> pd.DataFrame:
    """The run's series by month: counts summed, states at the month's last step; a week
    counts in the month of its first day. Dated the month's last day."""
    return _by_period(result, "M")


def _by_period(result: RunResult, freq: str) -> pd.DataFrame:
    s = result.series
    period = s["date"].dt.to_period(freq).rename("period")
    counted = s["variable"].isin(PLACE_COUNTS)
    sums = s[counted].groupby([period[counted], "place", "gang", "variable"], observed=True)
    lasts = s[~counted].groupby([period[~counted], "place", "gang", "variable"], observed=True)
    frame = pd.concat([sums["value"].sum(), lasts["value"].last()]).reset_index()
    frame["date"] = frame["period"].dt.end_time.dt.normalize()
    frame = frame[["date", "place", "gang", "variable", "value"]]
    for column in ("place", "gang", "variable"):
        frame[column] = frame[column].astype(str)
    return frame.sort_values(["date", "variable", "place", "gang"], ignore_index=True)


def notable_events(result: RunResult, kinds: tuple[str, ...]) -> pd.DataFrame:
    """The run's events of the given kinds, with plain string columns."""
    e = result.events[result.events["kind"].isin(kinds)].copy()
    e["kind"] = e["kind"].astype(str)
    return e.reset_index(drop=True)

"""Outcomes where and when a lever acts: over some years and some places.

A policy that changes one barrio's pact says little in scenario-wide means over a
decade. :func:`window_outcomes` reads each stored run's monthly series (``compare`` keeps
them) and notable events and gives the outcomes over the months asked for (whole years, or
``2020-06:2021-03``) and the places asked for (ids, a region, optionally with their
neighbours by road):

- violent deaths, killings by gangs and by police per 100,000 residents a year of those
  places (residents at the end of each year, averaged over the window);
- officials killed, extortion, kidnappings, highway robberies, crimes outside held places
  and people displaced there, in total;
- gang governance there, averaged over the places and the years' ends;
- gang members at the window's last month's end, of the gangs at home in those places;
- offensives launched there, and zones there ended by the state's reaction.

The same rows as a batch's outcomes (run, policy, replicate, outcome, value), so that
:func:`peacezones.experiments.compare.summarise` gives intervals and paired differences.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..engine.mechanisms.residents import HOMICIDES
from ..scenario import Problem, Scenario, ScenarioError
from .outcomes import reactions

GANG_KILLINGS = ("homicides_gang_on_gang", "homicides_gang_on_civilian")
TOTALS = {
    "officials_killed": ("officials_killed",),
    "displaced": ("displaced",),
    "extortion": ("extortion",),
    "kidnapping": ("kidnapping",),
    "highway_robbery": ("highway_robbery",),
    "crimes_outside": ("crimes_outside",),
}


@dataclass(frozen=True)
class Window:
    """Months ``start`` to ``end`` (their first and last days) and the places an
    analysis is about."""

    start: dt.date
    end: dt.date
    places: tuple[str, ...]

    @property
    def years(self) -> float:
        """The window's length in years (whole months)."""
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return months / 12

    def describe(self) -> str:
        whole = self.start.month == 1 and self.end.month == 12
        first, last = (
            (f"{self.start.year}", f"{self.end.year}")
            if whole
            else (f"{self.start:%Y-%m}", f"{self.end:%Y-%m}")
        )
        span = first if first == last else f"{first} to {last}"
        shown = ", ".join(self.places[:6]) + (" ..." if len(self.places) > 6 else "")
        return f"{span}, {len(self.places)} place(s): {shown}"


def _month(text: str, last: bool) -> dt.date | None:
    """``2019`` (its first or last month) or ``2019-06``, as the month's first or last day."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", text.strip())
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else (12 if last else 1)
    if not 1 <= month <= 12:
        return None
    if not last:
        return dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def window(
    scenario: Scenario, years: str | None, places: str | None, neighbours: bool = False
) -> Window:
    """A window from the command line's ``--window START:END`` (years, or months as
    ``2020-06``) and ``--places`` (ids or regions, comma-separated), checked against the
    scenario; without them, the whole run and every place."""
    meta = scenario.meta
    start = dt.date(meta.start.year, meta.start.month, 1)
    end = _month(f"{meta.end:%Y-%m}", last=True) or meta.end
    first, last = start, end
    if years:
        parts = years.split(":")
        pair = (_month(parts[0], False), _month(parts[-1], True)) if len(parts) <= 2 else None
        if pair is None or None in pair or not start <= pair[0] <= pair[1] <= end:  # type: ignore[operator]
            expected = (
                f"START:END within the scenario ({start:%Y-%m}:{end:%Y-%m}), as years "
                f"({end.year - 1}:{end.year}) or months ({end.year}-01:{end.year}-06)"
            )
            raise ScenarioError("--window", [Problem(("window",), repr(years), expected)])
        first, last = pair  # type: ignore[misc]
    ids = [p.id for p in scenario.places]
    regions = {p.region for p in scenario.places}
    chosen: list[str] = []
    for item in (x.strip() for x in (places or "").split(",") if x.strip()):
        if item in ids:
            chosen.append(item)
        elif item in regions:
            chosen += [p.id for p in scenario.places if p.region == item]
        else:
            expected = (
                f"place ids or regions of the scenario (regions: {', '.join(sorted(regions))})"
            )
            raise ScenarioError("--places", [Problem(("places",), repr(item), expected)])
    if places is not None and places.strip() and not chosen:  # "," names nothing
        expected = "one or more place ids or regions, comma-separated"
        raise ScenarioError("--places", [Problem(("places",), repr(places), expected)])
    if neighbours and not chosen:
        expected = "--places with it: the places one road away from those"
        raise ScenarioError("--neighbours", [Problem(("neighbours",), "no --places", expected)])
    if not chosen:
        chosen = ids
    if neighbours:
        near = {e.b for e in scenario.edges if e.a in chosen}
        near |= {e.a for e in scenario.edges if e.b in chosen}
        chosen += [i for i in ids if i in near and i not in chosen]
    people = {p.id: p.population for p in scenario.places}
    if not any(people[i] for i in chosen):
        expected = "places with residents: the outcomes are rates per 100,000 of them"
        raise ScenarioError("--places", [Problem(("places",), repr(places), expected)])
    return Window(first, last, tuple(dict.fromkeys(chosen)))  # type: ignore[arg-type]


def window_outcomes(
    series: pd.DataFrame, events: pd.DataFrame, scenario: Scenario, where: Window
) -> pd.DataFrame:
    """Per stored run, the outcomes over ``where``'s years and places (module docstring)."""
    start, end = pd.Timestamp(where.start), pd.Timestamp(where.end)
    s = series[(series["date"] >= start) & (series["date"] <= end)]
    at = s[s["place"].isin(where.places)]
    homes = [g.id for g in scenario.gangs if g.home in where.places]
    e = events[(events["date"] >= start) & (events["date"] <= end)]
    e = e[e["place"].isin(where.places)]
    rows = []
    keys = ["run_id", "policy", "replicate"]
    for key, run in at.groupby(keys, observed=True):
        residents = run[run["variable"] == "civilians"].groupby("date")["value"].sum().mean()
        per_year = residents * where.years / 1e5

        def rate(variables: Iterable[str], run: pd.DataFrame = run, n: float = per_year) -> float:
            total = run.loc[run["variable"].isin(list(variables)), "value"].sum()
            return float(total / n) if n > 0 else 0.0

        values = {
            "violent_deaths_per_100k": rate(HOMICIDES),
            "killed_by_gangs_per_100k": rate(GANG_KILLINGS),
            "killed_by_police_per_100k": rate(("homicides_by_police",)),
        }
        for name, variables in TOTALS.items():
            values[name] = float(run.loc[run["variable"].isin(variables), "value"].sum())
        governance = run.loc[run["variable"] == "governance", "value"]
        values["governance_mean"] = float(governance.mean()) if len(governance) else 0.0
        values["gang_members_end"] = _members_end(s, key, homes)
        mine = e[(e["run_id"] == key[0])]
        values["offensives"] = float((mine["kind"] == "offensive").sum())
        ended = mine[mine["kind"] == "zone_ended"]
        values["zones_ended_by_doctrine"] = float(
            reactions(events[events["run_id"] == key[0]], ended).sum()
        )
        rows += [(*key, name, value) for name, value in values.items()]
    return pd.DataFrame(rows, columns=[*keys, "outcome", "value"])


def _members_end(series: pd.DataFrame, key: tuple, gangs: list[str]) -> float:
    """Members at the window's last year's end, of the gangs at home in its places."""
    run = series[(series["run_id"] == key[0]) & (series["variable"] == "members")]
    run = run[run["gang"].isin(gangs)]
    if run.empty:
        return 0.0
    return float(run.loc[run["date"] == run["date"].max(), "value"].sum())

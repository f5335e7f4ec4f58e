"""The few numbers that say what happened in a run."""

from __future__ import annotations

import pandas as pd

from ..engine import RunResult
from ..engine.outcomes import GANG_COUNTS

HOMICIDE_TYPES = {
    "homicides_gang_on_gang": "gang on gang",
    "homicides_gang_on_civilian": "gang on civilian",
    "homicides_by_local_groups": "local armed groups",
    "homicides_by_police": "by police",
    "homicides_other": "other",
}


def yearly_homicide_rates(result: RunResult) -> pd.DataFrame:
    """Violent deaths per 100,000 residents by year and type, over all places."""
    return homicide_rates(result.series, float(result.world.population.sum()))


LIVING = ("civilians", "local_members")
"""The place series that add up to the people living there (members of named gangs, a few
thousand at most, are left out)."""


def living(series: pd.DataFrame) -> pd.Series:
    """People living in all places, the mean of each year (emigration and deaths lower it)."""
    rows = series[series["variable"].isin(LIVING)]
    per_step = rows.groupby("date", observed=True)["value"].sum()
    return per_step.groupby(per_step.index.year).mean()


def homicide_rates(series: pd.DataFrame, residents: float) -> pd.DataFrame:
    """Violent deaths per 100,000 people living in the places by year and type, from a
    tidy series table (per ``residents`` where the table has no population series)."""
    rows = series[series["variable"].isin(list(HOMICIDE_TYPES))]
    counts = rows.groupby([rows["date"].dt.year, "variable"], observed=True)["value"].sum()
    table = counts.unstack(fill_value=0.0).rename(columns=HOMICIDE_TYPES)
    people = living(series)
    if people.empty:
        table = table / residents * 1e5
    else:
        table = table.div(people.reindex(table.index), axis=0) * 1e5
    table["all"] = table.sum(axis=1)
    table.index.name = "year"
    return table


def gang_sizes(result: RunResult) -> pd.DataFrame:
    """Members of each gang at the start and the end, and its peak (the gangs that formed
    during the run too, M21)."""
    return member_counts(result.series, result.world.gangs.ids)


FLOWS = {name: name.removeprefix("members_") for name in GANG_COUNTS}
"""The gang series of members joining and leaving, and their columns in
:func:`member_counts` (``joined``, then the ways out): every way in and out
(:class:`peacezones.engine.world.Flow`)."""


def member_counts(series: pd.DataFrame, gangs: list[str]) -> pd.DataFrame:
    """Members of each gang (in the order given) at the start (the end of the first week)
    and the end, and its peak; a gang that never lived in the run (an unused slot, M21)
    is left out. Between the start and the peak, where the series has them, how many
    joined after the first week and how many left, by how (``FLOWS``): start + joined -
    the seven ways out = end."""
    members = _members(series, gangs)
    table = pd.DataFrame({"start": members.iloc[0]})
    if series["variable"].isin(list(FLOWS)).any():
        table = table.join(_flows(series, table.index, members.index[1:]))
    table["peak"], table["end"] = members.max(), members.iloc[-1]
    return table.round().astype(int)


def _flows(series: pd.DataFrame, gangs: pd.Index, dates: pd.Index) -> pd.DataFrame:
    """Gangs x ``FLOWS`` columns: the members who joined and left each gang on ``dates``."""
    rows = series[series["variable"].isin(list(FLOWS)) & series["date"].isin(dates)]
    sums = rows.groupby(["gang", "variable"], observed=True)["value"].sum().unstack()
    return sums.reindex(index=gangs, columns=list(FLOWS)).fillna(0.0).rename(columns=FLOWS)


def _members(series: pd.DataFrame, gangs: list[str]) -> pd.DataFrame:
    """Dates x gangs: the members of each gang that lived in the run, in the order given."""
    rows = series[series["variable"] == "members"]
    members = rows.pivot(index="date", columns="gang", values="value")
    return members[[g for g in gangs if g in members.columns]]


FIRST_YEAR, KEPT, FROM = 52, 1 / 3, 100
"""A scenario's gang of at least ``FROM`` members that keeps less than ``KEPT`` of them
``FIRST_YEAR`` weeks into a run has been put out of balance at the start."""


def early_collapses(series: pd.DataFrame, gangs: list[str]) -> pd.DataFrame:
    """The gangs (of those given: the scenario's own) with at least ``FROM`` members at the
    start that keep less than ``KEPT`` of them a year in: their members at the start and
    then (``start``, ``then``), and (where the series has them) the members who left in
    that year by each way out (``FLOWS``). So fast a fall, before the state's decisions
    have done much, is most often a scenario whose parameters (written for another case)
    cannot keep its gangs: wages their takings cannot pay, police or rates of encounter far
    from the case's; the ways out say which."""
    return _collapses(series, gangs, FIRST_YEAR)


def late_collapses(series: pd.DataFrame, gangs: list[str]) -> pd.DataFrame:
    """As :func:`early_collapses`, over the whole run: the gangs of at least ``FROM``
    members at the start that end it with less than ``KEPT`` of them, though they kept
    more a year in (those that did not are early collapses), and how their members left
    over the run. The scenario's decisions may account for the fall (a crackdown meant
    to break a gang); where they do not, the ways out point at the parameters, as in an
    early collapse, only slower."""
    members = _members(series, gangs)
    table = _collapses(series, gangs, len(members) - 1)
    early = _collapses(series, gangs, FIRST_YEAR).index
    return table.drop(index=[g for g in early if g in table.index])


def _collapses(series: pd.DataFrame, gangs: list[str], week: int) -> pd.DataFrame:
    """The gangs of at least ``FROM`` members at the start that keep less than ``KEPT`` of
    them ``week`` weeks in, with the members then and how those who left went."""
    members = _members(series, gangs)
    ways_out = list(FLOWS.values())[1:]
    if week < 1 or len(members) <= week:
        return pd.DataFrame({"start": [], "then": [], **{w: [] for w in ways_out}}, dtype=int)
    start, later = members.iloc[0], members.iloc[week]
    fell = (start >= FROM) & (later < KEPT * start)
    table = pd.DataFrame({"start": start[fell], "then": later[fell]})
    flows = _flows(series, table.index, members.index[1 : week + 1])
    return table.join(flows[ways_out]).round().astype(int)


def event_counts(result: RunResult, kinds: tuple[str, ...]) -> pd.Series:
    """How many events of each kind the run had."""
    counts = result.events["kind"].value_counts()
    return pd.Series({k: int(counts.get(k, 0)) for k in kinds}, name="events")

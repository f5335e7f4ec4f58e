"""Per-run numbers that patterns and observations read: the vocabulary of docs/ODD.md.

Every measure is computed from a run's arrays (the recorder's place and gang series, the
event log's columns), never from per-event Python objects, so that a batch can measure
thousands of runs. Nothing here knows any pattern or scenario by name: a pattern is data
(:mod:`peacezones.scenario.schema`), and this module reads what it asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..engine import RunResult
from ..engine.events import KINDS
from ..engine.mechanisms.residents import HOMICIDES
from ..engine.outcomes import GANG_COUNTS, GANG_STATES, PLACE_COUNTS, PLACE_STATES
from ..engine.world import LeaderState
from ..scenario.schema import (
    ALL_PLACES,
    Cases,
    Change,
    DeathShare,
    Difference,
    EventCount,
    Level,
    Measure,
    Observation,
    PatternBase,
    Scenario,
    Sequence,
    Step,
)

VIOLENT_DEATHS = "violent_deaths"
"""The sum of the four kinds of homicide: OVV's violent deaths."""
INTENSIVE = frozenset(
    {"governance", "fear", "trust", "in_zone", "gangs_present", "belief", "leader"}
)
"""Variables averaged over places or gangs; every other one is summed over them."""
PER_100K, SHARE = "_per_100k", "_share"
DAYS_A_YEAR = 365.25
KIND_CODE = {kind.value: code for code, kind in enumerate(KINDS)}


def place_variables() -> tuple[str, ...]:
    """Place series a measure can read (who holds a place is an id, not a quantity)."""
    return (*PLACE_COUNTS, *(v for v in PLACE_STATES if v != "controller"), VIOLENT_DEATHS)


def series_variables() -> tuple[str, ...]:
    """Variables a measure can read: the recorded series and violent deaths."""
    return (*place_variables(), *GANG_STATES, *GANG_COUNTS)


def counts() -> tuple[str, ...]:
    """Variables counted per step (people killed, arrests, members who joined a gang or
    left it, ...)."""
    return (*PLACE_COUNTS, VIOLENT_DEATHS, *GANG_COUNTS)


def observable_variables() -> tuple[str, ...]:
    """What an observation may name: any series variable, any count per 100,000 residents
    a year (``violent_deaths_per_100k``), and any kind of homicide as a share of violent
    deaths (``homicides_by_police_share``)."""
    return (
        *series_variables(),
        *(f"{c}{PER_100K}" for c in counts()),
        *(f"{h}{SHARE}" for h in HOMICIDES),
    )


def event_kinds() -> tuple[str, ...]:
    return tuple(KIND_CODE)


def gang_variable(name: str) -> bool:
    return name in GANG_STATES or name in GANG_COUNTS


# --- a run's arrays -----------------------------------------------------------------------


@dataclass
class RunData:
    """The arrays of one run that measures read, indexed once."""

    result: RunResult

    @cached_property
    def scenario(self) -> Scenario:
        return self.result.scenario

    @cached_property
    def year(self) -> np.ndarray:
        return np.array([d.year for d in self.result.world.dates])

    @cached_property
    def place_index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.scenario.places)}

    @cached_property
    def gang_index(self) -> dict[str, int]:
        return {g.id: i for i, g in enumerate(self.scenario.gangs)}

    @cached_property
    def residents(self) -> np.ndarray:
        return np.array([p.population for p in self.scenario.places], dtype=float)

    @cached_property
    def present(self) -> np.ndarray:
        """Steps x places: the people living in each place at each step (civilians and
        members of local armed groups), so that rates follow a population that emigration,
        flight and death change, as OVV's follow the population estimates of each year."""
        rec = self.result.recorder.place_values
        return rec["civilians"] + rec.get("local_members", 0.0)

    @cached_property
    def events(self) -> dict[str, np.ndarray]:
        """The event log as arrays: id, step, kind (code), place, actor, target, count."""
        log = self.result.world.events
        return {
            "id": np.arange(len(log.step)),
            "step": np.asarray(log.step, np.int64),
            "kind": np.asarray(log.kind, np.int64),
            "place": np.asarray(log.place, np.int64),
            "actor": np.asarray(log.actor, np.int64),
            "target": np.asarray(log.target, np.int64),
            "count": np.asarray(log.count, np.float64),
        }

    def values(self, variable: str) -> tuple[np.ndarray, bool]:
        """Steps x units of a variable, and whether its units are gangs (else places)."""
        rec = self.result.recorder
        if variable == VIOLENT_DEATHS:
            return sum(rec.place_values[h] for h in HOMICIDES), False  # type: ignore[return-value]
        if variable in rec.gang_values:
            return rec.gang_values[variable], True
        return rec.place_values[variable], False

    def steps(self, years: tuple[int, int] | None) -> np.ndarray:
        if years is None:
            return np.ones(len(self.year), bool)
        return (self.year >= years[0]) & (self.year <= years[1])

    def places(self, places: tuple[str, ...], region: str = "") -> np.ndarray:
        """A mask over places: those listed, else those of the region, else all."""
        if places:
            mask = np.zeros(len(self.residents), bool)
            mask[[self.place_index[p] for p in places]] = True
            return mask
        if region and region != ALL_PLACES and region != self.scenario.meta.country:
            return np.array([p.region == region for p in self.scenario.places])
        return np.ones(len(self.residents), bool)

    def gangs(self, gangs: tuple[str, ...]) -> np.ndarray:
        """A mask over gangs: those listed, else all (those formed in the run too, M21)."""
        mask = np.ones(len(self.result.world.gangs), bool)
        if gangs:
            mask[:] = False
            mask[[self.gang_index[g] for g in gangs]] = True
        return mask

    def event_mask(
        self,
        kinds: tuple[str, ...],
        places: tuple[str, ...] = (),
        years: tuple[int, int] | None = None,
        min_count: float = 0.0,
        in_zone: bool = False,
    ) -> np.ndarray:
        """Events of these kinds, at these places (any when empty), in these years."""
        e = self.events
        mask = np.isin(e["kind"], [KIND_CODE[k] for k in kinds])
        if places:
            mask &= np.isin(e["place"], [self.place_index[p] for p in places])
        if years is not None:
            year = self.year[e["step"]]
            mask &= (year >= years[0]) & (year <= years[1])
        if min_count > 0:
            mask &= e["count"] >= min_count
        if in_zone:
            zoned = self.result.recorder.place_values["in_zone"]
            where = e["place"] >= 0
            inside = np.zeros_like(mask)
            inside[where] = zoned[e["step"][where], e["place"][where]] > 0
            mask &= inside
        return mask

    def with_gangs(self, mask: np.ndarray, gangs: tuple[str, ...], gang_as: str) -> np.ndarray:
        if not gangs:
            return mask
        chosen = [self.gang_index[g] for g in gangs]
        e = self.events
        actor, target = np.isin(e["actor"], chosen), np.isin(e["target"], chosen)
        side = {"actor": actor, "target": target, "either": actor | target}[gang_as]
        return mask & side


# --- measures -----------------------------------------------------------------------------


def measure(run: RunData, m: Measure) -> float:
    """The measure's value in this run (NaN where it is undefined, such as 0 / 0)."""
    value = _events(run, m) if m.events else _variable(run, m)
    if m.per is not None:
        below = measure(run, m.per)
        value = value / below if below > 0 else np.nan
    return float(value)


def _events(run: RunData, m: Measure) -> float:
    mask = run.with_gangs(run.event_mask(m.events, m.places, m.years), m.gangs, m.gang_as)
    return float(run.events["count"][mask].sum() if m.how == "count" else mask.sum())


def _variable(run: RunData, m: Measure) -> float:
    values, of_gangs = run.values(m.variable)
    units = run.gangs(m.gangs) if of_gangs else run.places(m.places, m.region)
    steps = run.steps(m.years)
    if not steps.any() or not units.any():
        return np.nan
    block = values[steps][:, units]
    if m.variable in INTENSIVE and of_gangs:  # the mean over the gangs alive at each step
        alive = run.result.recorder.gang_values["alive"][steps][:, units]
        with np.errstate(invalid="ignore", divide="ignore"):
            per_step = (block * alive).sum(axis=1) / alive.sum(axis=1)
    else:
        per_step = block.mean(axis=1) if m.variable in INTENSIVE else block.sum(axis=1)
    if m.how == "total":
        return float(per_step.sum())
    if m.how == "mean":
        return float(per_step.mean())
    if m.how == "last":
        return float(per_step[-1])
    if m.how == "growth":
        years = run.year[steps]
        first, last = per_step[years == years[0]].mean(), per_step[years == years[-1]].mean()
        return float(np.log1p(max(last, 0.0)) - np.log1p(max(first, 0.0)))
    # rate: per 100,000 people living in the places (their mean over the window), per year
    present = run.present[steps]
    people = present[:, units].sum(axis=1).mean() if not of_gangs else present.sum(axis=1).mean()
    years = steps.sum() * run.scenario.meta.step_days / DAYS_A_YEAR
    return float(per_step.sum() / people * 1e5 / years) if people > 0 else np.nan


def death_share(
    run: RunData,
    types: tuple[str, ...],
    places: tuple[str, ...],
    region: str,
    years: tuple[int, int] | None,
) -> float:
    """Deaths of the given types as a share of violent deaths."""
    units, steps = run.places(places, region), run.steps(years)
    rec = run.result.recorder.place_values

    def total(names: tuple[str, ...]) -> float:
        return float(sum(rec[n][steps][:, units].sum() for n in names))

    every = total(HOMICIDES)
    return total(types) / every if every > 0 else np.nan


# --- sequences and cases --------------------------------------------------------------------


def _step_events(run: RunData, step: Step) -> np.ndarray:
    return run.event_mask(step.events, step.places, step.years, step.min_count, step.in_zone)


def sequence(run: RunData, gangs: tuple[str, ...], steps: tuple[Step, ...]) -> tuple[bool, float]:
    """Whether the steps happen in order for one gang; the year of the first step of the
    earliest chain (NaN when none)."""
    depth, year = _chains(run, gangs, steps)
    return depth == len(steps), year


def reached(run: RunData, gangs: tuple[str, ...], steps: tuple[Step, ...]) -> int:
    """How many of the steps, at most, happen in order for one gang (0 when the first step
    never does): where a chain that fails breaks."""
    return _chains(run, gangs, steps)[0]


def _chains(run: RunData, gangs: tuple[str, ...], steps: tuple[Step, ...]) -> tuple[int, float]:
    """The most steps that happen in order for one of ``gangs`` (any gang when none), and
    the year of the first step of the earliest whole chain (NaN when none)."""
    e = run.events
    masks = [_step_events(run, s) for s in steps]
    limits = [
        None if s.within_weeks is None else _weeks_in_steps(run, s.within_weeks) for s in steps
    ]
    candidates = [run.gang_index[g] for g in gangs] if gangs else range(len(run.result.world.gangs))
    deepest, earliest = 0, np.inf
    for gang in candidates:
        chain = []
        for s, m in zip(steps, masks, strict=True):
            mine = m if s.gang_as == "any" else m & (e[s.gang_as] == gang)
            chain.append((e["step"][mine], e["id"][mine]))
        memo: dict[tuple[int, int], int] = {}
        for t, i in zip(*chain[0], strict=True):  # in the order they happened
            depth = 1 + _depth(chain, limits, 1, int(t), int(i), memo)
            deepest = max(deepest, depth)
            if depth == len(steps):  # this gang's earliest whole chain
                earliest = min(earliest, t)
                break
    year = float(run.year[int(earliest)]) if np.isfinite(earliest) else np.nan
    return deepest, year


def _depth(
    chain: list[tuple[np.ndarray, np.ndarray]],
    limits: list[int | None],
    k: int,
    t: int,
    i: int,
    memo: dict[tuple[int, int], int],
) -> int:
    """How many of steps k, k+1, ... follow event ``i`` of step ``t``, at most (events of
    one step follow in the order they happened)."""
    if k == len(chain):
        return 0
    if (k, i) in memo:
        return memo[(k, i)]
    at, ids = chain[k]
    later = (at > t) | ((at == t) & (ids > i))
    if limits[k] is not None:
        later &= at <= t + limits[k]
    best = 0
    for a, b in zip(at[later], ids[later], strict=True):
        best = max(best, 1 + _depth(chain, limits, k + 1, int(a), int(b), memo))
        if best == len(chain) - k:
            break
    memo[(k, i)] = best
    return best


def cases(run: RunData, pattern: Cases) -> dict[str, float]:
    """Every case of the pattern's trigger in this run, and what followed each."""
    e = run.events
    trigger = pattern.trigger
    mask = run.with_gangs(_step_events(run, trigger), pattern.gangs, trigger.gang_as)
    who = e[trigger.gang_as]
    mask &= who >= 0
    if pattern.led:  # only gangs whose leader was free and in command the step before
        leader, _ = run.values("leader")
        before = np.maximum(e["step"] - 1, 0)
        mask &= leader[before, np.maximum(who, 0)] == LeaderState.ACTIVE
    weeks = _weeks_in_steps(run, pattern.within_weeks)
    # a case whose window runs past the run's last step cannot be judged either way
    # (right-censored): it is left out and counted apart
    observed = e["step"] + weeks <= len(run.year) - 1
    out: dict[str, float] = {"censored": float((mask & ~observed).sum())}
    mask &= observed
    case, gang, at = np.flatnonzero(mask), who[mask], e["step"][mask]
    out["cases"] = float(case.size)
    for j, reply in enumerate(pattern.replies):
        out[f"reply{j}"] = float(
            _followed(run, reply.events, reply.gang_as, case, gang, weeks).sum()
        )
    if pattern.variable:
        values, _ = run.values(pattern.variable)
        before = values[np.maximum(at - 1, 0), gang]
        later = values[at + weeks, gang]
        grown = before > 0
        changes = later[grown] / before[grown] - 1.0
        out["change_sum"], out["change_n"] = float(changes.sum()), float(changes.size)
    return out


def _followed(
    run: RunData, kinds: tuple[str, ...], gang_as: str, case: np.ndarray, gang: np.ndarray,
    weeks: int,
) -> np.ndarray:  # fmt: skip
    """For each case (an event id, with its gang), whether an event of ``kinds`` for that
    gang follows it within ``weeks`` steps. Events are in the order they happened, so the
    first event after a case for its gang is found by a sorted search on (gang, event id)."""
    e = run.events
    chosen = run.event_mask(kinds) & (e[gang_as] >= 0)
    n = len(e["id"])
    key = e[gang_as][chosen] * n + e["id"][chosen]  # already sorted by id within a gang
    order = np.argsort(key, kind="stable")
    key, step, owner = key[order], e["step"][chosen][order], e[gang_as][chosen][order]
    first = np.searchsorted(key, gang * n + case + 1)
    found = first < key.size
    hit = np.zeros(case.size, bool)
    where = first[found]
    hit[found] = (owner[where] == gang[found]) & (step[where] <= e["step"][case[found]] + weeks)
    return hit


def _weeks_in_steps(run: RunData, weeks: int) -> int:
    """How many steps make ``weeks`` (steps may be longer than a week)."""
    return max(1, round(weeks * 7 / run.scenario.meta.step_days))


# --- what a batch stores per run ------------------------------------------------------------


def pattern_values(run: RunData, pattern: PatternBase) -> dict[str, float]:
    """The per-run numbers a pattern's verdict is made from."""
    if isinstance(pattern, Difference | Level | EventCount):
        return {"value": measure(run, pattern.measure)}
    if isinstance(pattern, Change):
        first, last = (
            measure(run, pattern.measure.model_copy(update={"years": (y, y)}))
            for y in pattern.years
        )
        return {"value": last - first}
    if isinstance(pattern, DeathShare):
        value = death_share(run, pattern.types, pattern.places, pattern.region, pattern.years)
        return {"value": value}
    if isinstance(pattern, Sequence):
        depth, year = _chains(run, pattern.gangs, pattern.steps)
        return {"hit": float(depth == len(pattern.steps)), "year": year, "depth": float(depth)}
    if isinstance(pattern, Cases):
        return cases(run, pattern)
    raise TypeError(f"no statistic for {type(pattern).__name__}")


def observation_value(run: RunData, obs: Observation) -> float:
    """The model's value of what an observation observed, in this run."""
    region = "" if obs.places else obs.area
    years = (obs.year, obs.year)
    name = obs.variable
    if name.endswith(SHARE) and name.removesuffix(SHARE) in HOMICIDES:
        return death_share(run, (name.removesuffix(SHARE),), obs.places, region, years)
    if name.endswith(PER_100K):
        base, how = name.removesuffix(PER_100K), "rate"
    else:
        base, how = name, "total" if name in counts() else "mean"
    m = Measure(
        variable=base, how=how, places=obs.places, region=region, gangs=obs.gangs, years=years
    )
    return measure(run, m)


def statistics(result: RunResult) -> dict[str, float]:
    """Every per-run number the scenario's patterns and observations read."""
    run = RunData(result)
    out: dict[str, float] = {}
    for pattern in result.scenario.patterns:
        for key, value in pattern_values(run, pattern).items():
            out[f"pattern.{pattern.id}.{key}"] = value
    for i, obs in enumerate(result.scenario.observations):
        out[f"observation.{i}"] = observation_value(run, obs)
    return out

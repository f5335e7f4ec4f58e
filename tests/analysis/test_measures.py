"""The per-run numbers patterns and observations read, on a toy run and on crafted events."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from peacezones.analysis.measures import (
    HOMICIDES,
    RunData,
    cases,
    measure,
    observation_value,
    reached,
    sequence,
    statistics,
)
from peacezones.engine import RunResult, simulate
from peacezones.engine.events import EventLog, Kind
from peacezones.scenario.schema import Cases, Measure, Observation, Reply, Step
from tests.engine.helpers import SCALE, toy


@cache
def _run() -> RunResult:
    return simulate(toy(), seed=3, scale=SCALE)


def _with_events(*events: tuple[int, Kind, int, int, int, float]) -> RunData:
    """The toy run with its event log replaced by (step, kind, place, actor, target, count)."""
    result = _run()
    log = EventLog()
    for step, kind, place, actor, target, count in events:
        log.now = step
        log.add(kind, place, actor, target, count)
    fake = RunResult(result.scenario, 0, 0, SCALE, result.world, result.recorder)
    fake.world = type(result.world)(**{**result.world.__dict__, "events": log})
    return RunData(fake)


def test_a_rate_is_deaths_per_100000_residents_a_year() -> None:
    run = RunData(_run())
    s = _run().series
    rows = s[s["variable"].isin(HOMICIDES) & (s["date"].dt.year == 2021)]
    # the people living in the places that year: civilians and local band members
    living = s[s["variable"].isin(["civilians", "local_members"]) & (s["date"].dt.year == 2021)]
    people = living.groupby("date")["value"].sum().mean()
    assert people < sum(p.population for p in toy().places)  # some have died or fled
    days = (s["date"].dt.year == 2021).groupby(s["date"]).any().sum() * 7
    expected = rows["value"].sum() / people * 1e5 / (days / 365.25)
    got = measure(run, Measure(variable="violent_deaths", how="rate", years=(2021, 2021)))
    assert got == pytest.approx(expected)
    obs = Observation(variable="violent_deaths_per_100k", year=2021, value=1.0, source=("x",))
    assert observation_value(run, obs) == pytest.approx(expected)


def test_a_region_reads_only_its_places() -> None:
    run = RunData(_run())
    capital = measure(run, Measure(variable="violent_deaths", region="Capital"))
    province = measure(run, Measure(variable="violent_deaths", region="Province"))
    assert capital + province == pytest.approx(measure(run, Measure(variable="violent_deaths")))


def test_events_are_counted_for_the_gangs_as_asked() -> None:
    norte, menor = 0, 1
    run = _with_events(
        (5, Kind.CRIME_OUTSIDE_ZONE, 2, norte, -1, 3.0),
        (6, Kind.CRIME_OUTSIDE_ZONE, 2, menor, -1, 2.0),
        (7, Kind.ARREST, 2, -1, norte, 4.0),
    )
    crimes = Measure(events=("crime_outside_zone",), how="count", gangs=("norte",))
    assert measure(run, crimes) == 3.0
    assert measure(run, Measure(events=("crime_outside_zone",), how="number")) == 2.0
    arrests = Measure(events=("arrest",), how="count", gangs=("norte",), gang_as="target")
    assert measure(run, arrests.model_copy(update={"per": crimes})) == pytest.approx(4 / 3)
    assert np.isnan(measure(run, arrests.model_copy(update={"per": crimes.model_copy(
        update={"gangs": ("monte",)})})))  # fmt: skip


STEPS = (
    Step(events=("takeover_won",), gang_as="actor"),
    Step(events=("offensive",), gang_as="target", min_count=500, within_weeks=10),
    Step(events=("zone_ended",), gang_as="any", within_weeks=4),
)


def test_a_sequence_needs_every_step_in_time_for_the_same_gang() -> None:
    norte, menor = 0, 1
    chain = _with_events(
        (60, Kind.TAKEOVER_WON, 2, norte, -1, 1.0),
        (65, Kind.OFFENSIVE, 2, -1, norte, 800.0),
        (66, Kind.ZONE_ENDED, 0, -1, -1, 1.0),
    )
    assert sequence(chain, ("norte",), STEPS) == (True, 2021.0)
    assert sequence(chain, ("menor",), STEPS)[0] is False
    late = _with_events(
        (60, Kind.TAKEOVER_WON, 2, norte, -1, 1.0),
        (75, Kind.OFFENSIVE, 2, -1, norte, 800.0),  # 15 weeks: too late
        (76, Kind.ZONE_ENDED, 0, -1, -1, 1.0),
    )
    assert sequence(late, (), STEPS)[0] is False
    small = _with_events(
        (60, Kind.TAKEOVER_WON, 2, norte, -1, 1.0),
        (61, Kind.OFFENSIVE, 2, -1, norte, 100.0),  # too few officers
        (62, Kind.ZONE_ENDED, 0, -1, -1, 1.0),
    )
    assert sequence(small, (), STEPS)[0] is False
    other = _with_events(
        (60, Kind.TAKEOVER_WON, 2, norte, -1, 1.0),
        (61, Kind.OFFENSIVE, 2, -1, menor, 900.0),  # aimed at another gang
        (62, Kind.ZONE_ENDED, 0, -1, -1, 1.0),
    )
    assert sequence(other, (), STEPS)[0] is False
    # where each chain breaks: how many steps it reached, at most
    assert [reached(run, (), STEPS) for run in (chain, late, small, other)] == [3, 1, 1, 1]
    assert reached(chain, ("menor",), STEPS) == 0
    broken = _with_events(
        (60, Kind.TAKEOVER_WON, 2, norte, -1, 1.0),
        (62, Kind.OFFENSIVE, 2, -1, norte, 900.0),
        (80, Kind.ZONE_ENDED, 0, -1, -1, 1.0),  # the zone ends, but too late
    )
    assert reached(broken, (), STEPS) == 2


def test_cases_count_what_followed_each_trigger_for_its_gang() -> None:
    norte, menor = 0, 1
    pattern = Cases(
        id="pax", title="t", mechanisms=("pax",), source=("x",), statistic="cases",
        gangs=("menor",), trigger=Step(events=("official_killed",)),
        replies=(Reply(label="massacre", events=("punishment_massacre",)),
                 Reply(label="state", events=("targeted_operation",))),
        within_weeks=4,
    )  # fmt: skip
    run = _with_events(
        (10, Kind.OFFICIAL_KILLED, 0, menor, -1, 1.0),
        (10, Kind.PUNISHMENT_MASSACRE, 0, norte, menor, 3.0),  # same week, after it
        (30, Kind.OFFICIAL_KILLED, 0, menor, -1, 1.0),
        (40, Kind.TARGETED_OPERATION, 0, -1, menor, 100.0),  # too late
        (50, Kind.OFFICIAL_KILLED, 0, norte, -1, 1.0),  # not a case: another gang
    )
    assert cases(run, pattern) == {"censored": 0.0, "cases": 2.0, "reply0": 1.0, "reply1": 0.0}


def test_cases_too_late_to_follow_are_left_out_not_failed() -> None:
    """A case whose window runs past the run's end is right-censored: it counts neither
    as followed nor as not followed."""
    menor = 1
    pattern = Cases(
        id="back", title="t", mechanisms=("leaders",), source=("x",), statistic="cases",
        trigger=Step(events=("leader_fled",)),
        replies=(Reply(label="back", events=("leader_returned",)),), within_weeks=20, above=0.5,
    )  # fmt: skip
    last = len(_run().world.dates) - 1
    run = _with_events(
        (10, Kind.LEADER_FLED, 0, menor, -1, 1.0),
        (last - 25, Kind.LEADER_FLED, 0, menor, -1, 1.0),  # window ends before the run does
        (last - 5, Kind.LEADER_FLED, 0, menor, -1, 1.0),  # too late to follow 20 weeks
    )
    assert cases(run, pattern) == {"censored": 1.0, "cases": 2.0, "reply0": 0.0}


def test_every_pattern_and_observation_of_toy_gets_its_numbers() -> None:
    stats = statistics(_run())
    for pattern in toy().patterns:
        assert any(k.startswith(f"pattern.{pattern.id}.") for k in stats)
    assert {f"observation.{i}" for i in range(len(toy().observations))} <= set(stats)


def test_led_cases_count_only_gangs_whose_leader_was_in_command() -> None:
    """With ``led``, a gang whose leader was already gone the week before is no case: it
    has no leader to lose."""
    from peacezones.engine.world import LeaderState

    menor = 1
    leader = _run().recorder.gang_values["leader"]
    free = np.flatnonzero(leader[:-60, menor] == LeaderState.ACTIVE)
    assert free.size  # the toy's lesser gang is led for a while
    at = int(free[5]) + 1
    pattern = Cases(
        id="led", title="t", mechanisms=("doctrine",), source=("x",), statistic="cases",
        trigger=Step(events=("senior_official_killed",)),
        replies=(Reply(label="removed", events=("leader_killed",)),), within_weeks=4,
        above=0.5, led=True,
    )  # fmt: skip
    run = _with_events((at, Kind.SENIOR_OFFICIAL_KILLED, 0, menor, -1, 1.0))
    assert cases(run, pattern)["cases"] == 1.0
    leader[at - 1, menor] = LeaderState.DEAD  # a copy-free edit of the cached run: undo it
    try:
        assert cases(run, pattern)["cases"] == 0.0
    finally:
        leader[at - 1, menor] = LeaderState.ACTIVE

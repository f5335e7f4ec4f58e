"""The schedule: every decision is an event and a line of the chronicle; a decision with
an id can be ended by a later one; a leader can be removed on a known date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from peacezones import ScenarioError
from peacezones.engine import prepare, simulate
from peacezones.engine.step import step
from peacezones.engine.world import LeaderState, World
from peacezones.report.chronicle import Names, chronicle
from tests.engine.helpers import SCALE, decisions, toy, variant

SOURCED = {"sources": ["synthetic"]}


def until(world: World, day: dt.date) -> World:
    """Step ``world`` up to and including the step of ``day``."""
    while world.step < len(world.dates) and world.dates[world.step] <= day:
        step(world)
        world.step += 1
    return world


def scenario_with(*added: dict[str, Any]):
    return variant(schedule=decisions(add=tuple({**SOURCED, **d} for d in added)))


def test_every_decision_is_an_event_and_a_line_of_the_chronicle() -> None:
    result = simulate(toy(), seed=0, scale=SCALE)
    events = result.events
    taken = events[events["kind"] == "decision"]
    assert sorted(taken["count"].astype(int)) == list(range(len(toy().schedule)))
    lines = list(chronicle(events, toy()))
    assert any("The state declares a peace zone in Barrio Norte" in line for line in lines)
    assert any("The state sets its patrols in" in line for line in lines)
    # the zone_declared event the decision made is told once, by the decision's line (the
    # zone may also end, by the mechanisms: another line)
    assert sum("declares a peace zone in Barrio Norte" in line for line in lines) == 1


def test_an_end_undoes_a_truce_a_crackdown_and_a_posture() -> None:
    day, later = dt.date(2020, 3, 2), dt.date(2020, 5, 4)
    scenario = scenario_with(
        {"date": day, "action": "truce", "id": "pact", "gangs": ["norte", "menor"], "weeks": 100},
        {"date": day, "action": "crackdown", "id": "raids", "name": "Raids",
         "places": ["barrio_norte"], "officers": 200, "weeks": 100, "lethality": 0.1},
        {"date": day, "action": "use_of_force", "id": "shoot", "name": "Shoot first",
         "level": 3.0},
        {"date": later, "action": "end", "decision": "pact"},
        {"date": later, "action": "end", "decision": "raids"},
        {"date": later, "action": "end", "decision": "shoot"},
    )  # fmt: skip
    world = until(prepare(scenario, seed=0, scale=SCALE), day)
    assert len(world.truces) == 1
    assert len(world.operations) == 1
    assert len(world.postures) == 1
    until(world, later)
    assert world.truces == []
    assert world.operations == []
    assert world.postures == []
    lines = list(chronicle(simulate(scenario, seed=0, scale=SCALE).events, scenario))
    assert any("The state ends the truce between Banda del Norte and Banda Menor." in line
               for line in lines)  # fmt: skip
    assert any("The state ends Raids." in line for line in lines)
    assert any("The state brokers a truce between" in line for line in lines)


def test_a_leader_removed_on_a_known_date() -> None:
    day = dt.date(2020, 6, 1)
    scenario = scenario_with(
        {"date": day, "action": "remove_leader", "gang": "norte", "mode": "extradite"}
    )
    world = until(prepare(scenario, seed=0, scale=SCALE), day)
    norte = world.gangs.ids.index("norte")
    assert world.gangs.leader[norte] == LeaderState.EXTRADITED
    events = simulate(scenario, seed=0, scale=SCALE).events
    removed = events[events["kind"] == "leader_extradited"].iloc[0]
    cause = events.set_index("event").loc[removed["cause"]]
    assert cause["kind"] == "decision"
    assert removed["date"] == cause["date"]
    lines = [line for line in chronicle(events, scenario) if line.startswith("2020-06-01")]
    assert any("The state has the leader of" in line for line in lines)
    assert any("is captured and extradited.  [after the state's decision of 2020-06-01]" in line
               for line in lines)  # fmt: skip


@pytest.mark.parametrize(
    ("added", "message"),
    [
        ({"action": "end", "decision": "nothing"}, "decision: found 'nothing'; expected the id"),
        ({"action": "end", "decision": "zone_a"}, "a decision that lasts (not declare_zone)"),
        ({"action": "truce", "id": "zone_a", "gangs": ["norte", "menor"], "weeks": 4},
         "an id no other decision has"),
    ],
)  # fmt: skip
def test_an_end_must_name_an_earlier_decision_that_lasts(added: dict, message: str) -> None:
    schedule = [{**d, "id": "zone_a"} if d["action"] == "declare_zone" else d for d in decisions()]
    schedule.append({**SOURCED, "date": dt.date(2021, 6, 7), **added})
    with pytest.raises(ScenarioError) as caught:
        variant(schedule=schedule)
    assert any(message in p.render("toy") for p in caught.value.problems)


def test_names_tell_a_decision_by_its_place_in_the_schedule() -> None:
    names = Names.of(toy())
    assert names.decision(0).startswith("The state declares a peace zone in Barrio Norte")
    assert names.decision(99) == "The state takes a decision."


def test_a_leader_jailed_at_the_start_commands_until_he_is_extradited() -> None:
    """A leader the scenario puts in prison at the start commands from his cell: the gang
    is not leaderless, no manhunt or release touches him, a capture cannot take him
    again; extraditing him ends his command, and the succession follows (M15)."""
    gangs = [g.model_dump(exclude_unset=True) for g in toy().gangs]
    for g in gangs:
        if g["id"] == "norte":
            g["leader"] = {**g["leader"], "jailed": True}
    day, later = dt.date(2020, 6, 1), dt.date(2021, 6, 7)
    removals = (
        {"date": day, "action": "remove_leader", "gang": "norte", "mode": "capture"},
        {"date": later, "action": "remove_leader", "gang": "norte", "mode": "extradite"},
    )
    scenario = variant(
        {"jail.release_rate": 0.04},
        gangs=gangs,
        schedule=decisions(add=tuple({**SOURCED, **d} for d in removals)),
    )
    world = prepare(scenario, seed=0, scale=SCALE)
    norte = world.gangs.ids.index("norte")
    assert world.gangs.leader[norte] == LeaderState.JAILED
    assert world.commanded()[norte]
    until(world, later - dt.timedelta(days=7))
    assert world.gangs.leader[norte] == LeaderState.JAILED
    assert world.commanded()[norte]
    until(world, later)  # extradited, and perhaps succeeded in the same week
    assert world.gangs.leader[norte] in (LeaderState.EXTRADITED, LeaderState.ACTIVE)
    assert world.gangs.leader_since[norte] == world.step - 1
    events = simulate(scenario, seed=0, scale=SCALE).events
    mine = events[events["actor"] == "norte"]
    before = mine[mine["date"] < "2021-06-07"]
    assert not before["kind"].isin(["leader_jailed", "leader_released", "leader_succeeded"]).any()
    handed = events[events["kind"] == "leader_handed_over"]
    assert list(handed["date"].astype(str)) == ["2021-06-07"]
    told = list(chronicle(events, scenario))
    lines = [line for line in told if line.startswith("2021-06-07")]
    assert any("is taken from his cell and extradited." in line for line in lines)
    capture = [line for line in told if line.startswith("2020-06-01") and "has the leader" in line]
    assert "It removes nobody: " in capture[0]  # a jailed leader cannot be captured again
    assert "It removes nobody" not in lines[0]

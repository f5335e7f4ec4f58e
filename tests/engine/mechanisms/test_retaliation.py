"""M10 Retaliation: an aggrieved, bold gang fires on a facility; the state strikes back."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from peacezones.engine import prepare
from peacezones.engine.actions import member_rows, move_members
from peacezones.engine.events import Kind
from peacezones.engine.mechanisms import doctrine, retaliation, schedule
from peacezones.engine.world import OpKind
from tests.engine import helpers as h


def _attacks(grievance: float, trials: int = 30) -> int:
    attacks = 0
    for seed in range(trials):
        world = prepare(h.toy(), seed=seed, scale=h.SCALE)
        norte = world.gangs.ids.index("norte")
        world.gangs.grievance[norte], world.gangs.belief[norte] = grievance, 0.8
        rows = member_rows(world, norte)
        move_members(world, rows[: len(rows) // 2], world.place_ids.index("centro"))
        for t in range(10):
            world.step = t
            retaliation.run(world, world.params, world.rng)
        attacks += sum(o[2] == "facility_attack" for o in world.offences)
    return attacks


def test_grievance_makes_facility_attacks() -> None:
    assert _attacks(5.0) > _attacks(0.0) == 0


def test_a_facility_attack_brings_an_offensive_that_ends_the_zone() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    schedule.declare_zone(world, h.toy().schedule[0])
    norte = world.gangs.ids.index("norte")
    place = world.place_ids.index("cuartel")
    event = world.events.add(Kind.FACILITY_ATTACK, place, norte)
    world.offend(norte, "facility_attack", place, event)
    doctrine.run(world, world.params, world.rng)
    offensive = [op for op in world.operations if op.target == norte]
    assert offensive
    assert offensive[0].kind == OpKind.OFFENSIVE
    assert not world.zones[0].active


def test_an_offensive_strikes_the_gang() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    norte = world.gangs.ids.index("norte")
    before = world.members()[norte]
    rule = next(r for r in h.toy().doctrine.rules if r.trigger.value == "facility_attack")
    doctrine._respond(world, rule, norte, 0, -1, world.params)
    for t in range(rule.weeks):
        world.step = t
        retaliation.run(world, world.params, world.rng)
    assert world.members()[norte] < before
    assert world.gangs.grievance[norte] > 0


def _hunt(mode: str) -> set[str]:
    """What befalls the rural gang's leader under a large target_leader decision."""
    decision = {
        "date": dt.date(2020, 1, 6), "action": "target_leader", "gang": "monte", "mode": mode,
        "officers": 20000, "weeks": 52, "sources": ["synthetic"],
    }  # fmt: skip
    scenario = h.variant(schedule=h.decisions(add=(decision,)))
    fates = set()
    for result in h.runs(scenario):
        e = result.events
        fates |= set(e.loc[(e["actor"] == "monte") & e["kind"].str.startswith("leader_"),
                           "kind"].astype(str))  # fmt: skip
    return fates & {"leader_killed", "leader_jailed", "leader_extradited"}


def test_target_leader_does_with_the_leader_what_its_mode_says() -> None:
    assert _hunt("kill") == {"leader_killed"}
    assert _hunt("capture") == {"leader_jailed"}
    assert _hunt("extradite") == {"leader_extradited"}


def test_a_gang_long_unpunished_strikes_far_more_readily() -> None:
    """Striking a facility is a decision: its belief that the state will let it pass
    enters as log-odds, so a gang sure of impunity strikes many times as often as a
    wary one with the same grievance."""
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    norte = world.gangs.ids.index("norte")
    world.gangs.grievance[norte] = 1.0

    def chance(belief: float) -> float:
        world.gangs.belief[norte] = belief
        return retaliation.attack_chance(world, norte, world.params)

    assert chance(0.9) > 10 * chance(0.2)
    world.gangs.grievance[norte] = 0.0
    assert chance(0.9) < 1e-6  # no grievance, no motive


def test_a_gang_already_under_the_answer_has_little_left_to_lose() -> None:
    """A strike's cost is what the state's answer would add to what the gang already
    bears (Lessing 2017): under an operation as large as the doctrine's answer to a
    strike, a wary gang strikes as readily as one sure of impunity; under none, its
    wariness holds it back; and an operation aimed at another gang changes nothing."""
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    g = world.gangs
    norte, other = g.ids.index("norte"), g.ids.index("monte")
    g.grievance[norte], g.belief[norte] = 1.0, 0.2
    rule = next(r for r in h.toy().doctrine.rules if r.trigger.value == "facility_attack")

    def chance() -> float:
        return float(retaliation.attack_chance(world, norte, world.params))

    calm = chance()
    doctrine._respond(world, rule, other, 0, -1, world.params)
    assert chance() == calm
    doctrine._respond(world, rule, norte, 0, -1, world.params)
    assert retaliation.borne(world)[norte] == 1.0
    g.belief[norte] = 0.2  # the operation taught it once (M7); same belief as before
    under = chance()
    assert under > 10 * calm
    g.belief[norte] = 0.9  # nothing left to fear: its belief no longer matters
    assert chance() == pytest.approx(under)


def _driven_out(share: float) -> int:
    """Norte's members away from home after four weeks of an offensive."""
    world = prepare(h.variant({"raids.driven_out": share}), seed=0, scale=h.SCALE)
    norte = world.gangs.ids.index("norte")
    rule = next(r for r in h.toy().doctrine.rules if r.trigger.value == "facility_attack")
    doctrine._respond(world, rule, norte, 0, -1, world.params)
    for t in range(4):
        world.step = t
        retaliation.run(world, world.params, world.rng)
    home = world.gangs.home[norte]
    members_at = world.members_at()[norte]
    return int(members_at.sum() - members_at[home])


def test_an_offensive_drives_members_out_more_than_it_kills() -> None:
    assert _driven_out(0.5) > _driven_out(0.0)
    assert _driven_out(0.5) > 0


def test_a_gang_that_loses_members_to_the_state_is_angrier_but_less_bold() -> None:
    """A loss grows the grievance and cuts the belief in impunity, both by the share of
    the gang lost: a tenth of the gang taken about halves the belief."""
    from peacezones.engine.actions import aggrieve

    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    g = world.gangs
    norte = g.ids.index("norte")
    g.belief[:], g.grievance[:] = 0.8, 0.0
    losses = np.zeros(len(g))
    losses[norte] = 0.1 * world.members_counted()[norte]
    aggrieve(world, losses)
    assert g.grievance[norte] > 0
    assert 0.3 < g.belief[norte] < 0.5
    others = np.arange(len(g)) != norte
    assert (g.belief[others] == 0.8).all()  # allies share the anger, not the lesson


def _caught_by(rule_mode: str | None, trials: int = 60) -> int:
    """Leaders caught in the first week of a targeted operation of 1,500 officers (enough
    that a manhunt catches some even of a gang with a rural refuge), over trials."""
    from peacezones.engine.world import LeaderState

    base = next(r for r in h.toy().doctrine.rules if r.trigger.value == "senior_official_killed")
    rule = base.model_copy(update={"leader_mode": rule_mode, "officers": 1500})
    caught = 0
    for seed in range(trials):
        world = prepare(h.toy(), seed=seed, scale=h.SCALE)
        monte = world.gangs.ids.index("monte")
        doctrine._respond(world, rule, monte, 0, -1, world.params)
        retaliation.hunt_leader(world, world.operations[-1], world.params, world.rng)
        caught += world.gangs.leader[monte] != LeaderState.ACTIVE
    return caught


def test_a_manhunt_catches_the_leader_far_sooner_than_a_raid() -> None:
    """A doctrine rule with a leader_mode sends a manhunt: every officer on the leader's
    trail (``manhunt_focus``), and the leader caught is dealt with as the mode says."""
    assert _caught_by("kill") > 3 * max(_caught_by(None), 1)


def test_a_rule_s_leader_mode_decides_the_leader_s_fate() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    monte = world.gangs.ids.index("monte")
    base = next(r for r in h.toy().doctrine.rules if r.trigger.value == "senior_official_killed")
    doctrine._respond(world, base.model_copy(update={"leader_mode": "capture"}), monte, 0, -1,
                      world.params)  # fmt: skip
    assert world.operations[-1].leader_mode == "capture"
    assert world.operations[-1].manhunt
    from peacezones.engine.world import LeaderState

    for _ in range(200):  # hunted until caught: wanted jailed, never killed
        retaliation.hunt_leader(world, world.operations[-1], world.params, world.rng)
    assert world.gangs.leader[monte] == LeaderState.JAILED


def _officers_lost(weapons: float, rate: float = 50.0) -> tuple[float, float, float]:
    """Officers killed in one week of an offensive on Norte, the officers the offensive
    put at each of its places, and Norte's armed members."""
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    world.params.raids.officer_death_rate = rate  # far past its range: a gang of thousands
    norte = world.gangs.ids.index("norte")
    world.gangs.weapons[norte] = weapons * world.members()[norte]
    armed = min(weapons, 1.0) * world.members()[norte]
    rule = next(r for r in h.toy().doctrine.rules if r.trigger.value == "facility_attack")
    doctrine._respond(world, rule, norte, 0, -1, world.params)
    op = world.operations[-1]
    world.step = 0
    retaliation.run(world, world.params, world.rng)
    lost = float(world.tally.get("officials_killed", np.zeros(world.n_places)).max())
    return lost, op.officers / len(op.places), armed


def test_a_raid_loses_no_more_officers_than_it_sends_or_armed_members_fire() -> None:
    lost, officers, armed = _officers_lost(1.0)
    assert 0 < lost <= min(officers, armed)
    assert _officers_lost(0.0)[0] == 0  # a gang without weapons shoots nobody


def test_the_gangs_of_a_place_together_kill_no_more_officers_than_are_there() -> None:
    from peacezones.engine.raids import raid
    from peacezones.engine.world import Operation

    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    world.params.raids.officer_death_rate = 50.0  # far past its range: every officer met dies
    norte, menor = world.gangs.ids.index("norte"), world.gangs.ids.index("menor")
    home = int(world.gangs.home[norte])
    move_members(world, member_rows(world, menor), home)  # two gangs at one place
    world.gangs.weapons[[norte, menor]] = world.members()[[norte, menor]]
    world.step = 0
    assert world.members()[norte] >= 100  # Norte alone has the armed to kill them all
    raid(world, Operation(OpKind.CRACKDOWN, np.array([home]), 100, 1, 0.3), world.params)
    assert world.tally["officials_killed"][home] == 100  # and Menor finds nobody standing

"""M1 Peace-zone pact: police suspended and aid handed over, on weakly monitored terms."""

from __future__ import annotations

import datetime as dt

import numpy as np

from peacezones.engine import prepare
from peacezones.engine.events import KIND_CODE, Kind
from peacezones.engine.mechanisms import economy, pact, schedule, spillover
from peacezones.engine.world import World
from peacezones.scenario.schema import DeclareZone, Sanction
from tests.engine import helpers as h


def test_a_zone_makes_its_gang_richer_and_better_armed() -> None:
    with_zone = h.runs(h.toy())
    without = h.runs(h.variant(schedule=h.decisions("declare_zone")))
    assert h.final(with_zone, "weapons", gang="norte") > h.final(without, "weapons", gang="norte")
    assert h.final(with_zone, "treasury", gang="norte") > h.final(without, "treasury", gang="norte")


def test_diverted_aid_feeds_the_pact_gang() -> None:
    more = h.runs(h.variant({"pact.aid_diversion_share": 1.0}))
    less = h.runs(h.variant({"pact.aid_diversion_share": 0.3}))
    assert h.total(more, "aid_diverted") > 3 * h.total(less, "aid_diverted") * 0.99

    zone = next(d for d in h.toy().schedule if d.action == "declare_zone")

    def treasury(share: float) -> float:
        """Norte's treasury after the zone's first week, the runs alike until then: what
        a gang does with richer takings later (recruit more, outgrow its market, lose a
        fight) makes over the years a difference of a few per cent either way."""
        scenario = h.variant({"pact.aid_diversion_share": share})
        world = h.stepped(scenario=scenario, until=zone.date)
        return float(world.gangs.treasury[world.gangs.ids.index("norte")])

    # Norte, the zone's only party, keeps most of a week's extra aid at least
    assert treasury(1.0) > treasury(0.3) + 0.5 * zone.terms.aid_per_week * (1.0 - 0.3)


def test_close_monitoring_with_a_sanction_ends_a_breaking_pact() -> None:
    def zone_with(monitoring: float) -> list[dict]:
        schedule = h.decisions()
        for d in schedule:
            if d["action"] == "declare_zone":
                d["terms"] = {**d["terms"], "monitoring": monitoring, "sanction": "end_zone"}
        return schedule

    watched = h.runs(h.variant({"pact.breach_killings": 1.0}, schedule=zone_with(1.0)))
    unwatched = h.runs(h.variant({"pact.breach_killings": 1.0}, schedule=zone_with(0.0)))
    assert h.events(watched, "pact_breach_seen") > 0
    assert h.events(unwatched, "pact_breach_seen") == 0
    assert h.final(watched, "in_zone") < h.final(unwatched, "in_zone")


def test_a_truce_s_aid_reaches_its_gangs_treasuries() -> None:
    def truce(aid: float) -> dict:
        return {
            "date": dt.date(2020, 1, 6), "action": "truce", "gangs": ["norte", "menor"],
            "weeks": 52, "aid_per_week": aid, "sources": ["synthetic"],
        }  # fmt: skip

    paid = h.runs(h.variant(schedule=h.decisions(add=(truce(5000.0),))))
    unpaid = h.runs(h.variant(schedule=h.decisions(add=(truce(0.0),))))

    def treasury(results: list) -> float:
        """The truce's gangs' mean treasury over the truce's year (2020)."""
        total = 0.0
        for r in results:
            s = r.series
            rows = s[(s["variable"] == "treasury") & s["gang"].isin(["norte", "menor"])]
            total += rows[rows["date"].dt.year == 2020]["value"].mean()
        return total

    assert treasury(paid) > treasury(unpaid)


def _zone_world(monitoring: float, sanction: str, seed: int = 0) -> World:
    """The toy world a week into its zone, with the zone's terms changed."""
    world = prepare(h.toy(), seed=seed, scale=h.SCALE)
    decision = next(d for d in h.toy().schedule if isinstance(d, DeclareZone))
    update = {"monitoring": monitoring, "sanction": Sanction(sanction)}
    terms = decision.terms.model_copy(update=update)
    schedule.declare_zone(world, decision.model_copy(update={"terms": terms}))
    economy.run(world, world.params, world.rng)  # a week of takings to weigh
    return world


def _kept(world: World) -> np.ndarray:
    """Share of the weeks in which each weighed condition is kept by the zone's gangs."""
    zone = world.zones[-1]
    kept = np.zeros(len(pact.WEIGHED))
    for _ in range(200):
        pact._weigh(world, zone.parties, world.members_at(), world.params, world.rng)
        kept += world.gangs.keeps[np.ix_(zone.parties, pact.WEIGHED)].mean(axis=0)
    return kept / 200


def test_a_pact_watched_and_sanctioned_is_kept_one_unwatched_is_broken() -> None:
    """Each condition is a decision: breaking it pays only when a breach costs nothing."""
    watched = _kept(_zone_world(1.0, "end_zone"))
    unwatched = _kept(_zone_world(0.0, "end_zone"))
    unpunished = _kept(_zone_world(1.0, "none"))
    legal = pact.LEGAL - min(pact.WEIGHED)
    assert watched[legal] > 0.5
    assert unwatched[legal] < 0.05
    assert unpunished[legal] < 0.05


def test_each_condition_kept_is_read_by_the_engine() -> None:
    world = _zone_world(1.0, "end_zone")
    norte = world.gangs.ids.index("norte")
    keeps = world.gangs.keeps
    keeps[norte, [pact.WEAPONS, pact.LEGAL, pact.PEACE]] = True
    weapons = world.gangs.weapons[norte]
    world.gangs.treasury[norte] = 1e7
    before = len(world.events.kind)
    economy.run(world, world.params, world.rng)
    assert world.gangs.weapons[norte] <= weapons  # laid down: none bought
    extortion = np.asarray(world.events.kind[before:]) == KIND_CODE[Kind.EXTORTION]
    assert norte not in np.asarray(world.events.actor[before:])[extortion]  # no takings
    world.params.spillover.crime_rate = 1.0
    spillover.run(world, world.params, world.rng)
    crimes = np.asarray(world.events.kind) == KIND_CODE[Kind.CRIME_OUTSIDE_ZONE]
    actors = np.asarray(world.events.actor)[crimes]
    assert norte not in actors  # the peace kept: no crimes outside


def test_a_breach_seen_is_told_with_the_conditions_broken_and_sanctioned() -> None:
    world = _zone_world(1.0, "end_zone")
    zone = world.zones[-1]
    world.gangs.keeps[:] = False
    world.gangs.homicides[zone.parties] = 100.0  # killing openly
    pact._inspect(world, zone, zone.parties, world.params)
    seen = [i for i, k in enumerate(world.events.kind) if k == KIND_CODE[Kind.PACT_BREACH_SEEN]]
    assert seen
    assert world.events.count[seen[0]] >= 2
    assert not zone.active

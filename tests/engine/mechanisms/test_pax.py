"""M9 The unwritten rule: the pact's dominant gang punishes a lesser gang's breach."""

from __future__ import annotations

import numpy as np

from peacezones.engine import prepare
from peacezones.engine.actions import aggrieve
from peacezones.engine.events import KIND_CODE, Kind
from peacezones.engine.mechanisms import pax, policing, schedule
from peacezones.scenario.schema import DeclareZone
from tests.engine import helpers as h

TRIALS = 40


def _punishments(spare_officials: bool) -> int:
    """Times the dominant gang massacres the lesser one after it kills an official."""
    punished = 0
    for trial in range(TRIALS):
        world = prepare(h.toy(), seed=trial, scale=h.SCALE)
        decision = next(d for d in h.toy().schedule if isinstance(d, DeclareZone))
        conditions = ("spare_officials",) if spare_officials else ("keep_peace",)
        terms = decision.terms.model_copy(update={"conditions": conditions})
        schedule.declare_zone(world, decision.model_copy(update={"terms": terms}))
        policing.run(world, world.params, world.rng)
        menor = world.gangs.ids.index("menor")
        place = world.place_ids.index("barrio_norte")
        pax._official_killed(world, menor, place, world.members_at(), world.params, world.rng)
        punished += KIND_CODE[Kind.PUNISHMENT_MASSACRE] in world.events.kind
    return punished


def test_a_pact_that_spares_officials_is_enforced_by_its_gang() -> None:
    with_rule = _punishments(spare_officials=True)
    without_rule = _punishments(spare_officials=False)
    assert with_rule > TRIALS / 2
    assert without_rule == 0


def test_pact_gangs_hold_back_from_killing_officials() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    norte = world.gangs.ids.index("norte")
    before = pax._restraint(world, world.params, world.members_at())[norte]
    decision = next(d for d in h.toy().schedule if isinstance(d, DeclareZone))
    schedule.declare_zone(world, decision)
    after = pax._restraint(world, world.params, world.members_at())[norte]
    assert after < before
    assert np.isclose(after, before * (1 - world.params.pax.pact_restraint))


def test_a_lesser_party_is_held_back_less_than_the_dominant_one() -> None:
    """The deal is the dominant gang's: a pact binds each party by its share of members."""
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    norte, menor = world.gangs.ids.index("norte"), world.gangs.ids.index("menor")
    decision = next(d for d in h.toy().schedule if isinstance(d, DeclareZone))
    schedule.declare_zone(world, decision)
    zone = world.zones[-1]
    zone.parties = np.array([norte, menor])
    members_at = world.members_at()
    restraint = pax._restraint(world, world.params, members_at)
    share = members_at[[norte, menor]][:, zone.places].sum(axis=1)
    share = share / share.sum()
    assert share[0] > share[1] > 0
    assert restraint[menor] > restraint[norte]
    calm = world.params.pax.unprovoked  # no grievance: the motive of a quarrel only
    assert np.isclose(restraint[menor], calm * (1 - world.params.pax.pact_restraint * share[1]))


def test_grievance_is_the_motive_for_killing_officials() -> None:
    """Killing an official is revenge or deterrence: a gang the state has hurt kills the
    officials it meets far more readily than one with no quarrel."""
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    p = world.params
    calm = pax._restraint(world, p, world.members_at())
    world.gangs.grievance[:] = 1.0
    hurt = pax._restraint(world, p, world.members_at())
    ratio = (p.pax.unprovoked + p.pax.grievance_boldness / 2) / p.pax.unprovoked
    assert np.allclose(hurt / calm, ratio)  # grievance 1 pulls half way: G / (1 + G)
    assert ratio > 5
    world.gangs.grievance[:] = 1e6
    consumed = pax._restraint(world, p, world.members_at())
    assert np.allclose(
        consumed / calm, (p.pax.unprovoked + p.pax.grievance_boldness) / p.pax.unprovoked
    )


def test_grievance_grows_with_the_share_of_a_gang_hurt_not_its_size() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    members = world.members().astype(float)
    losses = np.round(members * 0.1)  # a tenth of each gang
    world.gangs.allied[:] = False
    aggrieve(world, losses)
    g = world.gangs.grievance
    assert np.allclose(g[members > 0], g[members > 0][0], rtol=0.1)


def test_allies_take_up_part_of_a_gang_s_quarrel_with_the_state() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    norte, menor = world.gangs.ids.index("norte"), world.gangs.ids.index("menor")
    hurt = np.zeros(len(world.gangs))
    hurt[norte] = 10
    world.gangs.allied[:] = False
    aggrieve(world, hurt)
    assert world.gangs.grievance[menor] == 0
    alone = world.gangs.grievance[norte]
    world.gangs.grievance[:] = 0
    world.gangs.allied[norte, menor] = world.gangs.allied[menor, norte] = True
    aggrieve(world, hurt)
    share = world.params.raids.ally_grievance
    assert np.isclose(world.gangs.grievance[menor], share * alone)


def test_the_dominant_gang_punishes_when_the_pact_is_worth_the_fight() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    decision = next(d for d in h.toy().schedule if isinstance(d, DeclareZone))
    schedule.declare_zone(world, decision)
    zone = world.zones[-1]
    norte, menor = world.gangs.ids.index("norte"), world.gangs.ids.index("menor")
    place = world.place_ids.index("barrio_norte")
    members_at = world.members_at()

    def chance() -> float:
        return pax.punish_chance(world, zone, norte, menor, place, members_at, world.params)

    worth_it = chance()
    zone.aid_per_week, zone.suspend_police = 0.0, False  # the pact brings nothing
    assert worth_it > 0.5
    assert chance() < 0.01


def test_no_more_officials_are_killed_than_are_there() -> None:
    """Rates that scale: members met in their thousands (a prison whose inmates are all
    placed as members) kill at most the officials at the place: the officers stationed,
    or those passing through where none are."""
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    policing.run(world, world.params, world.rng)
    world.params.pax.encounter_rate = 1.0  # every member meets and kills every week
    world.params.pax.unprovoked = 1000.0
    world.police[0] = 0.0  # only officials passing through
    transit = world.params.pax.transit_exposure
    exposure = np.where(world.police > 0, policing.per_thousand(world), transit)
    there = np.ceil(exposure * world.watched)
    members = world.members_at().sum(axis=0)
    assert (members * exposure * 1000.0 > there)[members > 0].all()  # the draws exceed them
    pax.run(world, world.params, world.rng)
    killed = world.tally["officials_killed"]
    assert killed.sum() > 0
    assert (killed <= there).all()
    assert (killed[members > 0] == there[members > 0]).all()  # as many as there are

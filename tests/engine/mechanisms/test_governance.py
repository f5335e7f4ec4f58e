"""M5 Criminal governance: rule grows where a gang holds a place free of police."""

from __future__ import annotations

from tests.engine import helpers as h
from tests.engine.mechanisms.conftest import patrol


def test_governance_and_expulsions_rise_without_police() -> None:
    policed = h.runs(
        h.variant(schedule=h.decisions("declare_zone", add=(patrol(["barrio_norte"], 2.0),)))
    )
    free = h.runs(
        h.variant(schedule=h.decisions("declare_zone", add=(patrol(["barrio_norte"], 0.0),)))
    )
    assert h.final(free, "governance", place="barrio_norte") > h.final(
        policed, "governance", place="barrio_norte"
    )
    assert h.total(free, "expelled", place="barrio_norte") > h.total(
        policed, "expelled", place="barrio_norte"
    )


def test_conditional_aid_speeds_governance() -> None:
    # norte hands out aid (its revenue lines include aid diversion)
    with_aid = h.runs(h.variant({"governance.aid_bonus": 3.0}))
    without = h.runs(h.variant({"governance.aid_bonus": 0.0}))
    assert h.final(with_aid, "governance", place="barrio_norte") > h.final(
        without, "governance", place="barrio_norte"
    )


def test_a_gang_that_loses_its_place_for_a_while_keeps_what_decay_leaves() -> None:
    """Rule is the ruler's: a week of contest does not wipe it (it decays, M5), the same
    gang taking the place back keeps it, and a new master starts again from nothing."""
    import numpy as np

    from peacezones.engine import prepare
    from peacezones.engine.mechanisms import conflict, governance
    from peacezones.engine.world import CONTESTED

    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    p = world.params
    held = int(np.flatnonzero(world.controller >= 0)[0])
    ruler = int(world.controller[held])
    other = next(g for g in range(len(world.gangs)) if g != ruler and world.gangs.alive[g])
    world.governance[held] = 0.6

    def settle(gang: int) -> None:
        power = np.zeros((len(world.gangs), world.n_places))
        holders = world.controller.copy()
        holders[held] = gang
        conflict_holders = conflict.holders
        conflict.holders = lambda *_: holders  # who holds what, as the test says
        try:
            conflict.settle_control(world, power, p)
        finally:
            conflict.holders = conflict_holders

    settle(CONTESTED)
    governance.run(world, p, world.rng)  # a week without a master: it decays
    assert np.isclose(world.governance[held], 0.6 * (1 - p.governance.decay))
    settle(ruler)
    assert world.governance[held] > 0.5  # the same master takes it back
    settle(other)
    assert world.governance[held] == 0.0  # a new master builds his rule again

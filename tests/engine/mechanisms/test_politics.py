"""M12 Political protection: a gang that renders political services is raided less."""

from __future__ import annotations

from tests.engine import helpers as h
from tests.engine.mechanisms.conftest import crackdown


def _monte(political: bool) -> list[dict]:
    gangs = [g.model_dump() for g in h.toy().gangs]
    gangs[2]["traits"] = {
        **gangs[2]["traits"],
        "political_services": political,
        "police_ties": False,
    }
    return gangs


def _losses(results: list) -> float:
    hit = lambda e: e["target"] == "monte"  # noqa: E731
    return h.events(results, "arrest", where=hit) + h.events(
        results, "homicide_by_police", where=hit
    )


def test_political_services_shield_a_gang_from_raids() -> None:
    schedule = h.decisions("declare_zone", add=(crackdown(["loma", "monte"]),))
    protected = h.runs(h.variant(schedule=schedule, gangs=_monte(True)))
    exposed = h.runs(h.variant(schedule=schedule, gangs=_monte(False)))
    assert _losses(protected) < 0.6 * _losses(exposed)


def test_a_protected_gang_holds_back_from_killing_officials() -> None:
    """Protection is a bargain: a gang that renders political services holds back from
    killing officials as the only party of a pact that spares them would, but not while
    the state hunts it, nor when M12 is off."""
    import numpy as np

    from peacezones.engine import prepare
    from peacezones.engine.mechanisms import pax
    from peacezones.engine.world import Operation, OpKind

    def restraint(political: bool, off: bool = False, hunted: bool = False) -> float:
        scenario = h.variant(gangs=_monte(political))
        world = prepare(scenario, seed=0, scale=h.SCALE)
        if off:
            world.off = frozenset({*world.off, "politics"})
        monte = world.gangs.ids.index("monte")
        if hunted:  # the state breaks its side of the bargain
            home = np.array([world.gangs.home[monte]])
            world.operations.append(Operation(OpKind.TARGETED, home, 300.0, 4, 0.1, target=monte))
        return float(pax._restraint(world, world.params, world.members_at())[monte])

    free, held = restraint(False), h.toy().parameters["pax"]["pact_restraint"].value
    assert np.isclose(restraint(True), free * (1 - held))
    assert restraint(True, off=True) == free
    assert restraint(True, hunted=True) == free


def test_the_services_grow_with_the_residents_the_gang_rules() -> None:
    """What striking a political gang costs the state: ``politics.value`` where it rules
    as many residents as its home has, the log of the ratio more where it rules more,
    nothing where it rules nobody or renders no services."""
    import numpy as np

    from peacezones.engine import prepare
    from peacezones.engine.mechanisms import politics

    world = prepare(h.variant(gangs=_monte(True)), seed=0, scale=h.SCALE)
    monte = world.gangs.ids.index("monte")
    home = int(world.gangs.home[monte])
    base = world.params.politics.value
    world.controller[:] = -1
    world.controller[home] = monte
    assert np.isclose(politics.value(world, monte), base)
    other = int(np.argmax(np.where(np.arange(world.n_places) == home, 0, world.population)))
    world.controller[other] = monte
    ruled = (world.population[home] + world.population[other]) / world.population[home]
    assert np.isclose(politics.value(world, monte), base + np.log(ruled))
    world.controller[:] = -1
    assert politics.value(world, monte) == 0.0  # rules nobody: renders no services
    world.controller[home] = monte
    world.gangs.political[monte] = False
    assert politics.value(world, monte) == 0.0

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

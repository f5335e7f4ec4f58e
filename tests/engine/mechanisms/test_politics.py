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

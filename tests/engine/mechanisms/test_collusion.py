"""M13 Collusion: a gang with ties to local forces suffers fewer arrests."""

from __future__ import annotations

from tests.engine import helpers as h
from tests.engine.mechanisms.conftest import crackdown


def _monte(ties: bool) -> list[dict]:
    gangs = [g.model_dump() for g in h.toy().gangs]
    gangs[2]["traits"] = {**gangs[2]["traits"], "police_ties": ties}
    return gangs


def _corrupt_forces() -> dict:
    forces = h.toy().forces.model_dump()
    for unit in forces["units"]:
        unit["corruptibility"] = 1.0
    return forces


def _arrest_rate(results: list) -> float:
    """Arrests of monte's members per member-week."""
    hit = lambda e: e["target"] == "monte"  # noqa: E731
    exposure = h.total(results, "members", gang="monte")
    return h.events(results, "arrest", where=hit) / exposure


def test_ties_with_local_forces_mean_fewer_arrests() -> None:
    schedule = h.decisions("declare_zone", add=(crackdown(["loma", "monte"], officers=800),))
    forces = _corrupt_forces()
    tied = h.runs(h.variant(schedule=schedule, gangs=_monte(True), forces=forces))
    untied = h.runs(h.variant(schedule=schedule, gangs=_monte(False), forces=forces))
    assert _arrest_rate(tied) < 0.6 * _arrest_rate(untied)


def test_tolerance_of_collusion_is_a_lever() -> None:
    purge = {
        "date": h.toy().meta.start,
        "action": "collusion_tolerance",
        "level": 0.0,
        "sources": ["synthetic"],
    }
    schedule = h.decisions("declare_zone", add=(crackdown(["loma"]),))
    tolerated = h.runs(h.variant(schedule=schedule))
    purged = h.runs(h.variant(schedule=[*schedule, purge]))
    hit = lambda e: e["target"] == "monte"  # noqa: E731
    assert h.events(purged, "arrest", where=hit) > h.events(tolerated, "arrest", where=hit)

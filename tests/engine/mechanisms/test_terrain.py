"""M14 Terrain: a gang with a rural base survives interventions better."""

from __future__ import annotations

from tests.engine import helpers as h
from tests.engine.mechanisms.conftest import crackdown


def _monte(rural: bool) -> list[dict]:
    gangs = [g.model_dump() for g in h.toy().gangs]
    gangs[2]["traits"] = {"rural_base": rural, "political_services": False, "police_ties": False}
    return gangs


def test_a_rural_base_helps_a_gang_survive_a_crackdown() -> None:
    schedule = h.decisions("declare_zone", add=(crackdown(["loma", "monte"], officers=800),))
    rural = h.runs(h.variant(schedule=schedule, gangs=_monte(True)))
    urban = h.runs(h.variant(schedule=schedule, gangs=_monte(False)))
    assert h.final(rural, "members", gang="monte") > h.final(urban, "members", gang="monte")

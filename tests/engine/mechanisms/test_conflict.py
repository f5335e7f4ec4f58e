"""M8 Inter-gang conflict: hostile gangs at one place clash and kill."""

from __future__ import annotations

from tests.engine import helpers as h


def _bigger_rival() -> list[dict]:
    gangs = [g.model_dump() for g in h.toy().gangs]
    gangs[1]["members"], gangs[1]["weapons"] = 60, 50  # menor, in norte's barrio
    return gangs


def test_clashes_kill_on_both_sides_and_among_residents() -> None:
    fierce = h.runs(h.variant({"conflict.clash_rate": 0.8}, gangs=_bigger_rival()))
    calm = h.runs(h.variant({"conflict.clash_rate": 0.05}, gangs=_bigger_rival()))
    assert h.total(fierce, "homicides_gang_on_gang") > 2 * h.total(calm, "homicides_gang_on_gang")
    assert h.total(fierce, "homicides_gang_on_civilian", place="barrio_norte") > h.total(
        calm, "homicides_gang_on_civilian", place="barrio_norte"
    )


def test_the_weaker_side_loses_more() -> None:
    results = h.runs(h.variant({"conflict.clash_rate": 0.8}, gangs=_bigger_rival()))
    lost_by_menor = h.events(
        results, "homicide_gang_on_gang", where=lambda e: e["target"] == "menor"
    )
    lost_by_norte = h.events(
        results, "homicide_gang_on_gang", where=lambda e: e["target"] == "norte"
    )
    assert lost_by_menor + lost_by_norte > 0
    members = {r.replicate: r.series.query("variable == 'members'") for r in results}
    assert all(
        m.query("gang == 'menor'")["value"].iloc[-1] < m.query("gang == 'norte'")["value"].iloc[-1]
        for m in members.values()
    )

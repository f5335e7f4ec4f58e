"""Rates that scale: a world a hundred times larger keeps every count within what exists."""

from __future__ import annotations

import numpy as np
import pytest

from peacezones.engine import simulate
from peacezones.scenario import derive
from tests.engine import helpers as h

FACTOR = 100


def bigger(factor: int) -> object:
    """The toy a ``factor`` larger: residents, gangs (members, weapons, money), forces,
    and the officers the doctrine sends (an offensive of the same size in a world a
    hundred times larger would be a raid on one street of it)."""
    base = h.toy()
    places = [p.model_dump() for p in base.places]
    for p in places:
        p["population"] *= factor
        p["traffic"] *= factor
    gangs = [g.model_dump() for g in base.gangs]
    for g in gangs:
        g["members"] *= factor
        g["weapons"] *= factor
        g["treasury"] *= factor
    units = [u.model_dump() for u in base.forces.units]
    for u in units:
        u["size"] *= factor
    forces = {"units": units, "facilities": [f.model_dump() for f in base.forces.facilities]}
    rules = [r.model_dump() for r in base.doctrine.rules]
    for r in rules:
        r["officers"] *= factor
    return derive(
        base, {"places": places, "gangs": gangs, "forces": forces, "doctrine": {"rules": rules}}
    )


@pytest.mark.parametrize("factor", [1, FACTOR])
def test_no_count_exceeds_what_exists(factor: int) -> None:
    scenario = bigger(factor)
    result = simulate(scenario, seed=0, scale=0.05 / factor)
    s = result.series
    weeks = s["date"].nunique()
    people = sum(p.population for p in scenario.places)
    officers = sum(u.size for u in scenario.forces.units)
    members = sum(g.members for g in scenario.gangs)

    def total(variable: str) -> float:
        return float(s.loc[s["variable"] == variable, "value"].sum())

    killed = sum(total(v) for v in ("homicides_gang_on_gang", "homicides_gang_on_civilian",
                                    "homicides_by_local_groups", "homicides_by_police",
                                    "homicides_other"))  # fmt: skip
    assert killed < 0.05 * people * weeks / 52  # under 5% of the people a year
    assert total("officials_killed") < 0.2 * officers * weeks / 52  # a fifth of the force
    per_week = s[s["variable"] == "officials_killed"].groupby("date")["value"].sum()
    assert per_week.max() <= officers
    arrests = s[s["variable"] == "arrests"].groupby("date")["value"].sum()
    local = s[s["variable"] == "local_members"].groupby("date")["value"].sum()
    assert (arrests.to_numpy() <= local.to_numpy() + members * 3).all()
    final = result.world
    assert final.local.sum() <= people
    assert (final.gangs.weapons >= 0).all()


def test_a_larger_world_has_about_the_same_rates() -> None:
    small = simulate(bigger(1), seed=0, scale=0.05)
    large = simulate(bigger(FACTOR), seed=0, scale=0.05 / FACTOR)

    def per_person(result: object, variable: str) -> float:
        s = result.series  # type: ignore[attr-defined]
        people = sum(p.population for p in result.scenario.places)  # type: ignore[attr-defined]
        return float(s.loc[s["variable"] == variable, "value"].sum()) / people

    for variable in ("homicides_by_local_groups", "homicides_by_police", "homicides_other"):
        a, b = per_person(small, variable), per_person(large, variable)
        assert b == pytest.approx(a, rel=0.5), variable
    assert np.isfinite(per_person(large, "officials_killed"))

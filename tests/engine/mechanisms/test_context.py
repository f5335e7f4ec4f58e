"""M19 context drivers: emigration, the economy and hardship as dated series (paired seeds)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from peacezones.engine import prepare
from peacezones.engine.step import step
from peacezones.scenario.schema import Driver
from tests.engine import helpers as h


def series(driver: str, values: list[float], years: list[int] | None = None) -> dict[str, object]:
    return {
        "id": driver,
        "driver": driver,
        "unit": "test",
        "years": years or [2020, 2021, 2022],
        "values": values,
        "sources": ["synthetic"],
    }


EXODUS = series("emigration", [0.0, 40000.0, 80000.0])
COLLAPSE = series("economy", [1.0, 0.5, 0.25])
POVERTY = series("hardship", [0.3, 0.6, 0.9])


def test_emigration_thins_the_bands_and_their_killings() -> None:
    gone = h.runs(h.variant(context=[EXODUS]))
    stay = h.runs(h.toy())
    assert h.total(gone, "emigrants") > 70000
    assert h.final(gone, "local_members") < h.final(stay, "local_members")
    assert h.total(gone, "homicides_by_local_groups") < h.total(stay, "homicides_by_local_groups")


def test_emigrants_are_mostly_young_and_the_people_still_add_up() -> None:
    world = prepare(h.variant(context=[EXODUS]), seed=2, scale=h.SCALE)
    total = world.population.sum()
    young = world.recruitable_people.sum()
    for t in range(len(world.dates)):
        world.step = t
        step(world)
        assert world.civ.weight.sum() + world.ind.size + world.emigrated.sum() == total
        assert (world.civ.weight >= 0).all()
        assert (
            np.bincount(world.civ.place, weights=world.civ.weight, minlength=world.n_places)
            == world.civilians
        ).all()
    share_young = (young - world.recruitable_people.sum()) / world.emigrated.sum()
    assert share_young > young / total  # the young in hardship leave more than their share


def test_a_collapse_leaves_less_to_take() -> None:
    poor = h.runs(h.variant(context=[COLLAPSE]))
    rich = h.runs(h.toy())
    assert h.final(poor, "treasury", gang="norte") < h.final(rich, "treasury", gang="norte")
    assert h.final(poor, "local_members") < h.final(rich, "local_members")


def test_a_series_is_read_at_mid_year_and_held_flat_outside() -> None:
    s = h.variant(context=[COLLAPSE]).context[0]
    assert s.at(dt.date(2020, 7, 2)) == 1.0 or abs(s.at(dt.date(2020, 7, 2)) - 1.0) < 0.01
    assert abs(s.at(dt.date(2021, 1, 1)) - 0.75) < 0.01
    assert s.at(dt.date(2019, 1, 1)) == 1.0
    assert s.at(dt.date(2030, 1, 1)) == 0.25
    assert s.driver == Driver.ECONOMY


def test_without_series_nothing_moves() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    hardship = world.civ.hardship.copy()
    for t in range(10):
        world.step = t
        step(world)
    assert world.economy == 1.0
    assert world.emigrated.sum() == 0
    assert (world.civ.hardship == hardship).all()
    assert world.hardship == world.hardship_start == h.toy().param("demography", "hardship_share")


def test_residents_follow_the_share_in_hardship_and_the_pool_of_recruits_with_them() -> None:
    world = prepare(h.variant(context=[POVERTY]), seed=1, scale=h.SCALE)
    assert world.hardship_start == 0.3  # the series sets the start's share, not demography
    live = world.civ.weight > 0
    start = np.average(world.civ.hardship[live], weights=world.civ.weight[live])
    assert abs(start - 0.3) < 0.05
    pool = world.recruitable_people.sum()
    for t in range(len(world.dates)):
        world.step = t
        step(world)
    live = world.civ.weight > 0
    end = np.average(world.civ.hardship[live], weights=world.civ.weight[live])
    assert abs(end - 0.9) < 0.05
    assert world.recruitable_people.sum() > 2 * pool
    mask = (world.civ.age == 1) & world.civ.hardship  # Age.YOUTH
    assert (world.recruitable == mask).all()


def test_hardship_makes_more_armed_youths_and_more_killing() -> None:
    poor = h.runs(h.variant(context=[POVERTY]))
    elastic = h.runs(h.variant({"context.hardship_elasticity": 0.6}, context=[POVERTY]))
    flat = h.runs(h.variant(context=[series("hardship", [0.3, 0.3, 0.3])]))
    assert h.final(poor, "local_members") > h.final(flat, "local_members")
    assert h.final(elastic, "local_members") > h.final(poor, "local_members")
    assert h.total(elastic, "homicides_by_local_groups") > h.total(
        flat, "homicides_by_local_groups"
    )


def test_a_hardship_series_is_a_share() -> None:
    from peacezones import ScenarioError

    with pytest.raises(ScenarioError, match="between 0 and 1"):
        h.variant(context=[series("hardship", [0.3, 1.2, 0.9])])


def test_inmates_neither_emigrate_nor_flee_nor_meet_patrols() -> None:
    """A prison's inmates stay put: no emigration (M19), no flight from fear (M16), and
    its guards do not patrol, so it has no routine confrontations (M22); the emigrants
    are shared among the other places, so the series' total still leaves."""
    places = [
        {**p.model_dump(exclude_unset=True), **({"kind": "prison"} if p.id == "barrio_sur" else {})}
        for p in h.toy().places
    ]
    jailed = h.runs(h.variant(context=[EXODUS], places=places))
    free = h.runs(h.variant(context=[EXODUS]))
    routine = lambda e: (e["place"] == "barrio_sur") & (e["cause"] == -1)  # noqa: E731
    for kind in ("homicide_by_police", "displacement"):
        assert h.events(free, kind, where=routine) > 0
        assert h.events(jailed, kind, where=routine) == 0
    assert h.total(free, "emigrants", "barrio_sur") > 0
    assert h.total(jailed, "emigrants", "barrio_sur") == 0
    assert h.total(jailed, "emigrants") == pytest.approx(h.total(free, "emigrants"), rel=0.01)

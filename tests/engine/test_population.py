"""Picking people per place from weighted records, and splitting them off."""

from __future__ import annotations

import numpy as np
import pytest

from peacezones.engine.population import Individuals, Status, build_civilians, pick, split_off

POPULATION = np.array([1000, 0, 37, 250_000])


def civilians(scale: float, seed: int = 0):
    rng = np.random.default_rng(seed)
    return build_civilians(POPULATION, scale, 0.27, 0.28, 0.09, 0.45, rng), rng


@pytest.mark.parametrize("scale", [1.0, 0.1, 0.01])
def test_weights_add_up_to_each_population(scale: float) -> None:
    civ, _ = civilians(scale)
    assert np.bincount(civ.place, weights=civ.weight, minlength=4).tolist() == POPULATION.tolist()
    assert (civ.weight >= 1).all()


@pytest.mark.parametrize("scale", [1.0, 0.01])
def test_picks_come_from_the_place_asked_and_respect_weights(scale: float) -> None:
    civ, rng = civilians(scale)
    counts = np.array([30, 5, 37, 400])
    chosen = pick(civ, counts, None, rng)
    assert np.bincount(civ.place[chosen], minlength=4).tolist() == [30, 0, 37, 400]
    values, times = np.unique(chosen, return_counts=True)
    assert (times <= civ.weight[values]).all()


def test_eligibility_is_respected_and_scarcity_gives_fewer() -> None:
    civ, rng = civilians(1.0)
    eligible = civ.place == 2  # only the small place's people
    eligible[civ.start[2]] = False
    chosen = pick(civ, np.array([10, 0, 100, 0]), eligible, rng)
    assert len(chosen) == 36
    assert eligible[chosen].all()


def test_splitting_off_conserves_people() -> None:
    civ, rng = civilians(0.01)
    ind = Individuals(capacity=4)
    chosen = pick(civ, np.array([20, 0, 5, 300]), None, rng)
    rows = split_off(civ, ind, chosen, Status.DEAD, -1, 3)
    assert civ.weight.sum() + ind.size == POPULATION.sum()
    assert (ind.status[rows] == Status.DEAD).all()
    assert ind.capacity >= ind.size == 325


def test_picks_are_reproducible() -> None:
    a, rng_a = civilians(0.1, seed=5)
    b, rng_b = civilians(0.1, seed=5)
    counts = np.array([3, 0, 2, 50])
    assert (pick(a, counts, None, rng_a) == pick(b, counts, None, rng_b)).all()


def test_members_are_spread_by_population_or_placed_as_given() -> None:
    """A gang's members start over its home and territory in proportion to their people
    (the toy's Banda del Monte: 70 over Loma's 50,000 and Monte's 8,000), or where
    members_by_place puts them."""
    from peacezones.engine import prepare
    from peacezones.engine.world import spread
    from tests.engine import helpers as h

    assert spread(70, [50000, 8000]).tolist() == [60, 10]
    assert spread(7, [0, 0, 0]).tolist() == [3, 2, 2]
    world = prepare(h.toy(), seed=0, scale=1.0)
    monte = world.gangs.ids.index("monte")
    at = world.members_at()[monte]
    assert (at[world.place_ids.index("loma")], at[world.place_ids.index("monte")]) == (60, 10)
    gangs = [g.model_dump(exclude_unset=True) for g in h.toy().gangs]
    gangs[2]["members_by_place"] = {"loma": 20, "monte": 50}
    placed = prepare(h.variant(gangs=gangs), seed=0, scale=1.0)
    at = placed.members_at()[monte]
    assert (at[world.place_ids.index("loma")], at[world.place_ids.index("monte")]) == (20, 50)


def test_members_by_place_must_be_where_the_gang_is_and_add_up() -> None:
    import pytest

    from peacezones import ScenarioError
    from tests.engine import helpers as h

    gangs = [g.model_dump(exclude_unset=True) for g in h.toy().gangs]
    gangs[2]["members_by_place"] = {"loma": 20, "centro": 40}
    with pytest.raises(ScenarioError) as caught:
        h.variant(gangs=gangs)
    found = [p.render("toy") for p in caught.value.problems]
    assert any("members_by_place.centro: found 'centro'; expected a place of the gang's home"
               in m for m in found)  # fmt: skip
    assert any(
        "members_by_place: found a sum of 60; expected the gang's members (70)" in m for m in found
    )

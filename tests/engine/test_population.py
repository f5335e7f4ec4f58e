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

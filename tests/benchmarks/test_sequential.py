"""The one-agent-at-a-time reference (`benchmarks/epstein/sequential.py`): its own checks,
and, where Mesa is installed (``make bench``), that it reproduces Mesa's example exactly."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from epstein import sequential
from epstein.model import EpsteinParams

SMALL = EpsteinParams(width=15, height=12, citizen_vision=3, cop_vision=3, legitimacy=0.6)


def test_neighbourhoods_are_torus_diamonds_without_the_centre():
    vision = sequential.diamond_neighbourhoods(15, 12, 3)
    assert len(vision) == 15 * 12
    for cell, cells in enumerate(vision):
        assert len(set(cells)) == len(cells) == 2 * 3 * 4  # 2 r (r + 1)
        assert cell not in cells
        x, y = divmod(cell, 12)
        for other in cells:
            ox, oy = divmod(other, 12)
            dx, dy = min((x - ox) % 15, (ox - x) % 15), min((y - oy) % 12, (oy - y) % 12)
            assert 1 <= dx + dy <= 3


@pytest.mark.parametrize("seed", [0, 1, 2002, 2**32 - 1, 2**40 + 3])
def test_draws_are_those_of_pythons_random(seed):
    expected = random.Random(seed)
    mt, pos = sequential._generator(seed)
    for _ in range(700):  # past one regeneration of the 624 words
        assert sequential._random(mt, pos) == expected.random()
    for n in (1, 2, 3, 7, 112, 1001, 2**31 + 5):
        for _ in range(50):
            assert sequential._randbelow(mt, pos, n) == expected._randbelow(n)
    mine, theirs = np.arange(300), list(range(300))
    sequential._shuffle(mt, pos, mine)
    expected.shuffle(theirs)
    assert mine.tolist() == theirs


@pytest.mark.skipif(sequential.njit is None, reason="Numba not installed")
def test_compiled_and_plain_python_give_the_same_run():
    vision = sequential.diamond_neighbourhoods(SMALL.width, SMALL.height, SMALL.citizen_vision)
    compiled = sequential.run(SMALL, 15, 4, vision)
    mt, pos = sequential._generator(4)
    plain = np.zeros_like(compiled)
    constants = sequential._constants(SMALL, vision.shape[1])
    sequential._simulate.py_func(mt, pos, *constants, vision, vision, plain)
    assert np.array_equal(plain, compiled)


def test_same_seed_same_series_and_citizens_conserved():
    first = sequential.run(SMALL, 25, 11)
    assert np.array_equal(first, sequential.run(SMALL, 25, 11))
    assert not np.array_equal(first, sequential.run(SMALL, 25, 12))
    assert np.all(first.sum(axis=1) == first[0].sum())  # quiet + active + jailed
    assert first[0, 1] == first[0, 2] == 0  # everyone starts quiet and free


def test_without_cops_every_aggrieved_citizen_turns_active():
    params = EpsteinParams(
        width=15, height=15, cop_density=0.0, legitimacy=0.0, citizen_vision=3, cop_vision=3
    )
    series = sequential.run(params, 1, 5)
    # with no cops the arrest probability is 0, so exactly the citizens with G > T rebel
    assert 0 < series[1, 1] < series[0, 0]
    assert series[1, 2] == 0


def test_lower_legitimacy_gives_more_arrests():
    def jailed(legitimacy: float) -> float:
        params = EpsteinParams(
            width=20, height=20, citizen_vision=3, cop_vision=3, legitimacy=legitimacy
        )
        return float(np.mean([sequential.run(params, 20, s)[-1, 2] for s in range(3)]))

    assert jailed(0.5) > jailed(0.9)


@pytest.mark.skipif(importlib.util.find_spec("mesa") is None, reason="Mesa not installed")
def test_reproduces_mesa_run_for_run():
    from epstein.equivalence import mesa_series

    vision = sequential.mesa_neighbourhoods(40, 40, 7)
    for seed in (3, 2002):
        expected = mesa_series(seed, 12)
        assert np.array_equal(sequential.run(EpsteinParams(), 12, seed, vision), expected)

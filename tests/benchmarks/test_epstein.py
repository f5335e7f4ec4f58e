"""Fast checks of the NumPy Epstein port (no Mesa needed): determinism, invariants, kernels,
and the causal direction of legitimacy."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from epstein.model import (
    ACTIVE,
    COP,
    JAILED,
    QUIET,
    EpsteinParams,
    diamond_offsets,
    init,
    recount,
    run,
    step,
    tally,
)


def _brute_diamond(grid: np.ndarray, radius: int) -> np.ndarray:
    """Closed-diamond sums on a torus by rolling the grid once per offset."""
    total = grid.astype(np.int64).copy()
    for dy, dx in diamond_offsets(radius):
        total += np.roll(grid, (-dy, -dx), axis=(0, 1))
    return total


def test_same_seed_same_counts_other_seed_differs():
    params = EpsteinParams(legitimacy=0.7)
    first = run(params, 40, 123)
    assert np.array_equal(first, run(params, 40, 123))
    assert not np.array_equal(first, run(params, 40, 124))


def test_seed_sequence_accepted():
    params = EpsteinParams()
    seq = np.random.SeedSequence(7)
    assert np.array_equal(run(params, 5, seq), run(params, 5, np.random.SeedSequence(7)))


@pytest.mark.parametrize(
    "params",
    [
        EpsteinParams(width=40, height=40, legitimacy=0.6),
        EpsteinParams(width=33, height=27, legitimacy=0.7, substeps=3),
        EpsteinParams(width=30, height=30, citizen_vision=5, cop_vision=7, legitimacy=0.6),
        EpsteinParams(width=30, height=30, movement=False, legitimacy=0.6),
    ],
)
def test_invariants_hold_every_step(params: EpsteinParams):
    rng = np.random.default_rng(5)
    state = init(params, rng)
    agents = np.count_nonzero(state.cell)
    cops = np.count_nonzero((state.cell & 0xFF) == COP)
    citizens = state.citizens
    for _ in range(40):
        quiet, active, jailed = step(state, rng)
        kind = state.cell & 0xFF
        assert quiet + active + jailed == citizens  # each citizen exactly one state
        assert (quiet, active, jailed) == tally(state)  # running totals match the grid
        assert 0 <= jailed <= citizens
        assert np.count_nonzero(kind == COP) == cops  # cops are never jailed
        assert np.count_nonzero(state.cell) == agents  # one agent per cell, none lost
        assert np.all(state.sentence[kind != JAILED] == 0)
        counts = state.counts.copy()
        recount(state)
        assert np.array_equal(counts, state.counts)  # incremental counts stay exact


def test_diamond_counts_match_brute_force():
    for radius in (1, 3, 7):
        params = EpsteinParams(width=31, height=23, citizen_vision=radius, cop_vision=radius)
        state = init(params, np.random.default_rng(radius))
        citizens = np.flatnonzero((state.cell & 0xFF) == QUIET)[::5]
        state.cell[citizens] = (state.cell[citizens] & 0xFF00) | ACTIVE
        recount(state)
        hp, wp = state.shape
        pad = state.pad
        kind = (state.cell & 0xFF).reshape(hp, wp)[pad:-pad, pad:-pad]
        packed = (kind == ACTIVE) + 256 * (kind == COP)
        got = state.counts.reshape(hp, wp)[pad:-pad, pad:-pad]
        assert np.array_equal(got, _brute_diamond(packed, radius))


def test_vision_is_mesa_von_neumann_diamond():
    offsets = diamond_offsets(7)
    assert len(offsets) == 112  # 2 r (r + 1) cells, centre excluded
    assert np.all(np.abs(offsets).sum(axis=1) <= 7)


def test_arrest_levels_round_half_to_even_like_python():
    state = init(EpsteinParams(), np.random.default_rng(0))
    for cops in range(0, 113, 3):
        for actives in range(0, 113, 2):
            assert state.level[actives + 256 * cops] == round(cops / (actives + 1))


def test_lower_legitimacy_gives_more_activity():
    def mean_active(legitimacy: float) -> float:
        params = EpsteinParams(legitimacy=legitimacy)
        return float(np.mean([run(params, 30, s)[1:, 1].mean() for s in range(4)]))

    assert mean_active(0.6) > mean_active(0.7) > mean_active(0.8)


def test_too_small_grid_rejected():
    with pytest.raises(ValueError, match="at least"):
        init(EpsteinParams(width=10, height=10), np.random.default_rng(0))


def test_vision_over_ten_rejected():
    with pytest.raises(ValueError, match="at most 10"):
        init(EpsteinParams(width=30, height=30, citizen_vision=11), np.random.default_rng(0))


def test_without_cops_every_aggrieved_citizen_turns_active_at_once():
    params = EpsteinParams(width=15, height=15, cop_density=0.0, legitimacy=0.0)
    state = init(params, np.random.default_rng(3))
    kind = state.cell & 0xFF
    aggrieved = np.count_nonzero(kind == QUIET)  # G > T; the others are inert
    assert 0 < aggrieved < state.citizens
    _, active, _ = step(state, np.random.default_rng(4))
    assert active == aggrieved


def test_each_cop_arrests_at_most_one_citizen_per_step():
    params = EpsteinParams(width=30, height=30, cop_density=0.02, legitimacy=0.3)
    rng = np.random.default_rng(8)
    state = init(params, rng)
    cops = np.count_nonzero((state.cell & 0xFF) == COP)
    series = [step(state, rng) for _ in range(30)]
    jailed = np.array([j for _, _, j in series])
    assert jailed.max() > cops  # arrests pile up over several steps
    assert np.all(np.diff(jailed) <= cops)

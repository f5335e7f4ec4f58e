"""The compiled exact port (`benchmarks/epstein/compiled.py`): its kept counts, its rules,
determinism, and agreement with the one-agent-at-a-time reference."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from epstein import compiled, sequential
from epstein.model import EpsteinParams

# small, and unsettled enough that citizens turn active, get jailed and come out again
SMALL = EpsteinParams(width=15, height=12, citizen_vision=3, cop_vision=3, legitimacy=0.6)


@pytest.mark.parametrize("cop_vision", [3, 2, 4])
def test_kept_counts_match_a_recount(cop_vision):
    params = EpsteinParams(**{**SMALL.__dict__, "cop_vision": cop_vision, "max_jail_term": 5})
    rng = np.random.default_rng(4)
    state = compiled.init(params, rng)
    seen_active = 0
    for _ in range(40):
        quiet, active, jailed = compiled.step(state, rng)
        seen_active += active
        cops, actives, cop_actives = compiled.recount(state)
        assert np.array_equal(state.cops, cops)
        assert np.array_equal(state.actives, actives)
        assert np.array_equal(state.cop_actives, cop_actives)
        kinds = np.bincount(state.kind, minlength=5)
        assert (quiet, active, jailed) == (kinds[1], kinds[2], kinds[3])
        assert np.array_equal(np.sort(state.where), np.flatnonzero(state.kind))
    assert seen_active > 0  # the counts were tested with active citizens about


def test_without_cops_every_citizen_with_grievance_above_threshold_turns_active():
    params = EpsteinParams(**{**SMALL.__dict__, "cop_density": 0.0, "movement": False})
    rng = np.random.default_rng(7)
    state = compiled.init(params, rng)
    _, active, jailed = compiled.step(state, rng)
    grievance = state.traits[state.kind != compiled.EMPTY, 0]  # every agent is a citizen
    assert active == np.count_nonzero(grievance > params.active_threshold) > 0
    assert jailed == 0


def test_cops_jail_active_citizens_and_sentences_run_down():
    params = EpsteinParams(**{**SMALL.__dict__, "max_jail_term": 3})
    rng = np.random.default_rng(1)
    state = compiled.init(params, rng)
    series = [compiled.step(state, rng) for _ in range(30)]
    jailed = [j for _, _, j in series]
    assert max(jailed) > 0
    assert state.sentence.max() <= 3  # randint(0, max_jail_term)
    assert min(jailed[jailed.index(max(jailed)) :]) < max(jailed)  # some come out again


def test_movement_off_keeps_every_agent_in_place():
    params = EpsteinParams(**{**SMALL.__dict__, "movement": False})
    rng = np.random.default_rng(2)
    state = compiled.init(params, rng)
    cells, traits = np.sort(state.where), state.traits.copy()
    for _ in range(10):
        compiled.step(state, rng)
    assert np.array_equal(np.sort(state.where), cells)  # the same cells are taken,
    assert np.array_equal(state.traits[cells], traits[cells])  # by the same citizens


def test_same_seed_same_run_other_seed_other_run():
    a = compiled.run(SMALL, 30, 11)
    assert np.array_equal(a, compiled.run(SMALL, 30, 11))
    assert not np.array_equal(a, compiled.run(SMALL, 30, 12))


def test_vision_wider_than_the_grid_is_refused():
    with pytest.raises(ValueError, match="vision 7"):
        compiled.init(EpsteinParams(width=12, height=12), np.random.default_rng(0))


def test_runs_match_the_reference_in_distribution():
    """300 runs each on the small grid: the compiled port and the exact reference draw
    from the same distribution (fixed seeds, so the p-values are fixed too)."""
    seeds = range(300)
    ours = np.array([compiled.run(SMALL, 40, s)[-1] for s in seeds])
    ref = np.array([sequential.run(SMALL, 40, s)[-1] for s in seeds])
    for column in (0, 2):  # quiet, jailed
        assert stats.mannwhitneyu(ours[:, column], ref[:, column]).pvalue > 0.01
    assert abs(ours[:, 2].mean() - ref[:, 2].mean()) < 0.1 * ref[:, 2].std()


@pytest.mark.parametrize("few", [4, 0])  # Fisher-Yates; the buckets (Rao and Sandelius)
def test_the_shuffle_gives_every_order_equally_often(few):
    rng = np.random.default_rng(3)
    rows, scratch = np.arange(4, dtype=np.int32), np.empty(4, dtype=np.int32)
    seen = {}
    for _ in range(24_000):
        rows[:] = np.arange(4)
        compiled._shuffle(rng.bit_generator.random_raw(4), rows, scratch, few)
        seen[tuple(rows)] = seen.get(tuple(rows), 0) + 1
    assert len(seen) == 24  # every order of four rows
    assert stats.chisquare(list(seen.values())).pvalue > 0.001


def test_the_bucket_shuffle_moves_rows_within_their_bucket():
    # a row would otherwise stay ahead of the rows after it in its bucket: row 0 would
    # only ever land at the start of a bucket
    rng = np.random.default_rng(5)
    n = 1000
    rows, scratch = np.empty(n, dtype=np.int32), np.empty(n, dtype=np.int32)
    where = np.empty(4000, dtype=np.int64)
    for t in range(where.size):
        rows[:] = np.arange(n)
        compiled._shuffle(rng.bit_generator.random_raw(n), rows, scratch, 0)
        where[t] = np.flatnonzero(rows == 0)[0]
    assert stats.chisquare(np.bincount(where // 50, minlength=n // 50)).pvalue > 0.001
    assert np.unique(where).size > 900  # about 980 of the 1,000 places; at most 256 without

"""The compiled kernels give what the NumPy expressions they replace gave.

Each kernel is set against a plain NumPy computation of the same thing on the same input
and, where it takes random numbers, on the same stream, so that a run is the same with
the kernels as without them. The bands' draws (local armed groups, M18) are checked for
what they promise: distinct members, uniformly chosen, counts kept.
"""

from __future__ import annotations

import numpy as np
import pytest

from peacezones.engine import actions, kernels, prepare
from peacezones.engine.population import Status, pick, redo_short
from tests.engine import helpers as h


def _numpy_pick(civ, counts, eligible, rng, available=None, pool=None):
    """The picking rule written with NumPy expressions (the engine's before the kernels)."""
    places = np.flatnonzero((counts > 0) & (civ.stop > civ.start))
    if places.size == 0:
        return np.zeros(0, np.int64)
    k = np.asarray(counts, np.int64)[places]
    first, last = (civ.start, civ.stop) if pool is None else (pool.start, pool.stop)
    lo, size = first[places], last[places] - first[places]
    wmax = civ.wmax[places]
    draws = 2 * k + 8
    if available is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            accept = available[places] / (size * wmax)
        needed = np.full(places.size, np.inf)
        np.divide(draws, accept, out=needed, where=accept > 0)
        draws = np.ceil(needed).clip(max=size + 1).astype(np.int64)
    sampled = draws <= size
    owner = np.repeat(np.arange(places.size), np.where(sampled, draws, 0))
    cand = lo[owner] + (rng.random(owner.size) * size[owner]).astype(np.int64)
    if pool is not None:
        cand = pool.records[cand]
    keep = rng.random(owner.size) * wmax[owner] < civ.weight[cand]
    if eligible is not None:
        keep &= eligible[cand]
    cand, owner = cand[keep], owner[keep]
    rank = np.arange(owner.size) - np.searchsorted(owner, owner)
    wanted = rank < k[owner]
    chosen, owner = cand[wanted], owner[wanted]
    short = np.bincount(owner, minlength=places.size) < k
    ordered = np.sort(chosen)
    if (ordered[1:] == ordered[:-1]).any():
        values, times = np.unique(ordered, return_counts=True)
        over = values[times > civ.weight[values]]
        if over.size:
            short[np.unique(owner[np.isin(chosen, over)])] = True
    return redo_short(civ, chosen, owner, short, places, k, eligible, rng)


@pytest.fixture(scope="module")
def world():
    return h.stepped()


@pytest.mark.parametrize("seed", range(6))
def test_pick_draws_as_the_numpy_rule_did(world, seed) -> None:
    civ = world.civ
    rng = np.random.default_rng(seed)
    asks = [
        rng.integers(0, 4, world.n_places),  # a few people, as most events ask
        rng.integers(0, 400, world.n_places),  # many: some places drawn exactly
        np.where(rng.random(world.n_places) < 0.3, 10**7, 0),  # more than there are
    ]
    for counts in asks:
        for eligible, available, pool in (
            (None, None, None),
            (None, world.civilians, None),
            (world.recruitable, world.recruitable_people, world.recruitable_pool),
            (world.recruitable, world.recruitable_people, None),
        ):
            got = pick(civ, counts, eligible, np.random.default_rng(seed), available, pool)
            want = _numpy_pick(civ, counts, eligible, np.random.default_rng(seed), available, pool)
            assert np.array_equal(got, want)


def test_pick_redoes_a_record_picked_beyond_its_weight() -> None:
    """Records of weight 1 asked for many times: repeats must send the place to the exact
    draw, and no record gives more people than its weight."""
    civ = prepare(h.toy(), seed=0, scale=1.0).civ
    counts = np.zeros(len(civ.start), np.int64)
    counts[0] = 50
    for seed in range(5):
        got = pick(civ, counts, None, np.random.default_rng(seed), None, None)
        want = _numpy_pick(civ, counts, None, np.random.default_rng(seed), None, None)
        assert np.array_equal(got, want)
        assert got.size == 50
        assert np.unique(got).size == 50


def test_leave_mass_counts_as_bincount(world) -> None:
    rng = np.random.default_rng(3)
    civ = world.civ
    records = rng.integers(0, len(civ), 500)
    taken = rng.integers(1, 5, 500).astype(float)
    for t in (np.zeros(0), taken):
        done, hard, young = kernels.leave_mass(
            records, t, civ.place, civ.hardship, world.recruitable, world.n_places
        )
        w = np.ones(records.size) if t.size == 0 else t
        places = civ.place[records]
        assert np.array_equal(done, np.bincount(places, weights=w, minlength=world.n_places))
        assert np.array_equal(
            hard, np.bincount(places, weights=w * civ.hardship[records], minlength=world.n_places)
        )
        assert np.array_equal(
            young,
            np.bincount(places, weights=w * world.recruitable[records], minlength=world.n_places),
        )


def test_lower_weights_is_subtract_at_with_repeats() -> None:
    rng = np.random.default_rng(4)
    weight = rng.integers(10, 20, 100).astype(np.int32)
    records = rng.integers(0, 100, 300)
    amounts = rng.integers(0, 3, 300)
    expected = weight.copy()
    np.subtract.at(expected, records, 1)
    got = weight.copy()
    kernels.lower_weights(got, records, np.zeros(0, np.int64))
    assert np.array_equal(got, expected)
    expected = weight.copy()
    np.subtract.at(expected, records, amounts.astype(np.int32))
    got = weight.copy()
    kernels.lower_weights(got, records, amounts)
    assert np.array_equal(got, expected)


def test_bands_draw_distinct_members_and_keep_their_counts() -> None:
    world = prepare(h.toy(), seed=2, scale=h.SCALE)
    before_rows, before_places = world.local_rows()
    local = world.local.copy()
    counts = np.stack([local // 3, local // 4, local])  # the last asks for more than exist
    dead, jailed, quit_ = actions.local_fates(
        world, counts, (Status.DEAD, Status.JAILED, Status.CIVILIAN)
    )
    chosen = np.concatenate([dead, jailed, quit_])
    assert np.unique(chosen).size == chosen.size  # nobody twice
    assert dead.size == (local // 3).sum()
    assert jailed.size == (local // 4).sum()
    assert chosen.size == local.sum()  # the last fate took everyone left
    assert (world.local == 0).all()
    assert np.array_equal(np.sort(chosen), np.sort(before_rows))
    assert (world.ind.status[dead] == Status.DEAD).all()
    assert (world.ind.status[quit_] == Status.CIVILIAN).all()
    # each fate's members come from the right places
    expected = np.minimum(local // 3, local)
    assert np.array_equal(np.bincount(world.ind.place[dead], minlength=world.n_places), expected)
    # and new members fill the emptied segments again
    rows = world.ind.append(before_places[:40], Status.LOCAL, -1, np.zeros(40), np.zeros(40), 0)
    actions.add_local(world, rows)
    again, places = world.local_rows()
    assert again.size == 40
    assert set(again) == set(rows)
    assert np.array_equal(np.bincount(places, minlength=world.n_places), world.local)


def test_bands_choose_members_uniformly() -> None:
    """Every member of a place is as likely to be drawn, whatever its slot."""
    n, draws, k = 20, 4000, 3
    seen = np.zeros(n)
    rng = np.random.default_rng(5)
    slots = np.arange(n, dtype=np.int64)
    start = np.zeros(1, np.int64)
    for _ in range(draws):
        count = np.array([n], np.int64)
        rows, _ = kernels.bands_fates(slots, start, count, np.array([[k]], np.int64), rng.random(k))
        seen[rows] += 1
    expected = draws * k / n
    chi2 = ((seen - expected) ** 2 / expected).sum()
    assert chi2 < 45  # 19 degrees of freedom: the 0.1% point is 43.8


def test_bands_grow_as_members_join() -> None:
    world = prepare(h.toy(), seed=3, scale=h.SCALE)
    total = world.local.sum()
    place = int(np.argmax(world.local))
    rows = world.ind.append(np.full(500, place), Status.LOCAL, -1, np.zeros(500), np.zeros(500), 0)
    actions.add_local(world, rows)
    assert world.local.sum() == total + 500
    got, places = world.local_rows()
    assert set(rows) <= set(got[places == place])
    assert (world.ind.status[got] == Status.LOCAL).all()

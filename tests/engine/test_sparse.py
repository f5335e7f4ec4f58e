"""The engine's sparse paths give what the dense arrays they replace would give.

Gangs stand in few places, so the engine walks the cells they occupy rather than whole
gangs x places arrays (benchmarks/places.py measures the growth). Each test sets a sparse
path against the plain dense computation on the same input.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from peacezones.engine import actions
from peacezones.engine.mechanisms import expansion
from peacezones.engine.population import Status
from peacezones.engine.world import insert_at, insertion_slots
from tests.engine import helpers as h


@pytest.fixture(scope="module")
def world():
    return h.stepped()


def test_neighbours_follow_the_adjacency(world) -> None:
    rng = np.random.default_rng(1)
    adjacency = world.adjacency.astype(np.int64)
    for density in (0.0, 0.1, 0.5, 1.0):
        mask = rng.random((5, world.n_places)) < density
        expected = (mask.astype(np.int64) @ adjacency.T) > 0
        assert (world.neighbours(mask) == expected).all()
    one = np.zeros(world.n_places, bool)
    one[0] = True
    assert (world.neighbours(one) == (adjacency[:, 0] > 0)).all()


def test_overlap_is_a_boolean_product() -> None:
    rng = np.random.default_rng(2)
    for density in (0.0, 0.05, 0.3):
        a = rng.random((6, 40)) < density
        b = rng.random((4, 40)) < density
        expected = (a.astype(np.int64) @ b.astype(np.int64).T) > 0
        assert (expansion._overlap(a, b) == expected).all()


def test_poisson_draws_the_positive_means_only_with_the_same_stream(world) -> None:
    mean = np.zeros((40, 60))
    mean[3, 5], mean[10, 7], mean[39, 59], mean[0, 0] = 2.5, 40.0, 0.3, -1.0
    w = copy.copy(world)
    w.rng = np.random.default_rng(7)
    got = actions.poisson(w, mean)
    reference = np.random.default_rng(7)
    assert (got == reference.poisson(np.maximum(mean, 0.0))).all()
    assert w.rng.random() == reference.random()  # the stream goes on in step


def test_shared_out_draws_are_the_same_on_either_path(world, monkeypatch) -> None:
    """A draw for several groups walks the cells asked for, on large arrays, or the whole
    array, on small ones: the same people go to the same groups."""
    counts = np.zeros((len(world.gangs), world.n_places), np.int64)
    counts[0, 1], counts[1, 1], counts[2, 3], counts[1, 4] = 3, 2, 5, 1
    results = []
    for small in (10**9, 0):
        monkeypatch.setattr(actions, "_SMALL", small)
        w = copy.deepcopy(world)
        done = actions.take_by_gang(w, counts, w.recruitable, Status.MEMBER)
        results.append((done, w.ind.view("gang").copy(), w.ind.view("place").copy()))
    (done_a, gang_a, place_a), (done_b, gang_b, place_b) = results
    assert (done_a == done_b).all()
    assert done_a.sum() > 0
    assert (gang_a == gang_b).all()
    assert (place_a == place_b).all()


def test_a_merge_puts_new_entries_where_np_insert_would() -> None:
    rng = np.random.default_rng(3)
    for n, m in ((0, 3), (5, 0), (50, 20), (200, 200)):
        ordered = np.sort(rng.integers(0, 40, n))
        new = np.sort(rng.integers(0, 40, m))
        expected = np.insert(ordered, np.searchsorted(ordered, new), new)
        assert (insert_at(ordered, new, insertion_slots(ordered, new)) == expected).all()

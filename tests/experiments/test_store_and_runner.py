"""The results store and the batch runner: atomic runs, resume, one writer, any workers."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pandas as pd
import pytest

from peacezones.experiments.compare import compare
from peacezones.experiments.policies import load_policy
from peacezones.experiments.runner import execute, plan, run_batch
from peacezones.experiments.store import Store, StoreBusyError
from tests.engine.helpers import SCALE, toy

POLICIES = [load_policy("historical"), load_policy("no-peace-zones")]


def test_run_ids_are_the_same_for_the_same_inputs_only() -> None:
    a = plan(toy(), POLICIES, 2, seed=1, scale=SCALE)
    b = plan(toy(), POLICIES, 2, seed=1, scale=SCALE)
    c = plan(toy(), POLICIES, 2, seed=2, scale=SCALE)
    assert [t.run_id for t in a] == [t.run_id for t in b]
    assert not {t.run_id for t in a} & {t.run_id for t in c}
    assert len({t.run_id for t in a}) == 4


def test_common_random_numbers_pair_replicates_across_policies() -> None:
    tasks = plan(toy(), POLICIES, 1, seed=3, scale=SCALE)
    a, b = (execute(t) for t in tasks)
    # before the first zone (2021) the two policies are the same world, draw for draw
    before = pd.Timestamp("2020-12-31")
    sa = a.series[a.series["date"] <= before].reset_index(drop=True)
    sb = b.series[b.series["date"] <= before].reset_index(drop=True)
    pd.testing.assert_frame_equal(sa, sb)


def test_a_failing_run_leaves_nothing_behind(tmp_path: Path) -> None:
    task = plan(toy(), POLICIES[:1], 1, seed=0, scale=SCALE)[0]
    out = execute(task)
    with Store(tmp_path) as store:
        broken = out.series.drop(columns=["value"])
        with pytest.raises(KeyError):
            store.save(out.run, broken, out.events, out.outcomes)
        assert store.done() == set()
        assert len(store.table("outcomes")) == 0
        store.save(out.run, out.series, out.events, out.outcomes)
        assert store.done() == {task.run_id}


def test_a_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    """A second process opening the store while this one writes it is told so."""
    with Store(tmp_path), multiprocessing.get_context("spawn").Pool(1) as pool:
        message = pool.apply(_try_open, (tmp_path,))
    assert "in use by another process" in message
    assert "another --out" in message


def _try_open(folder: Path) -> str:
    try:
        Store(folder).close()
    except StoreBusyError as exc:
        return str(exc)
    return "opened"


def test_stored_runs_are_not_run_again(tmp_path: Path) -> None:
    tasks = plan(toy(), POLICIES, 2, seed=0, scale=SCALE)
    with Store(tmp_path) as store:
        assert run_batch(tasks[:3], store, workers=1) == 3
        assert run_batch(tasks, store, workers=1) == 1
        assert run_batch(tasks, store, workers=1) == 0
        assert len(store.table("runs")) == 4


def test_the_same_results_whatever_the_number_of_workers(tmp_path: Path) -> None:
    one = compare(toy(), POLICIES, 2, tmp_path / "one", seed=5, scale=SCALE, workers=1)
    two = compare(toy(), POLICIES, 2, tmp_path / "two", seed=5, scale=SCALE, workers=2)
    pd.testing.assert_frame_equal(one.per_policy, two.per_policy)
    for table in ("series", "events", "outcomes"):
        a = (tmp_path / "one" / f"{table}.parquet").read_bytes()
        assert a == (tmp_path / "two" / f"{table}.parquet").read_bytes(), table
    assert (tmp_path / "one" / "per_policy.csv").read_bytes() == (
        tmp_path / "two" / "per_policy.csv"
    ).read_bytes()

"""A comparison on a Dask cluster gives what it gives on this machine, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from peacezones.experiments.compare import compare
from peacezones.experiments.policies import load_policy
from peacezones.scenario import load_scenario


def test_a_dask_cluster_changes_where_runs_happen_not_what_they_give(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    scenario = load_scenario("toy")
    policies = [load_policy("historical"), load_policy("no-peace-zones")]
    here = compare(scenario, policies, 2, tmp_path / "here", scale=0.05, workers=1)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        there = compare(
            scenario, policies, 2, tmp_path / "there", scale=0.05,
            scheduler=cluster.scheduler_address,
        )  # fmt: skip
    assert there.ran == 4
    key = ["policy", "replicate", "outcome"]
    a = here.outcomes.sort_values(key).reset_index(drop=True)
    b = there.outcomes.sort_values(key).reset_index(drop=True)
    assert a[[*key, "value"]].equals(b[[*key, "value"]])
    assert (tmp_path / "here" / "per_policy.csv").read_bytes() == (
        tmp_path / "there" / "per_policy.csv"
    ).read_bytes()

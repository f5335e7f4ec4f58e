"""Comparisons: intervals per policy, and which policies changed nothing in the runs."""

from __future__ import annotations

import pandas as pd

from peacezones.experiments.compare import summarise, unchanged


def _outcomes(values: dict[str, list[float]]) -> pd.DataFrame:
    rows = [
        (policy, replicate, outcome, value)
        for policy, series in values.items()
        for replicate, value in enumerate(series)
        for outcome in ("violent_deaths_per_100k", "gang_members_end")
    ]
    return pd.DataFrame(rows, columns=["policy", "replicate", "outcome", "value"])


def test_a_policy_whose_every_outcome_is_the_baselines_is_found() -> None:
    outcomes = _outcomes(
        {
            "historical": [1.0, 2.0, float("nan")],
            "truce": [1.0, 2.0, float("nan")],
            "hot": [1.0, 2.5, float("nan")],
        }
    )
    assert unchanged(outcomes, ["historical", "truce", "hot"]) == ["truce"]
    assert unchanged(outcomes, ["historical"]) == []
    # one replicate apart is a change, however small
    outcomes.loc[(outcomes["policy"] == "truce") & (outcomes["replicate"] == 1), "value"] += 1e-9
    assert unchanged(outcomes, ["historical", "truce", "hot"]) == []


def test_a_rare_counts_interval_does_not_reach_below_zero() -> None:
    outcomes = _outcomes({"historical": [0.0, 0.0, 6.0], "truce": [0.0, 3.0, 3.0]})
    per_policy, differences = summarise(outcomes, ["historical", "truce"])
    rare = per_policy.set_index(["outcome", "policy"]).loc[("gang_members_end", "historical")]
    assert rare["low"] == 0.0
    assert rare["mean"] == 2.0
    assert rare["high"] > 6.0  # the upper bound is the t interval's
    # a difference between policies can be negative: its interval is not cut
    assert differences["low"].min() < 0.0

"""Comparisons: which policies changed nothing in the runs."""

from __future__ import annotations

import pandas as pd

from peacezones.experiments.compare import unchanged


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

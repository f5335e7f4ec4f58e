"""The run's summary: a warning for the gangs a scenario puts out of balance at the start."""

from __future__ import annotations

import pandas as pd

from peacezones.analysis.summary import FIRST_YEAR, early_collapses


def _members(**paths: list[int]) -> pd.DataFrame:
    """Tidy series of members per gang, one value a week."""
    dates = pd.date_range("2011-01-03", periods=FIRST_YEAR + 10, freq="7D")
    return pd.DataFrame(
        [
            {
                "date": d,
                "gang": gang,
                "variable": "members",
                "value": float(path[min(i, len(path) - 1)]),
            }
            for gang, path in paths.items()
            for i, d in enumerate(dates)
        ]
    )


def test_a_large_gang_that_loses_most_of_its_members_in_a_year_is_named() -> None:
    week = FIRST_YEAR
    series = _members(
        mass=[36_000] + [4_000] * week,  # keeps a ninth: out of balance
        steady=[36_000] + [30_000] * week,  # keeps most
        small=[20] + [5] * week,  # too few to tell a trend from chance
        formed=[0] + [500] * week,  # a faction formed during the run
    )
    found = early_collapses(series, ["mass", "steady", "small", "formed"])
    assert found.to_dict("index") == {"mass": {"start": 36_000, "a_year_in": 4_000}}
    assert early_collapses(series, ["steady"]).empty


def test_a_run_shorter_than_a_year_warns_of_nothing() -> None:
    series = _members(mass=[36_000, 10])
    short = series[series["date"] < series["date"].min() + pd.Timedelta(weeks=FIRST_YEAR)]
    assert early_collapses(short, ["mass"]).empty

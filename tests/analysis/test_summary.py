"""The run's summary: a warning for the gangs a scenario puts out of balance at the start."""

from __future__ import annotations

import pandas as pd

from peacezones.analysis.summary import FIRST_YEAR, early_collapses, late_collapses


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
    assert list(found.index) == ["mass"]
    assert found.loc["mass", ["start", "then"]].to_dict() == {"start": 36_000, "then": 4_000}
    assert early_collapses(series, ["steady"]).empty


def test_the_warning_says_how_the_members_left_in_the_first_year() -> None:
    week = FIRST_YEAR
    series = _members(mass=[36_000] + [4_000] * (week + 9))
    dates = sorted(series["date"].unique())
    flows = pd.DataFrame(
        [  # 32,000 gone in the first week after the start, 7 more a week after the year
            {"date": d, "gang": "mass", "variable": v, "value": n}
            for i, d in enumerate(dates)
            for v, n in (
                ("members_unpaid", 30_000.0 if i == 1 else 7.0 if i > week else 0.0),
                ("members_killed_by_police", 2_000.0 if i == 1 else 0.0),
                ("members_jailed", 99.0 if i == 0 else 0.0),  # the first week: before the start
            )
        ]
    )
    found = early_collapses(pd.concat([series, flows]), ["mass"]).loc["mass"]
    assert found["unpaid"] == 30_000
    assert found["killed_by_police"] == 2_000
    assert found["jailed"] == found["deserted"] == found["leaderless"] == found["split_off"] == 0


def test_the_gang_table_balances_start_joined_ways_out_and_end(toy) -> None:
    from peacezones.analysis.summary import FLOWS, gang_sizes
    from peacezones.engine import simulate

    table = gang_sizes(simulate(toy, seed=2, scale=0.05))
    assert list(table.columns) == ["start", *FLOWS.values(), "peak", "end"]
    out = table[list(FLOWS.values())[1:]].sum(axis=1)
    assert (table["start"] + table["joined"] - out == table["end"]).all()
    assert table["joined"].gt(0).all()
    assert out.gt(0).all()


def test_a_run_shorter_than_a_year_warns_of_nothing() -> None:
    series = _members(mass=[36_000, 10])
    short = series[series["date"] < series["date"].min() + pd.Timedelta(weeks=FIRST_YEAR)]
    assert early_collapses(short, ["mass"]).empty


def test_a_large_gang_that_falls_later_in_the_run_is_named_once() -> None:
    week = FIRST_YEAR
    series = _members(
        late=[36_000] * (week + 2) + [300],  # keeps most a year in, ends with a hundredth
        early=[36_000] + [4_000] * week + [300],  # already named as an early collapse
        grows=[200] * (week + 2) + [250],
    )
    gangs = ["late", "early", "grows"]
    found = late_collapses(series, gangs)
    assert list(found.index) == ["late"]
    assert found.loc["late", ["start", "then"]].to_dict() == {"start": 36_000, "then": 300}
    assert list(early_collapses(series, gangs).index) == ["early"]

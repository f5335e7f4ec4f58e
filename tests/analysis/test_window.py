"""Outcomes where and when a lever acts: a window of years and a set of places."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peacezones import ScenarioError, load_scenario
from peacezones.analysis.window import window
from peacezones.experiments.compare import compare
from peacezones.experiments.policies import load_policy


def test_a_window_reads_ids_regions_and_neighbours() -> None:
    toy = load_scenario("toy")
    assert window(toy, "2021:2022", "barrio_norte").places == ("barrio_norte",)
    capital = window(toy, None, "Capital")
    assert set(capital.places) == {"barrio_norte", "barrio_sur", "centro", "cuartel"}
    near = window(toy, "2021:2021", "barrio_norte", neighbours=True)
    assert near.places == ("barrio_norte", "barrio_sur", "centro")
    assert (near.start, near.end) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    everything = window(toy, "2020:2024", None)
    assert len(everything.places) == len(toy.places)
    months = window(toy, "2021-06:2022-02", "loma")
    assert (months.start, months.end) == (dt.date(2021, 6, 1), dt.date(2022, 2, 28))
    assert months.years == 9 / 12
    assert months.describe() == "2021-06 to 2022-02, 1 place(s): loma"


@pytest.mark.parametrize(
    ("years", "places", "message"),
    [
        ("2019:2021", None, "--window: window: found '2019:2021'; expected START:END"),
        ("soon", None, "expected START:END within the scenario (2020-01:2024-12)"),
        ("2021-13:2022", None, "found '2021-13:2022'"),
        (None, "atlantis", "--places: places: found 'atlantis'; expected place ids or regions"),
    ],
)
def test_a_bad_window_is_named(years: str | None, places: str | None, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        window(load_scenario("toy"), years, places)
    assert message in str(caught.value)


def test_a_lever_shows_where_it_acts(tmp_path: Path) -> None:
    """The zone of Barrio Norte (from 2021): with it, gang rule there is higher than
    without the zones, over the zone's years and place, in most paired replicates. Not
    in all: a zone emboldens its gang to push beyond it, and the offensive that answers
    the push can cost it its own place for months (P6's chain), which pulls the mean of
    a few replicates down."""
    toy = load_scenario("toy")
    where = window(toy, "2021:2022", "barrio_norte")
    policies = [load_policy("historical"), load_policy("no-peace-zones")]
    result = compare(toy, policies, 7, tmp_path, scale=0.05, workers=1, where=where)
    rule = result.outcomes[result.outcomes["outcome"] == "governance_mean"]
    paired = rule.pivot(index="replicate", columns="policy", values="value")
    assert (paired["historical"] > paired["no-peace-zones"]).sum() > len(paired) / 2
    assert (result.per_policy["window"] == where.describe()).all()
    # the window is read, not the whole run: gang rule in the zone's place under the zone
    # is above its mean over every place and year (same runs, already stored)
    whole = compare(toy, policies, 7, tmp_path, scale=0.05, workers=1)
    governance = {
        label: r.per_policy.set_index(["outcome", "policy"]).loc[
            ("governance_mean", "historical"), "mean"
        ]
        for label, r in (("window", result), ("whole", whole))
    }
    assert governance["window"] > governance["whole"]
    assert set(result.outcomes["outcome"]) >= {"violent_deaths_per_100k", "gang_members_end"}


def test_a_zone_ended_by_the_schedule_is_not_the_states_reaction() -> None:
    """zones_ended_by_doctrine counts zones the mechanisms ended (an offensive's), not an
    end_zone decision of the schedule, although both now name a cause."""
    import pandas as pd

    from peacezones.analysis.outcomes import reactions

    events = pd.DataFrame({
        "event": [0, 1, 2, 3],
        "kind": ["decision", "zone_ended", "offensive", "zone_ended"],
        "cause": [-1, 0, -1, 2],
    })  # fmt: skip
    ended = events[events["kind"] == "zone_ended"]
    assert reactions(events, ended).tolist() == [False, True]

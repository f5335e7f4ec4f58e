"""The engine as a whole: determinism, conservation, valid states, outputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peacezones.engine import prepare, simulate
from peacezones.engine.population import Pool, Status
from peacezones.engine.step import step
from peacezones.engine.world import CONTESTED, STATE, Flow
from tests.engine.helpers import SCALE, toy, variant


def test_same_seed_same_results() -> None:
    a, b = simulate(toy(), seed=7, scale=SCALE), simulate(toy(), seed=7, scale=SCALE)
    pd.testing.assert_frame_equal(a.series, b.series)
    pd.testing.assert_frame_equal(a.events, b.events)


def test_other_seed_other_results() -> None:
    a, b = simulate(toy(), seed=7, scale=SCALE), simulate(toy(), seed=8, scale=SCALE)
    assert not a.events["count"].equals(b.events["count"])


def test_replicates_differ_and_are_reproducible() -> None:
    a = simulate(toy(), seed=7, replicate=1, scale=SCALE)
    b = simulate(toy(), seed=7, replicate=1, scale=SCALE)
    c = simulate(toy(), seed=7, replicate=2, scale=SCALE)
    pd.testing.assert_frame_equal(a.series, b.series)
    assert not a.series["value"].equals(c.series["value"])


DRIVERS = [  # emigration and hardship move people out of the mass and in and out of hardship
    {
        "id": d,
        "driver": d,
        "unit": "test",
        "years": [2020, 2022],
        "values": v,
        "sources": ["synthetic"],
    }
    for d, v in (("emigration", [0.0, 60000.0]), ("hardship", [0.3, 0.8]))
]


@pytest.mark.parametrize(
    ("scale", "context"),
    [(1.0, []), (SCALE, []), (SCALE, DRIVERS)],
    ids=["1", "default", "drivers"],
)
def test_invariants_hold_every_step(scale: float, context: list[dict[str, object]]) -> None:
    world = prepare(variant(context=context), seed=3, scale=scale)
    total = world.population.sum()
    for t in range(len(world.dates)):
        world.step = t
        before = world.members().astype(float)
        step(world)
        # every member who joined or left a gang is counted once, by how (run's gang table)
        flows = world.gangs.flows
        assert (flows >= 0).all()
        joined, left = flows[:, Flow.JOINED], np.delete(flows, Flow.JOINED, axis=1).sum(axis=1)
        assert (world.members() - before == joined - left).all()
        civ, ind = world.civ, world.ind
        # alive + dead + displaced + jailed + emigrants = the initial population
        abroad = world.emigrated.sum()
        assert civ.weight.sum() + ind.size + abroad == total
        statuses = np.bincount(ind.view("status"), minlength=5)
        assert civ.weight.sum() + statuses.sum() + abroad == total
        assert (civ.weight >= 0).all()
        # the per-place counts kept up to date match the records
        assert (
            np.bincount(civ.place, weights=civ.weight, minlength=world.n_places) == world.civilians
        ).all()
        hard = np.bincount(civ.place, weights=civ.weight * civ.hardship, minlength=world.n_places)
        assert (hard == world.hardship_people).all()
        young = np.bincount(
            civ.place, weights=civ.weight * world.recruitable, minlength=world.n_places
        )
        assert (young == world.recruitable_people).all()
        pool = Pool.of(civ, world.recruitable)
        assert (pool.records == world.recruitable_pool.records).all()
        assert (pool.start == world.recruitable_pool.start).all()
        # no negative stocks
        g = world.gangs
        assert (g.weapons >= 0).all()
        assert (g.treasury >= 0).all()
        assert (world.police >= 0).all()
        assert ((world.governance >= 0) & (world.governance <= 1)).all()
        # one controller per place, and a gang holds only where its members are
        members_at = world.members_at()
        for place, holder in enumerate(world.controller):
            assert holder in (STATE, CONTESTED) or 0 <= holder < len(g)
            if holder >= 0:
                assert members_at[holder, place] > 0
        assert (ind.view("gang")[ind.view("status") == Status.MEMBER] >= 0).all()
        # the member index, kept up to date as members move and leave, matches the records
        status, gang, place = ind.view("status"), ind.view("gang"), ind.view("place")
        members = np.flatnonzero(status == Status.MEMBER)
        rows, gangs, places = world.member_index()
        assert sorted(rows) == sorted(members)
        assert (np.diff(gangs * (rows.max() + 1) + rows) > 0).all()  # by gang, then row
        assert (gangs == gang[rows]).all()
        assert (places == place[rows]).all()
        for i in range(len(g)):
            here = members[gang[members] == i]
            assert sorted(world.gang_rows(i)) == sorted(here)
            at_home = here[place[here] == g.home[i]]
            assert sorted(world.gang_rows(i, int(g.home[i]))) == sorted(at_home)


def test_series_are_tidy_and_complete() -> None:
    result = simulate(toy(), seed=1, scale=SCALE)
    s = result.series
    assert list(s.columns) == ["date", "place", "gang", "variable", "value"]
    weeks = len(result.world.dates)
    homicides = s[s["variable"] == "homicides_other"]
    assert len(homicides) == weeks * len(toy().places)
    members = s[s["variable"] == "members"]
    assert len(members) == weeks * len(toy().gangs)
    assert s["value"].notna().all()


def test_members_killed_are_counted_by_their_killers() -> None:
    """The gang table's killed by police are the gang members of the police's homicide
    events (confrontations and raids), and its killed by rivals the gang-on-gang
    homicides (clashes, punishment massacres): every death of a member names its killer."""
    result = simulate(toy(), seed=0, scale=SCALE)
    s, e = result.series, result.events

    def flow(name: str) -> float:
        return float(s.loc[s["variable"] == f"members_{name}", "value"].sum())

    by_police = e.loc[(e["kind"] == "homicide_by_police") & (e["target"] != ""), "count"]
    by_rivals = e.loc[e["kind"] == "homicide_gang_on_gang", "count"]
    assert flow("killed_by_police") == by_police.sum() > 0
    assert flow("killed_by_rivals") == by_rivals.sum() > 0


def test_events_have_valid_causes() -> None:
    e = simulate(toy(), seed=1, scale=SCALE).events
    caused = e[e["cause"] >= 0]
    assert len(caused) > 0
    assert (caused["cause"] < caused["event"]).all()
    assert set(e.columns) >= {"event", "date", "kind", "place", "actor", "target", "count", "cause"}


def test_bad_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="scale"):
        simulate(toy(), scale=0.0)

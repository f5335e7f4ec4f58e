"""M22 lethal policing: confrontations under the state's posture (paired seeds)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from peacezones.engine import prepare, simulate
from peacezones.engine.mechanisms import force, policing
from peacezones.engine.step import step
from peacezones.scenario.schema import Engine
from tests.engine import helpers as h


def posture(level: float, places: list[str] | None = None, **more: object) -> dict[str, object]:
    return {
        "date": dt.date(2020, 6, 1),
        "action": "use_of_force",
        "name": "test posture",
        "places": places or [],
        "level": level,
        "sources": ["synthetic"],
        **more,
    }


def test_a_shoot_first_posture_kills_more_and_loses_more_officers() -> None:
    harsh = h.runs(h.variant(schedule=h.decisions(add=(posture(4.0),))))
    routine = h.runs(h.toy())
    assert h.total(harsh, "homicides_by_police") > h.total(routine, "homicides_by_police")
    assert h.total(harsh, "officials_killed") > h.total(routine, "officials_killed")


def test_a_posture_acts_only_where_it_is_ordered() -> None:
    scenario = h.variant(schedule=h.decisions(add=(posture(4.0, ["centro"]),)))
    world = prepare(scenario, seed=0, scale=h.SCALE)
    centro = world.place_ids.index("centro")
    for t, day in enumerate(world.dates):
        world.step = t
        step(world)
        if day >= dt.date(2020, 6, 8):
            break
    assert world.force_level[centro] == 4.0
    assert (np.delete(world.force_level, centro) == 1.0).all()
    harsh = h.runs(scenario)
    routine = h.runs(h.toy())
    assert h.total(harsh, "homicides_by_police", "centro") > h.total(
        routine, "homicides_by_police", "centro"
    )


def test_a_posture_ends_on_its_date() -> None:
    short = posture(4.0, until=dt.date(2020, 7, 6))
    brief = h.runs(h.variant(schedule=h.decisions(add=(short,))))
    lasting = h.runs(h.variant(schedule=h.decisions(add=(posture(4.0),))))
    late = lambda e: e["date"] > "2021-01-01"  # noqa: E731
    assert h.events(brief, "homicide_by_police", where=late) < h.events(
        lasting, "homicide_by_police", where=late
    )
    assert len(brief[0].events.query("kind == 'use_of_force'")) == 1


def test_hold_fire_kills_nobody_in_routine_policing() -> None:
    calm = {"force.confrontation_rate": 0.0001}
    few = h.runs(h.variant({**calm}, schedule=h.decisions(add=(posture(0.0),))))
    assert h.total(few, "homicides_by_police") < h.total(h.runs(h.toy()), "homicides_by_police")


def test_switched_off_routine_policing_kills_less() -> None:
    off = h.runs(h.variant(engine=Engine(mechanisms_off=("force",))))
    assert h.total(off, "homicides_by_police") < h.total(h.runs(h.toy()), "homicides_by_police")


def units(**changes: dict[str, object]) -> list[dict[str, object]]:
    """The toy's force units, some changed (by id), plus any new ones (an id not there)."""
    out = []
    for u in h.toy().forces.units:
        data = u.model_dump(exclude_unset=True)
        out.append({**data, **changes.pop(u.id, {})})
    return out + [{"id": key, **value} for key, value in changes.items()]


def test_a_unit_that_opens_fire_readily_kills_more_where_it_stands() -> None:
    """A unit's own use_of_force (special forces, a troop deployment) multiplies the
    confrontations of its officers, where they stand."""
    facilities = [f.model_dump() for f in h.toy().forces.facilities]
    changed = units(pol_sur={"use_of_force": 4.0})
    harsh = h.variant(forces={"units": changed, "facilities": facilities})
    fired = h.total(h.runs(harsh), "homicides_by_police", place="barrio_sur")
    routine = h.total(h.runs(h.toy()), "homicides_by_police", place="barrio_sur")
    assert fired > 1.5 * routine
    before, after = (prepare(s, seed=0, scale=h.SCALE) for s in (h.toy(), harsh))
    sur = after.place_ids.index("barrio_sur")
    assert after.base_firing[sur] == 4 * before.base_firing[sur]
    others = np.arange(len(after.place_ids)) != sur
    assert (after.base_firing[others] == before.base_firing[others]).all()


def test_kinds_and_deployments_decide_who_patrols() -> None:
    """Police of every kind patrol; the army does only when deployed."""
    extra = {
        "mp": {"place": "loma", "unit": "military_police", "size": 50, "sources": ["synthetic"]},
        "sf": {"place": "loma", "unit": "special_forces", "size": 20, "sources": ["synthetic"]},
        "troops": {"place": "monte", "unit": "army", "size": 300, "posture": "deployment",
                   "use_of_force": 2.0, "sources": ["synthetic"]},
        "barracks": {"place": "monte", "unit": "army", "size": 900, "sources": ["synthetic"]},
    }  # fmt: skip
    forces = {"units": units(**extra),
              "facilities": [f.model_dump() for f in h.toy().forces.facilities]}  # fmt: skip
    before = prepare(h.toy(), seed=0, scale=h.SCALE)
    world = prepare(h.variant(forces=forces), seed=0, scale=h.SCALE)
    loma, monte = world.place_ids.index("loma"), world.place_ids.index("monte")
    assert world.base_police[loma] == before.base_police[loma] + 70
    assert world.base_police[monte] == before.base_police[monte] + 300
    assert world.base_firing[monte] == before.base_firing[monte] + 600


COLLAPSE = {
    "id": "economy",
    "driver": "economy",
    "unit": "test",
    "years": [2020, 2021, 2022],
    "values": [1.0, 0.3, 0.1],
    "sources": ["synthetic"],
}


def test_a_collapse_leaves_the_armed_less_to_fire_back_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Firing back costs money (the AP in Petare, 2019): where the bands' takings buy a
    third of the start's and less, an officer's risk in a confrontation falls, while the
    police kill about as many of those they meet. The same collapsed world is run with
    and without the firepower (paired seeds)."""
    deadly = {"force.officer_lethality": 0.05}  # the top of its range: enough deaths to count
    poor = h.variant(deadly, context=[COLLAPSE])
    world = prepare(poor, seed=0, scale=h.SCALE)
    for t in range(len(world.dates)):
        world.step = t
        step(world)
    members = world.members_at()
    exposed_at = members * force.shields(world)[:, None]
    exposed = exposed_at.sum(axis=0) + world.local
    fire = force.firepower(world, world.params, members, exposed_at, exposed)
    bands = world.local > 0
    assert (fire >= 0).all()
    assert (fire <= 1).all()
    assert fire[bands].min() < 0.5  # mostly band members, with a tenth of the start's loot
    world.economy = 1.0
    assert (force.firepower(world, world.params, members, exposed_at, exposed) > fire)[bands].all()
    lean = h.runs(poor)
    monkeypatch.setattr(force, "firepower", lambda world, *_: np.ones(world.n_places))
    armed = [simulate(poor, seed=0, replicate=r, scale=h.SCALE) for r in h.SEEDS]
    late = lambda e: e["date"] > "2021-01-01"  # noqa: E731
    # officers killed with no gang named: in confrontations (and raids, the same in both)
    assert h.events(lean, "official_killed", "", late) < 0.6 * h.events(
        armed, "official_killed", "", late
    )
    police = [h.events(r, "homicide_by_police", where=late) for r in (lean, armed)]
    assert abs(police[0] - police[1]) < 0.15 * police[1]


def test_unarmed_gang_members_do_not_fire_back() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    members = world.members_at()
    world.local[:] = 0
    exposed = members.sum(axis=0).astype(float)
    held = exposed > 0
    world.gangs.weapons[:] = 0.0
    assert (force.firepower(world, world.params, members, members, exposed)[held] == 0).all()
    world.gangs.weapons[:] = 1e9  # no more than one weapon a member counts
    assert (force.firepower(world, world.params, members, members, exposed)[held] == 1).all()


def test_officers_killed_this_week_already_are_not_killed_again() -> None:
    """Officers killed in confrontations are at most those on duty at the place, less
    those the gangs (M9) and raids killed that week already."""
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    policing.run(world, world.params, world.rng)
    world.params.force.confrontation_rate = 10.0  # every officer meets the armed
    world.params.force.officer_lethality = 1.0
    on_duty = np.floor(world.police)
    assert (on_duty > 1).sum() >= 2
    earlier = np.where(on_duty > 1, on_duty - 1, 0.0)  # all but one killed already
    world.count_all("officials_killed", earlier)
    force.run(world, world.params, world.rng)
    killed = world.tally["officials_killed"]
    assert (killed <= on_duty).all()
    assert (killed[on_duty > 1] == on_duty[on_duty > 1]).any()  # the one left was met

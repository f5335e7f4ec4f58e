"""M22 lethal policing: confrontations under the state's posture (paired seeds)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from peacezones.engine import prepare
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

"""Outcomes per place and step, and per gang and step, kept as arrays during a run."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .world import World

PLACE_COUNTS = (
    "homicides_gang_on_gang",
    "homicides_gang_on_civilian",
    "homicides_by_police",
    "homicides_other",
    "officials_killed",
    "arrests",
    "recruits",
    "displaced",
    "expelled",
    "extortion",
    "kidnapping",
    "highway_robbery",
    "crimes_outside",
    "aid_diverted",
    "pursuits_abandoned",
    "punishment_massacres",
    "facility_attacks",
    "repression_officers",
)
PLACE_STATES = ("controller", "governance", "police", "fear", "trust", "civilians", "in_zone")
GANG_STATES = ("members", "weapons", "treasury", "belief", "leader", "places_held", "alive")


@dataclass
class Recorder:
    """Fills one row per step of every outcome; turns them into a tidy table at the end."""

    steps: int
    places: int
    gangs: int
    place_values: dict[str, np.ndarray] = field(init=False)
    gang_values: dict[str, np.ndarray] = field(init=False)

    def __post_init__(self) -> None:
        shape = (self.steps, self.places)
        self.place_values = {n: np.zeros(shape) for n in (*PLACE_COUNTS, *PLACE_STATES)}
        self.gang_values = {n: np.zeros((self.steps, self.gangs)) for n in GANG_STATES}

    def record(self, world: World) -> None:
        t = world.step
        for name in PLACE_COUNTS:
            if name in world.tally:
                self.place_values[name][t] = world.tally[name]
        v = self.place_values
        v["controller"][t] = world.controller
        v["governance"][t] = world.governance
        v["police"][t] = world.police
        v["fear"][t] = world.fear
        v["trust"][t] = world.trust
        v["civilians"][t] = world.civilians
        v["in_zone"][t] = [world.active_zone(p) is not None for p in range(world.n_places)]
        g = self.gang_values
        g["members"][t] = world.members()
        g["weapons"][t] = world.gangs.weapons
        g["treasury"][t] = world.gangs.treasury
        g["belief"][t] = world.gangs.belief
        g["leader"][t] = world.gangs.leader
        g["places_held"][t] = np.bincount(
            world.controller[world.controller >= 0], minlength=self.gangs
        )
        g["alive"][t] = world.gangs.alive

    def frame(self, dates: list, place_ids: list[str], gang_ids: list[str]) -> pd.DataFrame:
        """A tidy table: date, place, gang, variable, value (place or gang left empty)."""
        parts = [_long(v, n, dates, place_ids, "place") for n, v in self.place_values.items()]
        parts += [_long(v, n, dates, gang_ids, "gang") for n, v in self.gang_values.items()]
        frame = pd.concat(parts, ignore_index=True)
        for column in ("place", "gang", "variable"):
            frame[column] = frame[column].astype("category")
        return frame


def _long(values: np.ndarray, name: str, dates: list, ids: list[str], axis: str) -> pd.DataFrame:
    steps, n = values.shape
    other = "gang" if axis == "place" else "place"
    return pd.DataFrame(
        {
            "date": np.repeat(np.asarray(dates, dtype="datetime64[D]"), n),
            axis: np.tile(np.asarray(ids, dtype=object), steps),
            other: "",
            "variable": name,
            "value": values.reshape(-1),
        }
    )

"""Outcomes per place and step, and per gang and step, kept as arrays during a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .world import Flow, World

if TYPE_CHECKING:
    import pyarrow as pa

PLACE_COUNTS = (
    "homicides_gang_on_gang",
    "homicides_gang_on_civilian",
    "homicides_by_local_groups",
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
    "local_recruits",
    "emigrants",
)
PLACE_STATES = (
    "controller",
    "gangs_present",
    "governance",
    "police",
    "fear",
    "trust",
    "civilians",
    "local_members",
    "in_zone",
)
GANG_STATES = (
    "members",
    "weapons",
    "treasury",
    "income",
    "belief",
    "leader",
    "places_held",
    "alive",
)
GANG_COUNTS = tuple(f"members_{flow.name.lower()}" for flow in Flow)
"""Members who joined or left each gang in a step, by how: the columns of
``Gangs.flows`` (:class:`.world.Flow`), in order (``members_joined``, ...)."""


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
        self.gang_values = {
            n: np.zeros((self.steps, self.gangs)) for n in (*GANG_STATES, *GANG_COUNTS)
        }

    def record(self, world: World) -> None:
        t = world.step
        for name in PLACE_COUNTS:
            if name in world.tally:
                self.place_values[name][t] = world.tally[name]
        v = self.place_values
        v["controller"][t] = world.controller
        v["gangs_present"][t] = (world.members_at() > 0).sum(axis=0)
        v["governance"][t] = world.governance
        v["police"][t] = world.police
        v["fear"][t] = world.fear
        v["trust"][t] = world.trust
        v["civilians"][t] = world.civilians
        v["local_members"][t] = world.local
        v["in_zone"][t] = world.in_zone()
        g = self.gang_values
        g["members"][t] = world.members()
        g["weapons"][t] = world.gangs.weapons
        g["treasury"][t] = world.gangs.treasury
        g["income"][t] = world.gangs.income
        g["belief"][t] = world.gangs.belief
        g["leader"][t] = world.gangs.leader
        g["places_held"][t] = np.bincount(
            world.controller[world.controller >= 0], minlength=self.gangs
        )
        g["alive"][t] = world.gangs.alive
        for flow, name in enumerate(GANG_COUNTS):
            g[name][t] = world.gangs.flows[:, flow]

    def table(self, dates: list, place_ids: list[str], gang_ids: list[str]) -> pa.Table:
        """A tidy table: date, place, gang, variable, value (place or gang left empty).
        A gang that was never alive (a slot for a faction or new gang, M21) has no rows.

        Place, gang and variable are dictionary-encoded (categories in pandas).
        """
        from . import arrow

        steps = self.steps
        names = [*self.place_values, *self.gang_values]
        # gangs that never lived (M21's unused slots) have no rows
        lived = np.flatnonzero(self.gang_values["alive"].max(axis=0) > 0)
        gang_ids = [gang_ids[g] for g in lived]
        blocks = [(v, 1) for v in self.place_values.values()]
        blocks += [(v[:, lived], 2) for v in self.gang_values.values()]
        day = np.asarray(dates, dtype="datetime64[s]")
        columns: dict[str, list[np.ndarray]] = {k: [] for k in ("date", "place", "gang", "var")}
        for number, (values, axis) in enumerate(blocks):
            n = values.shape[1]
            who = np.tile(np.arange(1, n + 1, dtype=np.int16), steps)
            nobody = np.zeros(steps * n, np.int16)
            columns["date"].append(np.repeat(day, n))
            columns["place"].append(who if axis == 1 else nobody)
            columns["gang"].append(who if axis == 2 else nobody)
            columns["var"].append(np.full(steps * n, number, np.int16))

        def coded(key: str, labels: list[str]) -> pa.DictionaryArray:
            return arrow.coded(np.concatenate(columns[key]), labels)

        return arrow.table(
            {
                "date": arrow.timestamps(np.concatenate(columns["date"])),
                "place": coded("place", ["", *place_ids]),
                "gang": coded("gang", ["", *gang_ids]),
                "variable": coded("var", names),
                "value": arrow.numbers(np.concatenate([v.reshape(-1) for v, _ in blocks])),
            }
        )

"""The simulation engine: world state, mechanisms M1-M17, events and outcomes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..scenario import Scenario
from ..scenario.schema import MIN_SCALE
from .actions import strength
from .mechanisms import conflict, local_groups
from .outcomes import Recorder
from .params import read_parameters
from .rng import run_generator
from .step import required_parameters, step
from .world import World, build_world

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["RunResult", "World", "prepare", "simulate"]


@dataclass
class RunResult:
    """One run: what went in (scenario, seed, scale) and what came out (series, events).

    The tables are built when first asked for, as Arrow tables (``series_table``,
    ``events_table``: what the results files hold) or pandas frames (``series``,
    ``events``), so that a run that only writes its files never loads pandas.
    """

    scenario: Scenario
    seed: int
    replicate: int
    scale: float
    world: World
    recorder: Recorder

    @cached_property
    def series_table(self) -> pa.Table:
        """Tidy outcomes: date, place, gang, variable, value."""
        w = self.world
        return self.recorder.table(w.dates, w.place_ids, w.gangs.ids)

    @cached_property
    def events_table(self) -> pa.Table:
        """Events: id, date, step, kind, place, actor, target, count, cause."""
        w = self.world
        return w.events.table(w.dates, w.place_ids, w.gangs.ids)

    @cached_property
    def series(self) -> pd.DataFrame:
        return self.series_table.to_pandas()

    @cached_property
    def events(self) -> pd.DataFrame:
        return self.events_table.to_pandas()


def _initial_control(world: World) -> None:
    """Who holds each place on the first day, before anything happens."""
    world.police = world.base_police * world.patrol_level
    world.firing = world.base_firing * world.patrol_level
    conflict.settle_control(
        world, strength(world, world.members_at()), world.params, announce=False
    )
    world.ruler = world.controller.clip(min=-1).astype("int64")


def prepare(
    scenario: Scenario, seed: int = 0, scale: float | None = None, replicate: int = 0
) -> World:
    """The world on the scenario's first day, ready to step."""
    scale = scenario.meta.default_scale if scale is None else scale
    if not MIN_SCALE <= scale <= 1:
        raise ValueError(f"scale must be in [{MIN_SCALE:g}, 1], not {scale!r}")
    params = read_parameters(scenario, required_parameters())
    world = build_world(scenario, params, run_generator(seed, replicate), scale)
    _initial_control(world)
    if "local_groups" not in world.off:
        local_groups.seed(world, params)
    return world


def simulate(
    scenario: Scenario,
    seed: int = 0,
    scale: float | None = None,
    replicate: int = 0,
    on_step: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Run ``scenario`` from its start to its end.

    ``seed`` and ``replicate`` pick the random stream (replicate i of seed s is the same
    under every policy); ``scale`` is records per person (default: the scenario's).
    ``on_step(done, total)`` is called after each step, for progress bars.
    """
    world = prepare(scenario, seed, scale, replicate)
    recorder = Recorder(len(world.dates), world.n_places, len(world.gangs))
    for t in range(len(world.dates)):
        world.step = t
        step(world)
        recorder.record(world)
        if on_step is not None:
            on_step(t + 1, len(world.dates))
    return RunResult(
        scenario=scenario,
        seed=seed,
        replicate=replicate,
        scale=world.scale,
        world=world,
        recorder=recorder,
    )

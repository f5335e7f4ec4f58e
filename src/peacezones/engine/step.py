"""One step of the model: the mechanisms in order, as docs/ODD.md lists them."""

from __future__ import annotations

from types import ModuleType

from . import raids
from .mechanisms import (
    collusion,
    conflict,
    context,
    crackdown,
    doctrine,
    economy,
    expansion,
    factions,
    force,
    governance,
    impunity,
    jail,
    leaders,
    local_groups,
    pact,
    pax,
    policing,
    politics,
    recruitment,
    residents,
    retaliation,
    schedule,
    spillover,
    terrain,
)
from .world import World

ORDER: tuple[ModuleType, ...] = (
    schedule,  # the state's dated decisions
    context,  # M19 emigration, the economy and hardship, from the scenario's series
    policing,  # officers present, after zones (M1) and operations
    pact,  # M1 aid to the zones' gangs; monitoring
    economy,  # M3 revenue, wages, bribes (M13), weapons
    recruitment,  # M4 joining and leaving
    governance,  # M5 rules, compliance, expulsions
    spillover,  # M6 crimes outside, with pursuits (M2)
    expansion,  # M7 takeovers and alliances
    conflict,  # M8 clashes and control
    local_groups,  # M18 the local armed groups of each place
    pax,  # M9 officials killed; the pact's gang punishes
    retaliation,  # M10 facility attacks; targeted operations and offensives
    crackdown,  # M11 crackdown and occupation raids
    force,  # M22 routine confrontations under the state's posture
    jail,  # M23 the jailed are let out; gang members go back to their gang
    leaders,  # M15 succession, return of leaders and members
    factions,  # M21 contested successions split gangs; local bands found new gangs
    residents,  # M16 residual violence, fear, flight, trust
    doctrine,  # M17 the state weighs this step's offences and responds
)
"""Mechanisms that act each step. M2, M12, M13 and M14 shape the others and so have no
step of their own: impunity (pursuits), politics (raids), collusion (arrests, bribes) and
terrain (escapes)."""

MODIFIERS: tuple[ModuleType, ...] = (impunity, politics, collusion, terrain)
ALL: tuple[ModuleType, ...] = (*ORDER, *MODIFIERS, raids)
BY_NAME: dict[str, ModuleType] = {m.__name__.rsplit(".", 1)[-1]: m for m in (*ORDER, *MODIFIERS)}
"""Every mechanism by the name that ``[engine] mechanisms_off`` uses."""


def required_parameters() -> dict[str, tuple[str, ...]]:
    """Every parameter the mechanisms read, by group."""
    needed: dict[str, tuple[str, ...]] = {"demography": DEMOGRAPHY, "decisions": DECISIONS}
    for module in ALL:
        for group, names in module.PARAMETERS.items():
            needed[group] = needed.get(group, ()) + tuple(names)
    return needed


def _name(module: ModuleType) -> str:
    return module.__name__.rsplit(".", 1)[-1]


DEMOGRAPHY = (
    "youth_share",
    "child_share",
    "elder_share",
    "hardship_share",
    "background_homicide_rate",
)


DECISIONS = ("temperature",)
"""M20: the temperature of every gang's logit choice (:mod:`.choice`)."""


def step(world: World) -> None:
    """Advance the world by one step."""
    world.tally = {}
    world.gangs.income[:] = 0.0  # this step's takings (M3, M6)
    world.gangs.flows[:] = 0.0  # this step's members in and out
    world.events.now = world.step
    world.step_events = len(world.events.step)
    for mechanism in ORDER:
        if world.off and _name(mechanism) in world.off:
            continue
        mechanism.run(world, world.params, world.rng)
    raids.expire(world)

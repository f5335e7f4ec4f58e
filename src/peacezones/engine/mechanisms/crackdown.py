"""M11 Crackdown regimes: lethal raids on poor neighbourhoods, and repression by violence.

Seed 001: the OLP was "an anti-crime policy that saw criminals exterminated in poor
neighborhoods". A crackdown (scheduled by the state) raids its places each week: members
and residents are killed and jailed, which costs the state the residents' trust (M16). An
occupation with proximity policing stays, arrests, and rebuilds trust. Under repression
conditioned on violence (a lever of the scenario format) the state sends officers each week
against each gang in proportion to the killings it remembers the gang for; that memory
fades by `crackdown.memory_decay` a week (the pact's monitors read it too, M1).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ...scenario.schema import Targeting
from ..raids import raid
from ..world import Operation, OpKind, World
from . import politics, retaliation

PARAMETERS = {"crackdown": ("proximity_trust", "memory_decay")}


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    _repress(world, p)
    _campaigns(world, p)
    world.gangs.homicides *= 1.0 - p.crackdown.memory_decay


def _repress(world: World, p: SimpleNamespace) -> None:
    """Officers in proportion to each gang's remembered killings, where it is."""
    if world.repression is None or world.step >= world.repression[1]:
        return
    per_killing = world.repression[0]
    members_at = world.members_at()
    for gang in np.flatnonzero(world.gangs.alive & (world.gangs.homicides > 0)):
        officers = per_killing * world.gangs.homicides[gang] * politics.raid_factor(world, gang)
        places = np.flatnonzero(members_at[gang] > 0)
        if officers <= 0 or places.size == 0:
            continue
        op = Operation(
            OpKind.CRACKDOWN,
            places,
            officers,
            1,
            p.retaliation.lethality,
            target=int(gang),
            targeting=Targeting.VIOLENT_GANGS,
        )
        raid(world, op, p)
        world.count("repression_officers", places, officers / places.size)


def _campaigns(world: World, p: SimpleNamespace) -> None:
    """Scheduled crackdowns and occupations, each as its targeting says."""
    for op in world.operations:
        if op.kind not in (OpKind.CRACKDOWN, OpKind.OCCUPATION):
            continue
        if op.target >= 0 or op.targeting == Targeting.AREA:
            raid(world, op, p)
        else:
            _aimed(world, op, p)
        if op.proximity:
            world.trust[op.places] += p.crackdown.proximity_trust * (1.0 - world.trust[op.places])


def _aimed(world: World, op: Operation, p: SimpleNamespace) -> None:
    """A crackdown aimed at some of the gangs at its places, not at the residents: at the
    gangs by the killings the state remembers them for (``violent_gangs``), or at every gang
    led in person there, hunting its leader (``leaders``). Its officers are shared among
    the gangs aimed at; where there are none, they only patrol."""
    g = world.gangs
    present = (world.members_at()[:, op.places] > 0).any(axis=1) & g.alive
    if op.targeting == Targeting.VIOLENT_GANGS:
        weight = np.where(present, g.homicides, 0.0)
    else:
        weight = (present & (g.leader == 0)).astype(float)
    if weight.sum() <= 0:
        return
    for gang in np.flatnonzero(weight > 0):
        share = op.officers * weight[gang] / weight.sum()
        aimed = Operation(
            op.kind, op.places, share, 1, op.lethality, target=int(gang),
            targeting=op.targeting, cause=op.cause, event=op.event,
            manhunt=op.targeting == Targeting.LEADERS,
        )  # fmt: skip
        raid(world, aimed, p)
        if op.targeting == Targeting.LEADERS:
            retaliation.hunt_leader(world, aimed, p, world.rng)

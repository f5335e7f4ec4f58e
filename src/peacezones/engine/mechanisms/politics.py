"""M12 Political protection: a gang that renders political services is raided less.

Seed 000: the regime "seems uninterested in intervening" in San Vicente, "mostly because
Tren de Aragua regularly targets opposition candidates". Two channels, each operation
touched by one: area raids and routine confrontations hit the gang's members with
``1 - politics.protection`` of the force (``raid_factor``); the doctrine's answers aimed at
the gang are decisions, in which the state weighs ``politics.value`` (what it would lose
of the gang's services, in log-odds) against the offence (M17). The gang keeps its side
of the bargain while the state keeps its own: it holds back from killing officials as
the only party of a pact that spares them would (M9, ``bound``), unless an operation is
aimed at it.
"""

from __future__ import annotations

import numpy as np

from ..world import World

PARAMETERS = {"politics": ("protection", "value")}


def raid_factor(world: World, gang: int) -> float:
    """Multiplier on the force the state sends against the gang (1 when switched off)."""
    if "politics" in world.off:
        return 1.0
    return 1.0 - world.params.politics.protection if world.gangs.political[gang] else 1.0


def bound(world: World) -> np.ndarray:
    """Per gang, whether a tacit bargain with the regime binds it as a pact that spares
    officials binds a party that is the whole pact (M9): killing officials would risk the
    protection its services buy. The bargain is off while an operation aimed at the gang
    is under way: the state has not kept its side (all False when switched off)."""
    if "politics" in world.off:
        return np.zeros(len(world.gangs), bool)
    return world.gangs.political.astype(bool) & ~world.hunted()


def value(world: World, gang: int) -> float:
    """What striking the gang would cost the state in its services, in log-odds (0 when
    the gang renders none, or when switched off)."""
    if "politics" in world.off or not world.gangs.political[gang]:
        return 0.0
    return float(world.params.politics.value)

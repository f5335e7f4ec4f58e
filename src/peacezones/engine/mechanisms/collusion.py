"""M13 Collusion: gangs with ties to local forces buy impunity from arrests and raids.

Seed 000: the 300 "has close contacts with local security forces, guaranteeing their
impunity".
"""

from __future__ import annotations

from ..world import World

PARAMETERS = {"collusion": ("impunity", "bribe_share")}


def arrest_factor(world: World, gang: int) -> float:
    """Multiplier on arrests of the gang's members: lower with ties, as far as tolerated."""
    if not world.gangs.ties[gang]:
        return 1.0
    home = int(world.gangs.home[gang])
    shield = world.params.collusion.impunity * world.corruptibility[home]
    return 1.0 - shield * world.collusion_tolerance


def bribes(world: World, gang: int, revenue: float) -> float:
    """What the gang pays each week to keep its ties (a share of its revenue)."""
    return world.params.collusion.bribe_share * revenue if world.gangs.ties[gang] else 0.0

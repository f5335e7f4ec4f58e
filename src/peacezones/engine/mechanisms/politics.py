"""M12 Political protection: a gang that renders political services is raided less.

Seed 000: the regime "seems uninterested in intervening" in San Vicente, "mostly because
Tren de Aragua regularly targets opposition candidates".
"""

from __future__ import annotations

from ..world import World

PARAMETERS = {"politics": ("protection",)}


def raid_factor(world: World, gang: int) -> float:
    """Multiplier on the force the state sends against the gang (1 when switched off)."""
    if "politics" in world.off:
        return 1.0
    return 1.0 - world.params.politics.protection if world.gangs.political[gang] else 1.0

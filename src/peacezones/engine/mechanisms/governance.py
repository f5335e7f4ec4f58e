"""M5 Criminal governance: a gang that holds a place sets rules, sanctions, expels.

Seed 000, San Vicente: Tren de Aragua's foundation "offers bags of food and supplies to
locals but only if they meet certain conditions"; the gang decides "minor details" of
daily life; "rulebreakers were often forced to move away from the neighborhood".
Governance grows where a gang holds a place uncontested and police are absent, faster
with conditional aid; it wanes elsewhere. It raises extortion compliance (M3).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..actions import harm_civilians, poisson
from ..events import Kind
from ..population import Status
from ..world import World
from .economy import suppression

PARAMETERS = {"governance": ("gain", "aid_bonus", "decay", "expulsion_rate")}


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    gv = p.governance
    held = world.controller >= 0
    gang = np.where(held, world.controller, 0)
    bonus = 1.0 + gv.aid_bonus * (world.gangs.aid_line[gang] & held)
    free = suppression(world, p)
    grow = gv.gain * bonus * free * (1.0 - world.governance)
    world.governance = np.where(held, world.governance + grow, world.governance * (1 - gv.decay))
    expelled = poisson(world, world.civilians * gv.expulsion_rate * world.governance * held)
    done = harm_civilians(world, expelled, Status.DISPLACED)
    place = np.flatnonzero(done)
    world.events.add_many(Kind.EXPULSION, place, world.controller[place], done[place])
    world.count_all("displaced", done)
    world.count_all("expelled", done)

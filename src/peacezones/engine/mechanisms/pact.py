"""M1 Peace-zone pact: police suspended, aid to the zone's gangs, weak monitoring.

Seed 000: the zones "were supposed to suspend police operations and provide aid to gangs
... as long as these laid down their weapons, helped maintain peace and ceased any illegal
activities"; monitoring was lax and aid meant for residents went to the gangs.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..events import Kind
from ..world import World, Zone
from .schedule import close_zone

PARAMETERS = {"pact": ("aid_diversion_share", "breach_killings")}


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    members_at = world.members_at()
    for zone in world.zones:
        if not zone.active:
            continue
        parties = zone.parties[world.gangs.alive[zone.parties]]
        _hand_out_aid(world, zone, parties, members_at, p)
        if parties.size and rng.random() < zone.monitoring:
            _inspect(world, zone, parties, p)
    _truce_aid(world, members_at)


def _truce_aid(world: World, members_at: np.ndarray) -> None:
    """A state-brokered truce's concessions: its aid is paid to its gangs while it holds,
    in proportion to their members."""
    for gangs, until, aid in world.truces:
        if until <= world.step or aid <= 0:
            continue
        party = np.array(sorted(gangs))
        party = party[world.gangs.alive[party]]
        size = members_at[party].sum(axis=1).astype(float)
        if size.sum() > 0:
            world.gangs.treasury[party] += aid * size / size.sum()


def _hand_out_aid(
    world: World, zone: Zone, parties: np.ndarray, members_at: np.ndarray, p: SimpleNamespace
) -> None:
    """Aid is shared by the pact's gangs in proportion to their members; most is diverted."""
    if zone.aid_per_week <= 0 or parties.size == 0:
        return
    size = members_at[parties].sum(axis=1).astype(float)
    if size.sum() <= 0:
        return
    share = zone.aid_per_week * p.pact.aid_diversion_share * size / size.sum()
    world.gangs.treasury[parties] += share
    homes = world.gangs.home[parties]
    world.count("aid_diverted", homes, share)
    world.events.add_many(Kind.AID_DIVERTED, homes, parties, share)


def _inspect(world: World, zone: Zone, parties: np.ndarray, p: SimpleNamespace) -> None:
    """A check that sees a breach when a pact gang kept killing; the terms say the sanction."""
    breaching = parties[world.gangs.homicides[parties] > p.pact.breach_killings]
    for gang in breaching:
        event = world.events.add(Kind.PACT_BREACH_SEEN, int(zone.places[0]), int(gang))
        if zone.sanction == "suspend_aid":
            zone.aid_per_week = 0.0
        elif zone.sanction == "end_zone":
            close_zone(world, zone, event)
            return

"""M1 Peace-zone pact: police suspended, aid to the zone's gangs, weak monitoring.

Seed 000: the zones "were supposed to suspend police operations and provide aid to gangs
... as long as these laid down their weapons, helped maintain peace and ceased any illegal
activities"; monitoring was lax and aid meant for residents went to the gangs.

Each week each party to a pact weighs each of its conditions (M20, :mod:`..choice`):
keeping ``lay_down_weapons`` costs it the weapons it would buy, ``keep_peace`` and
``stop_illegal_activity`` the takings its violence and its business bring; breaking one
risks what the pact is worth to it (its share of the aid, and the takings that the
suspended police would otherwise suppress) for ``horizon_weeks``, if a check sees the
breach (``monitoring``) and the terms punish it (``sanction``). The log of that expected
loss over the gain, plus ``good_faith`` times the gang's stake in the deal (its share of
the pact's members in the zone), is the log-odds of keeping. Under weak monitoring and no
sanction nothing is risked and the conditions are broken. The engine reads what each gang
keeps: no weapons bought (M3), no takings from drugs, extortion or predation (M3) nor
crimes outside (M6), no pushes (M7), no clashes started (M8). ``spare_officials`` is
weighed in M9, by the same stake.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ...scenario.schema import Condition
from .. import choice
from ..events import Kind
from ..world import CONDITIONS, World, Zone
from .schedule import close_zone

PARAMETERS = {"pact": ("aid_diversion_share", "breach_killings", "horizon_weeks", "good_faith")}

WEIGHED = tuple(
    CONDITIONS.index(c)
    for c in (Condition.LAY_DOWN_WEAPONS, Condition.KEEP_PEACE, Condition.STOP_ILLEGAL_ACTIVITY)
)
"""The conditions weighed here, as columns of ``Gangs.keeps``."""
WEAPONS, PEACE, LEGAL = WEIGHED


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    members_at = world.members_at()
    world.gangs.keeps[:] = False
    parties = np.flatnonzero((world.pact >= 0) & world.gangs.alive)
    if parties.size:
        _weigh(world, parties, members_at, p, rng)
    for zone in world.zones:
        if not zone.active:
            continue
        parties = zone.parties[world.gangs.alive[zone.parties]]
        _hand_out_aid(world, zone, parties, members_at, p)
        if parties.size and rng.random() < zone.monitoring:
            _inspect(world, zone, parties, p)
    _truce_aid(world, members_at)


def stake(members_at: np.ndarray, zone: Zone, parties: np.ndarray) -> np.ndarray:
    """Each party's share of the pact's members in the zone: whose deal it is."""
    size = members_at[parties][:, zone.places].sum(axis=1).astype(float)
    return size / size.sum() if size.sum() > 0 else np.full(parties.size, 1.0 / parties.size)


def _per_zone(values: np.ndarray, zone: np.ndarray, zones: int) -> np.ndarray:
    """Each party's ``values`` over the sum of its zone's parties' (an even split where
    that sum is 0)."""
    total = np.bincount(zone, values, minlength=zones)[zone]
    parties = np.bincount(zone, minlength=zones)[zone]
    return np.divide(values, total, out=1.0 / parties, where=total > 0)


def value(
    world: World, parties: np.ndarray, members_at: np.ndarray, p: SimpleNamespace
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For gangs party to a pact: what it brings each a week (its share of the aid, and
    that plus the takings that the suspended police would otherwise suppress in the zone),
    and each one's stake in it (its share of the pact's members in the zone)."""
    zones = world.zones
    z = world.pact[parties]
    mask = np.zeros((len(zones), world.n_places))
    for i, zone in enumerate(zones):
        mask[i, zone.places] = 1.0
    mine = members_at[parties].astype(float)
    members, in_zone = mine.sum(axis=1), (mine * mask[z]).sum(axis=1)
    aid_per_week = np.array([zone.aid_per_week for zone in zones])[z]
    aid = aid_per_week * p.pact.aid_diversion_share * _per_zone(members, z, len(zones))
    density = (mask @ world.base_police) / np.maximum(mask @ world.watched, 1e-9)
    suspended = np.array([zone.suspend_police for zone in zones])
    shielded = np.where(suspended, 1.0 - np.exp(-p.economy.police_suppression * density), 0.0)
    kept = np.divide(in_zone, members, out=np.zeros(len(parties)), where=members > 0)
    worth = aid + world.gangs.revenue[parties] * kept * shielded[z]
    return aid, worth, _per_zone(in_zone, z, len(zones))


def _weigh(
    world: World,
    parties: np.ndarray,
    members_at: np.ndarray,
    p: SimpleNamespace,
    rng: np.random.Generator,
) -> None:
    """Each party decides, condition by condition, whether to keep its pact this week."""
    g, zones = world.gangs, world.zones
    z = world.pact[parties]
    aid, worth, share = value(world, parties, members_at, p)
    sanction = np.array([zone.sanction for zone in zones])[z]
    lost = np.select([sanction == "end_zone", sanction == "suspend_aid"], [worth, aid], 0.0)
    monitoring = np.array([zone.monitoring for zone in zones])[z]
    risk = monitoring * p.pact.horizon_weeks * lost
    gain = np.stack([g.arming[parties], g.revenue[parties], g.revenue[parties]], axis=1)
    utility = choice.log_ratio(risk[:, None], gain) + p.pact.good_faith * share[:, None]
    conditions = np.array([zone.conditions for zone in zones])[z][:, list(WEIGHED)]
    keep = choice.yes(utility, p.decisions.temperature, rng) & conditions
    g.keeps[np.ix_(parties, WEIGHED)] = keep


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
    """A check sees the conditions each party broke where the breach shows: weapons bought,
    takings made, killings above ``breach_killings``; the terms say the sanction."""
    g = world.gangs
    broke = zone.conditions[list(WEIGHED)][None, :] & ~g.keeps[np.ix_(parties, WEIGHED)]
    shows = np.stack(
        [
            g.arming[parties] > 0,
            g.homicides[parties] > p.pact.breach_killings,
            g.revenue[parties] > 0,  # takings made, by a gang that did not stop
        ],
        axis=1,
    )
    seen = (broke & shows).sum(axis=1)
    for gang, count in zip(parties[seen > 0], seen[seen > 0], strict=True):
        event = world.events.add(
            Kind.PACT_BREACH_SEEN, int(zone.places[0]), int(gang), count=int(count)
        )
        if zone.sanction == "suspend_aid":
            zone.aid_per_week = 0.0
        elif zone.sanction == "end_zone":
            close_zone(world, zone, event)
            return

"""M3 Illicit economy: drug hubs, extortion, highway predation; wages, bribes, weapons.

Seed 000: Cota 905 became "Caracas's drug trafficking hub, with consumers driving in from
across the city or his own envoys delivering packages to wealthier neighborhoods"; along
the Troncal 9 "an absence of police saw a number of gangs target passenger and cargo
vehicles ... Extortion attempts, kidnappings and homicides all rose". Aid diverted
through fronts is paid in :mod:`.pact`.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ...scenario.schema import Condition, PlaceKind
from ..actions import cells, poisson
from ..events import Kind
from ..rng import binomial
from ..world import World
from . import collusion, context, policing

PARAMETERS = {
    "economy": (
        "police_suppression",
        "drug_revenue_per_member",
        "drug_spend_per_resident",
        "drug_reach_hours",
        "extortion_incidence",
        "extortion_payment",
        "extortion_floor",
        "highway_incident_rate",
        "highway_crew",
        "loot_per_incident",
        "kidnap_share",
        "ransom",
        "highway_lethality",
        "wage_per_member",
        "reserve_weeks",
        "weapon_spend_share",
        "weapon_price",
    )
}

HIGHWAY = list(PlaceKind).index(PlaceKind.HIGHWAY)
MARKET_BOUND = 1e12
"""Buyers' spend per unit offered past which a place's sellers sell all they offer (to
the last digit: 1 - 1/(2m)), and at which it is held so that it stays finite."""


def suppression(world: World, p: SimpleNamespace) -> np.ndarray:
    """How much of a place's illicit business survives its police presence (0 to 1)."""
    return np.exp(-p.economy.police_suppression * policing.per_thousand(world))


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    members_at = world.members_at().copy()
    members = members_at.sum(axis=1)
    members_at[world.keeping(Condition.STOP_ILLEGAL_ACTIVITY)] = 0  # a pact kept (M1)
    free = suppression(world, p)
    revenue = _drugs(world, members_at, free, p) + _extortion(world, free, p, rng)
    revenue += _highways(world, members_at, free, p, rng)
    revenue *= context.loot(world, p)  # M19: takings move with the economy
    world.gangs.income += revenue  # crimes outside add theirs (M6)
    _pay(world, members, revenue, p)


def _drugs(
    world: World, members_at: np.ndarray, free: np.ndarray, p: SimpleNamespace
) -> np.ndarray:
    """Retail sales by members, where police let them sell, up to what buyers spend.

    What a gang's members at a place could sell (``drug_revenue_per_member`` each, less
    what police presence stops) meets the buyers within ``drug_reach_hours`` of it: the
    residents of each place spend ``drug_spend_per_resident`` and share it among the
    sellers they can reach, in proportion to what each offers (a hub draws buyers from
    the whole city). A place's sellers sell the smaller of what they offer and what the
    buyers bring them, smoothly: few sellers sell all they can, many share a market that
    no more of them can grow.
    """
    e = p.economy
    offer = members_at * free * (e.drug_revenue_per_member * world.gangs.drug)[:, None]
    at = offer.sum(axis=0)  # what the sellers of each place offer
    reach = world.within(e.drug_reach_hours)
    reachable = reach @ at  # what the buyers of each place can find
    spend = world.civilians * e.drug_spend_per_resident
    per_offer = np.divide(spend, reachable, out=np.zeros_like(at), where=reachable > 0)
    # buyers' spend a place's sellers draw, per unit offered; bounded, so that an offer
    # all but stopped by police (a few cents) cannot overflow it
    market = np.minimum(reach @ per_offer, MARKET_BOUND)
    # the share of its offer a place sells: the smooth minimum of 1 and the market,
    # m (1 - exp(-1/m)), which is m for a small market, 0.63 where buyers bring as much
    # as is offered (m = 1), 0.89 at m = 4 and near 1 for a large one
    inverse = np.divide(1.0, market, out=np.zeros_like(at), where=market > 0)
    sold = np.where(market > 0, -market * np.expm1(-inverse), 0.0)
    return offer @ sold


def _extortion(
    world: World, free: np.ndarray, p: SimpleNamespace, rng: np.random.Generator
) -> np.ndarray:
    """Residents and businesses pay the gang that controls their place."""
    e = p.economy
    held = np.flatnonzero(world.controller >= 0)
    gang = world.controller[held]
    racket = world.gangs.extortion[gang] & ~world.keeping(Condition.STOP_ILLEGAL_ACTIVITY)[gang]
    held, gang = held[racket], gang[racket]
    compliance = e.extortion_floor + (1.0 - e.extortion_floor) * world.governance[held]
    cases = poisson(world, world.civilians[held] * e.extortion_incidence * compliance * free[held])
    paid = cases > 0
    world.count("extortion", held[paid], cases[paid])
    world.events.add_many(Kind.EXTORTION, held[paid], gang[paid], cases[paid])
    return np.bincount(gang, cases * e.extortion_payment, minlength=len(world.gangs))


def _highways(
    world: World,
    members_at: np.ndarray,
    free: np.ndarray,
    p: SimpleNamespace,
    rng: np.random.Generator,
) -> np.ndarray:
    """Robbery and kidnapping of travellers on corridors near the gangs that prey on them."""
    e = p.economy
    roads = np.flatnonzero(world.kind == HIGHWAY)
    preying = world.gangs.highway * world.gangs.alive
    # G x roads: members at or next to each corridor (a sparse sum over the edges)
    around = world.neighbour_sums(members_at, roads) + members_at[:, roads]
    crews = around * preying[:, None]
    total = crews.sum(axis=0)
    reach = np.minimum(1.0, total / e.highway_crew)
    mean = world.traffic[roads] * e.highway_incident_rate * reach * free[roads]
    incidents = poisson(world, mean)
    hit = np.flatnonzero(incidents)
    if hit.size == 0:
        return np.zeros(len(world.gangs))
    by_gang = rng.multinomial(incidents[hit], (crews[:, hit] / total[hit]).T).T  # G x hit
    return _incidents(world, roads[hit], by_gang, p, rng)


def _incidents(
    world: World, roads: np.ndarray, n: np.ndarray, p: SimpleNamespace, rng: np.random.Generator
) -> np.ndarray:
    """Split each gang's incidents on each corridor (``n``: gangs x ``roads``) into
    robberies, kidnappings and killings; what each gang takes."""
    e, g = p.economy, world.gangs
    kidnaps = binomial(rng, n, e.kidnap_share) * g.kidnapping[:, None]
    killed = binomial(rng, n, e.highway_lethality)
    robbed = n - kidnaps
    for kind, tally, counts in (
        (Kind.HIGHWAY_ROBBERY, "highway_robbery", robbed),
        (Kind.KIDNAPPING, "kidnapping", kidnaps),
        # travellers, not residents of the corridor: counted, not taken from a place
        (Kind.HOMICIDE_GANG_ON_CIVILIAN, "homicides_gang_on_civilian", killed),
    ):
        gang, road = cells(counts)
        if gang.size:
            world.events.add_many(kind, roads[road], gang, counts[gang, road])
            world.count(tally, roads, counts.sum(axis=0))
    g.homicides += killed.sum(axis=1)
    return (robbed * e.loot_per_incident + kidnaps * e.ransom).sum(axis=1)


def _pay(world: World, members: np.ndarray, revenue: np.ndarray, p: SimpleNamespace) -> None:
    """Wages and bribes first; then a share of what is left above a reserve is spent: on
    weapons up to one for each member (M21: arms are bought, and no gang hoards more than
    its members can carry), the rest on everything else a gang spends on. A gang that
    keeps a pact's ``lay_down_weapons`` buys no weapons (M1)."""
    g, e = world.gangs, p.economy
    bribes = collusion.bribes(world, revenue)
    # what a gang takes from its business; one that keeps a pact's ban on crime remembers
    # what it last took, the gain it forgoes (M1)
    takes = ~world.keeping(Condition.STOP_ILLEGAL_ACTIVITY)
    g.revenue[takes] = revenue[takes]
    wages = members * e.wage_per_member
    g.treasury += revenue - bribes - wages
    # the share of the week's wages it could not pay: members leave in proportion (M4)
    short = np.minimum(np.maximum(-g.treasury, 0.0), wages)
    g.unpaid = np.divide(short, wages, out=np.zeros(len(g)), where=wages > 0)
    g.treasury = np.maximum(g.treasury, 0.0)
    g.weapons = np.minimum(g.weapons, members)  # weapons go with the dead and the jailed
    reserve = wages * e.reserve_weeks
    spend = np.maximum(g.treasury - reserve, 0.0) * e.weapon_spend_share
    room = np.maximum(members - g.weapons, 0.0)  # no more weapons than members
    arms = np.minimum(spend / e.weapon_price, room)
    g.arming[:] = arms * e.weapon_price
    arms = np.where(world.keeping(Condition.LAY_DOWN_WEAPONS), 0.0, arms)
    g.weapons += arms
    g.treasury -= spend  # what buys no weapon goes on the rest of a gang's spending

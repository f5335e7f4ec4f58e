"""M4 Recruitment: the young in hardship join gangs that are rich and safe to join.

Seed 000: the lack of police intervention let the gangs "recruit more members". Members
bring in recruits from among the young in hardship of the places where they are: the
rate per member rises with the gang's wealth per member, falls with the risk of joining
(police present, fear of violence), and thins out where few young people in hardship are
left. Members leave at a steady rate, faster when the gang cannot pay them.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..actions import cells, poisson, set_status, take_by_gang
from ..events import Kind
from ..population import Status
from ..world import Flow, World
from . import policing, residents

PARAMETERS = {
    "recruitment": (
        "base_rate",
        "pool_half",
        "wealth_effect",
        "risk_effect",
        "exit_rate",
        "unpaid_exit_rate",
    )
}


def appeal(world: World, p: SimpleNamespace) -> np.ndarray:
    """How attractive each gang is: wealth per member against a year of wages."""
    g, r = world.gangs, p.recruitment
    members = np.maximum(world.members(), 1)
    wealth = g.treasury / (members * p.economy.wage_per_member * 52.0)
    return (1.0 + r.wealth_effect * wealth / (1.0 + wealth)) * g.alive


def risk(world: World, p: SimpleNamespace) -> np.ndarray:
    """Deterrence at each place: police per 1,000 and recent fear of violence."""
    return np.exp(-p.recruitment.risk_effect * (policing.per_thousand(world) + world.fear))


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    r = p.recruitment
    members_at = world.members_at()
    pool = world.recruitable_people / (world.recruitable_people + r.pool_half)
    per_member = r.base_rate * risk(world, p) * pool * residents.joining(world, p)  # M16
    gang, place = cells(members_at)  # recruits come where a gang's members are
    joins = np.zeros_like(members_at)
    joins[gang, place] = poisson(
        world, appeal(world, p)[gang] * members_at[gang, place] * per_member[place]
    )
    done = take_by_gang(world, joins, world.recruitable, Status.MEMBER)
    world.count_all("recruits", done.sum(axis=0))
    gang, place = cells(done)
    world.events.add_many(Kind.RECRUITMENT, place, gang, done[gang, place])
    _exits(world, p, rng)


def _exits(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    """Members quit; a gang that cannot pay them loses more, in proportion to the share of
    its wages left unpaid."""
    r = p.recruitment
    rate = r.exit_rate + r.unpaid_exit_rate * world.gangs.unpaid
    rows, gangs, places = world.member_index()
    draw = rng.random(len(rows))
    leaving = draw < rate[gangs]
    if not leaving.any():
        return
    # those who would have stayed had the gang paid them (the draw above the steady rate)
    unpaid = np.bincount(gangs[leaving & (draw >= r.exit_rate)], minlength=len(world.gangs))
    world.gangs.flows[:, Flow.DESERTED] -= unpaid
    world.gangs.flows[:, Flow.UNPAID] += unpaid
    quits = np.bincount(
        gangs[leaving] * world.n_places + places[leaving],
        minlength=len(world.gangs) * world.n_places,
    )
    set_status(world, rows[leaving], Status.CIVILIAN)
    flat = np.flatnonzero(quits)
    world.events.add_many(
        Kind.DESERTION, flat % world.n_places, flat // world.n_places, quits[flat]
    )

"""M7 Expansion: gangs weigh neighbouring places and push into them; alliances.

Seed 000: in late 2020 Koki "launched a takeover of La Vega ... He may have hoped that the
impunity granted him inside his Peace Zone would be automatically extended"; earlier he
"allied himself with the Loco Leo gang which gave El Koki de facto control over the
nearby districts". Each gang holds a belief that the state will let an expansion pass;
inside a zone that goes unpunished the belief grows; each state operation sent against
the gang cuts it, and so does each loss of members to the state (raids, routine
confrontations: :func:`..actions.aggrieve`). Each week a gang led in person may weigh a
push (``attempt_rate``); it then chooses by a logit (M20, :mod:`..choice`) between
staying put and each neighbouring place that it and its allies do not hold, weighing the
odds of winning (its committed strength over the resistance it expects: rival gangs,
local bands, and police times the response it expects), the place's market (its
residents or travellers, against its home's) and the hours of travel from the nearest
place where it stands. Near-ties are split by chance: two parishes with almost the same
police are chosen about equally often.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from scipy import sparse

from ...scenario.schema import Condition, PlaceKind
from .. import choice
from ..actions import cells, member_rows, move_members, strength
from ..events import Kind
from ..world import World, ranges
from . import policing

PARAMETERS = {
    "expansion": (
        "impunity_prior",
        "zone_learning",
        "punished_learning",
        "loss_learning",
        "attempt_rate",
        "strength_needed",
        "commit_share",
        "police_weight",
        "market_weight",
        "distance_cost",
        "alliance_rate",
    )
}

CLOSED = (list(PlaceKind).index(PlaceKind.FACILITY), list(PlaceKind).index(PlaceKind.PRISON))
"""Kinds of place no gang can take."""


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    _learn(world, p)
    members_at = world.members_at()
    power = strength(world, members_at)
    g = world.gangs
    able = g.alive & world.commanded()  # only a gang whose leader commands it expands
    able &= ~world.keeping(Condition.KEEP_PEACE)  # nor one keeping a pact's peace (M1)
    weighing = np.flatnonzero(able & (rng.random(len(g)) < p.expansion.attempt_rate))
    if weighing.size:
        score = _scores(world, members_at, power, p, weighing)
        utility = _utility(world, weighing, score, members_at, p)
        target = choice.pick(utility, score > 0, p.decisions.temperature, rng, abstain=0.0)
        for gang, place in zip(weighing[target >= 0], target[target >= 0], strict=True):
            _attempt(world, int(gang), int(place), members_at, p.expansion.commit_share)
    _alliances(world, members_at, power, p, rng)


def _utility(
    world: World,
    gangs: np.ndarray,
    score: np.ndarray,
    members_at: np.ndarray,
    p: SimpleNamespace,
) -> np.ndarray:
    """Rows ``gangs`` x places: log-odds of pushing into each place over staying put.

    The odds of winning (``score`` over ``strength_needed``), the place's market relative
    to the gang's home (``market_weight``, an elasticity), less ``distance_cost`` per hour
    of travel from the nearest place where the gang stands.
    """
    e = p.expansion
    odds = choice.log_ratio(score, e.strength_needed)
    home = world.watched[world.gangs.home[gangs]]
    market = choice.log_ratio(world.watched[None, :], home[:, None])
    hours = np.stack([world.travel[members_at[g] > 0].min(axis=0, initial=np.inf) for g in gangs])
    hours = np.where(np.isfinite(hours), hours, 0.0)
    return odds + e.market_weight * market - e.distance_cost * hours


def _scores(
    world: World,
    members_at: np.ndarray,
    power: np.ndarray,
    p: SimpleNamespace,
    gangs: np.ndarray | None = None,
) -> np.ndarray:
    """G x P (or ``gangs`` x P): each gang's committed strength over the resistance it
    expects at each neighbouring place that it and its allies do not hold (0 elsewhere)."""
    e, g = p.expansion, world.gangs
    rows = np.arange(len(g)) if gangs is None else np.asarray(gangs)
    present = members_at[rows] > 0
    frontier = world.neighbours(present) & ~present
    closed = (world.kind == CLOSED[0]) | (world.kind == CLOSED[1])
    frontier &= ~_spheres(world, rows) & ~closed[None, :]
    own = power[rows].sum(axis=1, keepdims=True) * e.commit_share
    bands = world.local * p.conflict.unarmed_strength  # M18's bands resist, poorly armed
    others = power.sum(axis=0)[None, :] - power[rows] + bands[None, :]
    police = (
        e.police_weight * policing.per_thousand(world)[None, :] * (1.0 - g.belief[rows])[:, None]
    )
    return np.where(frontier, own / (others + police + 1.0), 0.0)


def _spheres(world: World, rows: np.ndarray) -> np.ndarray:
    """Gangs ``rows`` x P: places each of those gangs or one of its allies holds."""
    friends = world.gangs.allied[rows]
    friends[np.arange(len(rows)), rows] = True
    held = world.controller >= 0
    return friends[:, np.maximum(world.controller, 0)] & held[None, :]


def _learn(world: World, p: SimpleNamespace) -> None:
    """Unpunished time in a zone teaches a gang that impunity may extend beyond it."""
    e, g = p.expansion, world.gangs
    in_zone = np.array([world.pact_of(i) is not None for i in range(len(g))])
    g.belief += np.where(
        in_zone, e.zone_learning * (1.0 - g.belief), e.zone_learning * (e.impunity_prior - g.belief)
    )


def punished(world: World, gang: int) -> None:
    """The state answered the gang: its belief in impunity falls (called by M17)."""
    g = world.gangs
    g.belief[gang] *= 1.0 - world.params.expansion.punished_learning


def _attempt(world: World, gang: int, target: int, members_at: np.ndarray, share: float) -> None:
    """Send part of the members from the nearest place the gang holds."""
    origins = np.flatnonzero(world.adjacency[target] & (members_at[gang] > 0))
    origin = int(origins[np.argmax(members_at[gang, origins])])
    rows = member_rows(world, gang, origin)
    movers = world.rng.choice(rows, size=max(1, int(len(rows) * share)), replace=False)
    move_members(world, movers, target)
    held = int(world.controller[target])
    event = world.events.add(
        Kind.TAKEOVER_ATTEMPTED, target, gang, held if held >= 0 else -1, count=len(movers)
    )
    world.attempts[(gang, target)] = event


def _alliances(
    world: World,
    members_at: np.ndarray,
    power: np.ndarray,
    p: SimpleNamespace,
    rng: np.random.Generator,
) -> None:
    """Neighbouring gangs with no feud meet now and then (``alliance_rate``) and weigh an
    alliance (M20, M21): each side by what the other's help is worth against the enemies
    and police around it, against the odds it would take the other's places by force. They
    ally if both say yes; allies who meet again part if either says no."""
    g = world.gangs
    present = members_at > 0
    reach = world.neighbours(present) | present  # G x P: places at or next to each gang
    near = _overlap(reach, present)  # G x G
    a, b = cells(np.triu(near, 1))
    keep = g.alive[a] & g.alive[b] & ~g.rival[a, b]
    a, b = a[keep], b[keep]
    meet = rng.random(a.size) < p.expansion.alliance_rate
    a, b = a[meet], b[meet]
    if a.size == 0:
        return
    worth = alliance_worth(world, power, reach, p)
    t = p.decisions.temperature
    both = choice.yes(worth[a, b], t, rng) & choice.yes(worth[b, a], t, rng)
    was = g.allied[a, b]
    for i, j, kind in (
        *((i, j, Kind.ALLIANCE) for i, j in zip(a[both & ~was], b[both & ~was], strict=True)),
        *((i, j, Kind.ALLIANCE_ENDED) for i, j in zip(a[~both & was], b[~both & was], strict=True)),
    ):
        g.allied[i, j] = g.allied[j, i] = kind == Kind.ALLIANCE
        world.events.add(kind, int(g.home[i]), int(i), int(j))


def _overlap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Rows x rows: whether row i of ``a`` and row j of ``b`` (gangs x places, boolean)
    share a place. The cells set are joined on their places, so the work grows with the
    places each gang stands in (and a pass to clear the answer), not with all of them."""
    ai, ap = cells(a)
    bj, bp = cells(b)
    order = np.argsort(bp, kind="stable")
    bj, bp = bj[order], bp[order]
    first = np.searchsorted(bp, ap)
    k = np.searchsorted(bp, ap, side="right") - first  # rows of b at each cell's place
    out = np.zeros((a.shape[0], b.shape[0]), bool)
    out[np.repeat(ai, k), bj[ranges(first, k)]] = True
    return out


def _sparse(a: np.ndarray) -> sparse.csr_matrix:
    """A gangs x places array as a sparse matrix: a gang stands in few places, so products
    over gangs and places grow with the places it stands in, not with all of them."""
    return sparse.csr_matrix(np.asarray(a, np.float64))


def alliance_worth(
    world: World, power: np.ndarray, reach: np.ndarray, p: SimpleNamespace
) -> np.ndarray:
    """G x G: log-odds that gang i wants gang j as an ally: the hostile strength around i
    (other gangs, and police times the response it expects) over its own strength, against
    the odds that i would take j's places by force (its strength over ``strength_needed``
    times j's)."""
    g, e = world.gangs, p.expansion
    own = power.sum(axis=1)
    around = (_sparse(power) @ _sparse(reach).T).toarray()  # [k, i]: k's strength near i
    hostile = ~g.allied & ~np.eye(len(g), dtype=bool)
    threat = (hostile.T * around).sum(axis=0)[:, None] - hostile * around.T  # without j
    density = policing.per_thousand(world)
    stands = np.maximum(reach.sum(axis=1), 1)
    police = e.police_weight * (reach @ density) / stands * (1.0 - g.belief)
    help_ = choice.log_ratio(threat + police[:, None], own[:, None])
    force = choice.log_ratio(own[:, None], e.strength_needed * own[None, :])
    return help_ - force

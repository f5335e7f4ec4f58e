"""Mesa's Epstein example one agent at a time, in plain Python: a reference for the port.

The port (`model.py`) approximates Mesa's random sequential activation to be fast. This
module does not approximate: every step it shuffles the agents and lets each one act and
move in turn, with the rules listed in `model.py`. It also draws its random numbers from
Python's ``random.Random(seed)`` at the same points and in the same order as Mesa's example
does: per cell a draw for citizen, cop or empty (``choices`` with cumulative weights), then
a citizen's hardship and risk aversion; per step a shuffle of the agents in the order they
were created; per citizen turn a choice of an empty cell in its vision; per cop turn a
choice of an active citizen in its vision, its jail term (``randint``) and a choice of an
empty cell. Choices are made from the cells of a vision in a given order.

With the order in which Mesa lists the cells of each neighbourhood (`mesa_neighbourhoods`,
which needs Mesa), a run with seed s therefore reproduces Mesa's run with seed s, count
for count at every step; `equivalence.py` checks that this holds, then uses this module for
samples larger than Mesa's speed allows (it is about three times faster). With our own
order (`diamond_neighbourhoods`) a run is another draw from the same distribution.

Cells are numbered as Mesa's grid lists them: x (the width) outer, y inner.
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # executed as a script: make `epstein` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from epstein.model import EpsteinParams, diamond_offsets
else:
    from .model import EpsteinParams, diamond_offsets

EMPTY, QUIET, ACTIVE, JAILED, COP = 0, 1, 2, 3, 4

Neighbourhoods = list[list[int]]


def diamond_neighbourhoods(width: int, height: int, radius: int) -> Neighbourhoods:
    """For each cell, the cells within Manhattan distance `radius` on the torus (centre
    excluded), in our own order."""
    off = diamond_offsets(radius)  # (dy, dx)
    x, y = np.divmod(np.arange(width * height), height)
    nx = (x[:, None] + off[:, 1]) % width
    ny = (y[:, None] + off[:, 0]) % height
    return (nx * height + ny).tolist()


def mesa_neighbourhoods(width: int, height: int, radius: int) -> Neighbourhoods:
    """For each cell, its radius-`radius` neighbourhood in the order Mesa's von Neumann torus
    lists it (needs Mesa)."""
    from mesa.discrete_space import OrthogonalVonNeumannGrid

    grid = OrthogonalVonNeumannGrid((width, height), torus=True, random=random.Random(0))
    cells = list(grid.all_cells)
    index = {cell.coordinate: i for i, cell in enumerate(cells)}
    return [[index[n.coordinate] for n in cell.get_neighborhood(radius=radius)] for cell in cells]


def run(
    params: EpsteinParams,
    steps: int,
    seed: int,
    citizen_vision: Neighbourhoods | None = None,
    cop_vision: Neighbourhoods | None = None,
) -> np.ndarray:
    """Simulate `steps` steps; returns an int array (steps + 1, 3) of quiet, active and
    jailed citizens. The vision lists default to `diamond_neighbourhoods`."""
    p = params
    w, h = p.width, p.height
    see = citizen_vision or diamond_neighbourhoods(w, h, p.citizen_vision)
    if cop_vision is None:
        same = p.cop_vision == p.citizen_vision
        cop_vision = see if same else diamond_neighbourhoods(w, h, p.cop_vision)
    rnd = random.Random(seed)
    kind = [EMPTY] * (w * h)
    where: list[int] = []  # agent -> cell
    at: list[int] = [-1] * (w * h)  # cell -> agent
    is_cop: list[bool] = []
    grievance: list[float] = []
    risk: list[float] = []
    for cell in range(w * h):
        what = rnd.choices(
            (QUIET, COP, EMPTY),
            cum_weights=(p.citizen_density, p.citizen_density + p.cop_density, 1.0),
        )[0]
        if what == EMPTY:
            continue
        if what == QUIET:
            grievance.append(rnd.random() * (1.0 - p.legitimacy))
            risk.append(rnd.random())
        else:
            grievance.append(0.0)
            risk.append(0.0)
        at[cell] = len(where)
        where.append(cell)
        is_cop.append(what == COP)
        kind[cell] = what
    sentence = [0] * len(where)
    # round(cops / actives) is at most the number of cells a citizen sees
    arrest = [1.0 - math.exp(-p.arrest_prob_constant * n) for n in range(len(see[0]) + 1)]

    def move(agent: int, vision: Neighbourhoods) -> None:
        here = where[agent]
        empty = [c for c in vision[here] if kind[c] == EMPTY]
        if empty:
            there = rnd.choice(empty)
            kind[there], kind[here] = kind[here], EMPTY
            at[there], at[here] = agent, -1
            where[agent] = there

    def tally() -> tuple[int, int, int]:
        return kind.count(QUIET), kind.count(ACTIVE), kind.count(JAILED)

    out = np.empty((steps + 1, 3), dtype=np.int64)
    out[0] = tally()
    agents = list(range(len(where)))
    for t in range(1, steps + 1):
        order = agents.copy()
        rnd.shuffle(order)
        for agent in order:
            here = where[agent]
            if is_cop[agent]:
                actives = [c for c in cop_vision[here] if kind[c] == ACTIVE]
                if actives:
                    cell = rnd.choice(actives)
                    sentence[at[cell]] = rnd.randint(0, p.max_jail_term)
                    kind[cell] = JAILED
                if p.movement:
                    move(agent, cop_vision)
                continue
            if sentence[agent]:
                sentence[agent] -= 1
                continue
            cops, actives = 0, 1  # the citizen counts herself
            for c in see[here]:
                k = kind[c]
                if k == COP:
                    cops += 1
                elif k == ACTIVE:
                    actives += 1
            net = grievance[agent] - risk[agent] * arrest[round(cops / actives)]
            kind[here] = ACTIVE if net > p.active_threshold else QUIET
            if p.movement:
                move(agent, see)
        out[t] = tally()
    return out

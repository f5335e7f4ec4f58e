"""Mesa's Epstein example one agent at a time: an exact reference for the port.

The port (`model.py`) approximates Mesa's random sequential activation to be fast. This
module does not approximate: every step it shuffles the agents and lets each one act and
move in turn, with the rules listed in `model.py`. It also draws its random numbers as
Python's ``random.Random(seed)`` does, at the same points and in the same order as Mesa's
example: per cell a draw for citizen, cop or empty (``choices`` with cumulative weights),
then a citizen's hardship and risk aversion; per step a shuffle of the agents in the order
they were created; per citizen turn a choice of an empty cell in its vision; per cop turn a
choice of an active citizen in its vision, its jail term (``randint``) and a choice of an
empty cell. Choices are made from the cells of a vision in a given order.

With the order in which Mesa lists the cells of each neighbourhood (`mesa_neighbourhoods`,
which needs Mesa), a run with seed s therefore reproduces Mesa's run with seed s, count
for count at every step; `equivalence.py` checks that this holds, then uses this module for
samples far larger than Mesa's speed allows. With our own order (`diamond_neighbourhoods`)
a run is another draw from the same distribution.

The simulation is one plain loop over agents, compiled with Numba when it is installed
(0.08 s for a 100-step run at 40 x 40, about 70 times faster than Mesa; the `bench` and
`dev` extras install it) and run as ordinary Python otherwise (the same code, slowly).
Compiled code cannot call Python's ``random``, so the generator is written out here:
MT19937 as CPython's ``_random`` module runs it, started from
``random.Random(seed).getstate()``, with CPython's ``random()`` (53 bits from two words),
``getrandbits(k)`` (the top k bits of one word) and ``_randbelow(n)`` (k = n.bit_length()
bits, drawn again while >= n), on which ``shuffle``, ``choice`` and ``randint`` are built.
`tests/benchmarks/test_sequential.py` checks these draws against ``random.Random`` itself.

Cells are numbered as Mesa's grid lists them: x (the width) outer, y inner.
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import numpy as np

try:
    from numba import njit
except ImportError:  # run the same functions as plain Python
    njit = None

if __package__ in (None, ""):  # executed as a script: make `epstein` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from epstein.model import EpsteinParams, diamond_offsets
else:
    from .model import EpsteinParams, diamond_offsets

EMPTY, QUIET, ACTIVE, JAILED, COP = 0, 1, 2, 3, 4


def _compiled(function):
    """Compile `function` with Numba where it is installed; else leave it as it is."""
    return njit(cache=True, nogil=True)(function) if njit is not None else function


# --------------------------------------------------------------- CPython's random, compiled
# The generator's state: `mt`, 624 words (int64 holding uint32 values), and `pos`, a
# one-element array with the index of the next word to temper.


@_compiled
def _twist(mt):
    """Regenerate the 624 words (MT19937's recurrence, n = 624, m = 397)."""
    for i in range(624):
        y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7FFFFFFF)
        value = mt[(i + 397) % 624] ^ (y >> 1)
        if y & 1:
            value ^= 0x9908B0DF
        mt[i] = value


@_compiled
def _word(mt, pos):
    """The next 32-bit output (CPython's genrand_uint32)."""
    i = pos[0]
    if i >= 624:
        _twist(mt)
        i = 0
    pos[0] = i + 1
    y = mt[i]
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C5680
    y ^= (y << 15) & 0xEFC60000
    return y ^ (y >> 18)


@_compiled
def _random(mt, pos):
    """``random.random()``: a float in [0, 1) from 27 + 26 bits of two words."""
    a = _word(mt, pos) >> 5
    b = _word(mt, pos) >> 6
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)


@_compiled
def _randbelow(mt, pos, n):
    """``random._randbelow(n)`` for 1 <= n < 2**32: uniform in [0, n) by rejection."""
    k = 0
    m = n
    while m:
        k += 1
        m >>= 1
    r = _word(mt, pos) >> (32 - k)
    while r >= n:
        r = _word(mt, pos) >> (32 - k)
    return r


@_compiled
def _shuffle(mt, pos, x):
    """``random.shuffle(x)``: Fisher-Yates from the end."""
    for i in range(x.size - 1, 0, -1):
        j = _randbelow(mt, pos, i + 1)
        x[i], x[j] = x[j], x[i]


def _generator(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(mt, pos) in the state ``random.Random(seed)`` starts in."""
    state = random.Random(seed).getstate()[1]
    return np.array(state[:624], dtype=np.int64), np.array(state[624:], dtype=np.int64)


# --------------------------------------------------------------------------- the model


def diamond_neighbourhoods(width: int, height: int, radius: int) -> np.ndarray:
    """(cells, 2 r (r + 1)) array: for each cell, the cells within Manhattan distance
    `radius` on the torus (centre excluded), in our own order."""
    off = diamond_offsets(radius)  # (dy, dx)
    x, y = np.divmod(np.arange(width * height), height)
    nx = (x[:, None] + off[:, 1]) % width
    ny = (y[:, None] + off[:, 0]) % height
    return (nx * height + ny).astype(np.int32)


def mesa_neighbourhoods(width: int, height: int, radius: int) -> np.ndarray:
    """For each cell, its radius-`radius` neighbourhood in the order Mesa's von Neumann torus
    lists it (needs Mesa); an array like `diamond_neighbourhoods`."""
    from mesa.discrete_space import OrthogonalVonNeumannGrid

    grid = OrthogonalVonNeumannGrid((width, height), torus=True, random=random.Random(0))
    cells = list(grid.all_cells)
    index = {cell.coordinate: i for i, cell in enumerate(cells)}
    return np.array(
        [[index[n.coordinate] for n in cell.get_neighborhood(radius=radius)] for cell in cells],
        dtype=np.int32,
    )


@_compiled
def _choose(mt, pos, cells, kind, wanted, scratch):
    """``choice`` among the `cells` (in their order) of kind `wanted`; -1 if there are none."""
    n = 0
    for c in cells:
        if kind[c] == wanted:
            scratch[n] = c
            n += 1
    return scratch[_randbelow(mt, pos, n)] if n else -1


@_compiled
def _move(mt, pos, agent, vision, kind, at, where, scratch):
    """Jump `agent` to a uniformly chosen empty cell of its vision, if any."""
    here = where[agent]
    there = _choose(mt, pos, vision[here], kind, EMPTY, scratch)
    if there >= 0:
        _relocate(kind, at, where, agent, here, there)


@_compiled
def _relocate(kind, at, where, agent, here, there):
    """Move `agent` (and its kind) from cell `here` to the empty cell `there`."""
    kind[there] = kind[here]
    kind[here] = EMPTY
    at[there] = agent
    at[here] = -1
    where[agent] = there


@_compiled
def _tally(kind, out):
    """Numbers of quiet, active and jailed citizens into `out`."""
    out[:] = 0
    for k in kind:
        if k == QUIET:
            out[0] += 1
        elif k == ACTIVE:
            out[1] += 1
        elif k == JAILED:
            out[2] += 1


@_compiled
def _simulate(mt, pos, densities, legitimacy, threshold, max_jail_term, movement, arrest,
              see, cop_see, out):  # fmt: skip
    """Populate the grid, then run `out.shape[0] - 1` steps, writing the tallies to `out`.

    `densities` = (citizen, citizen + cop): the cumulative weights of ``choices``; `arrest`
    the arrest probability by round(C / A).
    """
    cells = see.shape[0]
    kind = np.zeros(cells, dtype=np.int8)
    at = np.full(cells, -1, dtype=np.int64)  # cell -> agent
    where = np.empty(cells, dtype=np.int64)  # agent -> cell
    is_cop = np.zeros(cells, dtype=np.bool_)
    grievance = np.zeros(cells)
    risk = np.zeros(cells)
    n = 0
    for cell in range(cells):
        u = _random(mt, pos)  # choices((QUIET, COP, EMPTY), cum_weights=...)
        if u >= densities[1]:
            continue
        if u < densities[0]:
            grievance[n] = _random(mt, pos) * (1.0 - legitimacy)
            risk[n] = _random(mt, pos)
            kind[cell] = QUIET
        else:
            is_cop[n] = True
            kind[cell] = COP
        at[cell] = n
        where[n] = cell
        n += 1
    sentence = np.zeros(n, dtype=np.int64)
    scratch = np.empty(max(see.shape[1], cop_see.shape[1]), dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    _tally(kind, out[0])
    for t in range(1, out.shape[0]):
        for i in range(n):  # a fresh shuffle of the agents in the order they were made
            order[i] = i
        _shuffle(mt, pos, order)
        for agent in order:
            here = where[agent]
            if is_cop[agent]:
                cell = _choose(mt, pos, cop_see[here], kind, ACTIVE, scratch)
                if cell >= 0:
                    sentence[at[cell]] = _randbelow(mt, pos, max_jail_term + 1)  # randint
                    kind[cell] = JAILED
                if movement:
                    _move(mt, pos, agent, cop_see, kind, at, where, scratch)
                continue
            if sentence[agent]:
                sentence[agent] -= 1
                continue
            cops, actives = 0, 1  # the citizen counts herself
            for c in see[here]:
                if kind[c] == COP:
                    cops += 1
                elif kind[c] == ACTIVE:
                    actives += 1
            net = grievance[agent] - risk[agent] * arrest[int(np.rint(cops / actives))]
            kind[here] = ACTIVE if net > threshold else QUIET
            if movement:
                _move(mt, pos, agent, see, kind, at, where, scratch)
        _tally(kind, out[t])


def run(
    params: EpsteinParams,
    steps: int,
    seed: int,
    citizen_vision: np.ndarray | None = None,
    cop_vision: np.ndarray | None = None,
) -> np.ndarray:
    """Simulate `steps` steps; returns an int array (steps + 1, 3) of quiet, active and
    jailed citizens. The vision arrays default to `diamond_neighbourhoods`."""
    p = params
    w, h = p.width, p.height
    if citizen_vision is None:
        citizen_vision = diamond_neighbourhoods(w, h, p.citizen_vision)
    if cop_vision is None:
        same = p.cop_vision == p.citizen_vision
        cop_vision = citizen_vision if same else diamond_neighbourhoods(w, h, p.cop_vision)
    see = np.ascontiguousarray(citizen_vision, dtype=np.int32)
    cop_see = np.ascontiguousarray(cop_vision, dtype=np.int32)
    if see.shape[0] != w * h or cop_see.shape[0] != w * h:
        raise ValueError(f"vision arrays need {w * h} rows, one per cell")
    mt, pos = _generator(seed)
    out = np.zeros((steps + 1, 3), dtype=np.int64)
    _simulate(mt, pos, *_constants(p, see.shape[1]), see, cop_see, out)
    return out


def _constants(p: EpsteinParams, seen: int) -> tuple:
    """`_simulate`'s arguments from `densities` to `arrest`, computed as Mesa computes them
    (Python's floats and ``math.exp``); `seen`: the cells a citizen sees."""
    densities = np.array([p.citizen_density, p.citizen_density + p.cop_density])
    # round(cops / actives) is at most the number of cells a citizen sees
    arrest = np.array([1.0 - math.exp(-p.arrest_prob_constant * n) for n in range(seen + 1)])
    return densities, p.legitimacy, p.active_threshold, p.max_jail_term, p.movement, arrest

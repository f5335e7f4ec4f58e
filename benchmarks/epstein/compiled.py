"""Epstein's civil-violence model with Mesa's rules exactly, compiled: the exact port.

The NumPy port (`model.py`) reaches its speed by giving turns in batches and moving cops
and quiet citizens at the end of a step; `equivalence.py` shows that these shortcuts bias
it away from Mesa's rules where the model is more active (fewer arrests). This port keeps
Mesa's random sequential activation exactly: every step the agents act one at a time in a
fresh uniform random order, each seeing what those before it did, and each free agent
moves right after its own turn. It is a loop compiled with Numba over the same kind of
state, a structure of NumPy arrays, with one ``numpy.random.Generator`` per run.

No turn looks at its whole vision unless it has to. Three count grids
are kept up to date as agents act, each cell holding the number of cops (``cops``) or of
active citizens (``actives``, and ``cop_actives`` over the cops' vision when it differs)
in the closed von Neumann diamond around it. A citizen's decision then reads two cells; a
cop scans its vision only when the grid says an active citizen is in it. Only a cop's move
(two diamonds of the cops grid) and a change of an active citizen (turning active or not,
being jailed, moving while active) write to the grids. A move to a uniform empty cell of
the vision draws cells of the vision until one is empty (rejection sampling: uniform over
the empty cells), and lists the empty cells only after ``_TRIES`` misses. Uniform
doubles are drawn from the run's generator 65,536 at a time and used in turn (an integer
below n is floor(U n)); the turn order is the generator's permutation.

Speed (`speed.py`, this machine): about 5.5 million agent-steps per second at 200 x 200,
about half the NumPy port's rate, and below it at 1000 x 1000. Most of a step is the moves:
about 4.5 draws a mover, each a read of a random cell, and 2 x 113 writes per cop move.

The rules, as in `model.py`'s docstring and `sequential.py` (which also draws its random
numbers as Mesa does): a citizen in jail counts its sentence down, else counts cops C and
other active citizens A in its vision, is active iff G - R (1 - exp(-k round(C / (A + 1))))
> threshold, and moves; a cop arrests a uniformly chosen active citizen in its vision (jail
term randint(0, max_jail_term), the citizen keeps its cell) and moves. With Numba missing,
the same functions run as plain Python (slowly; tests use small grids).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # executed as a script: make `epstein` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from epstein.model import EpsteinParams, diamond_offsets, series
    from epstein.sequential import ACTIVE, COP, EMPTY, JAILED, QUIET, _compiled, _relocate
else:
    from .model import EpsteinParams, diamond_offsets, series
    from .sequential import ACTIVE, COP, EMPTY, JAILED, QUIET, _compiled, _relocate

_TRIES = 32  # rejection draws before a mover lists its vision's empty cells
_RESERVE = _TRIES + 3  # the most draws one turn takes (arrest: 2; move: _TRIES + 1)
_DRAWS = 1 << 16  # uniform doubles drawn at a time


def _vision(radius: int, width: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """(radius, dx, dy, dy * width + dx) over the open diamond (centre excluded)."""
    dy, dx = np.ascontiguousarray(diamond_offsets(radius).T, dtype=np.int64)
    return radius, dx, dy, dy * width + dx


def _torus(width: int, height: int, pad: int) -> tuple:
    """(width, height, pad, wrap_x, wrap_y, inside): wrap_x[x + pad] = x mod width for x
    in [-pad, width + pad), the same for y, and per cell whether it is at least `pad` cells
    from every edge."""
    wrap = [np.arange(-pad, n + pad) % n for n in (width, height)]
    y, x = np.divmod(np.arange(width * height), width)
    inside = (pad <= x) & (x < width - pad) & (pad <= y) & (y < height - pad)
    return width, height, pad, *wrap, inside


@dataclass
class CompiledState:
    """The grid (kind and agent per cell), the agents, the count grids and the geometry."""

    params: EpsteinParams
    kind: np.ndarray  # int8 per cell: EMPTY, QUIET, ACTIVE, JAILED or COP
    at: np.ndarray  # int32 per cell: the agent there, -1 if none
    where: np.ndarray  # int32 per agent: its cell
    is_cop: np.ndarray  # bool per agent
    grievance: np.ndarray  # float64 per agent: H (1 - L); 0 for cops
    risk: np.ndarray  # float64 per agent: R; 0 for cops
    sentence: np.ndarray  # int32 per agent: remaining jail term
    cops: np.ndarray  # int16 per cell: cops in the closed citizen-vision diamond
    actives: np.ndarray  # int16 per cell: active citizens in the closed citizen-vision diamond
    cop_actives: np.ndarray  # the same over the cop vision (`actives` itself if visions agree)
    sight: tuple  # the citizens' vision (see the compiled core)
    cop_sight: tuple  # the cops' vision
    torus: tuple
    arrest: np.ndarray  # float64 by n = round(C / A): 1 - exp(-k n)
    draws: tuple = field(default_factory=lambda: (np.zeros(_DRAWS), np.array([_DRAWS])))
    tallies: np.ndarray = field(default_factory=lambda: np.zeros(2, np.int64))  # active, jailed

    @property
    def agents(self) -> int:
        """Citizens plus cops."""
        return int(self.where.size)

    def tally(self) -> tuple[int, int, int]:
        """Numbers of quiet, active and jailed citizens."""
        active, jailed = (int(v) for v in self.tallies)
        citizens = self.agents - int(np.count_nonzero(self.is_cop))
        return citizens - active - jailed, active, jailed


def init(params: EpsteinParams, rng: np.random.Generator) -> CompiledState:
    """Populate the grid as Mesa does: each cell a citizen (hardship and risk aversion
    uniform), a cop or empty, with the given densities; nobody active or jailed."""
    p = params
    for radius in (p.citizen_vision, p.cop_vision):
        if radius < 1 or 2 * radius + 1 > min(p.width, p.height):
            raise ValueError(
                f"vision {radius}: expected at least 1 and a grid at least "
                f"{2 * radius + 1} cells a side (got {p.width} x {p.height})"
            )
    cells = p.width * p.height
    u = rng.random(cells)
    occupied = np.flatnonzero(u < p.citizen_density + p.cop_density).astype(np.int32)
    is_cop = u[occupied] >= p.citizen_density
    n = occupied.size
    hardship, risk = rng.random(n), rng.random(n)
    kind = np.zeros(cells, dtype=np.int8)
    kind[occupied] = np.where(is_cop, COP, QUIET)
    at = np.full(cells, -1, dtype=np.int32)
    at[occupied] = np.arange(n, dtype=np.int32)
    sight = _vision(p.citizen_vision, p.width)
    torus = _torus(p.width, p.height, max(p.citizen_vision, p.cop_vision))
    cops = np.zeros(cells, dtype=np.int16)
    _spread_all(cops, occupied[is_cop], sight, torus)
    actives = np.zeros(cells, dtype=np.int16)
    seen = sight[1].size  # round(C / A) is at most the number of cells a citizen sees
    return CompiledState(
        params=p,
        kind=kind,
        at=at,
        where=occupied,
        is_cop=is_cop,
        grievance=np.where(is_cop, 0.0, hardship * (1.0 - p.legitimacy)),
        risk=np.where(is_cop, 0.0, risk),
        sentence=np.zeros(n, dtype=np.int32),
        cops=cops,
        actives=actives,
        cop_actives=actives if p.cop_vision == p.citizen_vision else actives.copy(),
        sight=sight,
        cop_sight=_vision(p.cop_vision, p.width),
        torus=torus,
        arrest=np.array([1.0 - math.exp(-p.arrest_prob_constant * k) for k in range(seen + 1)]),
    )


def step(state: CompiledState, rng: np.random.Generator) -> tuple[int, int, int]:
    """One step: every agent acts once, in a fresh random order; returns the tally."""
    s, p = state, state.params
    agents = (s.where, s.is_cop, s.grievance, s.risk, s.sentence)
    grids = (s.kind, s.at, s.cops, s.actives, s.cop_actives)
    order = rng.permutation(s.agents)
    uniform, used = s.draws
    done = 0
    while done < order.size:
        if used[0] > uniform.size - _RESERVE:  # draw afresh (the few left are dropped)
            rng.random(out=uniform)
            used[0] = 0
        done = _turns(done, order, s.draws, agents, grids, s.cop_actives is not s.actives,
                      s.arrest, s.tallies, s.sight, s.cop_sight, s.torus, p.active_threshold,
                      p.max_jail_term, p.movement)  # fmt: skip
    return s.tally()


def run(params: EpsteinParams, steps: int, seed: int | np.random.SeedSequence) -> np.ndarray:
    """Simulate `steps` steps; returns an int array (steps + 1, 3) of quiet/active/jailed."""
    return series(init, step, params, steps, seed)


def recount(state: CompiledState) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three count grids computed afresh from the kinds (for checking the kept ones)."""
    p = state.params
    grid = state.kind.reshape(p.height, p.width)

    def around(mask: np.ndarray, radius: int) -> np.ndarray:
        total = mask.astype(np.int16)
        for dy, dx in diamond_offsets(radius):
            total = total + np.roll(mask, (dy, dx), axis=(0, 1))
        return total.ravel()

    cop, active = grid == COP, grid == ACTIVE
    return (
        around(cop, p.citizen_vision),
        around(active, p.citizen_vision),
        around(active, p.cop_vision),
    )


# ------------------------------------------------------------------------ compiled core
# `torus` = (width, height, pad, wrap_x, wrap_y, inside); a vision = (radius, dx, dy, offsets), the
# offsets being dy * width + dx, valid as they are for a cell at least `pad` from the edges.


@_compiled
def _inside(cell, torus):
    """True when the whole vision of `cell` lies inside the grid (no wrapping needed)."""
    return torus[5][cell]


@_compiled
def _cell(cell, j, vision, torus):
    """The cell at the vision's `j`-th offset from `cell`, wrapped around the torus."""
    width, pad, wrap_x, wrap_y = torus[0], torus[2], torus[3], torus[4]
    x, y = cell % width + pad + vision[1][j], cell // width + pad + vision[2][j]
    return wrap_y[y] * width + wrap_x[x]


@_compiled
def _spread(grid, cell, change, vision, torus):
    """Add `change` to `grid` over the closed diamond of the vision's radius around `cell`."""
    radius, width, pad, wrap_x, wrap_y = vision[0], torus[0], torus[2], torus[3], torus[4]
    if _inside(cell, torus):
        for dy in range(-radius, radius + 1):
            centre = cell + dy * width
            span = radius - abs(dy)
            for c in range(centre - span, centre + span + 1):
                grid[c] += change
        return
    x, y = cell % width + pad, cell // width + pad
    for dy in range(-radius, radius + 1):
        row = wrap_y[y + dy] * width
        span = radius - abs(dy)
        for dx in range(-span, span + 1):
            grid[row + wrap_x[x + dx]] += change


@_compiled
def _spread_all(grid, cells, vision, torus):
    """`_spread` of 1 around each of `cells`."""
    for cell in cells:
        _spread(grid, cell, 1, vision, torus)


@_compiled
def _nth(kind, cell, wanted, n, vision, torus):
    """The `n`-th cell (from 0) of kind `wanted` in the vision of `cell`; -1 if fewer."""
    inside = _inside(cell, torus)
    offsets = vision[3]
    for j in range(offsets.size):
        c = cell + offsets[j] if inside else _cell(cell, j, vision, torus)
        if kind[c] == wanted:
            if n == 0:
                return c
            n -= 1
    return -1


@_compiled
def _empty_cell(u, k, kind, cell, vision, torus):
    """A uniformly chosen empty cell of the vision of `cell` (-1 if none), drawn with the
    uniforms u[k], u[k + 1], ...; returns it and the index of the next unused uniform.

    Draws cells of the vision until one is empty; after `_TRIES` misses counts the empty
    cells and takes a uniform one of them. Either way the pick is uniform over them."""
    offsets = vision[3]
    size = offsets.size
    if _inside(cell, torus):
        for _ in range(_TRIES):
            c = cell + offsets[int(u[k] * size)]
            k += 1
            if kind[c] == EMPTY:
                return c, k
    else:
        for _ in range(_TRIES):
            c = _cell(cell, int(u[k] * size), vision, torus)
            k += 1
            if kind[c] == EMPTY:
                return c, k
    empty = 0
    for j in range(size):
        if kind[_cell(cell, j, vision, torus)] == EMPTY:
            empty += 1
    if empty == 0:
        return -1, k
    return _nth(kind, cell, EMPTY, int(u[k] * empty), vision, torus), k + 1


@_compiled
def _set_active(actives, cop_actives, separate, cell, change, sight, cop_sight, torus):
    """Count an active citizen at `cell` in (change 1) or out (change -1) of the grids."""
    _spread(actives, cell, change, sight, torus)
    if separate:
        _spread(cop_actives, cell, change, cop_sight, torus)


@_compiled
def _turns(start, order, draws, agents, grids, separate, arrest, tallies, sight, cop_sight,
           torus, threshold, max_jail_term, movement):  # fmt: skip
    """The turns of order[start:], until fewer than `_RESERVE` draws are left; returns the
    index of the next agent to act (``order.size`` when all have acted)."""
    where, is_cop, grievance, risk, sentence = agents
    kind, at, cops, actives, cop_actives = grids
    u, used = draws
    k = used[0]  # the next unused uniform; a local, so that it stays in a register
    for i in range(start, order.size):
        if k > u.size - _RESERVE:
            used[0] = k
            return i
        agent = order[i]
        here = where[agent]
        if is_cop[agent]:
            seen = cop_actives[here]
            if seen > 0:  # arrest a uniformly chosen active citizen in vision
                cell = _nth(kind, here, ACTIVE, int(u[k] * seen), cop_sight, torus)
                kind[cell] = JAILED
                sentence[at[cell]] = int(u[k + 1] * (max_jail_term + 1))
                k += 2
                tallies[0] -= 1
                tallies[1] += 1
                _set_active(actives, cop_actives, separate, cell, -1, sight, cop_sight, torus)
            if movement:
                there, k = _empty_cell(u, k, kind, here, cop_sight, torus)
                if there >= 0:
                    _relocate(kind, at, where, agent, here, there)
                    _spread(cops, here, -1, sight, torus)
                    _spread(cops, there, 1, sight, torus)
            continue
        if sentence[agent] > 0:
            sentence[agent] -= 1
            continue
        old = kind[here]
        was_active = old == ACTIVE
        others = actives[here] - 1 if was_active else actives[here]
        net = grievance[agent] - risk[agent] * arrest[int(np.rint(cops[here] / (others + 1)))]
        now_active = net > threshold
        if old == JAILED:
            tallies[1] -= 1
        kind[here] = ACTIVE if now_active else QUIET
        there = -1
        if movement:
            there, k = _empty_cell(u, k, kind, here, sight, torus)
        if there >= 0:
            _relocate(kind, at, where, agent, here, there)
        else:
            there = here
        if was_active and (not now_active or there != here):
            tallies[0] -= 1
            _set_active(actives, cop_actives, separate, here, -1, sight, cop_sight, torus)
        if now_active and (not was_active or there != here):
            tallies[0] += 1
            _set_active(actives, cop_actives, separate, there, 1, sight, cop_sight, torus)
    used[0] = k
    return order.size

"""Epstein's civil-violence model with Mesa's rules exactly, compiled: the exact port.

The NumPy port (`model.py`) reaches its speed by giving turns in batches and moving cops
and quiet citizens at the end of a step; `equivalence.py` shows that these shortcuts bias
it away from Mesa's rules where the model is more active (fewer arrests). This port keeps
Mesa's random sequential activation exactly: every step the agents act one at a time in a
fresh uniform random order, each seeing what those before it did, and each free agent
moves right after its own turn. It is a loop compiled with Numba over the same kind of
state, a structure of NumPy arrays, with one ``numpy.random.Generator`` per run.

No turn looks at its whole vision unless it has to. Three count grids are kept up to date
as agents act, each cell holding the number of cops (``cops``) or of active citizens
(``actives``, and ``cop_actives`` over the cops' vision when it differs) in the closed von
Neumann diamond around it. A citizen's decision then reads two cells; a cop scans its
vision only when the grid says an active citizen is in it. Only a cop's move (two diamonds
of the cops grid, added a row of a mask at a time, in vector operations) and a change of an
active citizen (turning active or not, being jailed, moving while active) write to the
grids. A move to a uniform empty cell of the vision draws cells of the vision until one is
empty (rejection sampling: uniform over the empty cells), and lists the empty cells only
after ``_TRIES`` misses. Uniform doubles are drawn from the run's generator 65,536 at a
time and used in turn (an integer below n is floor(U n)).

What makes it fast is memory. A citizen's state (grievance, risk aversion, sentence) lives
in her cell and moves with her, so an agent is only the cell it is in (``where``), and the
step's random order is a shuffle of that one int32 array, cache-friendly even for a million
agents (`_shuffle`); the agents then act in the order of their rows. Counts fit in int8 at
Mesa's vision. Each turn asks the processor to fetch the cells of the agent eight turns on,
so that those reads overlap the work in between. And the loop is written so that Numba
makes no reference-count updates in it (see the note above the compiled core).

Speed (`speed.py`, this machine, one core): about 14 million agent-steps per second at
200 x 200 and 11 million at 1000 x 1000, faster than the NumPy port up to 200 x 200 and
slower at 1000 x 1000 (`benchmarks/epstein/README.md` tells how it got there). Most of a
step is the moves: about 4.5 draws a mover, each a read of a cell near it, and two
diamonds of the cops grid per cop move.

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
    from epstein.sequential import ACTIVE, COP, EMPTY, JAILED, QUIET, _compiled, njit
else:
    from .model import EpsteinParams, diamond_offsets, series
    from .sequential import ACTIVE, COP, EMPTY, JAILED, QUIET, _compiled, njit

_TRIES = 32  # rejection draws before a mover lists its vision's empty cells
_RESERVE = _TRIES + 3  # the most draws one turn takes (arrest: 2; move: _TRIES + 1)
_DRAWS = 1 << 16  # uniform doubles drawn at a time
_AHEAD = 8  # a turn asks for the cells of the agent this many turns on to be fetched
_FEW = 1 << 16  # agents shuffled in place (more go through `_BUCKETS` buckets)
_BUCKETS = 256


def _vision(radius: int, width: int) -> tuple:
    """(radius, dx, dy, dy * width + dx, rows) over the open diamond (centre excluded);
    `rows` is the closed diamond as 2 radius + 1 rows of a 0/1 mask (of the type of the
    count grids), each `_row(radius)` cells wide, the middle row starting `radius` cells
    left of the centre."""
    dy, dx = np.ascontiguousarray(diamond_offsets(radius).T, dtype=np.int64)
    span = np.arange(_row(radius)) - radius
    rows = np.abs(span)[None, :] + np.abs(np.arange(-radius, radius + 1))[:, None] <= radius
    return radius, dx, dy, dy * width + dx, rows.astype(_counts(radius))


def _reach(sight: tuple, cop_sight: tuple, pad: int) -> tuple:
    """(offsets, dx + pad, dy + pad, split): both visions' offsets in one array each, the
    cops' from index `split` on, so that the turn loop chooses a vision by index."""
    both = [np.concatenate((sight[i], cop_sight[i])) for i in (3, 1, 2)]
    return both[0], both[1] + pad, both[2] + pad, sight[3].size


def _counts(radius: int) -> type:
    """The narrowest integer type for counts over a closed diamond of `radius` (2 r (r + 1)
    + 1 cells): int8 up to radius 7, Mesa's default, so that more of the grid stays in
    cache; else int16."""
    return np.int8 if 2 * radius * (radius + 1) + 1 <= np.iinfo(np.int8).max else np.int16


def _row(radius: int) -> int:
    """Width of a vision's mask rows: 2 radius + 1 rounded up to a multiple of 16, so that
    adding a row to a count grid is whole-vector operations."""
    return -(-(2 * radius + 1) // 16) * 16


def _torus(width: int, height: int, radii: tuple[int, ...]) -> tuple:
    """(width, height, pad, wrap_x, wrap_y, inside): wrap_x[x + pad] = x mod width for x
    in [-pad, width + pad), the same for y, and per cell whether every vision of `radii`,
    mask rows included, lies inside the grid (no wrapping needed)."""
    pad = max(radii)
    right = max(_row(r) - r - 1 for r in radii)  # a mask row reaches this far right
    wrap = [np.arange(-pad, n + pad) % n for n in (width, height)]
    y, x = np.divmod(np.arange(width * height), width)
    inside = (pad <= x) & (x < width - right) & (pad <= y) & (y < height - pad)
    return width, height, pad, *wrap, inside


@dataclass
class CompiledState:
    """The grid (each cell's kind, and the state of the citizen there), the agents' cells,
    the count grids and the geometry. A citizen's state lives in its cell and moves with
    it; an agent is just the cell it is in, so the per-step shuffle moves one int32 each."""

    params: EpsteinParams
    kind: np.ndarray  # int8 per cell: EMPTY, QUIET, ACTIVE, JAILED or COP
    traits: np.ndarray  # float64 (cells, 2): grievance H (1 - L) and risk aversion R there
    sentence: np.ndarray  # int32 per cell: remaining jail term (non-zero only if JAILED)
    where: np.ndarray  # int32 per agent: its cell; rows in the order of the last step
    scratch: np.ndarray  # int32 per agent: room for the shuffle
    cops_total: int  # number of cops
    cops: np.ndarray  # int8 or int16 per cell (`_counts`): cops in the closed citizen-vision
    actives: np.ndarray  # diamond; active citizens in it
    cop_actives: np.ndarray  # active citizens over the cop vision (`actives` if visions agree)
    sight: tuple  # the citizens' vision (see the compiled core)
    cop_sight: tuple  # the cops' vision
    reach: tuple  # both visions for moves (`_reach`)
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
        return self.agents - self.cops_total - active - jailed, active, jailed


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
    hardship, risk = rng.random(occupied.size), rng.random(occupied.size)
    kind = np.zeros(cells, dtype=np.int8)
    kind[occupied] = np.where(is_cop, COP, QUIET)
    traits = np.zeros((cells, 2))
    citizens = occupied[~is_cop]
    traits[citizens, 0] = hardship[~is_cop] * (1.0 - p.legitimacy)
    traits[citizens, 1] = risk[~is_cop]
    sight, cop_sight = _vision(p.citizen_vision, p.width), _vision(p.cop_vision, p.width)
    torus = _torus(p.width, p.height, (p.citizen_vision, p.cop_vision))
    cops = np.zeros(cells, dtype=_counts(p.citizen_vision))
    _spread_all(cops, occupied[is_cop], sight, torus)
    actives = np.zeros(cells, dtype=_counts(p.citizen_vision))
    seen = sight[1].size  # round(C / A) is at most the number of cells a citizen sees
    return CompiledState(
        params=p,
        kind=kind,
        traits=traits,
        sentence=np.zeros(cells, dtype=np.int32),
        where=occupied,
        scratch=np.empty_like(occupied),
        cops_total=int(np.count_nonzero(is_cop)),
        cops=cops,
        actives=actives,
        cop_actives=(
            actives
            if p.cop_vision == p.citizen_vision
            else np.zeros(cells, dtype=_counts(p.cop_vision))
        ),
        sight=sight,
        cop_sight=cop_sight,
        reach=_reach(sight, cop_sight, torus[2]),
        torus=torus,
        arrest=np.array([1.0 - math.exp(-p.arrest_prob_constant * k) for k in range(seen + 1)]),
    )


def step(state: CompiledState, rng: np.random.Generator) -> tuple[int, int, int]:
    """One step: every agent acts once, in a fresh random order; returns the tally."""
    s, p = state, state.params
    grids = (s.kind, s.traits, s.sentence, s.cops, s.actives, s.cop_actives)
    _shuffle(rng.bit_generator.random_raw(s.agents), s.where, s.scratch, _FEW)
    uniform, used = s.draws
    done = 0
    while done < s.agents:
        if used[0] > uniform.size - _RESERVE:  # draw afresh (the few left are dropped)
            rng.random(out=uniform)
            used[0] = 0
        done = _turns(done, s.draws, s.where, grids, s.cop_actives is not s.actives,
                      s.arrest, s.tallies, s.sight, s.cop_sight, s.reach, s.torus,
                      p.active_threshold, p.max_jail_term, p.movement)  # fmt: skip
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
# `torus` = (width, height, pad, wrap_x, wrap_y, inside); a vision = (radius, dx, dy, offsets,
# rows), the offsets being dy * width + dx, valid as they are for a cell that is `inside`.
#
# Speed notes. Numba counts references to arrays: binding an array to a variable inside
# a loop (taking it out of a tuple, or choosing between two arrays) costs atomic
# reference-count updates each time, dearer than a whole turn's work. So the turn loop
# takes every array out of its tuples before it starts, and the two visions' offsets sit
# in one array (the cops' after the citizens'), chosen between by index. The rare paths
# (a count diamond that wraps around an edge, an arrest, a vision with no empty cell after
# `_TRIES` draws) are left to helpers that take the tuples.


if njit is not None:
    from llvmlite import ir
    from numba.core import types
    from numba.extending import intrinsic

    @intrinsic
    def _prefetch(typingctx, array, index):
        """Ask the processor to start fetching array[index] into its caches (LLVM's
        prefetch: for reading, keep in all levels); no other effect."""

        def codegen(context, builder, signature, args):
            data = context.make_array(signature.args[0])(context, builder, args[0]).data
            byte = ir.IntType(8).as_pointer()
            i32 = ir.IntType(32)
            name = "llvm.prefetch.p0"
            fetch = builder.module.globals.get(name) or ir.Function(
                builder.module, ir.FunctionType(ir.VoidType(), [byte, i32, i32, i32]), name
            )
            address = builder.bitcast(builder.gep(data, [args[1]]), byte)
            builder.call(fetch, [address, i32(0), i32(3), i32(1)])
            return context.get_dummy_value()

        return types.void(array, index), codegen

else:

    def _prefetch(array, index):
        """Nothing to do without Numba."""


@_compiled
def _cell(cell, j, vision, torus):
    """The cell at the vision's `j`-th offset from `cell`, wrapped around the torus."""
    width, pad, wrap_x, wrap_y = torus[0], torus[2], torus[3], torus[4]
    x, y = cell % width + pad + vision[1][j], cell // width + pad + vision[2][j]
    return wrap_y[y] * width + wrap_x[x]


@_compiled
def _spread_wrapped(grid, cell, change, radius, torus):
    """Add `change` to `grid` over the closed diamond of `radius` around `cell`, wrapping
    around the torus."""
    width, pad, wrap_x, wrap_y = torus[0], torus[2], torus[3], torus[4]
    x, y = cell % width + pad, cell // width + pad
    for dy in range(-radius, radius + 1):
        row = wrap_y[y + dy] * width
        span = radius - abs(dy)
        for dx in range(-span, span + 1):
            grid[row + wrap_x[x + dx]] += change


@_compiled
def _add_rows(grid, cell, change, rows, width, radius):
    """`_spread` for a cell inside: add `change` times the mask `rows` a row at a time.
    Unsigned indices and a row width known only at run time let the compiler make each
    row a few vector operations."""
    start, step = np.uintp(cell - radius * (width + 1)), np.uintp(width)
    cells = np.uintp(rows.shape[1])
    if change > 0:
        for i in range(rows.shape[0]):
            for j in range(cells):
                grid[start + j] += rows[i, j]
            start += step
    else:
        for i in range(rows.shape[0]):
            for j in range(cells):
                grid[start + j] -= rows[i, j]
            start += step


@_compiled
def _spread(grid, cell, change, rows, inside, width, radius, torus):
    """Add `change` (1 or -1) to `grid` over the closed diamond of `radius` around `cell`,
    whose mask `rows` is. (The turn loop writes this test out where speed matters: with
    both branches in one function the compiler leaves it a costly call.)"""
    if inside[cell]:
        _add_rows(grid, cell, change, rows, width, radius)
    else:
        _spread_wrapped(grid, cell, change, radius, torus)


@_compiled
def _spread_all(grid, cells, vision, torus):
    """`_spread` of 1 around each of `cells`."""
    for cell in cells:
        _spread(grid, cell, 1, vision[4], torus[5], torus[0], vision[0], torus)


@_compiled
def _nth(kind, cell, wanted, n, vision, torus):
    """The `n`-th cell (from 0) of kind `wanted` in the vision of `cell`; -1 if fewer."""
    inside = torus[5][cell]
    offsets = vision[3]
    for j in range(offsets.size):
        c = cell + offsets[j] if inside else _cell(cell, j, vision, torus)
        if kind[c] == wanted:
            if n == 0:
                return c
            n -= 1
    return -1


@_compiled
def _empty_cell_listed(u, k, kind, cell, vision, torus):
    """A uniform one of the empty cells in the vision of `cell`, counted (-1 if none);
    returns it and the index of the next unused uniform."""
    empty = 0
    for j in range(vision[3].size):
        if kind[_cell(cell, j, vision, torus)] == EMPTY:
            empty += 1
    if empty == 0:
        return -1, k
    return _nth(kind, cell, EMPTY, int(u[k] * empty), vision, torus), k + 1


@_compiled
def _arrest(u, k, kind, sentence, cell, seen, max_jail_term, cop_sight, torus):
    """A cop at `cell` jails a uniformly chosen one of the `seen` active citizens in its
    vision; returns the jailed citizen's cell."""
    jailed = _nth(kind, cell, ACTIVE, int(u[k] * seen), cop_sight, torus)
    kind[jailed] = JAILED
    sentence[jailed] = int(u[k + 1] * (max_jail_term + 1))
    return jailed


@_compiled
def _shuffle(words, rows, scratch, few):
    """Put `rows` in a uniform random order, given as many uniform 64-bit `words`.

    At most `few` rows: Fisher-Yates from the end, the swap partner of row i being the top
    32 bits of words[i] times (i + 1), shifted down 32. More rows (more than a cache
    holds): Rao and Sandelius' method, which is uniform too and reads and writes in order,
    not at random: each row goes to one of `_BUCKETS` buckets by the top 8 bits of its
    word, keeping the order, then each bucket gets Fisher-Yates with the low 32 bits of the
    words (bits independent of the top 8), and the buckets are laid end to end."""
    n = rows.size
    low = np.uint64(0xFFFFFFFF)
    if n <= few:
        for i in range(n - 1, 0, -1):
            j = ((words[i] >> np.uint64(32)) * np.uint64(i + 1)) >> np.uint64(32)
            rows[i], rows[j] = rows[j], rows[i]
        return
    ends = np.zeros(_BUCKETS + 1, dtype=np.int64)
    for i in range(n):
        ends[(words[i] >> np.uint64(56)) + np.uint64(1)] += 1
    for b in range(_BUCKETS):
        ends[b + 1] += ends[b]
    fill = ends[:-1].copy()
    for i in range(n):
        b = words[i] >> np.uint64(56)
        scratch[fill[b]] = rows[i]
        fill[b] += 1
    for b in range(_BUCKETS):
        first = ends[b]
        for i in range(ends[b + 1] - 1, first, -1):
            j = first + (((words[i] & low) * np.uint64(i - first + 1)) >> np.uint64(32))
            scratch[i], scratch[j] = scratch[j], scratch[i]
    rows[:] = scratch


@_compiled
def _turns(start, draws, where, grids, separate, arrest, tallies, sight, cop_sight, reach, torus,
           threshold, max_jail_term, movement):  # fmt: skip
    """The turns of agents start, start + 1, ... (their rows are in this step's order),
    until fewer than `_RESERVE` draws are left; returns the next agent to act (the number
    of agents when all have acted).

    A move draws cells of the mover's vision until one is empty; after `_TRIES` misses it
    counts the empty cells and takes a uniform one of them. Either way the pick is uniform
    over the empty cells. A citizen who moves is free, so her sentence is 0, as is the
    empty cell's: only her kind and traits move with her."""
    kind, traits, sentence, cops, actives, cop_actives = grids
    u, used = draws
    width, wrap_x, wrap_y, inside = torus[0], torus[3], torus[4], torus[5]
    radius, rows, cop_radius, cop_rows = sight[0], sight[4], cop_sight[0], cop_sight[4]
    offsets, reach_x, reach_y, split = reach
    k = used[0]  # the next unused uniform; a local, so that it stays in a register
    n = where.size
    for agent in range(start, n):
        if k > u.size - _RESERVE:
            used[0] = k
            return agent
        if agent + _AHEAD < n:  # the cells that turn reads first: fetch them meanwhile
            ahead = where[agent + _AHEAD]
            _prefetch(kind, ahead)
            _prefetch(cops, ahead)
            _prefetch(actives, ahead)
            _prefetch(traits, 2 * ahead)  # traits[ahead, 0] (the array is C-ordered)
        here = where[agent]
        old = kind[here]
        cop = old == COP
        if cop:
            seen = cop_actives[here]
            if seen > 0:  # arrest a uniformly chosen active citizen in vision
                cell = _arrest(u, k, kind, sentence, here, seen, max_jail_term, cop_sight, torus)
                k += 2
                tallies[0] -= 1
                tallies[1] += 1
                _spread(actives, cell, -1, rows, inside, width, radius, torus)
                if separate:
                    _spread(cop_actives, cell, -1, cop_rows, inside, width, cop_radius, torus)
        else:
            if old == JAILED:
                if sentence[here] > 0:
                    sentence[here] -= 1
                    continue
                tallies[1] -= 1
            was_active = old == ACTIVE
            others = actives[here] - 1 if was_active else actives[here]
            odds = arrest[int(np.rint(cops[here] / (others + 1)))]
            now_active = traits[here, 0] - traits[here, 1] * odds > threshold
            kind[here] = ACTIVE if now_active else QUIET
        there = -1
        if movement:
            first, size = (split, offsets.size - split) if cop else (0, split)
            if inside[here]:
                for _ in range(_TRIES):
                    c = here + offsets[first + int(u[k] * size)]
                    k += 1
                    if kind[c] == EMPTY:
                        there = c
                        break
            else:
                x, y = here % width, here // width
                for _ in range(_TRIES):
                    j = first + int(u[k] * size)
                    c = wrap_y[y + reach_y[j]] * width + wrap_x[x + reach_x[j]]
                    k += 1
                    if kind[c] == EMPTY:
                        there = c
                        break
            if there < 0:
                if cop:
                    there, k = _empty_cell_listed(u, k, kind, here, cop_sight, torus)
                else:
                    there, k = _empty_cell_listed(u, k, kind, here, sight, torus)
        if there >= 0:
            kind[there] = kind[here]
            kind[here] = EMPTY
            where[agent] = there
            if cop:
                if inside[here]:
                    _add_rows(cops, here, -1, rows, width, radius)
                else:
                    _spread_wrapped(cops, here, -1, radius, torus)
                if inside[there]:
                    _add_rows(cops, there, 1, rows, width, radius)
                else:
                    _spread_wrapped(cops, there, 1, radius, torus)
                continue
            traits[there, 0] = traits[here, 0]
            traits[there, 1] = traits[here, 1]
        else:
            if cop:
                continue
            there = here
        if was_active and (not now_active or there != here):
            tallies[0] -= 1
            _spread(actives, here, -1, rows, inside, width, radius, torus)
            if separate:
                _spread(cop_actives, here, -1, cop_rows, inside, width, cop_radius, torus)
        if now_active and (not was_active or there != here):
            tallies[0] += 1
            _spread(actives, there, 1, rows, inside, width, radius, torus)
            if separate:
                _spread(cop_actives, there, 1, cop_rows, inside, width, cop_radius, torus)
    used[0] = k
    return n

"""Array-style NumPy port of Epstein's civil-violence model (Epstein 2002, PNAS, Model 1).

Rules and defaults follow Mesa's ``epstein_civil_violence`` example (Mesa 3.3): a torus with
at most one agent per cell; each cell starts as a citizen (p = 0.7), a cop (p = 0.074) or
empty. Citizens draw hardship H ~ U(0, 1) and risk aversion R ~ U(0, 1); grievance is
G = H (1 - L). Vision is a von Neumann diamond (Manhattan distance <= 7, centre excluded).
A free citizen counts the cops C and the other active citizens A in vision, estimates
P = 1 - exp(-k round(C / (A + 1))) (round half to even, like Python's ``round``) and is
active iff G - R P > threshold, else quiet. A cop arrests one uniformly chosen active
citizen in vision, who is jailed for randint(0, J_max) steps and keeps its cell. A jailed
citizen only counts its sentence down; once it is zero the citizen decides again. Every
free agent (cop or non-jailed citizen) jumps to a uniformly chosen empty cell in vision.

Layout (structure of arrays on the grid). One uint16 per cell: the low byte is the kind
(empty, quiet, active, jailed, cop, inert), the high byte the citizen's critical level:
since P only takes the values P(n), n = round(C / (A + 1)), and grows with n, the rule
G - R P(n) > T is exactly n < (number of levels with P(n) < (G - T) / R). Citizens with
G <= T can never be active ("inert", counted as quiet) and skip the decision. Jail terms
are an int32 grid. Grids are padded by the vision radius so torus neighbours are plain
index offsets (``canon`` maps a padded index back to the interior). Cops and actives are
packed into one uint16 (actives + 256 cops) and summed over the radius-r diamond for the
whole grid at once: the diamond splits into its two parity classes, each an axis-aligned
square in diagonal coordinates, i.e. a diagonal then an anti-diagonal window sum, both
by doubling (O(cells log r), no loop over cells), once per step.

Sequential activation. Mesa activates every agent once per step in a fresh random order,
so each agent sees what the agents before it did. The port draws a random batch label in
[0, substeps) for every agent that acts this step (cops, free citizens able to turn
active, citizens whose sentence ended) and runs the batches in turn. Within a batch: a
random half of its cops arrest; its citizens count down new sentences or decide; its other
cops arrest; then its active citizens move. Counts are updated after each phase (sparse
updates around the citizens that changed or moved), so every phase sees all earlier
arrests, decisions and moves of actives exactly. A citizen is thus exposed, on average, to
half of the cops' turns after its own decision, as in a random order, and cascades spread
from batch to batch within a step. Two cops never arrest the same citizen: a cop whose
pick was taken (random winner) picks again among the actives still free. Approximations:
(1) agents of one batch act simultaneously; (2) cops and quiet citizens move after all
batches (in one phase, followed by one whole-grid recount), not right after their own
turn; only actives, whose moves change other citizens' counts, move with their batch. So
within a step cops count from where they stood at its start (Mesa: half of them already
moved). Moves use rejection sampling: an agent draws offsets in its vision until one is
empty, so its pick is uniform over its empty cells; while more agents still have to move
than there are empty cells, empty cells "pull" instead (each draws an offset and takes the
pending mover found there; a mover pulled by several cells takes one of them), which gives
each mover the same uniform choice with fewer draws. Agents picking the same cell are
separated (one wins; by index order, direction random per round) and the others draw
again, seeing the cells freed so far, like later agents in a sequential sweep.
``equivalence.py`` checks the aggregate dynamics against Mesa.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

EMPTY, QUIET, ACTIVE, JAILED, COP, INERT = 0, 1, 2, 3, 4, 5  # INERT: G <= T, always quiet
_KIND = np.uint16(0x00FF)
_PENDING = np.uint16(0x0080)  # set on the kind byte of agents still to move
_NOT_PENDING = np.uint16(0xFF7F)
_U16 = 1 << 16
_PULL_WHILE = 1.0  # empty cells pull while pending movers outnumber them
_DRAWS_PER_ROUND = 1 << 14  # push rounds draw up to this many candidates (fewer rounds)


def _kind_table(values: dict[int, int], dtype: type) -> np.ndarray:
    """A lookup table over all uint16 cell values, by the cell's kind byte."""
    table = np.zeros(_U16, dtype=dtype)
    kinds = np.arange(_U16) & 0xFF
    for kind, value in values.items():
        table[kinds == kind] = value
    return table


_PACK = _kind_table({ACTIVE: 1, COP: 256}, np.uint16)  # cell -> actives + 256 cops
_IS_ACTIVE = _kind_table({ACTIVE: 1}, np.bool_)
_ACTS = _kind_table({QUIET: 1, ACTIVE: 1, COP: 1}, np.bool_)  # takes a turn each step
_IS_JAILED = _kind_table({JAILED: 1}, np.bool_)
_IS_COP = _kind_table({COP: 1}, np.bool_)
_IS_CITIZEN = _kind_table({QUIET: 1, ACTIVE: 1, JAILED: 1, INERT: 1}, np.bool_)
_REST_FLAG = _kind_table({QUIET: 0x80, INERT: 0x80, COP: 0x80}, np.uint16)  # move at end
_QUIET_FLAG = _kind_table({QUIET: 0x80, INERT: 0x80}, np.uint16)


@dataclass(frozen=True)
class EpsteinParams:
    """Model parameters; names and defaults follow Mesa's EpsteinCivilViolence."""

    width: int = 40
    height: int = 40
    citizen_density: float = 0.7
    cop_density: float = 0.074
    citizen_vision: int = 7
    cop_vision: int = 7
    legitimacy: float = 0.8
    max_jail_term: int = 1000
    active_threshold: float = 0.1
    arrest_prob_constant: float = 2.3
    movement: bool = True
    substeps: int = 8  # random activation batches per step (see the module docstring)
    move_rounds: int = 48  # cap on move rounds per move phase (unresolved movers stay)


@dataclass
class EpsteinState:
    """Mutable simulation state: per-cell grids (flat, padded) and lookup tables."""

    params: EpsteinParams
    pad: int
    cell: np.ndarray  # uint16 kind | critical level << 8; padding 0 between phases
    sentence: np.ndarray  # int32 remaining jail term
    counts: np.ndarray  # uint16 actives + 256 cops over the closed citizen-vision diamond
    cop_counts: np.ndarray  # the same over the cop vision (same array if visions agree)
    claim: np.ndarray  # int32 scratch for resolving conflicts
    canon: np.ndarray  # intp padded index -> interior padded index
    cit_off: np.ndarray  # intp flat offsets of the citizen vision (centre excluded)
    cop_off: np.ndarray  # intp flat offsets of the cop vision (centre excluded)
    cit_draw: np.ndarray  # intp uniform draw -> citizen vision offset (0: a miss)
    cop_draw: np.ndarray  # intp uniform draw -> cop vision offset (0: a miss)
    level: np.ndarray  # uint8 packed count (A + 256 C) -> round(C / (A + 1)), capped
    citizens: int
    agents: int
    active: int = 0
    jailed: int = 0
    steps: int = 0
    work: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) of the padded grid."""
        return self.params.height + 2 * self.pad, self.params.width + 2 * self.pad

    @property
    def draw_dtype(self) -> type:
        """Integer type of the uniform draws that index the move tables."""
        return np.uint8 if self.cit_draw.size <= 256 else np.uint16

    def buffer(self, name: str, shape: tuple[int, ...], dtype: type) -> np.ndarray:
        """A scratch array kept between calls (faulting in fresh pages is slow)."""
        buf = self.work.get(name)
        if buf is None or buf.shape != shape or buf.dtype != dtype:
            buf = self.work[name] = np.empty(shape, dtype=dtype)
        return buf

    def tally(self) -> tuple[int, int, int]:
        """Numbers of quiet, active and jailed citizens."""
        return self.citizens - self.active - self.jailed, self.active, self.jailed


def diamond_offsets(radius: int) -> np.ndarray:
    """(dy, dx) pairs with 1 <= |dy| + |dx| <= radius, i.e. Mesa's von Neumann vision."""
    r = np.arange(-radius, radius + 1)
    dy, dx = np.meshgrid(r, r, indexing="ij")
    keep = (np.abs(dy) + np.abs(dx) <= radius) & ((dy != 0) | (dx != 0))
    return np.stack([dy[keep], dx[keep]], axis=1)


def _draw_table(offsets: np.ndarray, space: int) -> np.ndarray:
    """Map a uniform integer in [0, space) to a uniform offset; the rest map to 0 (a miss)."""
    n = offsets.size
    usable = (space // n) * n
    table = np.zeros(space, dtype=np.intp)
    table[:usable] = offsets[np.arange(usable) % n]
    return table


def _levels(k: float) -> tuple[np.ndarray, np.ndarray]:
    """n = round(C / (A + 1)) for every packed count A + 256 C, and P(n) = 1 - exp(-k n)."""
    v = np.arange(_U16)
    n = np.minimum(np.rint((v >> 8) / ((v & 255) + 1.0)), 255).astype(np.uint8)
    return n, 1.0 - np.exp(-k * np.arange(256))


def _check(params: EpsteinParams) -> None:
    """Reject parameters the port cannot represent."""
    pad = max(params.citizen_vision, params.cop_vision)
    if min(params.citizen_vision, params.cop_vision) < 1:
        raise ValueError("vision must be at least 1 (as in Mesa)")
    if min(params.width, params.height) < 2 * pad + 1:
        raise ValueError("grid must be at least 2 * vision + 1 cells in each direction")
    if params.citizen_density + params.cop_density > 1:
        raise ValueError("cop density + citizen density must not exceed 1")
    if not 1 <= params.substeps <= 255:
        raise ValueError("substeps must be in 1..255")


def _torus(h: int, w: int, pad: int) -> tuple[np.ndarray, np.ndarray]:
    """Padded index -> interior padded index (`canon`), and the interior cells in order."""
    hp, wp = h + 2 * pad, w + 2 * pad
    rows = (np.arange(hp) - pad) % h + pad
    cols = (np.arange(wp) - pad) % w + pad
    canon = (rows[:, None] * wp + cols[None, :]).astype(np.intp).ravel()
    return canon, canon.reshape(hp, wp)[pad:-pad, pad:-pad].ravel()


def _populate(params: EpsteinParams, rng: np.random.Generator, prob: np.ndarray) -> np.ndarray:
    """Interior cell values: i.i.d. citizen / cop / empty, citizens quiet with their level.

    The critical level is the number of arrest levels with P(n) < (G - T) / R.
    """
    n = params.width * params.height
    u = rng.random(n)
    grievance = rng.random(n) * (1.0 - params.legitimacy)
    risk = rng.random(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        tolerable = (grievance - params.active_threshold) / risk  # active iff P < this
    critical = np.minimum(np.searchsorted(prob, tolerable), 255).astype(np.uint16)
    critical[grievance <= params.active_threshold] = 0
    kind = np.full(n, EMPTY, dtype=np.uint16)
    kind[u < params.citizen_density + params.cop_density] = COP
    citizen = u < params.citizen_density
    crit = critical[citizen]
    kind[citizen] = np.where(crit > 0, QUIET, INERT) | (crit << 8)
    return kind


def init(params: EpsteinParams, rng: np.random.Generator) -> EpsteinState:
    """Place citizens and cops i.i.d. per cell as Mesa does; every citizen starts quiet."""
    _check(params)
    pad = max(params.citizen_vision, params.cop_vision)
    canon, interior = _torus(params.height, params.width, pad)
    level, prob = _levels(params.arrest_prob_constant)
    kind = _populate(params, rng, prob)
    cell = np.zeros(canon.size, dtype=np.uint16)
    cell[interior] = kind
    wp = params.width + 2 * pad

    def flat(radius: int) -> np.ndarray:
        off = diamond_offsets(radius)
        return (off[:, 0] * wp + off[:, 1]).astype(np.intp)

    cit_off, cop_off = flat(params.citizen_vision), flat(params.cop_vision)
    space = 256 if max(cit_off.size, cop_off.size) <= 256 else _U16
    counts = np.zeros(cell.size, dtype=np.uint16)
    same = params.citizen_vision == params.cop_vision
    st = EpsteinState(
        params=params,
        pad=pad,
        cell=cell,
        sentence=np.zeros(cell.size, dtype=np.int32),
        counts=counts,
        cop_counts=counts if same else np.zeros(cell.size, dtype=np.uint16),
        claim=np.zeros(cell.size, dtype=np.int32),
        canon=canon,
        cit_off=cit_off,
        cop_off=cop_off,
        cit_draw=_draw_table(cit_off, space),
        cop_draw=_draw_table(cop_off, space),
        level=level,
        citizens=int(np.count_nonzero(_IS_CITIZEN.take(kind))),
        agents=int(np.count_nonzero(kind)),
    )
    recount(st)
    return st


# --------------------------------------------------------------------------- counting


def _powers(st: EpsteinState, a: np.ndarray, top: int, anti: bool, tag: str) -> dict:
    """Window sums of lengths 1, 2, 4, ... <= top along the diagonal or anti-diagonal.

    Diagonal: S_L[i, j] = sum_{t<L} a[i+t, j+t]; anti-diagonal: a[i+t, j+L-1-t].
    """
    powers = {1: a}
    size = 1
    while 2 * size <= top:
        s = powers[size]
        out = st.buffer(f"{tag}{2 * size}", (s.shape[0] - size, s.shape[1] - size), a.dtype)
        if anti:
            np.add(s[:-size, size:], s[size:, :-size], out=out)
        else:
            np.add(s[:-size, :-size], s[size:, size:], out=out)
        powers[2 * size] = out
        size *= 2
    return powers


def _combine(st: EpsteinState, powers: dict, length: int, anti: bool, tag: str) -> np.ndarray:
    """Window sum of any length from the power-of-two ones (binary decomposition)."""
    a = powers[1]
    h, w = a.shape[0] - length + 1, a.shape[1] - length + 1
    parts, done = [], 0
    for size in sorted(powers, reverse=True):
        if length & size:
            col = length - done - size if anti else done
            parts.append(powers[size][done : done + h, col : col + w])
            done += size
    if len(parts) == 1:
        return parts[0]
    out = st.buffer(f"{tag}sum", (h, w), a.dtype)
    np.add(parts[0], parts[1], out=out)
    for part in parts[2:]:
        np.add(out, part, out=out)
    return out


def diamond_sum(st: EpsteinState, padded: np.ndarray, radius: int, out: np.ndarray) -> None:
    """Write into `out` (h, w) the sums over the closed radius-r diamond of a wrapped grid.

    Cells with dy + dx = r (mod 2) form an (r+1) x (r+1) square in diagonal coordinates,
    the others an r x r square; each square is a diagonal window sum followed by an
    anti-diagonal one, both by doubling.
    """
    cut = st.pad - radius
    p = padded[cut : padded.shape[0] - cut, cut : padded.shape[1] - cut]
    h, w = out.shape
    diag = _powers(st, p, radius + 1, anti=False, tag="d")
    big = _combine(st, diag, radius + 1, anti=False, tag="big")
    odd = _combine(st, _powers(st, big, radius + 1, True, "a"), radius + 1, True, "odd")
    small = _combine(st, diag, radius, anti=False, tag="small")
    even = _combine(st, _powers(st, small, radius, True, "b"), radius, True, "even")
    np.add(odd, even[1 : h + 1, 1 : w + 1], out=out)


def _wrap_padding(grid2d: np.ndarray, pad: int) -> None:
    """Copy the interior's opposite edges into the padding (torus wrap)."""
    grid2d[:pad, pad:-pad] = grid2d[-2 * pad : -pad, pad:-pad]
    grid2d[-pad:, pad:-pad] = grid2d[pad : 2 * pad, pad:-pad]
    grid2d[:, :pad] = grid2d[:, -2 * pad : -pad]
    grid2d[:, -pad:] = grid2d[:, pad : 2 * pad]


def _fill_padding(grid2d: np.ndarray, pad: int, value: int) -> None:
    """Set the padding to `value` (EMPTY between phases, so that it holds no agents)."""
    grid2d[:pad] = value
    grid2d[-pad:] = value
    grid2d[:, :pad] = value
    grid2d[:, -pad:] = value


def recount(st: EpsteinState) -> None:
    """Recompute the packed neighbourhood counts of every cell from scratch (whole grid)."""
    hp, wp = st.shape
    pad = st.pad
    packed = st.buffer("packed", (hp * wp,), np.uint16)
    _PACK.take(st.cell, out=packed)
    packed = packed.reshape(hp, wp)
    _wrap_padding(packed, pad)
    p = st.params
    grids = [(st.counts, p.citizen_vision)]
    if st.cop_counts is not st.counts:
        grids.append((st.cop_counts, p.cop_vision))
    for counts, radius in grids:
        diamond_sum(st, packed, radius, counts.reshape(hp, wp)[pad : hp - pad, pad : wp - pad])


def _shift_counts(st: EpsteinState, up: np.ndarray, down: np.ndarray) -> None:
    """Add one active around each of the cells `up`, remove one around `down` (centre too)."""
    n = up.size + down.size
    if n == 0:
        return
    grids = [(st.counts, st.cit_off)]
    if st.cop_counts is not st.counts:
        grids.append((st.cop_counts, st.cop_off))
    if n * (grids[0][1].size + 1) > 2 * st.cell.size:
        recount(st)  # a dense change: a full recount is cheaper than scattered updates
        return
    one = np.uint16(1)  # the array's own dtype keeps ufunc.at on its fast path
    for counts, off in grids:
        for cells, change in ((up, np.add), (down, np.subtract)):
            if cells.size:
                change.at(counts, st.canon.take(cells[:, None] + off[None, :]).ravel(), one)
                change.at(counts, cells, one)


# --------------------------------------------------------------------------- actions


def _set_kind(st: EpsteinState, cells: np.ndarray, kinds: np.ndarray | int) -> None:
    """Overwrite the kind byte of `cells`, keeping the citizen's critical level."""
    st.cell[cells] = (st.cell.take(cells) & ~_KIND) | kinds


def _resolve(st: EpsteinState, keys: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Mask picking one claimant per distinct key (last or first in index order, at random)."""
    idx = np.arange(keys.size, dtype=np.int32)
    if rng.random() < 0.5:
        st.claim[keys] = idx  # the last writer wins
    else:
        st.claim[keys[::-1]] = idx[::-1]
    return st.claim.take(keys) == idx


def _arrest(st: EpsteinState, cops: np.ndarray, rng: np.random.Generator) -> None:
    """Each cop that sees an active citizen jails one of them at random, distinct per cop."""
    cops = cops.compress((st.cop_counts.take(cops) & 255) > 0)
    if cops.size == 0:
        return
    cells = st.canon.take(cops[:, None] + st.cop_off[None, :])
    jailed = []
    while cells.shape[0]:
        active = _IS_ACTIVE.take(st.cell.take(cells))
        count = active.sum(axis=1)
        keep = count > 0
        if not keep.all():
            cells, active, count = cells[keep], active[keep], count[keep]
            if cells.shape[0] == 0:
                break
        pick = (rng.random(count.size) * count).astype(np.intp)
        col = np.argmax(np.cumsum(active, axis=1) > pick[:, None], axis=1)
        target = cells[np.arange(count.size), col]
        order = rng.permutation(target.size)  # a random cop wins a contested citizen
        won = np.zeros(target.size, dtype=bool)
        won[order.compress(_resolve(st, target.take(order), rng))] = True
        got = target.compress(won)
        _set_kind(st, got, JAILED)
        st.sentence[got] = rng.integers(0, st.params.max_jail_term + 1, got.size)
        jailed.append(got)
        cells = cells[~won]
    got = np.concatenate(jailed)
    st.active -= got.size
    st.jailed += got.size
    _shift_counts(st, got[:0], got)


def _decide(st: EpsteinState, cells: np.ndarray) -> None:
    """Free citizens turn active iff G - R P(arrest) > threshold (level below critical)."""
    cell = st.cell.take(cells)
    was = _IS_ACTIVE.take(cell)
    level = st.level.take(st.counts.take(cells) - was)  # without the citizen's own flag
    act = level < (cell >> 8)
    released = _IS_JAILED.take(cell)  # sentence over: leaves jail now
    change = np.flatnonzero((act != was) | released)
    if change.size == 0:
        return
    st.jailed -= int(np.count_nonzero(released))
    act, was = act.take(change), was.take(change)
    changed = cells.take(change)
    kind = np.where(act, np.uint16(ACTIVE), np.uint16(QUIET))
    st.cell[changed] = (cell.take(change) & ~_KIND) | kind
    became, ceased = changed.compress(act & ~was), changed.compress(was & ~act)
    st.active += became.size - ceased.size
    _shift_counts(st, became, ceased)


def _batch(st: EpsteinState, cells: np.ndarray, rng: np.random.Generator) -> None:
    """One activation batch: early cops arrest, citizens decide, late cops arrest.

    Then the batch's active citizens move (they matter to everyone's counts); cops and
    quiet citizens move once all batches are done.
    """
    is_cop = _IS_COP.take(st.cell.take(cells))
    cops, cits = cells.compress(is_cop), cells.compress(~is_cop)
    early = rng.random(cops.size) < 0.5
    _arrest(st, cops.compress(early), rng)
    sentence = st.sentence.take(cits)
    serving = sentence > 0  # jailed earlier in this step: counts down instead
    if serving.any():
        st.sentence[cits.compress(serving)] = sentence.compress(serving) - 1
        cits = cits.compress(~serving)
    _decide(st, cits)
    _arrest(st, cops.compress(~early), rng)
    if st.params.movement:  # the batch's actives move now; the others at the end
        actives = cits.compress(_IS_ACTIVE.take(st.cell.take(cits)))
        if actives.size:
            old, new = _move(st, actives, rng)
            _shift_counts(st, new, old)


# --------------------------------------------------------------------------- movement


def _relocate(st: EpsteinState, old: np.ndarray, new: np.ndarray) -> None:
    """Move the agents at cells `old` to the empty cells `new`, clearing the pending flag."""
    st.cell[new] = st.cell.take(old) & _NOT_PENDING
    st.cell[old] = EMPTY


def _pull_round(
    st: EpsteinState, empties: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Each empty cell draws an offset and takes the pending mover there, if any.

    A mover pulled by several cells goes to one of them; as every empty cell in its
    vision pulls it with the same probability, its new cell is uniform over them. Updates
    `empties` in place (a filled cell is replaced by the one its mover left); returns the
    moves as (old cells, new cells).
    """
    draw = rng.integers(0, st.cit_draw.size, empties.size, dtype=st.draw_dtype)
    source = empties - st.cit_draw.take(draw)
    hit = np.flatnonzero(st.cell.take(source) & _PENDING)
    movers = st.canon.take(source.take(hit))
    won = _resolve(st, movers, rng)
    who = hit.compress(won)
    old, new = movers.compress(won), empties.take(who)
    _relocate(st, old, new)
    empties[who] = old
    return old, new


def _push_round(
    st: EpsteinState,
    movers: np.ndarray,
    is_cop: np.ndarray | None,
    k: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Each pending mover draws k offsets and claims its first empty one.

    Returns a mask of the movers that did not move and the moves (old cells, new cells).
    """
    m = movers.size
    draw = rng.integers(0, st.cit_draw.size, (m, k), dtype=st.draw_dtype)
    cand = st.cit_draw.take(draw)
    if is_cop is not None:
        cand = np.where(is_cop[:, None], st.cop_draw.take(draw), cand)
    cand += movers[:, None]
    empty = st.cell.take(cand) == EMPTY
    if k > 1:
        first = np.argmax(empty, axis=1) + np.arange(0, m * k, k)
        empty, cand = empty.take(first), cand.take(first)
    else:
        empty, cand = empty.ravel(), cand.ravel()
    hit = np.flatnonzero(empty)
    target = st.canon.take(cand.take(hit))
    won = _resolve(st, target, rng)
    who = hit.compress(won)
    old, new = movers.take(who), target.compress(won)
    _relocate(st, old, new)
    stay = np.ones(m, dtype=bool)
    stay[who] = False
    return stay, (old, new)


def _push_phase(
    st: EpsteinState, movers: np.ndarray, rng: np.random.Generator, rounds: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Push rounds until every flagged mover in `movers` moved or `rounds` ran out.

    Movers left without a cell stay (in Mesa: no empty cell in vision). Expects wrapped
    padding; returns the moves as a list of (old cells, new cells).
    """
    hp, wp = st.shape
    grid = st.cell.reshape(hp, wp)
    moves = []
    is_cop = None
    if st.params.citizen_vision != st.params.cop_vision:
        is_cop = (st.cell.take(movers) & 0x7F) == COP
    start = max(movers.size, 1)
    while rounds and movers.size:
        m = movers.size
        k = int(min(16, max(1, _DRAWS_PER_ROUND // m, start // (2 * m))))
        stay, done = _push_round(st, movers, is_cop, k, rng)
        moves.append(done)
        movers = movers.compress(stay)
        if is_cop is not None:
            is_cop = is_cop.compress(stay)
        rounds -= 1
        _wrap_padding(grid, st.pad)
    st.cell[movers] = st.cell.take(movers) & _NOT_PENDING
    return moves


def _move(
    st: EpsteinState, movers: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Jump each of `movers` (ascending cells) to a uniform empty cell in its vision.

    Returns the moves as (old cells, new cells).
    """
    if movers.size == 0:
        return movers, movers
    hp, wp = st.shape
    grid = st.cell.reshape(hp, wp)
    st.cell[movers] = st.cell.take(movers) | _PENDING
    _wrap_padding(grid, st.pad)
    moves = _push_phase(st, movers, rng, st.params.move_rounds)
    _fill_padding(grid, st.pad, EMPTY)
    if len(moves) == 1:
        return moves[0]
    return np.concatenate([o for o, _ in moves]), np.concatenate([n for _, n in moves])


def _move_rest(st: EpsteinState, rng: np.random.Generator) -> None:
    """Move every agent that has not moved in this step: cops and quiet citizens.

    While pending movers outnumber empty cells, empty cells pull; then movers push.
    """
    p = st.params
    hp, wp = st.shape
    cell, pad = st.cell, st.pad
    grid = cell.reshape(hp, wp)
    pending = st.citizens - st.active - st.jailed  # quiet citizens
    if p.citizen_vision != p.cop_vision:  # pulls draw from the citizen vision: cops push
        _move(st, np.flatnonzero(_IS_COP.take(cell)), rng)
        cell |= _QUIET_FLAG.take(cell)
    else:
        cell |= _REST_FLAG.take(cell)
        pending += st.agents - st.citizens  # and the cops
    rounds = p.move_rounds
    _fill_padding(grid, pad, _KIND)  # not empty, not pending
    empties = np.flatnonzero(cell == EMPTY)
    _wrap_padding(grid, pad)
    while rounds and pending > _PULL_WHILE * empties.size:
        pending -= _pull_round(st, empties, rng)[0].size
        rounds -= 1
        _wrap_padding(grid, pad)
    _fill_padding(grid, pad, EMPTY)
    movers = np.flatnonzero(cell & _PENDING)
    _wrap_padding(grid, pad)
    _push_phase(st, movers, rng, rounds)
    _fill_padding(grid, pad, EMPTY)


# --------------------------------------------------------------------------- stepping


def _batches(cells: np.ndarray, n: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Split `cells` into n random batches (each agent's batch uniform), order kept."""
    if n == 1:
        return [cells]
    if n & (n - 1) == 0:  # a power of two: the top bits of a random byte
        label = rng.integers(0, 256, cells.size, dtype=np.uint8) >> (8 - n.bit_length() + 1)
    else:
        draw = rng.integers(0, _U16, cells.size, dtype=np.uint16).astype(np.uint32)
        label = ((draw * n) >> 16).astype(np.uint8)
    return [cells.compress(label == b) for b in range(n)]


def step(st: EpsteinState, rng: np.random.Generator) -> tuple[int, int, int]:
    """Advance one step; returns the numbers of quiet, active and jailed citizens."""
    p = st.params
    acts = _ACTS.take(st.cell)
    jailed = np.flatnonzero(_IS_JAILED.take(st.cell))
    sentence = st.sentence.take(jailed)
    serving = sentence > 0  # running sentences just count down
    st.sentence[jailed.compress(serving)] = sentence.compress(serving) - 1
    acts[jailed.compress(~serving)] = True  # sentence over: decides in its turn
    for cells in _batches(np.flatnonzero(acts), p.substeps, rng):
        _batch(st, cells, rng)
    if p.movement:
        _move_rest(st, rng)
        recount(st)
    st.steps += 1
    return st.tally()


def tally(st: EpsteinState) -> tuple[int, int, int]:
    """Numbers of quiet, active and jailed citizens, counted from the grid."""
    c = np.bincount(st.cell & _KIND, minlength=6)
    return int(c[QUIET] + c[INERT]), int(c[ACTIVE]), int(c[JAILED])


def run(params: EpsteinParams, steps: int, seed: int | np.random.SeedSequence) -> np.ndarray:
    """Simulate `steps` steps; returns an int array (steps + 1, 3) of quiet/active/jailed."""
    rng = np.random.default_rng(seed)
    st = init(params, rng)
    out = np.empty((steps + 1, 3), dtype=np.int64)
    out[0] = st.tally()
    for t in range(1, steps + 1):
        out[t] = step(st, rng)
    return out

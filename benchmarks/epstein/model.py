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
so each agent sees what the agents before it did. The port gives every agent that acts a
random batch label in [0, substeps) and runs the batches in turn. Within a batch: a random
half of its cops arrest; its citizens count down new sentences or decide; its other cops
arrest; then its active citizens move. Counts are updated after each phase (sparse updates
around the citizens that changed or moved), so every phase sees all earlier arrests,
decisions and moves of actives exactly. A citizen is thus exposed, on average, to half of
the cops' turns after its own decision, as in a random order, and cascades spread from
batch to batch within a step. Two cops never arrest the same citizen: a cop whose pick was
taken (random winner) picks again among the actives still free. Approximations: (1) agents
of one batch act simultaneously; (2) cops and quiet citizens move after all batches (in one
phase, followed by one whole-grid recount), not right after their own turn; only actives,
whose moves change other citizens' counts, move with their batch. So within a step cops
count from where they stood at its start (Mesa: half of them already moved).

Turns only where they change something. Most turns do nothing: a quiet citizen that stays
quiet, a cop that sees no active citizen. Within a step only a citizen that turns active,
or moves while active, can give another agent's turn something to do (cops stand still,
and fewer actives only raise arrest levels). So turns are drawn lazily, for the agents
"stirred": at the start of the step the active citizens, the quiet ones that would turn
active, the cops that see an active one and the jailed whose sentence ended; during the
step, the agents without a turn within the vision of a citizen that just turned active or
moved, if they are now stirred. An agent stirred after its drawn batch has passed would have
found nothing to do in it, so its turn is spent. Every agent's label is thus uniform and
independent as if all were drawn at the start of the step, and the step is the one of the
batch scheme above, at a cost that follows the activity instead of the grid. One whole-grid
comparison finds the quiet citizens that see no active one and would turn active (their
level is C, so counts = 256 C < critical level << 8); those that see active ones are
checked with the cops around the active citizens. Jailed citizens are kept in a list.

Moves use rejection sampling: an agent draws offsets in its vision until one is empty, so
its pick is uniform over its empty cells; while more agents still have to move than there
are empty cells, empty cells "pull" instead (each draws an offset and takes the pending
mover found there; a mover pulled by several cells takes one of them), which gives each
mover the same uniform choice with fewer draws. A few movers (the last ones, and active
citizens within a batch) list their whole vision and pick one of its empty cells instead.
Agents picking the same cell are separated (one wins; by index order, direction random per
round) and the others draw again, seeing the cells freed so far, like later agents in a
sequential sweep. Random bytes for the draws come straight from the bit generator.
``equivalence.py`` checks the aggregate dynamics against Mesa, and against `sequential.py`
(Mesa's rules one agent at a time, with no shortcuts) over larger samples.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import numpy as np

# kinds; the agents that move at the end of a step (quiet, inert, cops) are the top codes
EMPTY, ACTIVE, JAILED, QUIET, INERT, COP = 0, 1, 2, 3, 4, 5  # INERT: G <= T, always quiet
_KIND = np.uint16(0x00FF)
_PENDING = np.uint16(0x0080)  # set on the kind byte of agents still to move
_NOT_PENDING = np.uint16(0xFF7F)
_U16 = 1 << 16
_PULL_WHILE = 1.0  # empty cells pull while pending movers outnumber them
_DRAWS_PER_ROUND = 1 << 14  # push rounds draw up to this many candidates (fewer rounds)
_ENUMERATE_UP_TO = 32  # this few movers list their whole vision instead of drawing offsets


def _kind_table(values: dict[int, int], dtype: type) -> np.ndarray:
    """A lookup table over all uint16 cell values, by the cell's kind byte."""
    table = np.zeros(_U16, dtype=dtype)
    kinds = np.arange(_U16) & 0xFF
    for kind, value in values.items():
        table[kinds == kind] = value
    return table


_IS_ACTIVE = _kind_table({ACTIVE: 1}, np.bool_)
_IS_JAILED = _kind_table({JAILED: 1}, np.bool_)
_IS_COP = _kind_table({COP: 1}, np.bool_)
_IS_CITIZEN = _kind_table({QUIET: 1, ACTIVE: 1, JAILED: 1, INERT: 1}, np.bool_)


def _stirred_near_table() -> np.ndarray:
    """cell -> the arrest levels below which the turn of an agent near a new active citizen
    does something: a quiet citizen's critical level; all for an active citizen (it decides
    and moves) and for a cop (it sees the new one); none for the others."""
    value = np.arange(_U16)
    kind = value & 0xFF
    table = np.where(kind == QUIET, value >> 8, 0)
    table[(kind == ACTIVE) | (kind == COP)] = 255
    return table.astype(np.uint8)


_STIRRED_NEAR = _stirred_near_table()
_ACTIVE16, _QUIET16 = np.uint16(ACTIVE), np.uint16(QUIET)
_UNLABELLED = np.uint16(0xFFFF)  # no turn drawn in this step yet


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
    cit_closed: np.ndarray  # cit_off and 0 (the closed diamond)
    cop_closed: np.ndarray  # cop_off and 0
    cit_draw: np.ndarray  # intp uniform draw -> citizen vision offset (0: a miss)
    cop_draw: np.ndarray  # intp uniform draw -> cop vision offset (0: a miss)
    level: np.ndarray  # uint8 packed count (A + 256 C) -> round(C / (A + 1)), capped
    near: np.ndarray  # intp flat offsets of the larger vision (whom a new active may stir)
    label: np.ndarray  # uint16 per cell: this step's turn, batch * 2 + late bit, or unlabelled
    citizens: int
    agents: int
    active: int = 0
    jailed: int = 0
    steps: int = 0
    jail: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))  # jailed cells
    arrested: list[np.ndarray] = field(default_factory=list)  # cells jailed in this step
    due: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))  # scheduled cells
    labelled: list[np.ndarray] = field(default_factory=list)  # cells labelled in this step
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
    if max(params.citizen_vision, params.cop_vision) > 10:
        raise ValueError("vision must be at most 10 (counts of up to 255 agents per vision)")
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
        cit_closed=np.append(cit_off, 0),
        cop_closed=np.append(cop_off, 0),
        cit_draw=_draw_table(cit_off, space),
        cop_draw=_draw_table(cop_off, space),
        level=level,
        near=cop_off if params.cop_vision >= params.citizen_vision else cit_off,
        label=np.full(cell.size, _UNLABELLED, dtype=np.uint16),
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
    kinds = _kinds(st)
    np.multiply(kinds == COP, np.uint16(256), out=packed)  # actives + 256 cops
    packed += kinds == ACTIVE
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
    if n * st.cit_closed.size > 2 * st.cell.size:
        recount(st)  # a dense change: a full recount is cheaper than scattered updates
        return
    grids = [(st.counts, st.cit_closed)]
    if st.cop_counts is not st.counts:
        grids.append((st.cop_counts, st.cop_closed))
    one = np.uint16(1)  # the array's own dtype keeps ufunc.at on its fast path
    for counts, off in grids:
        if up.size:
            np.add.at(counts, st.canon.take(up[:, None] + off).ravel(), one)
        if down.size:
            np.subtract.at(counts, st.canon.take(down[:, None] + off).ravel(), one)


# --------------------------------------------------------------------------- randomness


def _bits(rng: np.random.Generator, n: int, dtype: type) -> np.ndarray:
    """n uniform integers of an unsigned dtype, all bits random (cut from raw 64-bit draws)."""
    per = 8 // np.dtype(dtype).itemsize
    return rng.bit_generator.random_raw(-(-n // per)).view(dtype)[:n]


def _distinct(st: EpsteinState, keys: np.ndarray) -> np.ndarray:
    """`keys` without repeats (the last of each kept)."""
    idx = np.arange(keys.size, dtype=np.int32)
    st.claim[keys] = idx
    return keys.compress(st.claim.take(keys) == idx)


def _resolve(st: EpsteinState, keys: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Mask picking one claimant per distinct key (last or first in index order, at random)."""
    idx = np.arange(keys.size, dtype=np.int32)
    if rng.random() < 0.5:
        st.claim[keys] = idx  # the last writer wins
    else:
        st.claim[keys[::-1]] = idx[::-1]
    return st.claim.take(keys) == idx


_UINT = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}
# byte i of _FIRST_BYTE[k] holds k - 1 - i: multiplying by a power 256**j moves j to the top
_FIRST_BYTE = {k: t(sum((k - 1 - i) << (8 * i) for i in range(k))) for k, t in _UINT.items()}


def _first_true(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the first True in each row of a boolean (m, k) matrix, k = 2, 4 or 8, and
    whether there is one: each row read as one little-endian integer, its lowest set byte
    found by bit tricks (argmax along short rows is slow)."""
    k = mask.shape[1]
    word = _UINT[k]
    rows = np.ascontiguousarray(mask).view(word).ravel()
    if sys.byteorder == "big":
        rows = rows.byteswap()
    lowest = rows & np.negative(rows)  # 256**j for the first True j (0 if none)
    first = (lowest * _FIRST_BYTE[k]) >> word(8 * k - 8)
    return first.astype(np.intp), rows != 0


def _pick(mask: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """For each row of a boolean matrix, a uniformly chosen True column (rows with none: 0),
    as the True entry with the largest uniform score; and whether the row has a True.

    (Methods, not np.* wrappers: the arrays are small and the call overhead counts.)
    """
    score = rng.random(mask.shape)
    score *= mask
    return score.argmax(axis=1), np.logical_or.reduce(mask, axis=1)


# --------------------------------------------------------------------------- turns


def _label(st: EpsteinState, cells: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw the turns of `cells` (distinct, unlabelled): label = batch * 2 + late bit, both
    uniform (the late bit splits a batch's cops in two halves)."""
    label = (rng.random(cells.size) * (2 * st.params.substeps)).astype(np.uint16)
    st.label[cells] = label
    st.labelled.append(cells)
    return label


def _stir(
    st: EpsteinState, sources: np.ndarray, now: int, rng: np.random.Generator, late: bool = False
) -> np.ndarray:
    """Give turns to the agents that the new active citizens at `sources` stir.

    Stirred are the unlabelled agents within their vision whose turn would do something:
    quiet citizens that would now turn active, and cops (they see them). Those whose batch
    is still to come join `st.due`; an earlier turn would have found nothing to do (nothing
    stirred them before), so it is spent. If `late`, returns the cops whose turn is the late
    half of batch `now` (still to come in the decision phase).
    """
    if sources.size * st.near.size > st.canon.size // 4:
        cells = st.cell.nonzero()[0]  # every agent (the padding is empty between phases)
    else:
        cells = st.canon.take(sources[:, None] + st.near).ravel()
    fresh = st.label.take(cells) == _UNLABELLED
    fresh &= st.level.take(st.counts.take(cells)) < _STIRRED_NEAR.take(st.cell.take(cells))
    cells = cells.compress(fresh)
    if cells.size == 0:
        return cells
    if sources.size > 1:  # their visions overlap
        cells = _distinct(st, cells)
    label = _label(st, cells, rng)
    st.due = np.concatenate([st.due, cells.compress(label > 2 * now + 1)])
    if not late:
        return cells[:0]
    return cells.compress((label == 2 * now + 1) & _IS_COP.take(st.cell.take(cells)))


def _serve(st: EpsteinState) -> np.ndarray:
    """Count down the running sentences; returns the jailed whose sentence is over."""
    jail = np.concatenate([st.jail, *st.arrested])
    st.arrested = []
    jail = _distinct(st, jail.compress(_IS_JAILED.take(st.cell.take(jail))))
    sentence = st.sentence.take(jail)
    serving = sentence > 0
    st.jail = jail.compress(serving)
    st.sentence[st.jail] = sentence.compress(serving) - 1
    return jail.compress(~serving)


def _schedule_step(st: EpsteinState, rng: np.random.Generator) -> None:
    """Turns for every agent stirred at the start of the step, and the released jailed.

    Within a step only new active citizens stir anyone (cops stand still until its end);
    `_stir` gives those their turns as they appear.
    """
    released = _serve(st)
    # A quiet citizen that sees no active one has level C, so it would turn active iff
    # counts (= 256 C) < critical level << 8. Those that see active ones may have a lower
    # level: `_stir` around the active citizens below finds them.
    critical = np.bitwise_and(st.cell, ~_KIND, out=st.buffer("high", st.cell.shape, np.uint16))
    stirred = np.less(st.counts, critical, out=st.buffer("stirred", st.cell.shape, np.bool_))
    kinds = _kinds(st)
    stirred &= kinds != JAILED  # jailed citizens keep their level
    stirred |= kinds == ACTIVE  # they decide and move
    stirred = stirred.nonzero()[0]
    st.due = np.concatenate([stirred, released])
    if st.due.size:
        _label(st, st.due, rng)
    actives = stirred.compress(_IS_ACTIVE.take(st.cell.take(stirred)))
    if actives.size:
        _stir(st, actives, -1, rng)  # the cops that see them


def _kinds(st: EpsteinState) -> np.ndarray:
    """Kind codes of the whole grid, in a scratch buffer (whole-grid SIMD compares are much
    faster than lookup tables)."""
    return np.bitwise_and(st.cell, _KIND, out=st.buffer("kinds", st.cell.shape, np.uint16))


def _take_due(st: EpsteinState, now: int) -> np.ndarray:
    """Remove and return (ascending) the scheduled cells whose turn is in batch `now`."""
    mine = st.label.take(st.due) >> 1 == now
    cells = st.due.compress(mine)
    st.due = st.due.compress(~mine)
    cells.sort()
    return cells


# --------------------------------------------------------------------------- actions


def _arrest(st: EpsteinState, cops: np.ndarray, rng: np.random.Generator) -> None:
    """Each cop that sees an active citizen jails one of them at random, distinct per cop."""
    if cops.size:
        cops = cops.compress((st.cop_counts.take(cops) & 0xFF) != 0)
    if cops.size == 0:
        return
    cells = st.canon.take(cops[:, None] + st.cop_off)
    jailed = []
    first = True  # every cop sees one or more active citizens
    while cells.shape[0]:
        active = _IS_ACTIVE.take(st.cell.take(cells))
        if first and np.count_nonzero(active) == cells.shape[0]:
            target = cells[active]  # each cop sees exactly one
        else:
            col, sees = _pick(active, rng)
            if np.count_nonzero(sees) < sees.size:
                cells, col = cells.compress(sees, axis=0), col.compress(sees)
            target = cells[np.arange(col.size), col]
        first = False
        if target.size > 1:  # a random cop wins a contested citizen
            order = rng.permutation(target.size)
            won = np.zeros(target.size, dtype=bool)
            won[order.compress(_resolve(st, target.take(order), rng))] = True
            target = target.compress(won)
            cells = cells.compress(~won, axis=0)
        else:
            cells = cells[:0]
        _set_kind(st, target, JAILED)
        terms = rng.random(target.size) * (st.params.max_jail_term + 1)  # randint(0, J_max)
        st.sentence[target] = terms.astype(np.int32)
        jailed.append(target)
    got = np.concatenate(jailed) if len(jailed) > 1 else jailed[0]
    st.arrested.append(got)
    st.active -= got.size
    st.jailed += got.size
    _shift_counts(st, got[:0], got)


def _set_kind(st: EpsteinState, cells: np.ndarray, kinds: np.ndarray | int) -> None:
    """Overwrite the kind byte of `cells`, keeping the citizen's critical level."""
    st.cell[cells] = (st.cell.take(cells) & ~_KIND) | kinds


def _decide(st: EpsteinState, cells: np.ndarray) -> np.ndarray:
    """Free citizens turn active iff G - R P(arrest) > threshold (level below critical).

    Returns the citizens that turned active.
    """
    cell = st.cell.take(cells)
    was = _IS_ACTIVE.take(cell)
    level = st.level.take(st.counts.take(cells) - was)  # without the citizen's own flag
    act = level < (cell >> 8)
    released = _IS_JAILED.take(cell)  # sentence over: leaves jail now
    change = ((act != was) | released).nonzero()[0]
    if change.size == 0:
        return change
    st.jailed -= int(np.count_nonzero(released))
    act, was = act.take(change), was.take(change)
    changed = cells.take(change)
    st.cell[changed] = (cell.take(change) & ~_KIND) | np.where(act, _ACTIVE16, _QUIET16)
    became, ceased = changed.compress(act & ~was), changed.compress(was & ~act)
    st.active += became.size - ceased.size
    _shift_counts(st, became, ceased)
    return became


def _batch(st: EpsteinState, now: int, rng: np.random.Generator) -> None:
    """One activation batch: early cops arrest, citizens decide, late cops arrest.

    Then the batch's active citizens move (they matter to everyone's counts); cops and
    quiet citizens move once all batches are done. Only agents with something to do have
    turns (see `_schedule`).
    """
    cells = _take_due(st, now)
    if cells.size == 0:
        return
    is_cop = _IS_COP.take(st.cell.take(cells))
    late = (st.label.take(cells) & 1) != 0
    cits = cells.compress(~is_cop)
    _arrest(st, cells.compress(is_cop & ~late), rng)
    sentence = st.sentence.take(cits)
    serving = sentence > 0  # jailed earlier in this step: counts down instead
    if np.count_nonzero(serving):
        st.sentence[cits.compress(serving)] = sentence.compress(serving) - 1
        cits = cits.compress(~serving)
    became = _decide(st, cits)
    late_cops = cells.compress(is_cop & late)
    if became.size:  # late cops that now see one of them
        late_cops = np.concatenate([late_cops, _stir(st, became, now, rng, late=True)])
    _arrest(st, late_cops, rng)
    if st.params.movement:  # the batch's actives move now; the others at the end
        actives = cits.compress(_IS_ACTIVE.take(st.cell.take(cits)))
        if actives.size:
            old, new = _move(st, actives, False, rng)
            st.label[new] = 2 * now  # their turn is spent
            st.labelled.append(new)
            _shift_counts(st, new, old)
            _stir(st, new, now, rng)


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
    draw = _bits(rng, empties.size, st.draw_dtype)
    source = empties - st.cit_draw.take(draw)
    hit = ((st.cell.take(source) & _PENDING) != 0).nonzero()[0]
    movers = st.canon.take(source.take(hit))
    won = _resolve(st, movers, rng)
    who = hit.compress(won)
    old, new = movers.compress(won), empties.take(who)
    _relocate(st, old, new)
    empties[who] = old
    return old, new


def _push_round(
    st: EpsteinState, movers: np.ndarray, cops: bool, k: int, rng: np.random.Generator
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Each mover draws k offsets in its vision and claims its first empty cell (reads the
    padding). Returns the movers still to move and the moves (old cells, new cells)."""
    m = movers.size
    draw = _bits(rng, m * k, st.draw_dtype).reshape(m, k)
    cand = (st.cop_draw if cops else st.cit_draw).take(draw)
    np.add(cand, movers[:, None], out=cand)
    empty = st.cell.take(cand) == EMPTY
    if k > 1:
        first, empty = _first_true(empty)
        cand = cand.take(first + np.arange(0, m * k, k))
    else:
        empty, cand = empty.ravel(), cand.ravel()
    hit = empty.nonzero()[0]
    target = st.canon.take(cand.take(hit))
    won = _resolve(st, target, rng)
    who = hit.compress(won)
    old, new = movers.take(who), target.compress(won)
    _relocate(st, old, new)
    stay = np.ones(m, dtype=bool)
    stay[who] = False
    return movers.compress(stay), (old, new)


def _enumerate_round(
    st: EpsteinState, movers: np.ndarray, cops: bool, rng: np.random.Generator
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Each mover lists the cells in its vision and claims a uniformly chosen empty one.

    Cheaper than drawing offsets for a few movers; needs no padding. Movers with no empty
    cell in vision stay. Returns the movers still to move (they lost a contested cell) and
    the moves (old cells, new cells).
    """
    cells = st.canon.take(movers[:, None] + (st.cop_off if cops else st.cit_off))
    col, has = _pick(st.cell.take(cells) == EMPTY, rng)
    target = cells[np.arange(col.size), col]
    if np.count_nonzero(has) < has.size:
        movers, target = movers.compress(has), target.compress(has)
    won = _resolve(st, target, rng)
    old, new = movers.compress(won), target.compress(won)
    _relocate(st, old, new)
    return movers.compress(~won), (old, new)


def _move(
    st: EpsteinState, movers: np.ndarray, cops: bool, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Jump each of `movers` (ascending cells; cops or citizens) to a uniform empty cell in
    its vision, in rounds until all moved or `move_rounds` ran out.

    Many movers draw offsets (push rounds, reading the wrapped padding), a few enumerate
    their vision. Movers left without a cell stay (in Mesa: no empty cell in vision); their
    pending flag is cleared. Returns the moves as (old cells, new cells).
    """
    hp, wp = st.shape
    grid = st.cell.reshape(hp, wp)
    pushed = False
    moves = []
    start = max(movers.size, 1)
    for _ in range(st.params.move_rounds):
        m = movers.size
        if m == 0:
            break
        if m <= _ENUMERATE_UP_TO:
            movers, done = _enumerate_round(st, movers, cops, rng)
        else:
            _wrap_padding(grid, st.pad)
            k = min(8, max(1, _DRAWS_PER_ROUND // m, start // (2 * m)))
            k = 1 << (k.bit_length() - 1)  # a power of two, for _first_true
            movers, done = _push_round(st, movers, cops, k, rng)
            pushed = True
        moves.append(done)
    if pushed:
        _fill_padding(grid, st.pad, EMPTY)
    st.cell[movers] = st.cell.take(movers) & _NOT_PENDING
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
        _move(st, (_kinds(st) == COP).nonzero()[0], True, rng)
        kinds = _kinds(st)
        moving = (kinds >= QUIET) & (kinds <= INERT)
    else:
        moving = _kinds(st) >= QUIET  # quiet, inert and cops
        pending += st.agents - st.citizens  # and the cops
    cell |= moving * _PENDING
    _fill_padding(grid, pad, _KIND)  # not empty, not pending
    empties = (cell == EMPTY).nonzero()[0]
    for _ in range(p.move_rounds):
        if pending <= _PULL_WHILE * empties.size:
            break
        _wrap_padding(grid, pad)
        pending -= _pull_round(st, empties, rng)[0].size
    _fill_padding(grid, pad, EMPTY)
    _move(st, ((cell & _PENDING) != 0).nonzero()[0], False, rng)


# --------------------------------------------------------------------------- stepping


def step(st: EpsteinState, rng: np.random.Generator) -> tuple[int, int, int]:
    """Advance one step; returns the numbers of quiet, active and jailed citizens."""
    p = st.params
    _schedule_step(st, rng)
    for now in range(p.substeps):
        _batch(st, now, rng)
    if st.labelled:
        st.label[np.concatenate(st.labelled)] = _UNLABELLED
        st.labelled = []
    if p.movement:
        _move_rest(st, rng)
        recount(st)
    st.steps += 1
    return st.tally()


def tally(st: EpsteinState) -> tuple[int, int, int]:
    """Numbers of quiet, active and jailed citizens, counted from the grid."""
    c = np.bincount(st.cell & _KIND, minlength=6)
    return int(c[QUIET] + c[INERT]), int(c[ACTIVE]), int(c[JAILED])


def series(init, step, params, steps: int, seed: int | np.random.SeedSequence) -> np.ndarray:
    """Run a port given by its `init` and `step` (this module's or another's) for `steps`
    steps from one generator seeded with `seed`; (steps + 1, 3) quiet/active/jailed."""
    rng = np.random.default_rng(seed)
    state = init(params, rng)
    out = np.empty((steps + 1, 3), dtype=np.int64)
    out[0] = state.tally()
    for t in range(1, steps + 1):
        out[t] = step(state, rng)
    return out


def run(params: EpsteinParams, steps: int, seed: int | np.random.SeedSequence) -> np.ndarray:
    """Simulate `steps` steps; returns an int array (steps + 1, 3) of quiet/active/jailed."""
    return series(init, step, params, steps, seed)

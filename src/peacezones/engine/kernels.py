"""Compiled kernels for the engine's busiest helpers (Numba, cached on disk).

A week of the default scenario asks for people many times (a few per mechanism), each
time over a few dozen places: written as NumPy expressions, such a request costs some
sixty array calls, most of them on arrays of a few dozen entries, so its time is the
calls' overhead, not the work. These kernels do the same arithmetic in one compiled loop.

They never draw random numbers: the caller draws them with the run's
``numpy.random.Generator`` and passes them in. Picking people and keeping the mass's
counts take the same numbers, in the same order, as the NumPy expressions they replace,
and give the same result (``tests/engine/test_kernels.py`` sets them against the NumPy
rule); the bands' fates are drawn by a partial shuffle within each place's segment, one
uniform number per member drawn.

Compiled code is cached next to this file (or in Numba's cache folder where that is
read-only), so only the first run on a machine pays for compiling.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, error_model="numpy")
def pick_plan(
    counts: np.ndarray,
    start: np.ndarray,
    stop: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    wmax: np.ndarray,
    available: np.ndarray,
    overdraw: int,
    spare: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """The places asked for, people asked for in each, the first eligible record and the
    number of them, the candidates to draw (0: drawn exactly) and their total, as
    :func:`peacezones.engine.population.pick` plans them. ``available`` is empty when
    not known."""
    n = 0
    for p in range(counts.size):
        if counts[p] > 0 and stop[p] > start[p]:
            n += 1
    places = np.empty(n, np.int64)
    k = np.empty(n, np.int64)
    lo = np.empty(n, np.int64)
    size = np.empty(n, np.int64)
    draws = np.empty(n, np.int64)
    i = 0
    total = 0
    for p in range(counts.size):
        if not (counts[p] > 0 and stop[p] > start[p]):
            continue
        places[i] = p
        k[i] = counts[p]
        lo[i] = first[p]
        size[i] = last[p] - first[p]
        d = overdraw * k[i] + spare
        if available.size:
            accept = available[p] / np.float64(size[i] * np.int64(wmax[p]))
            needed = d / accept if accept > 0 else np.inf
            needed = min(np.ceil(needed), np.float64(size[i] + 1))
            d = np.int64(needed)
        draws[i] = d if d <= size[i] else 0
        total += draws[i]
        i += 1
    return places, k, lo, size, draws, total


@njit(cache=True, nogil=True, error_model="numpy")
def pick_accept(
    u_place: np.ndarray,
    u_keep: np.ndarray,
    places: np.ndarray,
    k: np.ndarray,
    lo: np.ndarray,
    size: np.ndarray,
    draws: np.ndarray,
    wmax: np.ndarray,
    weight: np.ndarray,
    pool: np.ndarray,
    eligible: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidates drawn (``u_place``) and accepted by weight (``u_keep``), up to ``k`` a
    place; the records chosen (by place) and which places fell short and must be drawn
    exactly: too few accepted, or a record picked more times than its weight. ``pool``
    and ``eligible`` are empty when not given."""
    chosen = np.empty(u_place.size, np.int64)
    owner = np.empty(u_place.size, np.int64)
    got = np.zeros(places.size, np.int64)
    m = 0
    j = 0
    for i in range(places.size):
        w = np.float64(wmax[places[i]])
        end = j + draws[i]  # the place's candidates; those after the k-th accepted are not read
        while j < end and got[i] < k[i]:
            c = lo[i] + np.int64(u_place[j] * np.float64(size[i]))
            if pool.size:
                c = pool[c]
            ok = u_keep[j] * w < weight[c]
            if ok and eligible.size:
                ok = eligible[c]
            j += 1
            if ok:
                chosen[m] = c
                owner[m] = i
                got[i] += 1
                m += 1
        j = end
    chosen, owner = chosen[:m], owner[:m]
    short = got < k
    ordered = np.sort(chosen)
    repeats = False
    for a in range(1, m):
        if ordered[a] == ordered[a - 1]:
            repeats = True
            break
    if repeats:  # a record picked more often than its weight: redo its places exactly
        many = np.empty(m, np.int64)
        n_over = 0
        a = 0
        while a < m:
            b = a
            while b < m and ordered[b] == ordered[a]:
                b += 1
            if b - a > weight[ordered[a]]:
                many[n_over] = ordered[a]
                n_over += 1
            a = b
        over = many[:n_over]
        if n_over:
            for a in range(m):
                at = np.searchsorted(over, chosen[a])
                if at < n_over and over[at] == chosen[a]:
                    short[owner[a]] = True
    return chosen, owner, short


@njit(cache=True, nogil=True, error_model="numpy")
def fates_plan(counts: np.ndarray, local: np.ndarray) -> tuple[np.ndarray, int]:
    """Members of local armed groups asked for, per fate (rows) and place, once cut to the
    members there (the first fates first), and their total."""
    fates, n = counts.shape
    out = np.zeros((fates, n), np.int64)
    total = 0
    for p in range(n):
        before = 0
        for f in range(fates):
            c = min(counts[f, p], local[p])
            upto = min(before + c, local[p])
            out[f, p] = upto - before
            before = upto
        total += before
    return out, total


@njit(cache=True, nogil=True, error_model="numpy")
def leave_mass(
    records: np.ndarray,
    taken: np.ndarray,
    place: np.ndarray,
    hardship: np.ndarray,
    recruitable: np.ndarray,
    n_places: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """People of ``records`` left the civilian mass, one each (``taken`` empty) or
    ``taken[i]`` of record i: the people gone per place, and those of them in hardship
    and recruitable."""
    done = np.zeros(n_places, np.int64)
    hard = np.zeros(n_places, np.int64)
    young = np.zeros(n_places, np.int64)
    for i in range(records.size):
        r = records[i]
        n = np.int64(taken[i]) if taken.size else 1
        p = place[r]
        done[p] += n
        if hardship[r]:
            hard[p] += n
        if recruitable[r]:
            young[p] += n
    return done, hard, young


@njit(cache=True, nogil=True)
def lower_weights(weight: np.ndarray, records: np.ndarray, amounts: np.ndarray) -> None:
    """``weight[records[i]] -= amounts[i]`` (1 where ``amounts`` is empty), repeats
    included: ``np.subtract.at`` without its overhead."""
    for i in range(records.size):
        weight[records[i]] -= amounts[i] if amounts.size else 1


@njit(cache=True, nogil=True)
def bands_add(
    slots: np.ndarray, start: np.ndarray, count: np.ndarray, rows: np.ndarray, places: np.ndarray
) -> None:
    """New members of local armed groups: ``rows[i]`` joins the segment of ``places[i]``
    (the caller made room), and the place's count grows."""
    for i in range(rows.size):
        p = places[i]
        slots[start[p] + count[p]] = rows[i]
        count[p] += 1


@njit(cache=True, nogil=True)
def bands_regrow(
    slots: np.ndarray, start: np.ndarray, count: np.ndarray, capacity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The members moved into segments of the new ``capacity`` per place: slots, starts."""
    new_start = np.zeros(capacity.size, np.int64)
    for p in range(1, capacity.size):
        new_start[p] = new_start[p - 1] + capacity[p - 1]
    new = np.empty(capacity.sum(), np.int64)
    for p in range(capacity.size):
        new[new_start[p] : new_start[p] + count[p]] = slots[start[p] : start[p] + count[p]]
    return new, new_start


@njit(cache=True, nogil=True, error_model="numpy")
def bands_fates(
    slots: np.ndarray, start: np.ndarray, count: np.ndarray, counts: np.ndarray, u: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Members of local armed groups meet their fates: ``counts[f, p]`` of place p (already
    cut to the members there) meet fate f. Members are drawn one after another, each
    uniformly among the place's members not drawn yet (``u``: one uniform each, place by
    place), the first ``counts[0, p]`` drawn to fate 0, and so on; those drawn leave the
    place's segment. The rows chosen, fate by fate, and the number for each fate."""
    fates, n_places = counts.shape
    per = np.zeros(fates, np.int64)
    for p in range(n_places):
        for f in range(fates):
            per[f] += counts[f, p]
    at = np.zeros(fates, np.int64)
    for f in range(1, fates):
        at[f] = at[f - 1] + per[f - 1]
    rows = np.empty(per.sum(), np.int64)
    j = 0
    for p in range(n_places):
        s = start[p]
        for f in range(fates):
            for _ in range(counts[f, p]):
                last = s + count[p] - 1  # partial Fisher-Yates from the end of the segment
                r = s + np.int64(u[j] * np.float64(count[p]))
                slots[r], slots[last] = slots[last], slots[r]
                rows[at[f]] = slots[last]
                at[f] += 1
                count[p] -= 1
                j += 1
    return rows, per


@njit(cache=True, nogil=True)
def bands_rows(slots: np.ndarray, start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The members' rows, place by place, each place's in ascending order."""
    out = np.empty(count.sum(), np.int64)
    m = 0
    for p in range(count.size):
        out[m : m + count[p]] = np.sort(slots[start[p] : start[p] + count[p]])
        m += count[p]
    return out


def warm() -> None:
    """Load (or, the first time on a machine, compile) every kernel, with the types the
    engine passes them, so that timing a run measures the run (benchmarks/)."""
    i64, i32, f64 = np.zeros(2, np.int64), np.ones(2, np.int32), np.zeros(2)
    no_int, no_bool, yes = np.zeros(0, np.int64), np.zeros(0, np.bool_), np.ones(2, np.bool_)
    pick_plan(i64, i64, i64 + 1, i64, i64 + 1, i32, no_int, 2, 8)
    pick_accept(f64, f64, i64, i64, i64, i64, i64, i32, i32, no_int, no_bool)
    fates_plan(np.zeros((2, 2), np.int64), i64)
    leave_mass(i64, f64, i32, yes, yes, 2)
    lower_weights(i32.copy(), i64, i64)
    slots, start = bands_regrow(no_int, i64, i64.copy(), i64 + 1)
    bands_add(slots, start, i64.copy(), i64, i64)
    bands_fates(slots, start, i64 + 1, np.zeros((2, 2), np.int64), f64)
    bands_rows(slots, start, i64 + 1)

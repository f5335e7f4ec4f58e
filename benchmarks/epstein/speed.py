"""Throughput of the two ports and of Mesa's Epstein example, in agent-steps per second.

Agents are citizens plus cops (jailed citizens included). A repetition times `steps`
consecutive steps after `warmup` untimed ones; the reported rate is the median over
repetitions of agents * steps / seconds. Every measurement runs in a fresh single-worker
process, so that runs do not share caches or memory, and reports that process's peak
resident memory (``ru_maxrss``). Mesa is optional and imported only in its worker.

The ports are the NumPy port (`model.py`, "port") and the compiled exact one
(`compiled.py`, "exact"; its first steps, untimed, also load or compile its Numba code).
Run ``python benchmarks/epstein/speed.py`` for the default table (ports at 40, 100, 200
and 1000 cells a side; Mesa at 40, 100 and 200).
"""

from __future__ import annotations

import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # executed as a script: make `epstein` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from epstein import compiled, model
    from epstein.model import EpsteinParams
else:
    from . import compiled, model
    from .model import EpsteinParams

PORTS = {"port": model, "exact": compiled}  # name in the tables -> module (init, step)


def _peak_rss_mib() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def _rate(agents: int, steps: int, times: list[float]) -> dict[str, float]:
    """Median throughput and step time over repetitions."""
    seconds = float(np.median(times))
    return {"agent_steps_per_s": agents * steps / seconds, "ms_per_step": 1e3 * seconds / steps}


def _time_port(name: str, size: int, steps: int, repeats: int, warmup: int, seed: int) -> dict:
    """Worker: time the port `name` of `PORTS` on a size x size grid."""
    port = PORTS[name]
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    state = port.init(EpsteinParams(width=size, height=size), rng)
    agents = state.agents  # citizens (jailed included) and cops
    for _ in range(warmup):
        port.step(state, rng)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            port.step(state, rng)
        times.append(time.perf_counter() - start)
    return {"agents": agents, **_rate(agents, steps, times), "peak_rss_mib": _peak_rss_mib()}


def _time_mesa(size: int, steps: int, repeats: int, warmup: int, seed: int) -> dict:
    """Worker: time Mesa's example on a size x size grid."""
    try:
        from .equivalence import _import_mesa_model
    except ImportError:
        from epstein.equivalence import _import_mesa_model

    model = _import_mesa_model()(width=size, height=size, seed=seed)
    agents = len(model.agents)
    for _ in range(warmup):
        model.step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            model.step()
        times.append(time.perf_counter() - start)
    return {"agents": agents, **_rate(agents, steps, times), "peak_rss_mib": _peak_rss_mib()}


def _isolated(fn, *args) -> dict:
    """Run fn(*args) in a fresh single-use worker process."""
    with ProcessPoolExecutor(max_workers=1, max_tasks_per_child=1) as pool:
        return pool.submit(fn, *args).result()


def time_port(
    size: int,
    steps: int | None = None,
    repeats: int = 5,
    warmup: int = 3,
    seed: int = 0,
    name: str = "port",
) -> dict:
    """Agent-steps per second of port `name` ("port" or "exact") on a size x size grid
    (median of repeats)."""
    steps = steps or max(1, min(50, 4_000_000 // (size * size)))
    result = _isolated(_time_port, name, size, steps, repeats, warmup, seed)
    return {"model": name, "size": size, "steps": steps, "repeats": repeats, **result}


def time_mesa(
    size: int, steps: int | None = None, repeats: int = 3, warmup: int = 3, seed: int = 0
) -> dict:
    """Agent-steps per second of Mesa's example on a size x size grid (median of repeats).

    As for the port, the first three steps (the arrests of the start) are not timed, and
    each repetition times at least ten steps (about 20 s at 200 x 200): Mesa fills a cache
    of neighbourhoods during its first steps, and three timed steps measured that slower
    start, not its long-run rate."""
    steps = steps or max(10, min(20, 16_000 // (size * size)))
    result = _isolated(_time_mesa, size, steps, repeats, warmup, seed)
    return {"model": "mesa", "size": size, "steps": steps, "repeats": repeats, **result}


def run_speed(
    port_sizes: tuple[int, ...] = (40, 100, 200, 1000),
    mesa_sizes: tuple[int, ...] = (40, 100, 200),
) -> list[dict]:
    """Time the ports and Mesa; each port row gets `speedup` where Mesa was timed at that
    size."""
    mesa = {size: time_mesa(size) for size in mesa_sizes}
    rows = []
    for name in PORTS:
        for size in port_sizes:
            row = time_port(size, name=name)
            if size in mesa:
                row["speedup"] = row["agent_steps_per_s"] / mesa[size]["agent_steps_per_s"]
            rows.append(row)
    return rows + list(mesa.values())


def format_table(rows: list[dict]) -> str:
    """Plain-text table of `run_speed` rows."""
    head = (
        f"{'model':<5} {'grid':>9} {'agents':>8} {'agent-steps/s':>14} {'ms/step':>9} "
        f"{'peak MiB':>9} {'vs Mesa':>8}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        speedup = f"{r['speedup']:.0f}x" if "speedup" in r else ""
        lines.append(
            f"{r['model']:<5} {r['size']:>4}x{r['size']:<4} {r['agents']:>8} "
            f"{r['agent_steps_per_s']:>14,.0f} {r['ms_per_step']:>9.2f} "
            f"{r['peak_rss_mib']:>9.0f} {speedup:>8}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_table(run_speed()))

"""The engine's throughput on the Venezuela scenario at several scales.

Each scale runs in a fresh process, so that its peak memory is its own and its
whole-process time includes start-up, imports and writing the results files
(series.parquet, events.parquet, run.json), as a user would see it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

SCALES = (0.01, 0.1, 1.0)
ROOT = Path(__file__).resolve().parents[1]

BASELINE = "8983e04"
"""The engine before the model made its own violence (local armed groups, context drivers,
lethal policing, decisions, factions): a run may take at most twice its time at the
default scale."""

PLAIN = """
import json, time
from peacezones import load_scenario
from peacezones.engine import simulate
try:  # compiled helpers, where the tree has them, loaded before timing
    from peacezones.engine import kernels
    kernels.warm()
except ImportError:
    pass
scenario = load_scenario("venezuela")
t = time.perf_counter()
simulate(scenario, seed=0)
print(json.dumps(time.perf_counter() - t))
"""

CHILD = """
import json, pathlib, resource, sys, tempfile, time
started = time.perf_counter()
from peacezones import load_scenario
from peacezones.engine import kernels, simulate
kernels.warm()  # compiled helpers loaded before timing (whole process counts them)
from peacezones.experiments.output import write_run
scenario = load_scenario("venezuela")
t = time.perf_counter()
result = simulate(scenario, seed=0, scale=float(sys.argv[1]))
simulate_s = time.perf_counter() - t
with tempfile.TemporaryDirectory() as folder:
    write_run(result, pathlib.Path(folder), simulate_s)
print(json.dumps({
    "records": len(result.world.civ),
    "residents": int(result.world.population.sum()),
    "steps": len(result.world.dates),
    "simulate_s": simulate_s,
    "process_s": time.perf_counter() - started,
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


@dataclass
class EngineRow:
    scale: float
    records: int
    residents: int
    steps: int
    simulate_s: float
    process_s: float
    peak_mib: float

    @property
    def resident_steps_per_s(self) -> float:
        """People simulated per second of simulation (residents x steps / time)."""
        return self.residents * self.steps / self.simulate_s


def measure(scale: float) -> EngineRow:
    """One run of the Venezuela scenario at ``scale``, in a process of its own."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(scale)], capture_output=True, text=True, check=True
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["process_s"] = max(data["process_s"], time.perf_counter() - started)
    return EngineRow(scale=scale, **data)


def run(scales: tuple[float, ...] = SCALES, repeats: int = 3) -> list[EngineRow]:
    """The median (by simulation time) of ``repeats`` runs at each scale."""
    rows = []
    for scale in scales:
        trials = sorted((measure(scale) for _ in range(repeats)), key=lambda r: r.simulate_s)
        rows.append(trials[len(trials) // 2])
    return rows


def against(rev: str = BASELINE, repeats: int = 9) -> tuple[list[float], list[float]] | None:
    """Seconds a run of the Venezuela scenario takes at its default scale, with this tree
    and with the tree of git revision ``rev``: ``repeats`` fresh processes of each, taken
    in turn so that the machine's drift hits both of a pair alike (the lists are in that
    order, pair by pair); None where the revision is not in the repository."""
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=False
        )
        if archive.returncode != 0:
            return None
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        times: dict[str, list[float]] = {"now": [], "then": []}
        for _ in range(repeats):
            for name, src in (("now", ROOT / "src"), ("then", Path(folder) / "src")):
                env = {**os.environ, "PYTHONPATH": str(src)}
                out = subprocess.run(
                    [sys.executable, "-c", PLAIN],
                    capture_output=True,
                    text=True,
                    env=env,
                    check=True,
                )
                times[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    return times["now"], times["then"]


def markdown(rows: list[EngineRow]) -> str:
    lines = [
        "| scale | records | residents | weeks | simulate (s) | whole process (s) "
        "| resident-steps per s | peak memory (MiB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r.scale:g} | {r.records:,} | {r.residents:,} | {r.steps} | {r.simulate_s:.2f} "
            f"| {r.process_s:.2f} | {r.resident_steps_per_s:,.0f} | {r.peak_mib:,.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    rows = run()
    print(markdown(rows))
    print(json.dumps([asdict(r) for r in rows], indent=2))

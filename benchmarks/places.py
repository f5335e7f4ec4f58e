"""How the time per run grows with the number of places: the toy world copied k times.

Each copy is the toy's places, edges, gangs (with their local armed groups, which come
with the residents), forces and schedule, renamed; copy i is joined to copy i + 1 by a
road between their city centres, so the graph is one country. Every copy runs in a fresh
process, so that timings do not share caches or memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

COPIES = (1, 4, 16, 64)
HUB = "centro"  # the place of each copy that joins the next copy


def copied(k: int) -> Any:
    """The toy scenario copied ``k`` times (a Scenario), without patterns or observations."""
    from peacezones import load_scenario
    from peacezones.scenario import derive

    toy = load_scenario("toy")

    def rename(i: int, name: str) -> str:
        return f"{name}_{i}" if i else name

    places, edges, gangs, units, facilities, schedule = [], [], [], [], [], []
    for i in range(k):
        for p in toy.places:
            places.append({**p.model_dump(), "id": rename(i, p.id)})
        for e in toy.edges:
            edges.append({**e.model_dump(), "a": rename(i, e.a), "b": rename(i, e.b)})
        for g in toy.gangs:
            d = g.model_dump()
            d.update(
                id=rename(i, g.id),
                home=rename(i, g.home),
                territory=[rename(i, t) for t in g.territory],
                allies=[rename(i, a) for a in g.allies],
                rivals=[rename(i, r) for r in g.rivals],
            )
            gangs.append(d)
        for u in toy.forces.units:
            units.append({**u.model_dump(), "id": rename(i, u.id), "place": rename(i, u.place)})
        for f in toy.forces.facilities:
            facilities.append(
                {**f.model_dump(), "id": rename(i, f.id), "place": rename(i, f.place)}
            )
        for d in toy.schedule:
            decision = d.model_dump()
            for key in ("places",):
                if key in decision:
                    decision[key] = [rename(i, x) for x in decision[key]]
            for key in ("zone", "gang"):
                if decision.get(key):
                    decision[key] = rename(i, decision[key])
            if "gangs" in decision:
                decision["gangs"] = [rename(i, x) for x in decision["gangs"]]
            if "zones" in decision:
                decision["zones"] = [rename(i, x) for x in decision["zones"]]
            schedule.append(decision)
        if i:
            edges.append(
                {"a": rename(i - 1, HUB), "b": rename(i, HUB), "kind": "road", "cost": 1.0,
                 "sources": ["synthetic"]}
            )  # fmt: skip
    schedule.sort(key=lambda d: d["date"])
    changes = {
        "places": places,
        "edges": edges,
        "gangs": gangs,
        "forces": {"units": units, "facilities": facilities},
        "schedule": schedule,
        "observations": [],
        "patterns": [],
    }
    return derive(toy, changes, f"toy x {k}")


CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from places import copied
from peacezones.engine import kernels, simulate
kernels.warm()  # compiled helpers loaded before timing (whole process counts them)
scenario = copied(int(sys.argv[1]))
t = time.perf_counter()
result = simulate(scenario, seed=0)
print(json.dumps({
    "places": len(scenario.places),
    "gangs": len(scenario.gangs),
    "residents": int(result.world.population.sum()),
    "local_members": int(result.world.local.sum()),
    "steps": len(result.world.dates),
    "simulate_s": time.perf_counter() - t,
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


@dataclass
class PlacesRow:
    copies: int
    places: int
    gangs: int
    residents: int
    local_members: int
    steps: int
    simulate_s: float
    peak_mib: float


def measure(k: int) -> PlacesRow:
    """One run of the toy copied ``k`` times, in a process of its own."""
    from pathlib import Path

    here = str(Path(__file__).parent)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(k), here], capture_output=True, text=True, check=True
    )
    return PlacesRow(copies=k, **json.loads(out.stdout.strip().splitlines()[-1]))


def run(copies: tuple[int, ...] = COPIES, repeats: int = 3) -> list[PlacesRow]:
    """The median (by simulation time) of ``repeats`` runs at each size: one run of the
    largest size swung by a third between two measurements of the same code."""
    rows = []
    for k in copies:
        started = time.perf_counter()
        trials = sorted((measure(k) for _ in range(repeats)), key=lambda r: r.simulate_s)
        row = trials[len(trials) // 2]
        rows.append(row)
        print(
            f"toy x {k}: {row.places} places, {row.simulate_s:.2f} s (median of {repeats}; "
            f"{time.perf_counter() - started:.1f} s with start-up)"
        )
    return rows

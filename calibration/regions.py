"""Fit of the regions' band densities to OVV's state rates of 2016-2017 only.

Places take ``band_density``: how densely local armed groups took root there, relative
to ``local.capacity_per_1000`` (docs/ODD.md, M18). The regions of Venezuela did not start
alike: OVV put Miranda at 100 and Aragua at 92 violent deaths per 100,000 in 2012 against
73 nationally, and the gangs of the Valles del Tuy, Barlovento and Aragua were older than
the period (seed 000). This script sets one density per region named in ``REGIONS``, for
every modelled place of that region, so that the model's mean rate over the region's
places meets OVV's in the years given (observations marked ``fit`` in the scenario);
the other places keep 1. Distrito Capital is not refitted: its rates of 2016-2017 already
set ``local.rural_capacity`` (calibration/drivers.py). Denser regions raise the national
rate, so ``local.capacity_per_1000`` is scaled with them to keep OVV's national 79 of 2013
(its own fit, as in calibration/drivers.py).

The runs stop at the end of 2017, so no later figure can enter: OVV's state rates of
2018 and 2019 and Las Tejerías' of 2019 stay checks. Each round runs the replicates and
multiplies each density by (target / model) ** DAMPING, the mean over the years fitted.

Usage: ``python calibration/regions.py [replicates] [rounds]``; prints each round and
writes ``calibration/REGIONS.md``.
"""

from __future__ import annotations

import datetime as dt
import sys
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from common import to_2017  # calibration/common.py, beside this script

from peacezones import Scenario, load_scenario
from peacezones.analysis.measures import RunData, observation_value
from peacezones.engine import simulate
from peacezones.scenario import derive, with_parameters

REGIONS = {"Aragua": (2016, 2017), "Miranda": (2017,)}
"""Each region fitted, with the years of OVV's rates it is fitted to."""
DAMPING = 0.7
OUT = Path(__file__).with_name("REGIONS.md")


NATIONAL_2013 = 79.0


def scenario(density: dict[str, float], capacity: float | None = None) -> Scenario:
    """The Venezuelan scenario to the end of 2017, with the regions' densities set (and
    ``local.capacity_per_1000``, where given)."""
    base = load_scenario("venezuela")
    if capacity is not None:
        base = with_parameters(base, {"local.capacity_per_1000": capacity})
    places = []
    for place in base.places:
        data = place.model_dump(mode="python", exclude_unset=True)
        if place.region in density:
            data["band_density"] = density[place.region]
            data["assumed"] = {**place.assumed, "band_density": "calibration/regions.py"}
        places.append(data)
    return derive(to_2017(base), {"places": places}, "venezuela to 2017")


def targets(s: Scenario) -> dict[tuple[str, int], float]:
    """OVV's rate for each region and year fitted, as the scenario records it."""
    return {
        (o.area, o.year): o.value
        for o in s.observations
        if o.variable == "violent_deaths_per_100k"
        and not o.places
        and o.year in REGIONS.get(o.area, ())
    }


def _rates(job: tuple[dict[str, float], float, int]) -> dict[tuple[str, int], float]:
    density, capacity, replicate = job
    s = scenario(density, capacity)
    run = RunData(simulate(s, seed=0, replicate=replicate))
    wanted = set(targets(s)) | {("all", y) for y in range(2013, 2018)}
    return {
        (o.area, o.year): observation_value(run, o)
        for o in s.observations
        if o.variable == "violent_deaths_per_100k" and not o.places and (o.area, o.year) in wanted
    }


def main() -> None:
    replicates = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    density = dict.fromkeys(REGIONS, 1.0)
    capacity = load_scenario("venezuela").parameters["local"]["capacity_per_1000"].value
    goal = targets(scenario(density))
    rows = []
    with Pool() as pool:
        for k in range(rounds + 1):
            jobs = [(dict(density), capacity, r) for r in range(replicates)]
            runs = pool.map(_rates, jobs)
            mean = {key: float(np.mean([r[key] for r in runs])) for key in runs[0]}
            rows.append((k, dict(density), capacity, mean))
            cells = ", ".join(f"{a} {y} {mean[key]:.1f} (OVV {v:g})" for key, v in goal.items()
                              for a, y in [key])  # fmt: skip
            print(f"round {k}: density {density}, capacity {capacity:g}: {cells}, "
                  f"national 2013 {mean[('all', 2013)]:.1f}", flush=True)  # fmt: skip
            if k == rounds:
                break
            for region, years in REGIONS.items():
                ratio = np.mean([goal[(region, y)] / mean[(region, y)] for y in years])
                density[region] = round(float(density[region] * ratio**DAMPING), 3)
            capacity = round(float(capacity * NATIONAL_2013 / mean[("all", 2013)]), 3)
    head = ["round", *[f"{r} density" for r in REGIONS], "capacity_per_1000"]
    head += [f"{a} {y} (OVV {v:g})" for (a, y), v in goal.items()]
    head += [f"national {y}" for y in range(2013, 2018)]
    lines = ["| " + " | ".join(head) + " |", "|" + " ---: |" * len(head)]
    for k, dens, cap, mean in rows:
        cells = [str(k), *[f"{dens[r]:g}" for r in REGIONS], f"{cap:g}"]
        cells += [f"{mean[key]:.1f}" for key in goal]
        cells += [f"{mean[('all', y)]:.1f}" for y in range(2013, 2018)]
        lines.append("| " + " | ".join(cells) + " |")
    last, last_capacity = rows[-1][1], rows[-1][2]
    text = "\n".join(
        [
            "# Fit of the regions' band densities to 2016-2017",
            "",
            f"Written by `python calibration/regions.py {replicates} {rounds}` on "
            f"{dt.date.today()}: {replicates} replicates a round, seed 0, runs stopped at "
            "the end of 2017 (see the script's docstring). Each round multiplies a "
            f"region's density by (OVV / model) ** {DAMPING}.",
            "",
            "Result, as set in venezuela.toml: "
            + ", ".join(f"{r} {v:g}" for r, v in last.items())
            + f", local.capacity_per_1000 {last_capacity:g} (the last round's values; its row "
            "shows the rates they give).",
            "",
            *lines,
            "",
        ]
    )
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

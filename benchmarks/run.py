"""Benchmarks: the engine's throughput and its growth with places, and Epstein's model
against Mesa, in one run.

Usage: ``python benchmarks/run.py [--quick] [--keep-epstein]`` from the repository root, in
the project's environment (``make bench`` installs the ``bench`` extra with Mesa and runs
it). Prints each table and writes ``benchmarks/RESULTS.md``. ``--quick`` uses fewer
repetitions; ``--keep-epstein`` measures the engine only and keeps the Epstein section of
the RESULTS.md already written (its code is finished; its equivalence runs take the longest).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import platform
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import engine  # noqa: E402 - benchmarks/ is not a package
import places  # noqa: E402

BYTES_PER_AGENT_STEP = 64  # the traffic one agent-step is assumed to need at the least
BANDWIDTH_MIB = 512


BANDWIDTH = f"""
import time, numpy as np
src = np.ones({BANDWIDTH_MIB} * 2**20 // 8); dst = np.empty_like(src); best = float("inf")
for _ in range(5):
    t = time.perf_counter(); np.copyto(dst, src); best = min(best, time.perf_counter() - t)
print(2 * src.nbytes / best)
"""


def memory_bandwidth() -> float:
    """Bytes per second a NumPy copy of a large array moves (read and write), best of 5.

    Measured in a child process, so that this one's peak memory, which the benchmark's own
    children inherit in their counters, stays small."""
    out = subprocess.run(
        [sys.executable, "-c", BANDWIDTH], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def growth_exponent(sizes: list[float], times: list[float]) -> float:
    """Slope of log time against log size: 1 is linear, below 1 better than linear."""
    return float(np.polyfit(np.log(sizes), np.log(times), 1)[0])


def engine_section(rows: list[engine.EngineRow], repeats: int, bound: float) -> list[str]:
    table = engine.markdown(rows)
    print(table)
    slope = growth_exponent([r.records for r in rows], [r.simulate_s for r in rows])
    fractions = ", ".join(f"scale {r.scale:g}: {r.resident_steps_per_s / bound:.2%}" for r in rows)
    return [
        "## The engine on the Venezuela scenario",
        "",
        "Weekly steps from 2013-01-07 to 2022-12-26 (521 weeks), seed 0, each scale in a "
        f"fresh process, median of {repeats} by simulation time. *Simulate* is the model "
        "alone; *whole process* adds start-up, imports, loading the engine's compiled "
        "helpers (compiled on a machine's first run, then read from the cache), building "
        "the result tables and writing them (series.parquet, events.parquet, run.json).",
        "",
        table,
        "",
        f"Time grows with the number of records as records^{slope:.2f} (a fit of log time on "
        "log records over the three scales; 1 would be linear).",
        "",
        f"As a fraction of the memory-bandwidth bound ({BYTES_PER_AGENT_STEP} bytes per "
        f"resident-step): {fractions}. Above 100% means the engine does not touch every "
        "resident every step: events are drawn per place and only the people they pick are "
        "touched, so the time follows the number of events more than the population.",
        "",
    ]


def _share(fraction: float) -> str:
    """A fraction as a percentage with two significant digits, however small."""
    return f"{fraction * 100:.2g}%"


def places_section(rows: list[places.PlacesRow]) -> list[str]:
    header = (
        "| copies | places | gangs | residents | local armed group members | weeks "
        "| simulate (s) | s per place | peak memory (MiB) |"
    )
    lines = [header, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(
            f"| {r.copies} | {r.places} | {r.gangs} | {r.residents:,} | {r.local_members:,} "
            f"| {r.steps} | {r.simulate_s:.2f} | {r.simulate_s / r.places:.3f} "
            f"| {r.peak_mib:.0f} |"
        )
    table = "\n".join(lines)
    print(table)
    big = [r for r in rows if r.places >= 100] or rows
    slope = growth_exponent([r.places for r in big], [r.simulate_s for r in big])
    return [
        "## Growth with the number of places",
        "",
        "The toy scenario copied k times, each copy joined to the next by a road (residents,"
        " gangs, local armed groups, forces and decisions grow with the places); each size in"
        " a fresh process, median of 3 by simulation time, seed 0, the toy's default scale.",
        "",
        table,
        "",
        f"From {big[0].places} to {big[-1].places} places the time grows as places^{slope:.2f}"
        " (a fit of log time on log places; 1 is linear).",
        "",
    ]


def mesa_available() -> bool:
    return importlib.util.find_spec("mesa") is not None


def epstein_section(bound: float, quick: bool) -> list[str]:
    """Our ports of Epstein's model against Mesa's example: speed, then equivalence."""
    from epstein import equivalence, speed

    has_mesa = mesa_available()
    rows = speed.run_speed(mesa_sizes=(40, 100, 200) if has_mesa else ())
    print(speed.format_table(rows))
    lines = [
        "## Epstein's civil violence model: our ports against Mesa's example",
        "",
        "Agents are citizens and cops; each measurement runs in a fresh process; the rate is "
        "the median over repetitions of agents x steps / seconds. *exact* is "
        "`benchmarks/epstein/compiled.py`, Mesa's one-agent-at-a-time activation without "
        "shortcuts, a loop compiled with Numba over NumPy arrays; *port* is "
        "`benchmarks/epstein/model.py`, vectorised NumPy with the shortcuts in the order of "
        "turns that its docstring lists (faster at 1000 x 1000, but biased away from the "
        "defaults: see the sweep below). "
        "Mesa caches each cell's neighbourhood the first time it is asked for, so its first "
        "steps are slower; each of its repetitions times ten steps after three untimed ones, "
        "and the median repetition is close to its long-run rate (an early-steps rate would "
        "flatter the port by about half).",
        "",
        "| model | grid | agents | agent-steps per s | ms per step | peak memory (MiB) "
        "| port / Mesa | fraction of the bandwidth bound |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        ratio = f"{r['speedup']:,.0f}x" if "speedup" in r else ""
        lines.append(
            f"| {r['model']} | {r['size']} x {r['size']} | {r['agents']:,} "
            f"| {r['agent_steps_per_s']:,.0f} | {r['ms_per_step']:.2f} | {r['peak_rss_mib']:,.0f} "
            f"| {ratio} | {_share(r['agent_steps_per_s'] / bound)} |"
        )
    if not has_mesa:
        return [*lines, "", "Mesa is not installed (`make bench` installs it): no equivalence.", ""]
    seeds, reference_seeds = (10, 100) if quick else (60, 2000)
    result = equivalence.run_equivalence(n_seeds=seeds, steps=100, reference_seeds=reference_seeds)
    print(equivalence.format_table(result))
    lines += [
        "",
        "### Equivalence: 40 x 40, 100 steps",
        "",
        "Numbers of quiet, active and jailed citizens at step 100, and outbursts (steps at "
        "which the active count reaches 10 from below): mean (sd) over runs, and the "
        "two-sample Kolmogorov-Smirnov and Mann-Whitney p-values of each port against Mesa's "
        f"example ({seeds} seeds) and against Mesa's rules run one agent at a time by "
        f"`benchmarks/epstein/sequential.py` ({reference_seeds} seeds; compiled, it is about "
        f"70 times faster than Mesa). Each port ran {reference_seeds} seeds. Run on the same "
        f"seeds, the sequential reference reproduced {result['identical']} of Mesa's "
        f"{result['checked']} runs exactly, every step's three counts, so its sample is a "
        "sample of Mesa's model.",
        "",
        "| statistic | model | mean (sd) | Mesa | KS p | Mann-Whitney p | reference | KS p "
        "| Mann-Whitney p |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for i, stat in enumerate(equivalence.STATISTICS):
        for name in equivalence.PORTS:
            m, r = result[name]["mesa"][i], result[name]["reference"][i]
            lines.append(
                f"| {stat} | {name} | {m['port_mean']:.2f} ({m['port_std']:.2f}) "
                f"| {m['mesa_mean']:.2f} ({m['mesa_std']:.2f}) | {m['ks_p']:.3f} "
                f"| {m['mw_p']:.3f} | {r['reference_mean']:.2f} ({r['reference_std']:.2f}) "
                f"| {r['ks_p']:.3f} | {r['mw_p']:.3f} |"
            )
    lines += [
        "",
        f"The equivalence holds for a comparison when every one of its {equivalence.TESTS} "
        f"p-values is at least {equivalence.LEVEL} / {equivalence.TESTS} (Bonferroni). "
        f"Verdicts: {equivalence.verdicts(result)}.",
    ]
    return [*lines, "", *sweep_section(40 if quick else 500)]


def sweep_section(n_seeds: int) -> list[str]:
    """Both ports against the reference away from the defaults (`equivalence.SWEEP`)."""
    from epstein import equivalence

    rows = equivalence.run_sweep(n_seeds)
    print(equivalence.format_sweep(rows))
    lines = [
        "### Away from the defaults",
        "",
        f"Both ports against the reference at other settings (40 x 40, 100 steps, {n_seeds} "
        "runs of each model per setting): means at step 100 and Mann-Whitney p-values against "
        "the reference. The port's shortcuts push in opposite directions (see "
        "`benchmarks/epstein/README.md`), so agreement at the defaults does not vouch for "
        "the others; the exact port has no shortcuts.",
        "",
        "| setting | statistic | reference mean (sd) | port | p | exact | p |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['setting']} | {r['statistic']} | {r['reference_mean']:.2f} "
            f"({r['reference_std']:.2f}) | {r['port_mean']:.2f} | {r['port_mw_p']:.3f} "
            f"| {r['exact_mean']:.2f} | {r['exact_mw_p']:.3f} |"
        )
    return [*lines, ""]


def baseline_section(times: tuple[list[float], list[float]] | None) -> list[str]:
    if times is None:
        return [f"(The engine of {engine.BASELINE} is not in this repository: no comparison.)", ""]
    now, then = times
    ratios = sorted(a / b for a, b in zip(now, then, strict=True))
    return [
        f"Against the engine before it made its own violence (git {engine.BASELINE}: no "
        "local armed groups, context drivers, lethal policing, decisions or factions), on "
        f"this machine, a run at each tree's default scale takes {statistics.median(now):.2f} "
        f"s now and {statistics.median(then):.2f} s then (medians of {len(now)} fresh "
        "processes each, simulation only). Taken in pairs, one of each in turn so that the "
        "machine's drift hits both alike, a run now takes "
        f"{statistics.median(ratios):.2f} times as long as then (the median of the "
        f"{len(ratios)} pairs' ratios; they range from {ratios[0]:.2f} to {ratios[-1]:.2f}, "
        "as this shared machine's speed wanders from minute to minute).",
        "",
    ]


EPSTEIN_HEADING = "## Epstein's civil violence model"


def kept_epstein() -> list[str] | None:
    """The Epstein section of the RESULTS.md already written, with the date it was
    measured, or None where there is none to keep (then it is measured again)."""
    results = HERE / "RESULTS.md"
    if not results.exists():
        return None
    text = results.read_text()
    if EPSTEIN_HEADING not in text:
        return None
    written = text.split("Written by `python benchmarks/run.py` on ", 1)[-1].split(".", 1)[0]
    section = text[text.index(EPSTEIN_HEADING) :].rstrip("\n").split("\n")
    if any(line.startswith("(Kept from the run of") for line in section[:3]):
        return section  # kept before: the date it names is still the measurement's
    note = f"(Kept from the run of {written}: `--keep-epstein` measured the engine only.)"
    return [section[0], "", note, *section[1:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument(
        "--keep-epstein",
        action="store_true",
        help="measure the engine only; keep the Epstein section RESULTS.md already has",
    )
    args = parser.parse_args()
    kept = kept_epstein() if args.keep_epstein else None
    repeats = 1 if args.quick else 3
    engine_rows = engine.run(repeats=repeats)  # first: children inherit the peak memory
    baseline = engine.against(repeats=1 if args.quick else 9)
    places_rows = places.run()
    bandwidth = memory_bandwidth()
    bound = bandwidth / BYTES_PER_AGENT_STEP
    machine = (
        f"{platform.machine()}, {platform.processor() or 'unknown processor'}, "
        f"Python {platform.python_version()}, NumPy {np.__version__}; memory bandwidth "
        f"{bandwidth / 1e9:.1f} GB/s (NumPy copy of {BANDWIDTH_MIB} MiB), so at most "
        f"{bound / 1e6:,.0f} million agent-steps per second at {BYTES_PER_AGENT_STEP} bytes each"
    )
    print(machine)
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python benchmarks/run.py` on {dt.date.today()}. One core is used.",
        "",
        f"Machine: {machine}.",
        "",
        *engine_section(engine_rows, repeats, bound),
        *baseline_section(baseline),
        *places_section(places_rows),
        *(kept if kept is not None else epstein_section(bound, args.quick)),
    ]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()

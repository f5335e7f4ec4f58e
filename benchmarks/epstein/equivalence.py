"""Statistical equivalence of the NumPy port and Mesa's Epstein civil-violence example.

Both models run with the same defaults on a 40 x 40 torus for ``steps`` steps, over
``n_seeds`` independent seeds each. Per run we record the numbers of quiet, active and
jailed citizens at the last step and the number of outbursts. An outburst is a step t >= 2
at which the number of active citizens reaches ``outburst_threshold`` (default 10, about
1% of the ~1,120 citizens) from below, i.e. active(t) >= threshold > active(t - 1); step 1
is left out because every run starts with all citizens quiet. (With the default parameters
the active count on a 40 x 40 grid stays far below 50, so a threshold of 50 would never
fire.) For each statistic the two samples are compared with the two-sample
Kolmogorov-Smirnov and Mann-Whitney U tests; large p-values mean no detectable difference.

Mesa is an optional dependency and is imported only inside the functions that need it.
Each Mesa run executes in a fresh worker process (Mesa caches neighbourhoods per cell for
the life of a process).

Run ``python benchmarks/epstein/equivalence.py [n_seeds] [steps]`` to print the table.
"""

from __future__ import annotations

import os
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # executed as a script: make `epstein` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from epstein.model import EpsteinParams, run
else:
    from .model import EpsteinParams, run

STATISTICS = ("quiet", "active", "jailed", "outbursts")


def outbursts(active: np.ndarray, threshold: int) -> int:
    """Number of steps t >= 2 with active[t] >= threshold > active[t - 1]."""
    a = np.asarray(active)
    return int(np.count_nonzero((a[2:] >= threshold) & (a[1:-1] < threshold)))


def summarise(series: np.ndarray, threshold: int) -> dict[str, int]:
    """Final quiet/active/jailed counts and the outburst count of one (steps+1, 3) series."""
    quiet, active, jailed = (int(v) for v in series[-1])
    return {
        "quiet": quiet,
        "active": active,
        "jailed": jailed,
        "outbursts": outbursts(series[:, 1], threshold),
    }


def _import_mesa_model():
    """Mesa's EpsteinCivilViolence class, imported lazily.

    ``mesa.examples`` imports every example (some need networkx and more); when that
    fails, the Epstein example is loaded on its own, without the package's ``__init__``.
    """
    try:
        from mesa.examples.advanced.epstein_civil_violence.model import (
            EpsteinCivilViolence,
        )
    except ImportError:
        import importlib
        import types

        import mesa

        root = Path(mesa.__file__).parent / "examples"
        parts = ("examples", "advanced", "epstein_civil_violence")
        for i in range(1, len(parts) + 1):
            name = "mesa." + ".".join(parts[:i])
            if name not in sys.modules:
                package = types.ModuleType(name)
                package.__path__ = [str(root.joinpath(*parts[1:i]))]
                sys.modules[name] = package
        module = importlib.import_module("mesa.examples.advanced.epstein_civil_violence.model")
        EpsteinCivilViolence = module.EpsteinCivilViolence  # noqa: N806
    return EpsteinCivilViolence


def mesa_series(seed: int, steps: int, width: int = 40, height: int = 40) -> np.ndarray:
    """Run Mesa's example with its defaults; (steps + 1, 3) quiet/active/jailed counts."""
    model_class = _import_mesa_model()
    model = model_class(width=width, height=height, seed=seed)
    out = np.empty((steps + 1, 3), dtype=np.int64)
    out[0] = model.QUIET, model.ACTIVE, model.ARRESTED
    for t in range(1, steps + 1):
        model.step()
        out[t] = model.QUIET, model.ACTIVE, model.ARRESTED
    return out


def _mesa_job(args: tuple[int, int]) -> np.ndarray:
    """Worker entry point: one Mesa run."""
    seed, steps = args
    return mesa_series(seed, steps)


def _two_sample(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Kolmogorov-Smirnov and Mann-Whitney p-values (1.0 when both samples are constant)."""
    from scipy import stats

    if np.all(a == a[0]) and np.all(b == a[0]):
        return 1.0, 1.0
    with warnings.catch_warnings():  # ties: scipy falls back from the exact KS p-value
        warnings.simplefilter("ignore", RuntimeWarning)
        ks = stats.ks_2samp(a, b).pvalue
    mw = stats.mannwhitneyu(a, b, alternative="two-sided").pvalue
    return float(ks), float(mw)


def compare(
    port: list[dict[str, int]], mesa: list[dict[str, int]]
) -> list[dict[str, float | int | str]]:
    """One row per statistic: means, standard deviations and the two p-values."""
    rows: list[dict[str, float | int | str]] = []
    for name in STATISTICS:
        a = np.array([r[name] for r in port], dtype=float)
        b = np.array([r[name] for r in mesa], dtype=float)
        ks, mw = _two_sample(a, b)
        rows.append(
            {
                "statistic": name,
                "port_mean": float(a.mean()),
                "port_std": float(a.std(ddof=1)),
                "mesa_mean": float(b.mean()),
                "mesa_std": float(b.std(ddof=1)),
                "ks_p": ks,
                "mw_p": mw,
                "n_port": a.size,
                "n_mesa": b.size,
            }
        )
    return rows


def run_equivalence(
    n_seeds: int = 30,
    steps: int = 100,
    *,
    seed: int = 20020514,
    outburst_threshold: int = 10,
    workers: int | None = None,
    params: EpsteinParams | None = None,
) -> list[dict[str, float | int | str]]:
    """Run port and Mesa `n_seeds` times each at 40 x 40 and compare their statistics.

    Seeds for both models come from one SeedSequence(seed); Mesa gets integer seeds.
    `workers` processes run Mesa in parallel (default: the number of CPUs).
    """
    params = params or EpsteinParams(width=40, height=40)
    root = np.random.SeedSequence(seed)
    port_seeds = root.spawn(n_seeds)
    mesa_seeds = [int(s) for s in root.generate_state(n_seeds, dtype=np.uint32)]
    port = [summarise(run(params, steps, s), outburst_threshold) for s in port_seeds]
    workers = workers or min(n_seeds, os.cpu_count() or 1)
    jobs = [(s, steps) for s in mesa_seeds]
    with ProcessPoolExecutor(max_workers=workers, max_tasks_per_child=1) as pool:
        mesa = [summarise(series, outburst_threshold) for series in pool.map(_mesa_job, jobs)]
    return compare(port, mesa)


def format_table(rows: list[dict[str, float | int | str]]) -> str:
    """Plain-text table of `run_equivalence` rows."""
    head = (
        f"{'statistic':<10} {'port mean (sd)':>18} {'mesa mean (sd)':>18} {'KS p':>7} {'MW p':>7}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        port = f"{r['port_mean']:.2f} ({r['port_std']:.2f})"
        mesa = f"{r['mesa_mean']:.2f} ({r['mesa_std']:.2f})"
        lines.append(
            f"{r['statistic']:<10} {port:>18} {mesa:>18} {r['ks_p']:>7.3f} {r['mw_p']:>7.3f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    table = run_equivalence(n_seeds=n, steps=steps)
    print(f"40 x 40, {steps} steps, {n} seeds per model; statistics at the last step")
    print(format_table(table))

"""Statistical equivalence of our two ports and Mesa's Epstein civil-violence example.

Both models run with the same defaults on a 40 x 40 torus for ``steps`` steps. Per run we
record the numbers of quiet, active and jailed citizens at the last step and the number of
outbursts. An outburst is a step t >= 2 at which the number of active citizens reaches
``outburst_threshold`` (default 10, about 1% of the ~1,120 citizens) from below, i.e.
active(t) >= threshold > active(t - 1); step 1 is left out because every run starts with
all citizens quiet. (With the default parameters the active count on a 40 x 40 grid stays
far below 50, so a threshold of 50 would never fire.)

The ports are the NumPy port (`model.py`, "port") and the exact one (`compiled.py`,
"exact"). Each port's sample is compared twice, each time per statistic with the two-sample
Kolmogorov-Smirnov and Mann-Whitney U tests (large p-values: no detectable difference):

1. with Mesa's example itself, run for ``n_seeds`` seeds (each run in a fresh worker
   process, as Mesa caches neighbourhoods per cell for the life of a process);
2. with Mesa's rules run by `sequential.py` for ``reference_seeds`` seeds. That module
   activates one agent at a time and draws its random numbers as Mesa does; its first
   ``n_seeds`` runs use the seeds of step 1 and must reproduce Mesa's runs count for count,
   which is reported. It is compiled (Numba), about 70 times faster than Mesa, so it gives
   the sample that small differences and rare outbursts need (about one run in five has
   one): a few dozen runs per model can differ by chance.

The equivalence holds for a comparison when none of its eight tests (four statistics, two
tests each) rejects at 5% after Bonferroni's correction, i.e. every p-value is at least
0.05 / 8. `run_sweep` compares both ports with the reference at other settings too.

Mesa is an optional dependency and is imported only in the functions that need it.

Run ``python benchmarks/epstein/equivalence.py [n_seeds] [reference_seeds] [steps]``.
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
    from epstein import compiled, sequential
    from epstein.model import EpsteinParams, run
else:
    from . import compiled, sequential
    from .model import EpsteinParams, run

STATISTICS = ("quiet", "active", "jailed", "outbursts")
TESTS = 2 * len(STATISTICS)  # per comparison: Kolmogorov-Smirnov and Mann-Whitney each
LEVEL = 0.05  # family-wise, over the TESTS tests of one comparison (Bonferroni)


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


_VISION: dict[tuple[int, int, int], np.ndarray] = {}  # per worker process


def _reference_job(args: tuple[list[int], int, EpsteinParams]) -> list[np.ndarray]:
    """Worker entry point: runs of `sequential.py` with Mesa's neighbourhood order."""
    seeds, steps, params = args
    if params.cop_vision != params.citizen_vision:
        raise ValueError("the reference run here assumes one vision for citizens and cops")
    key = (params.width, params.height, params.citizen_vision)
    if key not in _VISION:
        _VISION[key] = sequential.mesa_neighbourhoods(*key)
    return [sequential.run(params, steps, s, _VISION[key]) for s in seeds]


def _port_job(args: tuple[list[np.random.SeedSequence], int, EpsteinParams]) -> list:
    """Worker entry point: runs of the port."""
    seeds, steps, params = args
    return [run(params, steps, s) for s in seeds]


def _compiled_job(args: tuple[list[np.random.SeedSequence], int, EpsteinParams]) -> list:
    """Worker entry point: runs of the compiled exact port."""
    seeds, steps, params = args
    return [compiled.run(params, steps, s) for s in seeds]


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


_JOBS = {"reference": _reference_job, "port": _port_job, "exact": _compiled_job}


def _run_models(pool, seeds: dict[str, list], steps: int, params: EpsteinParams, size: int):
    """Run each model of `seeds` (a key of `_JOBS`) on its seeds in `pool`, in chunks of
    `size` seeds; returns its runs, in the order of its seeds, by model."""
    runs = {}
    for model, model_seeds in seeds.items():
        jobs = [(c, steps, params) for c in _chunks(model_seeds, size)]
        runs[model] = [r for rs in pool.map(_JOBS[model], jobs) for r in rs]
    return runs


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
    port: list[dict[str, int]], other: list[dict[str, int]], name: str = "mesa"
) -> list[dict[str, float | int | str]]:
    """One row per statistic: means, standard deviations and the two p-values.

    Keys: ``statistic``, ``port_mean``, ``port_std``, ``n_port``, ``{name}_mean``,
    ``{name}_std``, ``n_{name}``, ``ks_p``, ``mw_p``.
    """
    rows: list[dict[str, float | int | str]] = []
    for stat in STATISTICS:
        a = np.array([r[stat] for r in port], dtype=float)
        b = np.array([r[stat] for r in other], dtype=float)
        ks, mw = _two_sample(a, b)
        rows.append(
            {
                "statistic": stat,
                "port_mean": float(a.mean()),
                "port_std": float(a.std(ddof=1)),
                f"{name}_mean": float(b.mean()),
                f"{name}_std": float(b.std(ddof=1)),
                "ks_p": ks,
                "mw_p": mw,
                "n_port": a.size,
                f"n_{name}": b.size,
            }
        )
    return rows


def holds(rows: list[dict]) -> bool:
    """True when no test of a `compare` result rejects at `LEVEL`, Bonferroni-corrected."""
    return min(r[key] for r in rows for key in ("ks_p", "mw_p")) >= LEVEL / TESTS


PORTS = ("port", "exact")  # the NumPy port (`model.py`) and the exact one (`compiled.py`)


def run_equivalence(
    n_seeds: int = 60,
    steps: int = 100,
    *,
    reference_seeds: int = 2000,
    seed: int = 20020514,
    outburst_threshold: int = 10,
    workers: int | None = None,
    params: EpsteinParams | None = None,
) -> dict:
    """Run both ports, Mesa and the sequential reference at 40 x 40 and compare them.

    Seeds come from one SeedSequence(seed): each port's are spawned from it; Mesa and the
    reference get the same integer seeds (Mesa's first `n_seeds`, the reference's first
    `max(n_seeds, reference_seeds)`). Each port runs as many seeds as the reference.
    `workers` processes run the models (default: the CPUs).

    Returns ``{"port": {"mesa": rows, "reference": rows}, "exact": {...}, "identical": k,
    "checked": n_seeds}``: `compare` rows for each port (`PORTS`) against Mesa and against
    the reference (`holds` reads them), and how many of Mesa's runs the reference
    reproduced exactly (every step's three counts).
    """
    params = params or EpsteinParams(width=40, height=40)
    n_ref = max(n_seeds, reference_seeds)
    root = np.random.SeedSequence(seed)
    port_seeds = {"port": root.spawn(n_ref), "exact": root.spawn(n_ref)}
    ints = [int(s) for s in root.generate_state(n_ref, dtype=np.uint32)]
    workers = workers or min(n_ref, os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers, max_tasks_per_child=1) as pool:
        mesa = list(pool.map(_mesa_job, [(s, steps) for s in ints[:n_seeds]]))
    size = max(1, -(-n_ref // (8 * workers)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        runs = _run_models(pool, {"reference": ints, **port_seeds}, steps, params, size)
    summaries = {k: [summarise(r, outburst_threshold) for r in v] for k, v in runs.items()}
    mesa_summaries = [summarise(m, outburst_threshold) for m in mesa]
    identical = sum(np.array_equal(m, r) for m, r in zip(mesa, runs["reference"], strict=False))
    result: dict = {
        name: {
            "mesa": compare(summaries[name], mesa_summaries),
            "reference": compare(summaries[name], summaries["reference"], "reference"),
        }
        for name in PORTS
    }
    return {**result, "identical": identical, "checked": n_seeds}


# Settings away from the defaults, where the model is more active (more arrests, more
# outbursts): the port's shortcuts could cancel at the defaults and not there.
SWEEP: dict[str, dict[str, float | int]] = {
    "defaults": {},
    "legitimacy 0.7": {"legitimacy": 0.7},
    "legitimacy 0.75": {"legitimacy": 0.75},
    "cop density 0.05": {"cop_density": 0.05},
    "vision 4": {"citizen_vision": 4, "cop_vision": 4},
    "threshold 0.05": {"active_threshold": 0.05},
}


def run_sweep(
    n_seeds: int = 1000,
    steps: int = 100,
    *,
    settings: dict[str, dict] | None = None,
    seed: int = 20020514,
    outburst_threshold: int = 10,
    workers: int | None = None,
) -> list[dict]:
    """The NumPy port and the compiled port against the reference, per setting of `SWEEP`
    (40 x 40, `n_seeds` runs of each model). One row per setting and statistic: the three
    means, Mann-Whitney p-values of each port against the reference, and the reference's
    standard deviation."""
    settings = SWEEP if settings is None else settings
    root = np.random.SeedSequence(seed)
    ints = [int(s) for s in root.generate_state(n_seeds, dtype=np.uint32)]
    port_seeds, compiled_seeds = root.spawn(n_seeds), root.spawn(n_seeds)
    workers = workers or os.cpu_count() or 1
    size = max(1, -(-n_seeds // (8 * workers)))
    rows = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for name, changes in settings.items():
            params = EpsteinParams(width=40, height=40, **changes)
            seeds = {"reference": ints, "port": port_seeds, "exact": compiled_seeds}
            series = _run_models(pool, seeds, steps, params, size)
            runs = {k: [summarise(r, outburst_threshold) for r in v] for k, v in series.items()}
            port = compare(runs["port"], runs["reference"], "reference")
            exact = compare(runs["exact"], runs["reference"], "reference")
            for p, c in zip(port, exact, strict=True):
                rows.append(
                    {
                        "setting": name,
                        "statistic": p["statistic"],
                        "reference_mean": p["reference_mean"],
                        "reference_std": p["reference_std"],
                        "port_mean": p["port_mean"],
                        "port_mw_p": p["mw_p"],
                        "exact_mean": c["port_mean"],
                        "exact_mw_p": c["mw_p"],
                        "n": n_seeds,
                    }
                )
    return rows


def format_sweep(rows: list[dict]) -> str:
    """Plain-text table of `run_sweep` rows."""
    head = (
        f"{'setting':<18} {'statistic':<10} {'reference':>16} {'port':>9} {'MW p':>6} "
        f"{'exact':>9} {'MW p':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        ref = f"{r['reference_mean']:.2f} ({r['reference_std']:.2f})"
        lines.append(
            f"{r['setting']:<18} {r['statistic']:<10} {ref:>16} {r['port_mean']:>9.2f} "
            f"{r['port_mw_p']:>6.3f} {r['exact_mean']:>9.2f} {r['exact_mw_p']:>6.3f}"
        )
    lines.append(f"runs: {rows[0]['n']} of each model per setting; 40 x 40; mean (sd)")
    return "\n".join(lines)


def format_table(result: dict) -> str:
    """Plain-text table of a `run_equivalence` result."""
    head = (
        f"{'statistic':<10} {'model':<6} {'mean (sd)':>16} {'Mesa':>16} {'KS p':>6} "
        f"{'MW p':>6} {'reference':>16} {'KS p':>6} {'MW p':>6}"
    )
    lines = [head, "-" * len(head)]
    for i, stat in enumerate(STATISTICS):
        for name in PORTS:
            m, r = result[name]["mesa"][i], result[name]["reference"][i]
            port = f"{m['port_mean']:.2f} ({m['port_std']:.2f})"
            mm = f"{m['mesa_mean']:.2f} ({m['mesa_std']:.2f})"
            rr = f"{r['reference_mean']:.2f} ({r['reference_std']:.2f})"
            lines.append(
                f"{stat:<10} {name:<6} {port:>16} {mm:>16} {m['ks_p']:>6.3f} "
                f"{m['mw_p']:>6.3f} {rr:>16} {r['ks_p']:>6.3f} {r['mw_p']:>6.3f}"
            )
    first = result[PORTS[0]]
    lines.append(
        f"runs: each port {first['mesa'][0]['n_port']}, Mesa {first['mesa'][0]['n_mesa']}, "
        f"reference {first['reference'][0]['n_reference']}; the reference reproduced "
        f"{result['identical']} of {result['checked']} Mesa runs exactly"
    )
    lines.append(f"equivalence (every p >= {LEVEL} / {TESTS}): {verdicts(result)}")
    return "\n".join(lines)


def verdicts(result: dict) -> str:
    """The four verdicts of a `run_equivalence` result, in words."""
    said = {True: "holds", False: "does not hold"}
    return "; ".join(
        f"{name}: with Mesa {said[holds(result[name]['mesa'])]}, with the reference "
        f"{said[holds(result[name]['reference'])]}"
        for name in PORTS
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sweep"]:
        n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
        print(format_sweep(run_sweep(n)))
        raise SystemExit(0)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    n_ref = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    result = run_equivalence(n_seeds=n, steps=steps, reference_seeds=n_ref)
    print(f"40 x 40, {steps} steps; statistics at the last step; mean (sd)")
    print(format_table(result))

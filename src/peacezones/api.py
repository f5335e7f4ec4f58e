"""The Python API: the command line's verbs, returning tidy DataFrames.

import peacezones as pz
result = pz.run("venezuela", seed=1)            # result.series, result.events
comparison = pz.compare("venezuela", ["historical", "no-peace-zones"], replicates=10)
comparison.per_policy, comparison.differences   # DataFrames
validation = pz.validate("venezuela")           # validation.frame(): every pattern and observation
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .scenario import Scenario, load_scenario

if TYPE_CHECKING:  # the engine and experiments load on first use: `import peacezones` is quick
    from .engine import RunResult
    from .experiments.compare import Comparison
    from .experiments.policies import Policy
    from .experiments.validate import Validation


def _scenario(scenario: Scenario | str | Path) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def _policy(policy: Policy | str | Path) -> Policy:
    from .experiments.policies import Policy, load_policy

    return policy if isinstance(policy, Policy) else load_policy(policy)


def run(
    scenario: Scenario | str | Path = "venezuela",
    policy: Policy | str = "historical",
    seed: int = 0,
    scale: float | None = None,
    replicate: int = 0,
) -> RunResult:
    """One simulation of a scenario under a policy."""
    from .engine import simulate
    from .experiments.policies import apply_policy

    variant = apply_policy(_scenario(scenario), _policy(policy))
    return simulate(variant, seed=seed, scale=scale, replicate=replicate)


def compare(
    scenario: Scenario | str | Path = "venezuela",
    policies: list[Policy | str] | tuple[Policy | str, ...] = ("historical", "no-peace-zones"),
    replicates: int = 10,
    out: str | Path | None = None,
    seed: int = 0,
    scale: float | None = None,
    workers: int | None = None,
    window: str | None = None,
    places: str | None = None,
    neighbours: bool = False,
    report: bool = True,
    scheduler: str | None = None,
) -> Comparison:
    """Policies side by side over replicates with common random numbers; see
    :class:`peacezones.experiments.compare.Comparison`. Runs are kept in ``out`` (default
    ``results/<scenario>-compare``) and not run again, with ``report.html`` as
    ``peacezones compare`` writes it (unless ``report`` is false). ``window``
    ("2019:2021") and ``places`` (ids or regions, comma-separated; ``neighbours`` adds
    those one road away) narrow the outcomes to where and when a lever acts. With
    ``scheduler`` (a Dask scheduler's address) the runs go to that cluster.

    Bad input (scenario, policies, a folder holding other results) raises
    :class:`ScenarioError` before any run."""
    from .analysis.window import window as narrowed
    from .experiments import folders
    from .experiments.compare import compare as _compare
    from .experiments.policies import apply_policy

    loaded = _scenario(scenario)
    where = narrowed(loaded, window, places, neighbours) if window or places or neighbours else None
    chosen = [_policy(p) for p in policies]
    variants = [apply_policy(loaded, p) for p in chosen]  # each checked before any run
    folder = Path(out) if out is not None else Path("results") / f"{loaded.meta.name}-compare"
    folders.claim(folder, "compare", "out", loaded.digest())
    result = _compare(
        loaded,
        chosen,
        replicates,
        folder,
        seed=seed,
        scale=scale,
        workers=workers or os.cpu_count() or 1,
        where=where,
        scheduler=scheduler,
    )
    if report:
        _report(folder, variants, "compare", chosen)
    return result


def _report(folder: Path, variants: list[Scenario], command: str, policies: list[Any]) -> None:
    """report.html in ``folder``, as the command writes it (``variants``: the scenario
    under each of ``policies``)."""
    from .report.build import build_report
    from .report.context import context

    context(variants[0], command, policies, variants).write(folder)
    build_report(folder)


def validate(
    scenario: Scenario | str | Path = "venezuela",
    replicates: int = 30,
    out: str | Path | None = None,
    seed: int = 0,
    scale: float | None = None,
    workers: int | None = None,
    ablate: bool = True,
    observations_required: bool = True,
    report: bool = True,
) -> Validation:
    """The scenario's own patterns and observations, as ``peacezones validate`` judges
    them: ``.frame()`` is the table, ``.passed`` whether every pattern is evidence (fails
    with each of its mechanisms off) and passes, and every observation is within its
    tolerance. Runs are kept in ``out`` (default ``results/<scenario>-validate``), with
    ``report.html`` as ``peacezones validate`` writes it (unless ``report`` is false).

    Bad input (a scenario whose arms cannot be built, a folder holding other results)
    raises :class:`ScenarioError` before any run."""
    from .experiments import folders
    from .experiments.validate import HISTORICAL, refusals
    from .experiments.validate import validate as _validate

    loaded = _scenario(scenario)
    refused = refusals(loaded)
    if refused:
        raise refused[0][1]
    folder = Path(out) if out is not None else Path("results") / f"{loaded.meta.name}-validate"
    folders.claim(folder, "validate", "out", loaded.digest())
    result = _validate(
        loaded,
        replicates,
        folder,
        seed=seed,
        scale=scale,
        workers=workers or os.cpu_count() or 1,
        ablate=ablate,
        observations_required=observations_required,
    )
    if report:
        _report(folder, [loaded], "validate", [HISTORICAL])
    return result

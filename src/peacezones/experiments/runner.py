"""Batches of runs: policies times replicates, with common random numbers, on evaluators.

Replicate ``i`` of seed ``s`` draws the same random stream under every policy, so that
differences between policies are paired. Each run's result depends only on its inputs,
never on the number of workers or the order in which runs finish.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from .. import __version__
from ..analysis.measures import statistics
from ..analysis.outcomes import measure, monthly_series, notable_events, yearly_series
from ..analysis.patterns import STATISTICS_VERSION
from ..engine import simulate
from ..report.chronicle import NOTABLE
from ..scenario import Scenario
from .policies import Policy, apply_policy
from .store import Store


@dataclass(frozen=True)
class Task:
    """One run to do: a scenario under a policy, one replicate."""

    policy: str
    scenario: Scenario
    replicate: int
    seed: int
    scale: float
    monthly: bool = False
    """Keep the run's series by month (``compare``), not by year."""

    @property
    def run_id(self) -> str:
        """The same inputs give the same id, so a stored run is never run again."""
        key = (
            f"{self.policy}|{self.scenario.digest()}|{self.replicate}|{self.seed}|"
            f"{self.scale!r}|{__version__}|{STATISTICS_VERSION}"
        ) + ("|monthly" if self.monthly else "")
        return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass
class Output:
    """What a worker sends back: the run's record and its tables."""

    run: dict[str, Any]
    series: pd.DataFrame
    events: pd.DataFrame
    outcomes: dict[str, float]


def plan(
    scenario: Scenario, policies: list[Policy], replicates: int, seed: int, scale: float,
    monthly: bool = False,
) -> list[Task]:  # fmt: skip
    """Every (policy, replicate) pair, policies applied once each."""
    arms = {p.name: apply_policy(scenario, p) for p in policies}
    return plan_arms(arms, replicates, seed, scale, monthly)


def plan_arms(
    arms: dict[str, Scenario], replicates: int, seed: int, scale: float, monthly: bool = False
) -> list[Task]:
    """Every (arm, replicate) pair, for arms given as named scenarios."""
    return [
        Task(name, variant, r, seed, scale, monthly)
        for name, variant in arms.items()
        for r in range(replicates)
    ]


def execute(task: Task) -> Output:
    """Simulate one task and reduce it to what the store keeps."""
    started = time.perf_counter()
    result = simulate(task.scenario, seed=task.seed, scale=task.scale, replicate=task.replicate)
    parameters = {
        f"{group}.{name}": p.value
        for group, members in task.scenario.parameters.items()
        for name, p in members.items()
    }
    run = {
        "run_id": task.run_id,
        "scenario": task.scenario.meta.name,
        "scenario_digest": task.scenario.digest(),
        "policy": task.policy,
        "replicate": task.replicate,
        "seed": task.seed,
        "scale": task.scale,
        "version": __version__,
        "parameters": parameters,
        "seconds": time.perf_counter() - started,
    }
    values = {**measure(result), **statistics(result)}
    series = monthly_series(result) if task.monthly else yearly_series(result)
    return Output(run, series, notable_events(result, NOTABLE), values)


class Evaluator(Protocol):
    """Runs tasks and yields their outputs as they finish (EMA's evaluators)."""

    def imap(self, fn: Callable[[Task], Output], tasks: list[Task]) -> Iterator[Output]: ...


class Sequential:
    """One task after another, in this process."""

    def __enter__(self) -> Sequential:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def imap(self, fn: Callable[[Task], Output], tasks: list[Task]) -> Iterator[Output]:
        return (fn(task) for task in tasks)


class Processes:
    """Tasks on a pool of worker processes on this machine."""

    def __init__(self, workers: int) -> None:
        # forkserver: workers do not inherit this process's open store or threads
        context = multiprocessing.get_context("forkserver")
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            return
        # interrupted (Ctrl-C, a termination request) or failed: the runs under way would
        # finish for nobody, since their outputs are no longer read; stop their workers
        # rather than wait for them (the executor keeps its processes by pid)
        workers = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join(timeout=10)

    def imap(self, fn: Callable[[Task], Output], tasks: list[Task]) -> Iterator[Output]:
        futures = [self.pool.submit(fn, task) for task in tasks]
        return (future.result() for future in as_completed(futures))


class Dask:
    """Tasks on a Dask cluster, given its scheduler's address (``tcp://host:8786``).

    Each run is one task; its output comes back to this process, which alone writes the
    store, so a cluster changes where runs happen, never what they give."""

    def __init__(self, scheduler: str) -> None:
        from distributed import Client

        self.client = Client(scheduler, set_as_default=False)
        self.futures: list[Any] = []

    def __enter__(self) -> Dask:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.futures:
            self.client.cancel(self.futures)
        self.client.close()

    def imap(self, fn: Callable[[Task], Output], tasks: list[Task]) -> Iterator[Output]:
        from distributed import as_completed as completed

        self.futures = self.client.map(fn, tasks, pure=False)
        with self.client.as_current():  # this client, not a process-wide default
            for future in completed(self.futures):
                yield future.result()


def evaluator(workers: int, scheduler: str | None = None) -> Sequential | Processes | Dask:
    if scheduler:
        return Dask(scheduler)
    return Sequential() if workers <= 1 else Processes(workers)


def run_batch(
    tasks: Iterable[Task],
    store: Store,
    workers: int,
    on_done: Callable[[Output], None] | None = None,
    scheduler: str | None = None,
) -> int:
    """Run the tasks not yet stored; store each as it finishes. Returns how many ran.
    With ``scheduler`` (a Dask scheduler's address) the runs go to that cluster."""
    done = store.done()
    todo = [t for t in tasks if t.run_id not in done]
    if not todo:
        return 0
    with evaluator(min(workers, len(todo)), scheduler) as pool:
        for output in pool.imap(execute, todo):
            store.save(output.run, output.series, output.events, output.outcomes)
            if on_done is not None:
                on_done(output)
    return len(todo)


def run_and_collect(
    tasks: list[Task],
    out: Path,
    workers: int,
    on_done: Callable[[Output], None] | None = None,
    scheduler: str | None = None,
    store_folder: Path | None = None,
) -> tuple[pd.DataFrame, int]:
    """Run what the store in ``out`` (or in ``store_folder``, one kept apart and shared
    by several batches) lacks, export the tables of these tasks as Parquet into ``out``,
    and return their outcomes and how many runs were simulated now."""
    with Store(store_folder or out) as store:
        ran = run_batch(tasks, store, workers, on_done, scheduler)
        ids = [t.run_id for t in tasks]
        outcomes = store.table("outcomes", "WHERE run_id IN (SELECT unnest(?))", [ids])
        store.export(out, ids)
    return outcomes, ran

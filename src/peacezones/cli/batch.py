"""What the batch commands (compare, validate) share: options, progress, interruption."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..scenario import Problem, ScenarioError
from ..scenario.schema import MIN_SCALE

T = TypeVar("T")
SEED_MAX = 2**63 - 1
"""The largest root seed the results store keeps (a signed 64-bit integer)."""


def scenario_option() -> Any:
    return typer.Option(
        "venezuela",
        "--scenario",
        "-s",
        metavar="NAME|FILE",
        help="A built-in scenario or a TOML file.",
    )


def check_scale(scale: float | None) -> None:
    if scale is not None and not MIN_SCALE <= scale <= 1.0:
        expected = f"a number in [{MIN_SCALE:g}, 1]: records per person (at least one per million)"
        raise ScenarioError("--scale", [Problem(("scale",), repr(scale), expected)])


def check_scheduler(address: str) -> None:
    """Refuse a Dask scheduler that cannot be reached, before any work."""
    try:
        from distributed import Client

        Client(address, timeout=10, set_as_default=False).close()
    except (OSError, TimeoutError, ValueError) as exc:
        found = f"{address!r}: {exc}"
        expected = "the address of a running Dask scheduler, such as tcp://127.0.0.1:8786"
        raise ScenarioError("--scheduler", [Problem(("scheduler",), found, expected)]) from None


def check_out(folder: Path, kind: str, scenario: str = "") -> None:
    """The output folder, claimed for results of ``kind`` once every other input has been
    checked: new, empty, or holding results of the same command (see
    :mod:`..experiments.folders`); made and marked with its kind."""
    from ..experiments import folders

    folders.claim(folder, kind, scenario=scenario)


def simulated(ran: int, runs: int) -> str:
    """How many runs were simulated now and how many were already stored, in words."""
    if ran == runs:
        return f"{runs} run{'' if runs == 1 else 's'} simulated now"
    if ran == 0:
        return f"none simulated now: all {runs} runs were stored already"
    return f"{ran} of {runs} runs simulated now, the other {runs - ran} were stored already"


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While a batch runs, a termination request (SIGTERM, as ``kill`` sends) is taken as
    Ctrl-C: the worker pool is shut down and the finished runs stay stored, where by
    default the process would die at once and leave its idle workers behind."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (the web page runs batches in threads)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def with_progress(
    console: Console, total: int, folder: Path, work: Callable[[Callable[[Any], None]], T]
) -> T:
    """Run ``work(advance)`` under a progress bar of ``total`` runs; on Ctrl-C or a
    termination request, say that the finished runs are kept; a store in use becomes a
    clear error."""
    from ..experiments.store import StoreBusyError

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("runs", total=total)
        try:
            with terminate_as_interrupt():
                return work(lambda _: bar.advance(task))
        except KeyboardInterrupt:
            console.print(
                "interrupted: the runs finished so far are stored; run the same "
                "command again to finish the rest"
            )
            raise typer.Exit(130) from None
        except StoreBusyError as exc:
            expected = "a readable store that no other process is writing"
            problem = Problem(("out",), str(exc), expected)
            raise ScenarioError(str(folder), [problem]) from None

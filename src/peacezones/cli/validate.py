"""``peacezones validate``: the patterns P1-P12 and the level checks, pass or fail."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..scenario import Problem, ScenarioError, load_scenario
from . import views

if TYPE_CHECKING:
    from ..experiments.validate import Validation


def validate_command(
    scenario: str = typer.Option(
        "venezuela",
        "--scenario",
        "-s",
        metavar="NAME|FILE",
        help="A built-in scenario or a TOML file.",
    ),
    replicates: int = typer.Option(10, min=2, help="Replicates per arm."),
    workers: int = typer.Option(0, min=0, help="Worker processes (0: every core)."),
    scale: float = typer.Option(None, help="Records per person (default: the scenario's)."),
    seed: int = typer.Option(0, min=0, help="Root seed; replicate i is the same in every arm."),
    out: Path = typer.Option(
        None,
        help="Results folder (default: results/<scenario>-validate). "
        "Runs already stored there are not run again.",
    ),
) -> None:
    """Check the patterns of the real case: historical against no peace zones and contrasts.

    Prints each pattern's statistic, what was expected, what was observed (with its 95%
    interval) and pass or fail, then the level checks; writes validation.csv. Exit status
    1 when a pattern fails.
    """
    from ..experiments.store import StoreBusyError
    from ..experiments.validate import validate

    if scale is not None and not 0.0 < scale <= 1.0:
        raise ScenarioError("--scale", [Problem(("scale",), repr(scale), "a number in (0, 1]")])
    loaded = load_scenario(scenario)
    folder = out or Path("results") / f"{loaded.meta.name}-validate"
    console = views.console()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("runs", total=5 * replicates)
        try:
            result = validate(
                loaded,
                replicates,
                folder,
                seed=seed,
                scale=scale,
                workers=workers or os.cpu_count() or 1,
                on_done=lambda _: bar.advance(task),
            )
        except KeyboardInterrupt:
            console.print(
                "interrupted: the runs finished so far are stored; run the same "
                "command again to finish the rest"
            )
            raise typer.Exit(130) from None
        except StoreBusyError as exc:
            raise ScenarioError(
                str(folder), [Problem(("out",), str(exc), "a store no other process is writing")]
            ) from None
    _print(console, result)
    console.print(
        f"{result.ran} of {result.runs} runs simulated now; results in "
        f"[bold]{escape(str(folder))}[/]"
    )
    if not result.passed:
        raise typer.Exit(1)


def _print(console: Console, result: Validation) -> None:
    for title, verdicts in (("Patterns", result.patterns), ("Levels", result.levels)):
        table = Table(title=title, title_justify="left", show_lines=True)
        for column in ("check", "statistic", "expected", "observed", "result"):
            table.add_column(column)
        for v in verdicts:
            mark = "[green]pass[/]" if v.passed else "[red]fail[/]"
            table.add_row(
                escape(v.pattern), escape(v.statistic), escape(v.expected), escape(v.observed), mark
            )
        console.print(table)
    held = sum(v.passed for v in result.patterns)
    console.print(
        f"{held} of {len(result.patterns)} patterns hold; "
        f"{sum(v.passed for v in result.levels)} of {len(result.levels)} levels"
    )

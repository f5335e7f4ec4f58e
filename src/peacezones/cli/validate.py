"""``peacezones validate``: the patterns P1-P12 and the level checks, pass or fail."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..scenario import load_scenario
from . import batch, views
from . import report as reports

if TYPE_CHECKING:
    from ..experiments.validate import Validation


def validate_command(
    scenario: str = batch.scenario_option(),
    replicates: int = typer.Option(30, min=2, help="Replicates per arm."),
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
    interval) and pass or fail, then the level checks; writes validation.csv and
    report.html. Exit status 1 when a pattern fails.
    """
    from ..experiments.validate import arms, validate
    from ..report.context import context

    batch.check_scale(scale)
    loaded = load_scenario(scenario)
    folder = out or Path("results") / f"{loaded.meta.name}-validate"
    console = views.console()
    names = list(arms(loaded))  # the scenario's contrasts decide how many arms there are
    result = batch.with_progress(
        console,
        len(names) * replicates,
        folder,
        lambda advance: validate(
            loaded,
            replicates,
            folder,
            seed=seed,
            scale=scale,
            workers=workers or os.cpu_count() or 1,
            on_done=advance,
        ),
    )
    _print(console, result)
    context(loaded, "validate", names).write(folder)
    report = reports.write_report(folder)
    console.print(
        f"{result.ran} of {result.runs} runs simulated now; results in "
        f"[bold]{escape(str(folder))}[/]; open {escape(str(report))}"
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

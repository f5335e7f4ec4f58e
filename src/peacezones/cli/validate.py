"""``peacezones validate``: a scenario's own patterns and observations, with ablation."""

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
from .batch import SEED_MAX

if TYPE_CHECKING:
    from ..experiments.validate import Validation


def validate_command(
    scenario: str = batch.scenario_option(),
    replicates: int = typer.Option(
        30, min=2, help="Replicates per arm (times a rare pattern's replicate_factor for its arms)."
    ),
    workers: int = typer.Option(0, min=0, help="Worker processes (0: every core)."),
    scale: float = typer.Option(None, help="Records per person (default: the scenario's)."),
    seed: int = typer.Option(
        0, min=0, max=SEED_MAX, help="Root seed; replicate i is the same in every arm."
    ),
    ablate: bool = typer.Option(
        True,
        "--ablate/--no-ablate",
        help="Also run each pattern's arms with each of its mechanisms switched off; a "
        "pattern that still passes is 'not evidence'. Without it no pattern counts as "
        "evidence, so the exit status is 1.",
    ),
    warn_observations: bool = typer.Option(
        False,
        "--warn-observations",
        help="Report observations out of tolerance as warnings: they do not set the exit status.",
    ),
    out: Path = typer.Option(
        None,
        help="Results folder (default: results/<scenario>-validate). "
        "Runs already stored there are not run again.",
    ),
) -> None:
    """Judge the scenario's own patterns and observations over replicates.

    Runs the arms the scenario's patterns name (historical, policies, trait contrasts) and,
    with --ablate (the default), the same arms with each pattern's mechanisms switched off
    one at a time (for Venezuela 33 arms, 1,650 runs: about 95 minutes on 2 cores; a rare
    pattern's arms run its replicate_factor times the replicates). Prints each
    pattern's statistic, what was expected, what the runs gave (with its 95% interval or
    its number of cases), its verdict (pass, fail, too few cases, not evidence) and its
    ablation; then each observation against the model's mean (and its trend where asked),
    fitted and checked ones apart. Writes validation.csv and report.html. Exit status 1
    unless every pattern is evidence and passes and every observation is within its
    tolerance; 2 on bad input, before anything runs.
    """
    from ..experiments.validate import count_runs, refusals, validate
    from ..report.context import context

    batch.check_scale(scale)
    loaded = load_scenario(scenario)
    refused = refusals(loaded)  # every arm and ablation is built before any run
    if refused:
        for label, exc in refused:
            views.print_error(views.placed(scenario, exc), label)
        raise typer.Exit(2)
    folder = out or Path("results") / f"{loaded.meta.name}-validate"
    batch.check_out(folder, "validate", loaded.digest())
    console = views.console()
    if replicates < FEW_REPLICATES:
        console.print(
            f"[yellow]note[/]: with {replicates} replicates per arm the intervals are wide and "
            "rare cases few; the default is 30"
        )
    total = count_runs(loaded, replicates, ablate)
    result = batch.with_progress(
        console,
        total,
        folder,
        lambda advance: validate(
            loaded,
            replicates,
            folder,
            seed=seed,
            scale=scale,
            workers=workers or os.cpu_count() or 1,
            on_done=advance,
            ablate=ablate,
            observations_required=not warn_observations,
        ),
    )
    _print(console, result)
    context(loaded, "validate", ["historical"]).write(folder)
    report = reports.write_report(folder)
    console.print(
        f"{batch.simulated(result.ran, result.runs)}; results in "
        f"[bold]{escape(str(folder))}[/]; open {escape(str(report))}"
    )
    if not result.passed:
        if replicates < FEW_REPLICATES:
            console.print(
                f"[yellow]note[/]: at {replicates} replicates a pattern may fail, or be judged "
                "no evidence, for want of runs rather than of the mechanism; read a verdict "
                "at the default 30 (--replicates 30)"
            )
        raise typer.Exit(1)


FEW_REPLICATES = 10


MARKS = {
    "pass": "[green]pass[/]",
    "fail": "[red]fail[/]",
    "too few cases": "[yellow]too few cases[/]",
    "not evidence": "[magenta]not evidence[/]",
}
ROLES = {
    "check": "checks: nothing was tuned to these",
    "fit": "fitted: a parameter was set to reach these",
}


def _print(console: Console, result: Validation) -> None:
    frame = result.frame()
    for kind, title in (("pattern", "Patterns"), ("observation", "Observations")):
        kinds = ("observation", "trend") if kind == "observation" else (kind,)
        for role, words in ROLES.items():
            rows = frame[frame["kind"].isin(kinds) & (frame["role"] == role)]
            if rows.empty:
                continue
            table = Table(title=f"{title}, {words}", title_justify="left", show_lines=True)
            columns = ["id", "statistic", "expected", "observed", "verdict"]
            if kind == "pattern":
                columns.append("ablation")
            for column in columns:
                table.add_column(column)
            for r in rows.itertuples():
                cells = [
                    escape(str(r.id)),
                    escape(str(r.statistic)),
                    escape(str(r.expected)),
                    escape(str(r.observed)),
                    MARKS.get(str(r.outcome), escape(str(r.outcome))),
                ]
                if kind == "pattern":
                    cells.append(escape(str(r.ablation)))
                if kind == "observation" and not result.observations_required and not r.passed:
                    cells[4] = "[yellow]warning[/]"
                table.add_row(*cells)
            console.print(table)
    console.print(summary(result))


def summary(result: Validation) -> str:
    """One line: how many patterns are evidence and pass, how many observations hold."""
    n = len(result.patterns)
    if not n:
        head = "the scenario declares no patterns"
    elif result.ablated:
        head = f"{len(result.evidence)} of {n} patterns are evidence and pass"
    else:
        held = sum(v.passed for v in result.patterns)
        head = f"{held} of {n} patterns pass (not ablated: none counts as evidence)"
    observed = [v for v in result.observations if v.kind == "observation"]
    trends = [v for v in result.observations if v.kind == "trend"]
    tail = f"{sum(v.passed for v in observed)} of {len(observed)} observations within tolerance"
    if trends:
        tail += f", {sum(v.passed for v in trends)} of {len(trends)} trends"
    return f"{head}; {tail}"

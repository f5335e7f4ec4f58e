"""``peacezones compare``: policies side by side over replicates, with intervals."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..experiments.policies import builtin_policies, load_policy
from ..report.text import interval
from ..scenario import Problem, ScenarioError, load_scenario
from . import batch, views
from . import report as reports
from .batch import SEED_MAX

if TYPE_CHECKING:
    import pandas as pd

    from ..experiments.compare import Comparison

DEFAULT_POLICIES = "historical,no-peace-zones"


def compare_command(
    policies: str = typer.Option(
        DEFAULT_POLICIES,
        help="Comma-separated policies; the first is the baseline. Built in: "
        + ", ".join(builtin_policies())
        + "; or paths to policy files.",
    ),
    scenario: str = batch.scenario_option(),
    replicates: int = typer.Option(10, min=1, help="Replicates per policy."),
    workers: int = typer.Option(0, min=0, help="Worker processes (0: every core)."),
    scale: float = typer.Option(None, help="Records per person (default: the scenario's)."),
    seed: int = typer.Option(
        0, min=0, max=SEED_MAX, help="Root seed; replicate i is the same under every policy."
    ),
    out: Path = typer.Option(
        None,
        help="Results folder (default: results/<scenario>-compare). "
        "Runs already stored there are not run again.",
    ),
    window: str = typer.Option(
        None,
        metavar="START:END",
        help="Judge the outcomes over these years (2019:2021) or months (2021-03:2021-09).",
    ),
    places: str = typer.Option(
        None,
        metavar="IDS|REGION",
        help="Judge the outcomes over these places only: comma-separated ids or regions.",
    ),
    neighbours: bool = typer.Option(
        False, "--neighbours", help="Add the places one road away from --places."
    ),
    scheduler: str = typer.Option(
        None,
        metavar="ADDRESS",
        help="A Dask scheduler (tcp://host:8786): the runs go to that cluster instead of "
        "--workers processes here; the results are the same.",
    ),
) -> None:
    """Compare policies: outcomes with 95% intervals and paired differences from the first.

    Writes the tables, and report.html with the outcomes and one run in full. With
    --window and --places, the outcomes are those years and places only (rates per 100,000
    of their residents; gang members of the gangs at home there), where a lever acts.

    Interrupted (Ctrl-C or killed), the same command finishes the missing runs only.
    """
    from ..analysis.window import window as narrowed
    from ..experiments.compare import compare
    from ..experiments.policies import apply_policy
    from ..report.context import context

    loaded = load_scenario(scenario)
    where = narrowed(loaded, window, places, neighbours) if window or places or neighbours else None
    names = [name.strip() for name in policies.split(",")]
    if any(not name for name in names) and any(names):
        expected = "policy names or files, comma-separated, none empty"
        raise ScenarioError("--policies", [Problem(("policies",), repr(policies), expected)])
    chosen = [load_policy(name) for name in names if name]
    if not chosen:
        expected = "one or more policies, comma-separated; the first is the baseline"
        raise ScenarioError("--policies", [Problem(("policies",), repr(policies), expected)])
    if len({p.name for p in chosen}) < len(chosen):
        raise ScenarioError(
            "--policies", [Problem(("policies",), repr(policies), "distinct policies")]
        )
    batch.check_scale(scale)
    variants = [apply_policy(loaded, policy) for policy in chosen]  # each checked in full
    if scheduler:
        batch.check_scheduler(scheduler)
    folder = out or Path("results") / f"{loaded.meta.name}-compare"
    batch.check_out(folder, "compare", loaded.digest())
    console = views.console()
    baseline = variants[0].digest()
    for policy, variant in zip(chosen[1:], variants[1:], strict=True):
        if variant.digest() == baseline:
            console.print(
                f"[yellow]note:[/] policy {escape(policy.name)} changes nothing in this "
                f"scenario against {escape(chosen[0].name)} (for instance, it removes a "
                "programme the schedule's decisions do not belong to): its runs will be "
                "the same"
            )
    result = batch.with_progress(
        console,
        len(chosen) * replicates,
        folder,
        lambda advance: compare(
            loaded,
            chosen,
            replicates,
            folder,
            seed=seed,
            scale=scale,
            workers=workers or os.cpu_count() or 1,
            on_done=advance,
            where=where,
            scheduler=scheduler,
        ),
    )
    _print(console, result, [p.name for p in chosen])
    over = f" in {result.where.describe()}" if result.where is not None else ""
    for same in result.unchanged:
        console.print(
            f"[yellow]note:[/] under {escape(same)} every outcome{escape(over)} of every "
            f"replicate is what it is under {escape(chosen[0].name)}: its levers changed "
            f"nothing{escape(over)} in these runs (a truce between gangs that are allies, "
            "say, or a decision after the end)"
        )
    context(variants[0], "compare", chosen, variants).write(folder)
    report = reports.write_report(folder)
    console.print(
        f"{batch.simulated(result.ran, result.runs)}; "
        f"results in [bold]{escape(str(folder))}[/]; open {escape(str(report))}"
    )


def _print(console: Console, result: Comparison, policies: list[str]) -> None:
    from ..analysis.outcomes import OUTCOMES

    over = f" in {result.where.describe()}" if result.where is not None else ""
    table = Table(
        title=f"Outcomes{escape(over)}: mean [95% interval] over replicates", title_justify="left"
    )
    table.add_column("outcome")
    for policy in policies:
        table.add_column(escape(policy), justify="right")
    directions = {o.name: o.direction for o in OUTCOMES}
    per = result.per_policy.set_index(["outcome", "policy"])
    for outcome in per.index.get_level_values(0).unique():
        cells = [_interval(per.loc[(outcome, p)]) for p in policies]
        arrow = {"min": " (lower is better)", "max": " (higher is better)"}.get(
            directions[outcome], ""
        )
        table.add_row(outcome + arrow, *cells)
    console.print(table)
    if result.differences.empty:
        return
    table = Table(
        title=f"Paired differences from {escape(policies[0])}{escape(over)}: "
        "mean [95% interval] (p)",
        title_justify="left",
    )
    table.add_column("outcome")
    for policy in policies[1:]:
        table.add_column(escape(policy), justify="right")
    diff = result.differences.set_index(["outcome", "policy"])
    for outcome in diff.index.get_level_values(0).unique():
        cells = []
        for p in policies[1:]:
            row = diff.loc[(outcome, p)]
            p = f"({row['p']:.2g})" if row["p"] == row["p"] else "(no p: one pair)"
            cells.append(f"{_interval(row, 'difference')} {p}")
        table.add_row(outcome, *cells)
    console.print(table)


def _interval(row: pd.Series, column: str = "mean") -> str:
    return " ".join(interval(row[column], row["low"], row["high"])).strip()

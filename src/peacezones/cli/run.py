"""``peacezones run``: one simulation of a scenario, with a summary and a results folder."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..experiments.policies import apply_policy, builtin_policies, load_policy
from ..scenario import derive, load_scenario
from ..scenario.schema import MECHANISMS
from . import batch, views
from . import report as reports
from .batch import SEED_MAX

if TYPE_CHECKING:
    import pandas as pd

    from ..engine import RunResult

COUNTED = (
    "zone_declared",
    "zone_ended",
    "takeover_won",
    "facility_attack",
    "offensive",
    "targeted_operation",
    "punishment_massacre",
    "leader_killed",
    "leader_fled",
)


def run(
    scenario: str = batch.scenario_option(),
    policy: str = typer.Option(
        "historical",
        metavar="NAME|FILE",
        help="A policy: " + ", ".join(builtin_policies()) + ", or a policy file.",
    ),
    seed: int = typer.Option(0, min=0, max=SEED_MAX, help="Root seed of the random numbers."),
    scale: float = typer.Option(
        None,
        help="Records per person (default: the scenario's; 1 = everyone).",
    ),
    out: Path = typer.Option(None, help="Results folder (default: results/<scenario>-<time>)."),
    chronicle_mode: str = typer.Option(
        "summary",
        "--chronicle",
        metavar="MODE",
        help="The notable events as dated sentences: summary (the main turns of the story, "
        "the same turn of a gang twice at most), all, none, gang=ID, place=ID or year=YYYY.",
    ),
    off: list[str] = typer.Option(
        [],
        "--off",
        metavar="MECHANISM",
        help="Switch a mechanism off for this run (repeatable): " + ", ".join(MECHANISMS) + ".",
    ),
) -> None:
    """Simulate a scenario; print a summary; write series.parquet, events.parquet, run.json
    and report.html (figures, map, chronicle) with PNG copies of its figures.

    The summary's gang table gives each gang's members at the start and the end, how
    many joined, and how many left by each way out: deserted, unpaid (its takings could
    not pay their wages), leaderless, killed by police, killed by rivals, jailed, split
    off. It warns of each of the scenario's gangs of 100 or more members that keeps less
    than a third of them a year in, with that year's ways out, most first: most often
    parameters written for another case (docs/writing-a-scenario.md, "A case far from
    Venezuela"); and notes each one that ends the run with less than a third, with the
    run's ways out, for the reader to weigh against the scenario's decisions."""
    from ..engine import simulate
    from ..experiments.output import default_folder, write_run
    from ..report.chronicle import Names, Selection, closing, entries
    from ..report.context import context

    batch.check_scale(scale)
    chosen = load_policy(policy)
    loaded = apply_policy(load_scenario(scenario), chosen)
    selection = Selection.parse(chronicle_mode, loaded)
    if off:
        engine = {"mechanisms_off": [*loaded.engine.mechanisms_off, *off]}
        loaded = derive(loaded, {"engine": engine}, "--off")
    from ..experiments import folders

    folder = out or default_folder(loaded.meta.name)
    batch.check_out(folder, "run")
    console = views.console()
    started = time.perf_counter()
    meta = loaded.meta
    weeks = meta.steps  # the engine says exactly
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} weeks"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task(f"simulating {loaded.meta.name}", total=weeks)
            result = simulate(
                loaded,
                seed=seed,
                scale=scale,
                on_step=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except KeyboardInterrupt:
        folders.release(folder)  # a folder made for this run, still empty, is not kept
        console.print("interrupted: nothing was written")
        raise typer.Exit(130) from None
    wall = time.perf_counter() - started
    write_run(result, folder, wall)
    context(loaded, "run", [chosen]).write(folder)
    _print_summary(console, result, wall)
    if selection.mode != "none":
        rows = entries(result.events, Names.of(loaded))
        shown = selection.pick(rows)
        console.rule("Chronicle" + ("" if selection.mode == "all" else f" ({chronicle_mode})"))
        for entry in shown:
            console.print(escape(entry.line(brief=selection.mode == "summary")), soft_wrap=True)
        tail = closing(selection, len(shown), len(rows), loaded)
        if tail:
            console.print(escape(tail), style="dim", soft_wrap=True)
    report = reports.write_report(folder)
    console.print(f"results in [bold]{escape(str(folder))}[/]; open {escape(str(report))}")


WAYS_OUT = {
    "unpaid": "left unpaid (its takings could not pay their wages)",
    "leaderless": "left while it had no leader",
    "deserted": "deserted",
    "killed_by_police": "killed by the police",
    "killed_by_rivals": "killed by rivals",
    "jailed": "jailed",
    "split_off": "split off",
}
"""How the collapse warnings name each way out of a gang."""


def _ways_out(row: pd.Series, when: str) -> str:
    """The ways out of a gang in a row of ``summary.early_collapses`` (or
    ``late_collapses``), most first, said to have happened ``when``."""
    ways = sorted(((int(row[w]), w) for w in WAYS_OUT), reverse=True)
    said = [f"{n:,} {WAYS_OUT[w]}" for n, w in ways if n > 0]
    return f"{when} " + ", ".join(said) if said else "none recorded leaving"


def _print_summary(console: Console, result: RunResult, wall: float) -> None:
    from ..analysis import summary

    meta = result.scenario.meta
    console.print(
        f"[bold]{escape(meta.title)}[/]: seed {result.seed}, scale {result.scale:g}, "
        f"{len(result.world.dates)} weeks in {wall:.1f} s"
    )
    rates = summary.yearly_homicide_rates(result)
    table = Table(title="Violent deaths per 100,000 residents", title_justify="left")
    table.add_column("year")
    for column in rates.columns:
        table.add_column(column, justify="right")
    for year, row in rates.iterrows():
        table.add_row(str(year), *(f"{v:.1f}" for v in row))
    console.print(table)
    from ..report.chronicle import Names

    names = Names.of(result.scenario)
    sizes = summary.gang_sizes(result)
    table = Table(
        title="Gang members: start (the first week's end) + joined - those who left = end",
        title_justify="left",
    )
    for column in ("gang", "id", *(c.replace("_", " ") for c in sizes.columns)):
        table.add_column(column, justify="left" if column in ("gang", "id") else "right")
    for gang, row in sizes.iterrows():
        name = names.gang(str(gang))
        table.add_row(escape(name), f"[dim]{escape(str(gang))}[/]", *(f"{v:,}" for v in row))
    console.print(table)
    own = [g.id for g in result.scenario.gangs]
    for gang, row in summary.early_collapses(result.series, own).iterrows():
        console.print(
            f"[yellow]warning:[/] {escape(names.gang(str(gang)))} keeps {row['then']:,} "
            f"of its {row['start']:,} members a year in ({_ways_out(row, 'in that year')}): "
            "so fast a fall is most often the parameters (written for another case) out of "
            "balance with the scenario's gangs; see docs/writing-a-scenario.md, 'A case far "
            "from Venezuela'",
            soft_wrap=True,
        )
    for gang, row in summary.late_collapses(result.series, own).iterrows():
        console.print(
            f"[yellow]note:[/] {escape(names.gang(str(gang)))} ends the run with "
            f"{row['then']:,} of its {row['start']:,} members ({_ways_out(row, 'over the run')})"
            ": where the scenario's decisions do not account for so deep a fall, the ways "
            "out point at parameters out of balance with its gangs; see "
            "docs/writing-a-scenario.md, 'A case far from Venezuela'",
            soft_wrap=True,
        )
    counts = summary.event_counts(result, COUNTED)
    console.print("events: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items()))

"""``peacezones scenario``: list, show and validate scenario files."""

from __future__ import annotations

import typer
from rich.markup import escape

from ..scenario import ScenarioError, builtin_names, load_scenario
from . import views

app = typer.Typer(help="List, show and validate scenarios.", no_args_is_help=True)
console = views.console()

SCENARIO_ARG = typer.Argument(
    ..., metavar="NAME|FILE", help="A built-in scenario name (see `scenario list`) or a TOML file."
)


@app.command("list")
def list_() -> None:
    """List the built-in scenarios."""
    console.print(views.scenario_list([load_scenario(name) for name in builtin_names()]))


@app.command()
def show(scenario: str = SCENARIO_ARG) -> None:
    """Show a scenario as tables: places, gangs, forces, schedule, doctrine, sources."""
    for renderable in views.scenario_tables(load_scenario(scenario)):
        console.print(renderable)


@app.command()
def validate(scenarios: list[str] = SCENARIO_ARG) -> None:
    """Check scenarios; list every problem with file, line, field, value and expectation.

    Also builds every variant that `run` (its default policy) and `validate` (each arm
    and ablation) would build, so that a scenario this passes is one they accept.
    Exit status 0 when all are valid, 2 when any is not.
    """
    from ..experiments.validate import refusals

    failed = False
    for name in scenarios:
        try:
            loaded = load_scenario(name)
        except ScenarioError as exc:
            views.print_error(exc)
            failed = True
            continue
        refused = refusals(loaded)
        for label, exc in refused:
            views.print_error(views.placed(name, exc), label)
        if refused:
            failed = True
            continue
        console.print(f"[green]valid:[/] {escape(name)}: {views.counts(loaded)}")
    if failed:
        raise typer.Exit(2)

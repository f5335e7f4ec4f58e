"""``peacezones scenario``: list, show, validate and start scenario files; the format."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import typer
from rich.markup import escape

from ..scenario import Problem, ScenarioError, builtin_names, load_scenario
from ..scenario.load import spelling_notes
from . import views

app = typer.Typer(
    help="List, show, validate and start scenarios; print the format's reference.",
    no_args_is_help=True,
)
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
def reference() -> None:
    """Print the scenario format's reference (Markdown).

    Every record and field, with its type, allowed values or bounds, default and
    meaning; docs/scenario-reference.md holds the same text."""
    from ..scenario.reference import markdown

    typer.echo(markdown(), nl=False)


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
        for note in spelling_notes(name):
            console.print(f"  [yellow]note:[/] {escape(note)}")
    if failed:
        raise typer.Exit(2)


app.command("check", hidden=True)(validate)  # what outside users first typed


@app.command()
def new(
    name: str = typer.Argument(
        ...,
        metavar="NAME|FILE",
        help="The new scenario's name (lower case, digits, _), or the .toml file to write,"
        " whose name without .toml is the scenario's (my_case.toml, cases/my_case.toml).",
    ),
    out: Path | None = typer.Option(None, help="The file to write (default: NAME.toml here)."),
) -> None:
    """Write a commented skeleton of a scenario to start a case from: two places, one
    gang, police, one decision, the venezuela scenario's parameters (inherited), one
    observation and one pattern. It validates and runs as written; replace its
    placeholders with your case's figures and sources (docs/writing-a-scenario.md)."""
    given = Path(name)
    if name.endswith(".toml") or given.name != name:  # a file: its name is the scenario's
        if out is not None and out != given:
            problem = Problem(("name",), repr(name), "a name when --out gives the file")
            views.print_error(ScenarioError(name, [problem]))
            raise typer.Exit(2)
        out, name = given, given.name.removesuffix(".toml")
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", name):
        expected = "lower case, digits and _, starting with a letter, at most 63 characters"
        if out is not None and out.name == f"{name}.toml":
            expected += " (a file's name without .toml is the scenario's)"
        views.print_error(ScenarioError(name, [Problem(("name",), repr(name), expected)]))
        raise typer.Exit(2)
    target = out or Path(f"{name}.toml")
    if target.exists():
        what = "a folder" if target.is_dir() else "a file that exists"
        problem = Problem((), what, "a new file: nothing is overwritten")
        views.print_error(ScenarioError(str(target), [problem]))
        raise typer.Exit(2)
    title = name.replace("_", " ").title()
    text = (resources.files("peacezones.scenario") / "skeleton.toml").read_text("utf-8")
    try:
        target.write_text(text.replace("__NAME__", name).replace("__TITLE__", title), "utf-8")
    except OSError as exc:
        problem = Problem((), exc.strerror or str(exc), "a folder that exists and can be written")
        views.print_error(ScenarioError(str(target), [problem]))
        raise typer.Exit(2) from None
    console.print(f"[green]written:[/] {escape(str(target))}; next: "
                  f"peacezones scenario validate {escape(str(target))}")  # fmt: skip

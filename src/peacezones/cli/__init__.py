"""The ``peacezones`` command: a thin layer over the Python API."""

from __future__ import annotations

import inspect
import sys

import typer

from .. import __version__
from ..scenario import ScenarioError
from . import compare as compare_commands
from . import report as report_command
from . import run as run_command
from . import scenario as scenario_commands
from . import serve as serve_command
from . import validate as validate_commands
from .views import print_error


def _flag_type(self: typer.core.TyperOption, ctx: object) -> str | None:
    """No type for a flag in help: typer's rich help printed ``<bool>`` beside each
    (``--chronicle <bool>``), as if it took a value."""
    return None if self.is_flag else _option_type(self, ctx)


_option_type = typer.core.TyperOption.display_type_rich
typer.core.TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign]

app = typer.Typer(
    name="peacezones",
    help=(
        "A simulation laboratory for state-gang bargaining: peace zones, truces, "
        "crackdowns and the pax mafiosa. The default scenario is Venezuela's Peace Zones: "
        "the programme ran from 2013 to 2021, the scenario from 2013 to the end of 2022."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
app.add_typer(scenario_commands.app, name="scenario")
app.command("run")(run_command.run)
app.command("compare")(compare_commands.compare_command)
app.command("validate")(validate_commands.validate_command)
app.command("report")(report_command.report_command)
app.command("serve")(serve_command.serve_command)


def _prose(doc: str | None) -> str | None:
    """A docstring as help: each paragraph on one line, for the terminal to wrap. Typer's
    rich help keeps a docstring's line breaks after its first paragraph, so on a terminal
    narrower than the source's lines each one wrapped in two, a word or two on the
    second."""
    if not doc:
        return doc
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


for _commands in (app, scenario_commands.app):
    for _info in _commands.registered_commands:
        if _info.help is None and _info.callback is not None:
            _info.help = _prose(_info.callback.__doc__)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"peacezones {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Run `peacezones COMMAND --help` for the options of each command."""


def main() -> None:
    """Entry point: bad input ends with a clear message and exit status 2, no traceback."""
    try:
        app()
    except ScenarioError as exc:
        print_error(exc)
        sys.exit(2)

"""``peacezones report``: rebuild the HTML report of a results folder."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.markup import escape

from ..scenario import Problem, ScenarioError
from . import views


def report_command(
    folder: Path = typer.Argument(
        ...,
        metavar="DIR",
        help="A results folder written by `peacezones run`, `compare` or `validate`.",
    ),
) -> None:
    """Rebuild report.html and the PNG figures (figures/) from a results folder; for a
    comparison, also report-2.html... with the run of each later policy in full.

    Exit status 2, with what was expected, when DIR holds no results.
    """
    console = views.console()
    started = time.perf_counter()
    try:
        path = write_report(folder)
    except ScenarioError:
        raise
    except Exception as exc:  # a damaged or foreign file: say so, never a traceback
        first = (str(exc).strip().splitlines() or [""])[0]
        found = f"results it cannot read ({type(exc).__name__}: {first})"
        expected = (
            "the files as `peacezones run`, `compare` or `validate` wrote them "
            "(run the command again, into a new folder)"
        )
        raise ScenarioError(str(folder), [Problem(("folder",), found, expected)]) from None
    console.print(f"report in [bold]{escape(str(path))}[/] ({time.perf_counter() - started:.1f} s)")


def write_report(folder: Path) -> Path:
    """Build the report of a results folder (imports the report's libraries only now)."""
    from ..report.build import build_report

    with views.console().status("writing report.html"):
        return build_report(folder)

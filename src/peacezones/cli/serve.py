"""``peacezones serve``: the web page, on this machine."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from ..scenario import Problem, ScenarioError
from . import batch, views

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve_command(
    host: str = typer.Option(
        "127.0.0.1",
        help="Address to listen on. The default is this machine only; any other address lets "
        "other machines run simulations here, and is said so when the server starts.",
    ),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    results: Path = typer.Option(
        Path("results") / "serve",
        help="Folder for the page's runs, comparisons and the scenarios sent to it; a "
        "request made before is answered from here, without running again.",
    ),
    workers: int = typer.Option(
        None, min=1, help="Processes for a comparison's runs (default: one per core)."
    ),
    scheduler: str = typer.Option(
        None,
        metavar="ADDRESS",
        help="A Dask scheduler (tcp://host:8786): a comparison's runs go to that cluster.",
    ),
) -> None:
    """Start the web page: the default scenario's map with its time slider, the series and
    the chronicle; levers to set, single runs to watch and cancel, and comparisons of
    policies over replicates with intervals. Open the address it prints in a browser."""
    import uvicorn

    from ..web.app import create_app

    cores = os.cpu_count() or 1
    if workers is not None and workers > cores:
        found = f"{workers} (this machine has {cores} cores)"
        raise ScenarioError("--workers", [Problem(("workers",), found, f"at most {cores}")])
    if results.exists() and not results.is_dir():
        raise ScenarioError(
            "--results", [Problem(("results",), f"{results}, a file", "a folder or a new name")]
        )
    if scheduler:
        batch.check_scheduler(scheduler)
    _check_address(host, port)
    console = views.console()
    if host not in LOOPBACK:
        console.print(
            f"[bold red]listening on {host}[/], not only on this machine: anyone who can reach "
            "it can run simulations here and read their results"
        )
    app = create_app(results, workers or cores, scheduler)
    shown = f"[{host}]" if ":" in host else host
    console.print(f"peacezones serve: open http://{shown}:{port}/ (Ctrl-C stops it)")
    console.print(f"results kept in {results.resolve()}")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _check_address(host: str, port: int) -> None:
    """Refuse an address that cannot be listened on (a port in use, a host not of this
    machine) before anything starts."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        found = f"{host}:{port}: {exc.strerror or exc}"
        expected = "an address of this machine and a free port (another --port)"
        raise ScenarioError("--port", [Problem(("port",), found, expected)]) from None

"""`peacezones serve`: what it refuses before starting, and what it says when it starts."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli import pz


def test_refuses_more_workers_than_cores() -> None:
    result = pz("serve", "--workers", "100000")
    assert result.returncode == 2
    assert "workers: found 100000 (this machine has" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_refuses_a_results_path_that_is_a_file(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("mine", "utf-8")
    result = pz("serve", "--results", str(taken))
    assert result.returncode == 2
    assert "a folder or a new name" in " ".join(result.stderr.split())
    assert taken.read_text("utf-8") == "mine"


def test_refuses_a_port_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = pz("serve", "--port", str(taken.getsockname()[1]))
    assert result.returncode == 2
    assert "expected an address of this machine and a free port" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["serve", "compare"])
def test_refuses_a_dask_scheduler_it_cannot_reach(command: str, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "out"
    result = pz(command, "--scheduler", f"tcp://127.0.0.1:{port}", "--results" if command
                == "serve" else "--out", str(out))  # fmt: skip
    assert not out.exists()  # refused before anything was made
    assert result.returncode == 2, result.stderr
    text = " ".join(result.stderr.split())
    assert "expected the address of a running Dask scheduler" in text
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("host", "warned"), [("127.0.0.1", False), ("0.0.0.0", True)])
def test_says_so_when_it_listens_beyond_this_machine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, host: str, warned: bool
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from peacezones.cli import app

    started: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda a, **kw: started.update(kw))
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(app, ["serve", "--host", host, "--results", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert started["host"] == host
    assert started["port"] == 8000
    assert f"open http://{host}:8000/" in result.output
    assert ("not only on this machine" in result.output) is warned

"""``peacezones compare`` end to end, and resuming after the batch is killed."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.cli.test_cli import pz

ARGS = ["compare", "-s", "toy", "--scale", "0.05", "--policies", "historical,no-peace-zones"]


def test_compare_prints_intervals_and_differences(tmp_path: Path) -> None:
    result = pz(*ARGS, "--replicates", "2", "--workers", "1", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Outcomes: mean [95% interval]" in result.stdout
    assert "Paired differences from historical" in result.stdout
    assert "4 runs simulated now" in result.stdout
    for name in (
        "results.duckdb",
        "runs.parquet",
        "series.parquet",
        "events.parquet",
        "outcomes.parquet",
        "per_policy.csv",
        "differences.csv",
    ):
        assert (tmp_path / name).exists(), name
    again = pz(*ARGS, "--replicates", "2", "--workers", "1", "--out", str(tmp_path))
    assert "none simulated now: all 4 runs were stored already" in again.stdout


def test_a_killed_batch_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "peacezones",
        *ARGS,
        "--replicates",
        "4",
        "--workers",
        "1",
        "--out",
        str(tmp_path),
    ]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(6)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    result = pz(*ARGS, "--replicates", "4", "--workers", "1", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(tmp_path / "results.duckdb"), read_only=True)
    runs, distinct = con.execute("SELECT count(*), count(DISTINCT run_id) FROM runs").fetchone()
    with_outcomes = con.execute("SELECT count(DISTINCT run_id) FROM outcomes").fetchone()[0]
    with_series = con.execute("SELECT count(DISTINCT run_id) FROM series").fetchone()[0]
    doubled = con.execute(
        "SELECT count(*) FROM (SELECT run_id, outcome FROM outcomes "
        "GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()[0]
    # every run has all its series rows, none half-written: the same rows of places in
    # each run (gangs that formed during a run, M21, add rows of their own), and every
    # series as many dates as every other
    series_rows = con.execute(
        "SELECT count(DISTINCT n) FROM (SELECT run_id, count(*) n FROM series "
        "WHERE coalesce(gang, '') = '' GROUP BY 1)"
    ).fetchone()[0]
    lengths = con.execute(
        "SELECT count(DISTINCT n) FROM (SELECT run_id, place, gang, variable, count(*) n "
        "FROM series GROUP BY ALL)"
    ).fetchone()[0]
    con.close()
    assert runs == distinct == with_outcomes == with_series == 8
    assert doubled == 0
    assert series_rows == lengths == 1


def test_a_terminated_batch_shuts_its_workers_down_and_says_what_is_kept(
    tmp_path: Path,
) -> None:
    """``kill`` (SIGTERM) stops a batch as Ctrl-C does: the pool's workers exit with it
    (they were left behind, idle and holding memory) and the message says the finished
    runs are kept."""
    import psutil

    command = [sys.executable, "-m", "peacezones", *ARGS, "--replicates", "20"]
    command += ["--workers", "2", "--out", str(tmp_path)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    while len(parent.children(recursive=True)) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)  # the forkserver and its two workers
    children = parent.children(recursive=True)
    assert len(children) >= 3
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "the runs finished so far are stored" in out
    _, alive = psutil.wait_procs(children, timeout=15)
    assert not alive, [c.cmdline() for c in alive]


def test_unknown_policy(tmp_path: Path) -> None:
    result = pz("compare", "-s", "toy", "--policies", "historical,magic", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "expected a built-in policy" in result.stderr

"""``peacezones run`` through a subprocess: summary, results folder, chronicle, bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from tests.cli.test_cli import pz


def test_run_writes_the_results_folder(tmp_path: Path) -> None:
    out = tmp_path / "toy-run"
    result = pz(
        "run",
        "--scenario",
        "toy",
        "--seed",
        "3",
        "--scale",
        "0.05",
        "--out",
        str(out),
        "--chronicle",
        "all",
    )
    assert result.returncode == 0, result.stderr
    assert "Violent deaths per 100,000" in result.stdout
    assert "Gang members" in result.stdout
    assert "Chronicle" in result.stdout
    assert "The state declares a peace zone in Barrio Norte." in result.stdout
    meta = json.loads((out / "run.json").read_text())
    assert (meta["scenario"], meta["seed"], meta["scale"]) == ("toy", 3, 0.05)
    series = pd.read_parquet(out / "series.parquet")
    assert {"date", "place", "variable", "value"} <= set(series.columns)
    events = pd.read_parquet(out / "events.parquet")
    assert {"date", "kind", "place", "actor", "count", "cause"} <= set(events.columns)


def test_the_same_seed_writes_the_same_tables(tmp_path: Path) -> None:
    for name in ("a", "b"):
        pz("run", "-s", "toy", "--seed", "1", "--scale", "0.05", "--out", str(tmp_path / name))
    for table in ("series.parquet", "events.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "a" / table), pd.read_parquet(tmp_path / "b" / table)
        )


def test_unknown_policy_is_a_clear_error(tmp_path: Path) -> None:
    result = pz("run", "-s", "toy", "--policy", "magic", "--out", str(tmp_path / "x"))
    assert result.returncode == 2
    assert "policy: found 'magic'; expected a built-in policy" in result.stderr
    assert "Traceback" not in result.stderr


def test_scale_out_of_range_is_a_clear_error(tmp_path: Path) -> None:
    result = pz("run", "-s", "toy", "--scale", "1.5", "--out", str(tmp_path / "x"))
    assert result.returncode == 2
    assert "scale: found 1.5; expected a number in [1e-06, 1]" in result.stderr
    assert not (tmp_path / "x").exists()


def test_run_help_lists_its_options() -> None:
    result = pz("run", "--help")
    assert result.returncode == 0
    for option in ("--scenario", "--policy", "--seed", "--scale", "--out", "--chronicle"):
        assert option in result.stdout


def test_the_default_scale_is_the_scenario_s(tmp_path: Path) -> None:
    result = pz("run", "-s", "toy", "--out", str(tmp_path / "d"))
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "d" / "run.json").read_text())["scale"] == 0.1


def test_run_under_another_policy(tmp_path: Path) -> None:
    result = pz(
        "run",
        "-s",
        "toy",
        "--policy",
        "no-peace-zones",
        "--scale",
        "0.05",
        "--out",
        str(tmp_path / "p"),
        "--chronicle",
        "all",
    )
    assert result.returncode == 0, result.stderr
    assert "declares a peace zone" not in result.stdout


def test_the_default_chronicle_is_a_summary_that_fits_two_screens(tmp_path: Path) -> None:
    """`make run` used to print about 410 chronicle lines: now the main turns of the story,
    with a count of the rest and how to see them."""
    result = pz("run", "--out", str(tmp_path / "v"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) < 100, len(lines)
    assert "Chronicle (summary)" in result.stdout
    assert "The state declares a peace zone in Cota 905." in result.stdout
    assert re.search(r"\d+ of \d+ entries: --chronicle all for every one", result.stdout)
    assert "Koki gang kills an official" not in result.stdout  # told in full, not here
    taken = re.findall(r"^\d{4}-\d\d-\d\d  (.+ takes control of [^.]+)\.", result.stdout, re.M)
    assert len(taken) == len(set(taken)), taken  # a place won again is told once
    assert taken
    assert "[after a takeover attempt]" not in result.stdout


def test_the_chronicle_of_one_gang_and_bad_modes(tmp_path: Path) -> None:
    result = pz("run", "-s", "toy", "--scale", "0.05", "--out", str(tmp_path / "g"),
                "--chronicle", "gang=monte")  # fmt: skip
    assert result.returncode == 0, result.stderr
    told = result.stdout.split("Chronicle (gang=monte)")[1].split("entries.")[0]
    sentences = [line for line in told.splitlines() if line[:2] == "20"]
    assert sentences
    assert all("Monte" in line or "monte" in line.lower() for line in sentences), sentences
    for mode, expected in (("gang=nobody", "one of the scenario's gangs (norte, menor, monte)"),
                           ("year=1999", "within the scenario's years (2020 to 2024)"),
                           ("everything", "summary, all, none, gang=ID")):  # fmt: skip
        bad = pz("run", "-s", "toy", "--out", str(tmp_path / "b"), "--chronicle", mode)
        assert bad.returncode == 2, bad.stderr
        assert expected in bad.stderr, bad.stderr
        assert not (tmp_path / "b").exists()

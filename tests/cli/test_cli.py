"""The command line, driven through a subprocess as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from peacezones import load_scenario
from tests.conftest import DATA


def pz(*args: str, columns: int = 200) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "peacezones", *args],
        capture_output=True,
        text=True,
        env={"COLUMNS": str(columns), "NO_COLOR": "1", "PATH": ""},
        check=False,
        timeout=120,
    )


def test_help_lists_the_commands() -> None:
    result = pz("--help")
    assert result.returncode == 0
    assert "scenario" in result.stdout


@pytest.mark.parametrize("command", ["", "scenario", "scenario list", "scenario show",
                                     "scenario validate", "scenario new", "run", "compare",
                                     "validate", "report", "serve"])  # fmt: skip
def test_every_command_has_help(command: str) -> None:
    result = pz(*command.split(), "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
    assert "<bool>" not in result.stdout  # a flag takes no value


@pytest.mark.parametrize("command", ["run", "validate", "scenario validate"])
def test_help_fills_a_narrow_terminal(command: str) -> None:
    """On an 80-column terminal each paragraph of a command's help is wrapped as prose:
    no line but a paragraph's last stops short (the docstring's own line breaks, kept,
    once left a word or two alone on every other line)."""
    result = pz(*command.split(), "--help", columns=80)
    prose = result.stdout.split("Usage", 1)[1].split("\u256d", 1)[0].splitlines()[1:]
    paragraphs = "\n".join(line.strip() for line in prose).strip().split("\n\n")
    assert len(paragraphs) >= 2, result.stdout
    for paragraph in paragraphs:
        for line in paragraph.splitlines()[:-1]:
            assert len(line) >= 60, (command, line)


def test_list_shows_the_builtins() -> None:
    result = pz("scenario", "list")
    assert result.returncode == 0
    assert "venezuela" in result.stdout
    assert "toy" in result.stdout


@pytest.mark.parametrize("name", ["venezuela", "toy"])
def test_builtins_validate(name: str) -> None:
    result = pz("scenario", "validate", name)
    assert result.returncode == 0, result.stderr
    assert f"valid: {name}" in result.stdout


def test_scenario_check_is_validate_under_the_name_users_guess() -> None:
    result = pz("scenario", "check", "toy")
    assert result.returncode == 0, result.stderr
    assert "valid: toy" in result.stdout
    assert "check" not in pz("scenario", "--help").stdout  # one name in the help


def test_show_venezuela_lists_gangs_and_places_with_coordinates() -> None:
    result = pz("scenario", "show", "venezuela")
    assert result.returncode == 0, result.stderr
    for alias in ("El Koki", "Loco Leo", "El Culón", "Niño Guerrero", "Conejo", "Carlos Capa",
                  "Eduardo Delicias", "the_300"):  # fmt: skip
        assert alias in result.stdout
    assert "10.4860" in result.stdout  # Cota 905
    assert "-66.9299" in result.stdout
    assert "Troncal 9" in result.stdout
    assert "income_poverty" in result.stdout  # the context's drivers, with their years
    assert "2016: 0.818" in result.stdout


@pytest.mark.parametrize("path", sorted(p.name for p in DATA.glob("*.toml")
                                        if p.name != "valid_minimal.toml"))  # fmt: skip
def test_broken_files_exit_2_with_a_message_and_no_traceback(path: str) -> None:
    result = pz("scenario", "validate", str(DATA / path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{DATA / path}:" in result.stderr
    assert "found" in result.stderr
    assert "expected" in result.stderr


def test_show_of_a_broken_file_also_exits_2() -> None:
    result = pz("scenario", "show", str(DATA / "self_edge.toml"))
    assert result.returncode == 2
    assert "edges[0].b" in result.stderr


def test_validate_reports_every_file_then_fails() -> None:
    result = pz("scenario", "validate", str(DATA / "wrong_type.toml"), "toy")
    assert result.returncode == 2
    assert "valid: toy" in result.stdout
    assert "gangs[0].members" in result.stderr


def test_unknown_scenario_name() -> None:
    result = pz("scenario", "show", "atlantis")
    assert result.returncode == 2
    assert "no such scenario or file" in result.stderr


def test_version() -> None:
    result = pz("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("peacezones ")


def test_scenario_validate_refuses_what_validate_would(failing_arm: str) -> None:
    """`scenario validate` builds the variants of `run` and `validate` too: an arm that
    the scenario cannot take fails it with exit 2, the arm named, and the problem placed
    where it comes from (here the arm's policy)."""
    from typer.testing import CliRunner

    from peacezones.cli import app

    result = CliRunner().invoke(app, ["scenario", "validate", "venezuela"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    # the arm's policy (built in Python by the fixture, so without a file) set it
    assert f"policy {failing_arm} (validate's arm {failing_arm!r}): 1 problem(s)" in result.output
    found = (
        f"policy {failing_arm}: policy.parameters.recruitment.base_rate: found 5.0; "
        "expected a value within its range [0.002, 0.04]"
    )
    assert found in result.output


def test_scenario_new_writes_a_skeleton_that_validates_and_runs(tmp_path: Path) -> None:
    target = tmp_path / "my_case.toml"
    result = pz("scenario", "new", "my_case", "--out", str(target))
    assert result.returncode == 0, result.stderr
    text = target.read_text("utf-8")
    assert 'name = "my_case"' in text
    assert 'from = "venezuela"' in text
    assert pz("scenario", "validate", str(target)).returncode == 0
    from peacezones.experiments.validate import refusals

    assert refusals(load_scenario(target)) == []  # run and validate build it too
    again = pz("scenario", "new", "my_case", "--out", str(target))
    assert again.returncode == 2
    assert "nothing is overwritten" in again.stderr
    assert "Traceback" not in again.stderr
    bad = pz("scenario", "new", "My Case", "--out", str(tmp_path / "x.toml"))
    assert bad.returncode == 2
    assert "expected lower case" in bad.stderr


def test_scenario_new_takes_the_file_to_write(tmp_path: Path) -> None:
    """``scenario new cases/rio.toml`` writes that file, for the scenario ``rio`` (a
    user's first try, once refused as a name that was not lower case)."""
    target = tmp_path / "rio.toml"
    result = pz("scenario", "new", str(target))
    assert result.returncode == 0, result.stderr
    assert 'name = "rio"' in target.read_text("utf-8")
    bad = pz("scenario", "new", str(tmp_path / "Rio Case.toml"))
    assert bad.returncode == 2
    assert "without .toml is the scenario's" in bad.stderr
    assert not (tmp_path / "Rio Case.toml").exists()


def test_a_bad_output_folder_or_policy_list_is_refused_before_any_work(tmp_path: Path) -> None:
    """--out naming a file, or a folder that cannot be made, and an empty --policies exit
    with 2 and a message before anything is simulated (they used to end in a traceback
    after the work)."""
    afile = tmp_path / "taken.txt"
    afile.write_text("keep me", "utf-8")
    empty = ["compare", "-s", "toy", "--policies", "", "--out", str(tmp_path / "c")]
    for args in (["run", "-s", "toy", "--out", str(afile)],
                 ["compare", "-s", "toy", "--out", str(afile)],
                 ["validate", "-s", "toy", "--out", str(afile)],
                 ["run", "-s", "toy", "--out", "/proc/peacezones/x"],
                 empty):  # fmt: skip
        result = pz(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert "error:" in result.stderr
    assert afile.read_text("utf-8") == "keep me"


def test_a_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (DATA / "valid_minimal.toml").read_bytes())
    assert pz("scenario", "validate", str(path)).returncode == 0

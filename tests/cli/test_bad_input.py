"""Bad input never hurts (issue 17): every command refuses it with exit 2 and a message
naming the file, line and field, before any work, and leaves every folder as it was."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.cli.test_cli import pz
from tests.conftest import DATA

QUICK = ("--scale", "0.05")
ONE = ("--replicates", "1", *QUICK)


def refused(*args: str) -> str:
    """Standard error of a command that must exit with 2, a message and no traceback."""
    result = pz(*args)
    assert result.returncode == 2, (args, result.stdout[-2000:], result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert "error:" in result.stderr
    return result.stderr


def digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by its bytes: to show that nothing was touched."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A run's results folder and a comparison's, written once."""
    root = tmp_path_factory.mktemp("kinds")
    run, compare = root / "run", root / "compare"
    ran = pz("run", "-s", "toy", *QUICK, "--out", str(run), "--chronicle", "all")
    assert ran.returncode == 0, ran.stderr
    made = pz("compare", "-s", "toy", "--policies", "historical,hot-pursuit", *ONE,
              "--out", str(compare))  # fmt: skip
    assert made.returncode == 0, made.stderr
    (root / "run.txt").write_text(ran.stdout, "utf-8")
    (root / "compare.txt").write_text(made.stdout, "utf-8")
    return {"run": run, "compare": compare}


def _strict(text: str) -> object:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON")

    return json.loads(text, parse_constant=refuse)


def test_no_nan_reaches_any_output(folders: dict[str, Path]) -> None:
    """The toy has places without residents (a barracks, a highway): no NaN reaches the
    terminal, a table, a file or the report's data and text."""
    import re

    import pandas as pd

    for kind, folder in folders.items():
        printed = (folder.parent / f"{kind}.txt").read_text("utf-8")
        assert not re.search(r"\bnan\b", printed, re.IGNORECASE), printed
        for path in folder.rglob("*"):
            if path.suffix == ".parquet":
                numbers = pd.read_parquet(path).select_dtypes("number")
                assert not numbers.isna().any().any(), path
            elif path.suffix == ".json":
                _strict(path.read_text("utf-8"))
            elif path.suffix == ".csv":
                assert not re.search(r"(^|,)nan(,|$)", path.read_text("utf-8"), re.M), path
        html = (folder / "report.html").read_text("utf-8")
        data = re.search(r'id="report-data">(.*?)</script>', html, re.S)
        assert data is not None
        _strict(data.group(1))
        text = re.sub(r"<script.*?</script>", "", html, flags=re.S)
        assert not re.search(r"\bnan\b", text, re.IGNORECASE), kind


def test_a_results_folder_records_its_kind(folders: dict[str, Path]) -> None:
    from peacezones.experiments.folders import kind_of

    assert kind_of(folders["run"]) == "run"
    assert kind_of(folders["compare"]) == "compare"


def test_no_command_writes_into_another_command_s_folder(folders: dict[str, Path]) -> None:
    """`run` into a comparison's folder used to overwrite its tables and exit 0; `compare`
    and `validate` into another kind simulated everything, then crashed."""
    before = {kind: digest(folder) for kind, folder in folders.items()}
    message = refused("run", "-s", "toy", *QUICK, "--out", str(folders["compare"]))
    assert "which holds the results of `peacezones compare`" in message
    message = refused("compare", "-s", "toy", *ONE, "--out", str(folders["run"]))
    assert "which holds the results of `peacezones run`" in message
    refused("validate", "-s", "toy", "--replicates", "2", *QUICK, "--out", str(folders["run"]))
    assert {kind: digest(folder) for kind, folder in folders.items()} == before


def test_a_folder_holding_other_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    message = refused("run", "-s", "toy", *QUICK, "--out", str(tmp_path))
    assert "which holds other files (notes.txt)" in message
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_the_same_kind_may_write_again(folders: dict[str, Path], tmp_path: Path) -> None:
    """A rerun into a run's folder, or a resumed comparison, is the folder's own kind."""
    again = pz("compare", "-s", "toy", "--policies", "historical,hot-pursuit", *ONE,
               "--out", str(folders["compare"]))  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "none simulated now" in again.stdout


@pytest.mark.parametrize("damage", ["empty", "junk", "parquet", "run.json", "mixed"])
def test_report_never_crashes_on_a_folder(
    folders: dict[str, Path], tmp_path: Path, damage: str
) -> None:
    import shutil

    folder = tmp_path / damage
    if damage == "empty":
        folder.mkdir()
    elif damage == "junk":
        folder.mkdir()
        (folder / "a.txt").write_text("x", "utf-8")
    else:
        shutil.copytree(folders["run"], folder)
        if damage == "parquet":
            (folder / "series.parquet").write_text("not parquet", "utf-8")
        elif damage == "run.json":
            (folder / "run.json").write_text('{"x": 1}', "utf-8")
    if damage == "mixed":  # a comparison's files beside a run's: its mark decides
        shutil.copy(folders["compare"] / "runs.parquet", folder)
        assert pz("report", str(folder)).returncode == 0
        return
    message = refused("report", str(folder))
    assert str(folder) in message


POLICIES = {
    "unknown_rule.toml": (
        '[policy]\nname = "x"\ndoctrine = { set = { no_such_rule = { officers = 5 } } }\n',
        "unknown_rule.toml:3: policy.doctrine.set.no_such_rule: found 'no_such_rule'; "
        "expected a rule of the scenario's doctrine",
    ),
    "dropped_rule.toml": (
        '[policy]\nname = "x"\ndoctrine = { drop = ["facility_atack"] }\n',
        "did you mean 'facility_attack'?",
    ),
    "dropped_action.toml": (
        '[policy]\nname = "x"\ndrop = ["declare_zones"]\n',
        "dropped_action.toml:3: policy.drop[0]: found 'declare_zones'; expected an action",
    ),
    "parameter.toml": (
        '[policy]\nname = "x"\nparameters = { "pax.encounter_rat" = 1.0 }\n',
        "parameter.toml:3: policy.parameters.pax.encounter_rat: found 'pax.encounter_rat'; "
        "expected a parameter of the scenario, written group.name; did you mean "
        "'pax.encounter_rate'?",
    ),
    "out_of_range.toml": (
        '[policy]\nname = "x"\nparameters = { "force.suspect_lethality" = 5.0 }\n',
        "out_of_range.toml:3: policy.parameters.force.suspect_lethality: found 5.0",
    ),
    "addition.toml": (
        '[policy]\nname = "x"\n\n[[policy.add]]\naction = "crackdown"\nname = "c"\n'
        'places = ["nowhere"]\nofficers = 10\nweeks = 2\nlethality = 0.1\n',
        "addition.toml:7: policy.add[0].places[0]: found 'nowhere'; expected the id of a place",
    ),
    "rule_values.toml": (
        '[policy]\nname = "x"\ndoctrine = { set = { facility_attack = { officers = "many" } } }\n',
        "rule_values.toml:3: policy.doctrine.set.facility_attack.officers: found 'many'",
    ),
    "bad_toml.toml": (
        '[policy]\nname = "x"\ndrop = [\n',
        "bad_toml.toml:3: (top level): found invalid TOML: Invalid value; expected",
    ),
    "added_action.toml": (
        '[policy]\nname = "x"\n\n[[policy.add]]\nat = "start"\naction = "nuke"\n',
        "added_action.toml:6: policy.add[0].action: found 'nuke'; expected an action",
    ),
    "programme.toml": (
        '[policy]\nname = "x"\ndrop_programs = ["peace_zone"]\n',
        "policy.drop_programs[0]: found 'peace_zone'; expected a programme of the scenario's "
        "decisions; did you mean 'peace_zones'?",
    ),
    "control.toml": (
        '[policy]\nname = "x"\ndescription = "evil\\u001b[31m red"\n',
        "control.toml:3: policy.description: found 'evil\\x1b[31m red'; expected text without "
        "control characters (found U+001B at position 4)",
    ),
    "groupless.toml": (
        '[policy]\nname = "x"\nparameters = { "encounter_rate" = 1.0 }\n',
        "groupless.toml:3: policy.parameters.encounter_rate: found 'encounter_rate'; expected "
        "group.name",
    ),
    "terms.toml": (
        '[policy]\nname = "x"\nzone_terms = { monitor = 0.5 }\n',
        "expected one of the known keys (aid_per_week, monitoring,",
    ),
    "deep.toml": (
        "[policy]\nname = " + "[" * 700 + "]" * 700 + "\n",
        "deep.toml: (top level): found values nested too deeply to read",
    ),
    "when.toml": (
        '[policy]\nname = "x"\n\n[[policy.add]]\nat = "yesterday"\naction = "crackdown"\n'
        'name = "c"\nplaces = ["barrio_norte"]\nofficers = 10\nweeks = 2\n',
        "when.toml:5: policy.add[0].at: found 'yesterday'; expected one of 'start' or "
        "'first_zone'; or a date, unquoted, such as 2013-09-01",
    ),
}


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_a_policy_s_problem_is_placed_in_the_policy(tmp_path: Path, name: str) -> None:
    """A policy's problems name the policy's file and line (they used to name the
    scenario, with no line), a rule it names must exist (an unknown one used to run
    with exit 0), and nothing is written."""
    text, expected = POLICIES[name]
    path = tmp_path / name
    path.write_text(text, "utf-8")
    out = tmp_path / "out"
    message = refused("compare", "-s", "toy", "--policies", f"historical,{path}", *ONE,
                      "--out", str(out))  # fmt: skip
    assert expected in message, message
    assert not out.exists()


def test_misspelt_parameters_are_refused_alike_by_validate_and_run(tmp_path: Path) -> None:
    toy = Path(__file__).parents[2] / "src/peacezones/scenario/scenarios/toy.toml"
    path = tmp_path / "typo.toml"
    path.write_text(toy.read_text("utf-8").replace("[parameters.pax]", "[parameters.paxx]"))
    for args in (("scenario", "validate", str(path)),
                 ("run", "-s", str(path), "--out", str(tmp_path / "o"))):  # fmt: skip
        message = refused(*args)
        assert "parameters.paxx: found 'paxx'; expected a group of the model's parameters; " \
            "did you mean 'pax'?" in message  # fmt: skip
        assert "found nothing" not in message  # not as a parameter missing its fields
    assert not (tmp_path / "o").exists()


def test_a_scenario_nested_too_deeply_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 700 + "]" * 700 + "\n", "utf-8")
    assert "found values nested too deeply to read" in refused("scenario", "validate", str(path))


def test_python_api_writes_the_report_and_refuses_another_kind(tmp_path: Path) -> None:
    import peacezones as pz_api
    from peacezones import ScenarioError

    out = tmp_path / "c"
    pz_api.compare("toy", ["historical", "hot-pursuit"], replicates=1, out=out, scale=0.05,
                   workers=1)  # fmt: skip
    assert (out / "report.html").is_file()
    with pytest.raises(ScenarioError, match="holds the results of `peacezones compare`"):
        pz_api.validate("toy", replicates=2, out=out, scale=0.05, workers=1)


def test_the_minimal_scenario_still_validates() -> None:
    assert pz("scenario", "validate", str(DATA / "valid_minimal.toml")).returncode == 0


def test_each_report_says_what_its_policies_do(folders: dict[str, Path]) -> None:
    run = (folders["run"] / "report.html").read_text("utf-8")
    assert "<dt>policy</dt><dd>historical: The scenario as it is" in run
    batch = (folders["compare"] / "report.html").read_text("utf-8")
    assert "<dt>policy hot-pursuit</dt><dd>The zones as declared, but pursuits never" in batch


def test_odd_command_lines_are_refused_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "a_file").write_text("x", "utf-8")
    (tmp_path / "a_dir").mkdir()
    for args, expected in (
        (("compare", "-s", "toy", "--places", ","), "expected one or more place ids"),
        (("compare", "-s", "toy", "--neighbours"), "expected --places with it"),
        (("report", str(tmp_path / "a_file")), "folder: found a file, not a folder"),
        (("scenario", "new", "x", "--out", str(tmp_path / "a_dir")), "found a folder"),
    ):
        message = refused(*args, "--out", str(tmp_path / "o")) if args[0] == "compare" \
            else refused(*args)  # fmt: skip
        assert expected in message, message
    result = pz("compare", "-s", "toy", "--seed", str(2**63), "--out", str(tmp_path / "s"))
    assert result.returncode == 2
    assert not (tmp_path / "s").exists()
    assert not (tmp_path / "o").exists()


def test_a_damaged_store_is_told_as_such(folders: dict[str, Path], tmp_path: Path) -> None:
    """It used to read 'in use by another process … wait for it to finish'."""
    import shutil

    copy = tmp_path / "c"
    shutil.copytree(folders["compare"], copy)
    (copy / "results.duckdb").write_bytes(bytes(range(256)) * 20)
    message = refused("compare", "-s", "toy", "--policies", "historical,hot-pursuit", *ONE,
                      "--out", str(copy))  # fmt: skip
    assert "which is not a results store that can be read" in message


def test_a_zone_s_end_goes_with_its_declaration(tmp_path: Path) -> None:
    """An end_zone without a programme used to fail every arm that drops the zone."""
    toy = Path(__file__).parents[2] / "src/peacezones/scenario/scenarios/toy.toml"
    path = tmp_path / "ends.toml"
    end = '\n[[schedule]]\ndate = 2022-01-03\naction = "end_zone"\nzone = "zona_norte"\n'
    path.write_text(toy.read_text("utf-8") + end + 'sources = ["synthetic"]\n')
    assert pz("scenario", "validate", str(path)).returncode == 0


def test_a_run_json_without_its_fields_is_named(folders: dict[str, Path], tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "r"
    shutil.copytree(folders["run"], copy)
    (copy / "run.json").write_text("{}", "utf-8")
    message = refused("report", str(copy))
    assert "run.json: found no scenario, scenario_digest, seed, scale" in message


def test_a_second_tester_s_command_lines_are_refused(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    reserved = tmp_path / "mine.toml"
    reserved.write_text('[policy]\nname = "historical"\ndrop_programs = ["peace_zones"]\n')
    both = tmp_path / "both.toml"
    both.write_text('[policy]\nname = "b"\ndoctrine = { drop = ["expansion"], '
                    'set = { expansion = { officers = 5 } } }\n')  # fmt: skip
    out = str(tmp_path / "o")
    for args, expected in (
        (("--policies", "historical,,no-peace-zones"), "none empty"),
        (("--policies", f"{reserved},no-peace-zones"), "a name of its own"),
        (("--policies", f"historical,{both}"), "a rule not also dropped"),
        (("--places", "cuartel"), "expected places with residents"),
    ):
        assert expected in refused("compare", "-s", "toy", *ONE, *args, "--out", out)
    inside = folders["run"] / "sub" / "deep"
    assert "inside" in refused("run", "-s", "toy", *QUICK, "--out", str(inside))
    assert not (folders["run"] / "sub").exists()
    assert not (tmp_path / "o").exists()


def test_a_batch_folder_holds_one_scenario(folders: dict[str, Path], tmp_path: Path) -> None:
    """Two scenarios with one name used to mix in one store (results/toy-compare)."""
    toy = Path(__file__).parents[2] / "src/peacezones/scenario/scenarios/toy.toml"
    other = tmp_path / "toy.toml"
    other.write_text(toy.read_text("utf-8").replace("population = 40000", "population = 41000", 1))
    message = refused("compare", "-s", str(other), "--policies", "historical,hot-pursuit", *ONE,
                      "--out", str(folders["compare"]))  # fmt: skip
    assert "holds a batch of another scenario" in message


def test_a_run_with_every_mechanism_off_reports_no_nan(tmp_path: Path) -> None:
    import re

    from peacezones.scenario.schema import MECHANISMS

    args = [a for m in MECHANISMS for a in ("--off", m)]
    result = pz("run", "-s", "toy", *QUICK, "--out", str(tmp_path / "r"), *args)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr
    html = (tmp_path / "r" / "report.html").read_text("utf-8")
    text = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    assert not re.search(r"\bnan\b", text, re.IGNORECASE)


def test_a_scale_too_small_to_hold_anyone_is_refused() -> None:
    """At 1e-300 records per person every place was one record standing for everyone,
    and the run went on."""
    message = refused("run", "-s", "toy", "--scale", "1e-300", "--out", "unused")
    assert "--scale: scale: found 1e-300; expected a number in [1e-06, 1]" in message

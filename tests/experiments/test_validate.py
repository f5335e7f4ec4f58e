"""Validation: a scenario's own patterns and observations, ablation, honest verdicts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import peacezones
from peacezones.analysis.patterns import judge, wide
from peacezones.experiments.validate import ablations, arm_names, arm_replicates, arms, verdicts
from peacezones.scenario import Scenario, derive, load_scenario
from tests.cli.test_cli import pz
from tests.conftest import DATA
from tests.engine.helpers import SCALE, toy


def test_the_arms_are_those_the_patterns_name() -> None:
    scenario = toy()
    assert arm_names(scenario) == ["historical", "no-peace-zones", "without:rural_base"]
    named = arms(scenario, ablate=False)
    assert not any(d.action == "declare_zone" for d in named["no-peace-zones"].schedule)
    assert not any(g.traits.rural_base for g in named["without:rural_base"].gangs)
    assert named["historical"] is scenario


def test_ablation_runs_each_arm_of_a_pattern_without_each_of_its_mechanisms() -> None:
    scenario = toy()
    pairs = ablations(scenario)
    assert ("historical", "pax") in pairs
    assert ("no-peace-zones", "pax") not in pairs
    assert ("without:rural_base", "terrain") in pairs
    named = arms(scenario)
    assert named["historical without pax"].engine.mechanisms_off == ("pax",)
    assert named["no-peace-zones without policing"].engine.mechanisms_off == ("policing",)
    assert len(named) == len(arm_names(scenario)) + len(pairs)


def test_a_rare_pattern_runs_its_arms_and_their_ablations_more_times() -> None:
    scenario = toy()
    patterns = [p.model_dump() for p in scenario.patterns]
    rare = next(p for p in patterns if "pax" in p["mechanisms"])
    rare["replicate_factor"] = 4
    runs = arm_replicates(derive(scenario, {"patterns": patterns}), 5)
    assert runs["historical"] == runs["historical without pax"] == 20
    assert runs["no-peace-zones"] == runs["without:rural_base without terrain"] == 5
    assert set(runs) == set(arms(scenario))
    assert arm_replicates(scenario, 5, ablate=False) == dict.fromkeys(arm_names(scenario), 5)


def _outcomes(values: dict[str, list[float]]) -> pd.DataFrame:
    """Stored numbers of one pattern, ``pattern.<id>.value``, per arm label and replicate."""
    rows = [
        (label, rep, "pattern.zone_gang_grows.value", v)
        for label, xs in values.items()
        for rep, v in enumerate(xs)
    ]
    return pd.DataFrame(rows, columns=["policy", "replicate", "outcome", "value"])


def test_a_failing_sequence_says_how_many_runs_reached_each_step() -> None:
    pattern = next(p for p in toy().patterns if p.id == "expansion_answered")
    key = "pattern.expansion_answered"
    runs = [(1.0, 2.0), (0.0, 1.0), (0.0, 1.0), (0.0, 0.0)]  # (hit, steps reached)
    rows = [
        ("historical", r, f"{key}.{name}", v)
        for r, (hit, depth) in enumerate(runs)
        for name, v in (("hit", hit), ("depth", depth), ("year", 2021.0 if depth else None))
    ]
    table = wide(pd.DataFrame(rows, columns=["policy", "replicate", "outcome", "value"]))
    verdict = judge(pattern, table)
    assert verdict.outcome == "fail"
    assert verdict.observed.endswith("runs reaching each step: 3, 1")
    stored_before = table.drop(columns=[f"{key}.depth"])  # a store written before depth
    assert "reaching" not in judge(pattern, stored_before).observed


def _only(pattern_id: str) -> Scenario:
    """The toy scenario with one of its patterns and no observations."""
    scenario = toy()
    keep = [p.model_dump() for p in scenario.patterns if p.id == pattern_id]
    return derive(scenario, {"patterns": keep, "observations": []})


HIGHER, LOWER = [1.0, 1.2, 1.1, 1.3], [0.2, 0.1, 0.3, 0.2]


def _growth(without_policing: list[float], without_recruitment: list[float]) -> pd.DataFrame:
    """zone_gang_grows: higher with the zone than without; the historical arm's values with
    each mechanism off are given (the no-zone arm stays low)."""
    return _outcomes(
        {
            "historical": HIGHER,
            "no-peace-zones": LOWER,
            "historical without policing": without_policing,
            "no-peace-zones without policing": LOWER,
            "historical without recruitment": without_recruitment,
            "no-peace-zones without recruitment": LOWER,
        }
    )


def test_a_pattern_that_passes_with_its_mechanism_off_is_not_evidence() -> None:
    scenario = _only("zone_gang_grows")
    outcomes = _growth(without_policing=LOWER, without_recruitment=HIGHER)
    [verdict], observed = verdicts(scenario, outcomes, ablate=True)
    assert observed == []
    assert verdict.outcome == "not evidence"
    assert "without recruitment: still passes" in verdict.ablation
    assert "without policing: fails" in verdict.ablation
    # with what the ablated runs observed, to set against the intact runs' figure
    kept = judge(scenario.patterns[0], wide(outcomes), off="recruitment")
    assert f"without recruitment: still passes ({kept.observed})" in verdict.ablation


def test_a_pattern_that_fails_without_each_mechanism_is_evidence() -> None:
    scenario = _only("zone_gang_grows")
    outcomes = _growth(without_policing=LOWER, without_recruitment=LOWER)
    [verdict], _ = verdicts(scenario, outcomes, ablate=True)
    assert verdict.outcome == "pass"
    assert verdict.ablation.count("fails") == 2


def test_without_ablation_a_pass_is_not_counted_as_evidence() -> None:
    scenario = _only("zone_gang_grows")
    outcomes = _outcomes({"historical": HIGHER, "no-peace-zones": LOWER})
    [verdict], _ = verdicts(scenario, outcomes, ablate=False)
    assert verdict.outcome == "pass"
    assert verdict.ablation == "not run"


def _pax_cases(runs: int) -> pd.DataFrame:
    """One case a run, each punished by the dominant gang and not by the state."""
    rows = [
        ("historical", rep, f"pattern.pax_in_barrio_norte.{name}", value)
        for rep in range(runs)
        for name, value in (("cases", 1.0), ("reply0", 1.0), ("reply1", 0.0))
    ]
    return wide(pd.DataFrame(rows, columns=["policy", "replicate", "outcome", "value"]))


def test_cases_below_the_minimum_are_too_few_not_a_pass() -> None:
    pax = toy().pattern("pax_in_barrio_norte")  # needs 5 cases
    verdict = judge(pax, _pax_cases(3))
    assert verdict.outcome == "too few cases"
    assert verdict.n == 3
    assert judge(pax, _pax_cases(6)).outcome == "pass"


def test_validate_on_toy_runs_only_its_patterns_and_writes_its_table(tmp_path: Path) -> None:
    result = peacezones.validate(
        toy(), replicates=2, out=tmp_path / "v", seed=1, scale=SCALE, workers=1
    )
    assert [v.id for v in result.patterns] == [p.id for p in toy().patterns]
    table = pd.read_csv(tmp_path / "v" / "validation.csv")
    assert {"kind", "id", "role", "outcome", "ablation", "passed"} <= set(table.columns)
    patterns = table[table["kind"] == "pattern"]
    assert patterns["id"].tolist() == [p.id for p in toy().patterns]
    assert set(patterns["outcome"]) <= {"pass", "fail", "too few cases", "not evidence"}
    assert patterns["ablation"].str.contains("without ").all()
    observed = table[table["kind"] == "observation"]
    assert len(observed) == len(toy().observations)
    assert set(table["role"]) == {"fit", "check"}
    assert (table[table["kind"] == "trend"]["id"].str.endswith("trend")).all()
    stored = set(pd.read_parquet(tmp_path / "v" / "runs.parquet")["policy"])
    assert "historical without pax" in stored
    assert "without:rural_base without terrain" in stored


def test_a_scenario_without_patterns_gets_its_observations_only(tmp_path: Path) -> None:
    plain = derive(toy(), {"patterns": []})
    result = peacezones.validate(plain, replicates=2, out=tmp_path, scale=SCALE, workers=1)
    assert result.patterns == []
    assert len([v for v in result.observations if v.kind == "observation"]) == 4
    assert set(pd.read_parquet(tmp_path / "runs.parquet")["policy"]) == {"historical"}


def test_validate_command_prints_its_verdicts_and_exits_1_unless_all_hold(tmp_path: Path) -> None:
    result = pz(
        "validate", "-s", "toy", "--replicates", "2", "--workers", "1",
        "--scale", str(SCALE), "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    assert "Patterns, checks" in result.stdout
    assert "Observations, fitted" in result.stdout
    assert "patterns are evidence and pass" in result.stdout
    table = pd.read_csv(tmp_path / "validation.csv")
    assert (result.returncode == 0) == bool(table["passed"].all())
    again = pz(
        "validate", "-s", "toy", "--replicates", "2", "--workers", "1", "--no-ablate",
        "--scale", str(SCALE), "--out", str(tmp_path),
    )  # fmt: skip
    assert again.returncode == 1  # without ablation no pattern counts as evidence
    assert "not ablated" in again.stdout


@pytest.mark.parametrize("name", ["unknown_area.toml", "unknown_event_kind.toml"])
def test_validate_refuses_bad_observations_and_patterns_before_any_run(
    name: str, tmp_path: Path
) -> None:
    result = pz("validate", "--scenario", str(DATA / name), "--out", str(tmp_path / "v"))
    assert result.returncode == 2
    assert f"{DATA / name}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "v").exists()


def test_venezuela_declares_the_patterns_of_the_real_case() -> None:
    venezuela = load_scenario("venezuela")
    ids = {p.id for p in venezuela.patterns}
    assert {"koki_push_offensive_zone_ends", "pax_dominant_gang_punishes"} <= ids
    p6 = venezuela.pattern("koki_push_offensive_zone_ends")
    assert p6.gangs == ("koki",)
    assert p6.steps[1].min_count == 2000
    assert all(p.seed_lines for p in venezuela.patterns)
    evidence = " ".join(
        p.assumed for group in venezuela.parameters.values() for p in group.values()
    )
    evidence += " ".join(" ".join(d.assumed.values()) for d in venezuela.schedule)
    fitted = [p.id for p in venezuela.patterns if p.role == "fit"]
    fitted += [o.variable for o in venezuela.observations if o.role == "fit"]
    assert fitted  # and each is named by the parameter set to reach it
    for target in fitted:
        assert target in evidence

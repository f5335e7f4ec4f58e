"""Validation end to end on the toy scenario: every pattern judged, levels reported."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import peacezones
from peacezones.analysis.patterns import PATTERNS, judge
from peacezones.experiments.validate import arms
from tests.cli.test_cli import pz
from tests.engine.helpers import SCALE, toy


def test_the_arms_switch_one_thing_each() -> None:
    named = arms(toy())
    assert list(named) == [
        "historical",
        "no-peace-zones",
        "without-rural-base",
        "without-political-services",
        "without-police-ties",
    ]
    assert not any(d.action == "declare_zone" for d in named["no-peace-zones"].schedule)
    assert not any(g.traits.rural_base for g in named["without-rural-base"].gangs)
    assert named["without-police-ties"].schedule == toy().schedule


def test_validate_judges_every_pattern_and_writes_its_table(tmp_path: Path) -> None:
    result = peacezones.validate(
        toy(), replicates=2, out=tmp_path / "v", seed=1, scale=SCALE, workers=1
    )
    assert [v.pattern for v in result.patterns] == [p.id for p in PATTERNS]
    table = pd.read_csv(tmp_path / "v" / "validation.csv")
    assert {"check", "statistic", "expected", "observed", "passed"} <= set(table.columns)
    assert len(table[table["kind"] == "pattern"]) == 12
    assert table["check"].tolist() == result.frame()["check"].tolist()


def test_a_pattern_fails_when_its_mechanism_is_absent() -> None:
    """P3: with identical arms (no zones anywhere) no pursuit is ever abandoned."""
    rows = []
    for arm in ("historical", "no-peace-zones"):
        for rep in range(3):
            rows.append((arm, rep, "crimes_outside.norte", 10.0 + rep))
            rows.append((arm, rep, "pursuits_abandoned.norte", 0.0))
    outcomes = pd.DataFrame(rows, columns=["policy", "replicate", "outcome", "value"])
    p3 = next(v for v in judge(outcomes, toy()) if v.pattern == "P3")
    assert not p3.passed


def test_validate_command_exits_1_when_a_pattern_fails(tmp_path: Path) -> None:
    result = pz(
        "validate",
        "-s",
        "toy",
        "--replicates",
        "2",
        "--workers",
        "1",
        "--scale",
        str(SCALE),
        "--out",
        str(tmp_path),
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Patterns" in result.stdout
    assert "patterns hold" in result.stdout
    table = pd.read_csv(tmp_path / "validation.csv")
    assert (result.returncode == 0) == bool(table[table["kind"] == "pattern"]["passed"].all())

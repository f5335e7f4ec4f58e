"""Inheritance: ``[parameters] from = ...`` takes another scenario's parameters, each
override with its own evidence, ranges widened only with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from peacezones import ScenarioError, load_scenario
from peacezones.scenario import parse_scenario
from tests.conftest import DATA

BASE = (DATA / "valid_minimal.toml").read_text("utf-8")


def child(parameters: str) -> str:
    """The minimal scenario with its parameters replaced by ``parameters``."""
    head = BASE.split("[parameters")[0] if "[parameters" in BASE else BASE
    return head + "\n" + parameters


def problems(text: str, file: str = "case.toml") -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, file)
    return [p.render(file) for p in caught.value.problems]


def test_the_toy_takes_venezuelas_parameters_but_two() -> None:
    toy, venezuela = load_scenario("toy"), load_scenario("venezuela")
    assert toy.parameters.keys() == venezuela.parameters.keys()
    own = []
    for group, members in toy.parameters.items():
        for name, p in members.items():
            base = venezuela.parameters[group][name]
            if p.inherited:
                assert p.inherited == "venezuela"
                assert (p.value, p.unit, p.range, p.source, p.assumed) == (
                    base.value, base.unit, base.range, base.source, base.assumed
                )  # fmt: skip
            else:
                own.append(f"{group}.{name}")
                assert (p.unit, p.range) == (base.unit, base.range)  # kept from venezuela
    assert own == ["pax.encounter_rate", "retaliation.facility_attack_rate"]
    cited = {s for m in toy.parameters.values() for p in m.values() for s in p.source}
    assert cited <= set(toy.sources)  # the sources the inherited evidence cites come along


def test_an_override_needs_its_own_evidence() -> None:
    text = child('[parameters]\nfrom = "venezuela"\n\n[parameters.recruitment]\n'
                 "base_rate = { value = 0.02 }\n")  # fmt: skip
    found = problems(text)
    assert any(
        "parameters.recruitment.base_rate: found an override without evidence" in m
        and "case.toml:" in m
        for m in found
    )


def test_a_range_is_widened_only_with_a_reason() -> None:
    over = "exit_rate = { value = 0.05, range = [0.001, 0.1], assumed = 'many leave' }"
    text = child(f'[parameters]\nfrom = "venezuela"\n\n[parameters.recruitment]\n{over}\n')
    assert any("parameters.recruitment.exit_rate.range: found [0.001, 0.1]" in m and
               "range_reason" in m for m in problems(text))  # fmt: skip
    reason = over.replace(" }", ", range_reason = 'a case where careers are short' }")
    ok = parse_scenario(text.replace(over, reason), "case.toml")
    p = ok.parameters["recruitment"]["exit_rate"]
    assert (p.value, p.range, p.inherited) == (0.05, (0.001, 0.1), "")


def test_a_relative_path_and_a_cycle(tmp_path: Path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(child('[parameters]\nfrom = "b.toml"\n'), "utf-8")
    b.write_text(child('[parameters]\nfrom = "a.toml"\n'), "utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(a)
    assert any("parameters.from" in p.render(str(a)) and "does not inherit" in p.render(str(a))
               for p in caught.value.problems)  # fmt: skip
    b.write_text(child('[parameters]\nfrom = "toy"\n'), "utf-8")
    loaded = load_scenario(a)  # a from b from toy from venezuela
    assert loaded.parameters["recruitment"]["base_rate"].inherited == "venezuela"
    assert loaded.parameters["pax"]["encounter_rate"].inherited == "toy"


def test_an_unknown_base_is_named() -> None:
    found = problems(child('[parameters]\nfrom = "atlantis"\n'))
    assert any("case.toml:" in m and "parameters.from: found 'atlantis'" in m for m in found)


def test_the_doctrine_is_inherited_rule_by_rule() -> None:
    """[doctrine] from = ... takes the other scenario's rules; a rule written with the
    same id replaces the inherited one; the sources they cite come along."""
    rule = ('[[doctrine.rules]]\nid = "facility_attack"\ntrigger = "facility_attack"\n'
            'threshold = 1\nwindow_weeks = 4\nresponse = "offensive"\nofficers = 1000\n'
            'weeks = 4\nsources = ["synthetic"]\n')  # fmt: skip
    text = child('[parameters]\nfrom = "venezuela"\n\n[doctrine]\nfrom = "venezuela"\n\n' + rule)
    loaded = parse_scenario(text, "case.toml")
    venezuela = load_scenario("venezuela")
    assert [r.id for r in loaded.doctrine.rules] == [
        *(r.id for r in venezuela.doctrine.rules if r.id != "facility_attack"),
        "facility_attack",
    ]
    assert loaded.doctrine.rules[-1].officers == 1000
    cited = {s for r in loaded.doctrine.rules for s in r.sources}
    assert cited <= set(loaded.sources)

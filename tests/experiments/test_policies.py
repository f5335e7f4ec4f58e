"""Policies: named sets of levers that apply to any scenario and give a checked scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from peacezones import ScenarioError, load_scenario
from peacezones.experiments.policies import apply_policy, builtin_policies, load_policy

REQUIRED = {"historical", "no-peace-zones", "zones-with-police", "monitored-zones",
            "hot-pursuit", "crackdown", "conditional-repression"}  # fmt: skip


def test_the_builtin_policies_are_there() -> None:
    assert set(builtin_policies()) >= REQUIRED


@pytest.mark.parametrize("scenario", ["venezuela", "toy"])
@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_policy_applies_to_every_builtin_scenario(scenario: str, name: str) -> None:
    variant = apply_policy(load_scenario(scenario), load_policy(name))
    assert variant.schedule == tuple(sorted(variant.schedule, key=lambda d: d.date))


def test_historical_changes_nothing() -> None:
    v = load_scenario("venezuela")
    assert apply_policy(v, load_policy("historical")).digest() == v.digest()


def test_no_peace_zones_removes_the_whole_programme() -> None:
    v = apply_policy(load_scenario("venezuela"), load_policy("no-peace-zones"))
    assert all(d.program != "peace_zones" for d in v.schedule)
    assert not any(d.action in ("declare_zone", "end_zone") for d in v.schedule)
    assert any(d.action == "crackdown" for d in v.schedule)  # the OLP stays


def test_crackdown_replaces_each_zone_on_its_places_and_dates() -> None:
    base = load_scenario("venezuela")
    v = apply_policy(base, load_policy("crackdown"))
    zones = [d for d in base.schedule if d.action == "declare_zone"]
    swaps = [d for d in v.schedule if d.action == "crackdown" and d.name.startswith("instead")]
    assert [(d.date, d.places) for d in swaps] == [(d.date, d.places) for d in zones]
    cota = [d for d in swaps if d.places == ("cota905",)]
    assert cota[0].weeks == (base.schedule[8].date - cota[0].date).days // 7  # ended 2015-07-13


def test_zone_terms_are_set_on_every_zone() -> None:
    v = apply_policy(load_scenario("venezuela"), load_policy("hot-pursuit"))
    zones = [d for d in v.schedule if d.action == "declare_zone"]
    assert zones
    assert all(d.terms.pursuit_turn_back == 0.0 and not d.terms.recall_incursions for d in zones)


def test_counterfactual_decisions_are_marked_assumed() -> None:
    v = apply_policy(load_scenario("venezuela"), load_policy("conditional-repression"))
    added = next(d for d in v.schedule if d.action == "conditional_repression")
    assert added.date.isoformat() == "2013-09-02"  # the first zone's date
    assert added.provenance("officers_per_killing") == (
        "assumed: counterfactual: policy conditional-repression"
    )


def test_a_user_policy_file_with_parameters_and_doctrine(tmp_path: Path) -> None:
    path = tmp_path / "lenient.toml"
    path.write_text(
        """
[policy]
name = "lenient"
parameters = { "politics.protection" = 1.0 }
doctrine = { drop = ["visible_violence"], set = { facility_attack = { officers = 5000 } } }
"""
    )
    v = apply_policy(load_scenario("venezuela"), load_policy(path))
    assert v.param("politics", "protection") == 1.0
    assert [r.id for r in v.doctrine.rules if r.id == "visible_violence"] == []
    assert next(r for r in v.doctrine.rules if r.id == "facility_attack").officers == 5000


def test_a_bad_policy_file_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[policy]\nname = "bad"\nzone_terms = { monitoring = 2.0 }\nfoo = 1\n')
    with pytest.raises(ScenarioError) as caught:
        load_policy(path)
    messages = [p.render(str(path)) for p in caught.value.problems]
    assert any(":3: policy.zone_terms.monitoring: found 2.0" in m for m in messages)
    assert any(":4: policy.foo: found unknown key 'foo'" in m for m in messages)


def test_an_unknown_policy_name() -> None:
    with pytest.raises(ScenarioError, match="expected a built-in policy"):
        load_policy("magic")


UNIT = """id = "pol_sur"
place = "barrio_sur"
unit = "local_police"
size = 80
corruptibility = 0.2
sources = ["synthetic"]"""


def unsourced_unit(tmp_path: Path) -> Path:
    """The toy scenario with a force unit that cites no source: the fields it writes are
    assumed; those it leaves out (posture, corruptibility) take their defaults."""
    text = (Path(load_scenario.__code__.co_filename).parent / "scenarios" / "toy.toml").read_text()
    assert UNIT in text
    bare = 'id = "pol_sur"\nplace = "barrio_sur"\nunit = "local_police"\nsize = 80\n'
    bare += 'assumed = { place = "a guess", unit = "a guess", size = "a guess" }'
    path = tmp_path / "unsourced.toml"
    path.write_text(text.replace(UNIT, bare), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_a_default_needs_no_evidence_under_any_policy(tmp_path: Path, name: str) -> None:
    """A field left at its default was not written, so no policy makes it need evidence
    (a policy used to fill the defaults in, and `run` then refused what `scenario
    validate` had passed)."""
    scenario = load_scenario(unsourced_unit(tmp_path))
    variant = apply_policy(scenario, load_policy(name))
    assert variant.forces.units[1].posture == "patrol"
    assert variant.forces.units[1].corruptibility == 0.0


def test_nothing_the_commands_build_is_refused_for_the_builtins(tmp_path: Path) -> None:
    from peacezones.experiments.validate import refusals

    for scenario in ("toy", "venezuela", unsourced_unit(tmp_path)):
        assert refusals(load_scenario(scenario)) == []


def test_refusals_name_the_variant_that_would_fail(failing_arm: str) -> None:
    """A policy that one of validate's arms applies and the scenario cannot take (here a
    parameter outside its range) is reported before any run, as that arm's problem."""
    from peacezones.experiments import validate

    refused = validate.refusals(load_scenario("toy"))
    labels = [label for label, _ in refused]
    assert labels == [f"validate's arm {failing_arm!r}"]
    # the parameter is the policy's: the problem is placed in the policy, not the scenario
    assert refused[0][1].problems[0].path == ("policy", "parameters", "recruitment.base_rate")


def test_dropping_a_decision_drops_the_end_that_names_it() -> None:
    import datetime as dt

    from peacezones.experiments.policies import Policy
    from peacezones.scenario import derive

    toy = load_scenario("toy")
    schedule = [d.model_dump(exclude_unset=True) for d in toy.schedule] + [
        {"date": dt.date(2021, 3, 1), "action": "truce", "id": "tregua",
         "gangs": ["norte", "menor"], "weeks": 50, "sources": ["synthetic"]},
        {"date": dt.date(2021, 9, 6), "action": "end", "decision": "tregua",
         "sources": ["synthetic"]},
    ]  # fmt: skip
    with_truce = derive(toy, {"schedule": schedule})
    variant = apply_policy(with_truce, Policy(name="no-truce", drop=("truce",)))
    assert [d.action for d in variant.schedule] == [d.action for d in toy.schedule]

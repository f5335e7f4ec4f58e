"""Scenarios are frozen values; variants are derived and checked again."""

from __future__ import annotations

import datetime as dt

import pydantic
import pytest

from peacezones import Scenario, ScenarioError
from peacezones.scenario import derive, evolve


def test_scenarios_are_frozen(toy: Scenario) -> None:
    with pytest.raises(pydantic.ValidationError):
        toy.meta.name = "other"  # type: ignore[misc]


def test_evolve_derives_a_variant_and_leaves_the_original(toy: Scenario) -> None:
    meta = evolve(toy.meta, title="Variant")
    variant = evolve(toy, meta=meta)
    assert variant.meta.title == "Variant"
    assert toy.meta.title != "Variant"
    assert variant.digest() != toy.digest()


def test_evolve_validates_again_with_our_error(toy: Scenario) -> None:
    with pytest.raises(ScenarioError, match=r"population: found -1; expected a number"):
        evolve(toy.places[0], population=-1)


def test_evolving_a_scenario_runs_the_cross_checks(toy: Scenario) -> None:
    edge = {"a": "barrio_norte", "b": "nowhere", "kind": "street", "cost": 1.0}
    with pytest.raises(ScenarioError, match=r"edges\[0\]\.b: found 'nowhere'"):
        evolve(toy, edges=(edge,))


def test_dicts_of_a_loaded_scenario_are_frozen(toy: Scenario) -> None:
    with pytest.raises(TypeError, match="frozen"):
        toy.sources["synthetic"] = "changed"  # type: ignore[index]
    with pytest.raises(TypeError, match="frozen"):
        toy.places[0].assumed["lat"] = "changed"  # type: ignore[index]


def test_derive_runs_the_cross_checks(toy: Scenario) -> None:
    edges = [*toy.model_dump()["edges"], {"a": "centro", "b": "nowhere", "kind": "road",
                                          "cost": 1.0, "sources": ["synthetic"]}]  # fmt: skip
    with pytest.raises(ScenarioError, match=r"edges\[7\]\.b: found 'nowhere'"):
        derive(toy, {"edges": edges})


def test_digest_is_stable_and_content_based(toy: Scenario) -> None:
    again = derive(toy, {})
    assert again.digest() == toy.digest()
    assert len(toy.digest()) == 16


def test_lookups(toy: Scenario) -> None:
    assert toy.place("barrio_norte").population == 40000
    assert toy.gang("monte").traits.rural_base
    with pytest.raises(KeyError):
        toy.gang("nobody")


def test_provenance_prefers_assumption_then_citation(venezuela: Scenario) -> None:
    cota = venezuela.place("cota905")
    assert cota.provenance("population").startswith("assumed:")
    assert "wiki_cota905" in cota.provenance("lat")
    la_vega = venezuela.place("la_vega")
    assert la_vega.provenance("population") == "seed000"


def _occupation(**length: object) -> dict[str, object]:
    return {"date": dt.date(2021, 3, 1), "action": "occupation", "places": ["barrio_sur"],
            "officers": 300, "sources": ["synthetic"], **length}  # fmt: skip


def test_a_decision_lasts_its_weeks_or_until_a_date(toy: Scenario) -> None:
    schedule = [d.model_dump() for d in toy.schedule]
    until = derive(toy, {"schedule": [*schedule, _occupation(until=dt.date(2022, 3, 7))]})
    assert until.schedule[-1].weeks == 53  # whole weeks from 2021-03-01
    again = derive(until, {})  # a dump that holds both, agreeing, reads back the same
    assert again.schedule[-1] == until.schedule[-1]
    for length, field, said in (
        ({}, "weeks", "neither weeks nor until"),
        ({"weeks": 10, "until": dt.date(2022, 3, 7)}, "until", "weeks = 10 and until"),
        ({"until": dt.date(2021, 3, 1)}, "until", "2021-03-01; expected a date after"),
    ):
        with pytest.raises(ScenarioError, match=rf"schedule\[\d+\]\.{field}: found {said}"):
            derive(toy, {"schedule": [*schedule, _occupation(**length)]})


def test_a_zone_is_a_haven_by_default_only_where_its_police_are_suspended() -> None:
    from peacezones.scenario.schema import ZoneTerms

    haven, kept = ZoneTerms(), ZoneTerms(suspend_police=False)
    assert (haven.pursuit_turn_back, haven.recall_incursions) == (1.0, True)
    assert (kept.pursuit_turn_back, kept.recall_incursions) == (0.0, False)
    said = ZoneTerms(suspend_police=False, pursuit_turn_back=0.5, recall_incursions=True)
    assert (said.pursuit_turn_back, said.recall_incursions) == (0.5, True)

"""The built-in scenarios hold what SPEC section 5 lists, each datum with its evidence."""

from __future__ import annotations

from peacezones import Scenario
from peacezones.scenario import builtin_names
from peacezones.scenario.schema import DeclareZone, PlaceKind

SEED_GANG_LEADERS = {
    "koki": "El Koki",
    "loco_leo": "Loco Leo",
    "el_culon": "El Culón",
    "tren_de_aragua": "Niño Guerrero",
    "conejo": "Conejo",
    "carlos_capa": "Carlos Capa",
    "eduardo_delicias": "Eduardo Delicias",
    "the_300": "unknown",
}

SPEC_PLACES = [
    "Cota 905", "La Vega", "El Paraíso", "Santa Rosalía", "El Valle", "Rest of Caracas",
    "El Helicoide", "Petare", "San Vicente", "Maracay", "Las Tejerías", "Tomás Lander",
    "Paz Castillo", "Cristóbal Rojas", "Urdaneta", "Simón Bolívar", "Guaicaipuro",
    "Rural Valles del Tuy", "Caucagua", "Higuerote", "Mamporal", "San José de Barlovento",
    "Río Chico", "Cúpira", "Troncal 9", "Guárico",
]  # fmt: skip


def test_builtins_are_listed() -> None:
    assert {"venezuela", "toy"} <= set(builtin_names())


def test_venezuela_has_the_eight_gangs_of_the_seeds(venezuela: Scenario) -> None:
    leaders = {g.id: g.leader.alias for g in venezuela.gangs}
    assert leaders == SEED_GANG_LEADERS


def test_venezuela_has_every_place_of_the_spec_with_coordinates(venezuela: Scenario) -> None:
    for wanted in SPEC_PLACES:
        matches = [p for p in venezuela.places if wanted in p.name]
        assert matches, wanted
        assert all(9.0 < p.lat < 11.0 and -68.0 < p.lon < -65.0 for p in matches)
    corridors = [p for p in venezuela.places if p.kind is PlaceKind.HIGHWAY]
    assert len(corridors) >= 2
    assert all(p.traffic > 0 and p.population == 0 for p in corridors)


def test_every_datum_of_venezuela_has_evidence(venezuela: Scenario) -> None:
    records = [
        *venezuela.places, *venezuela.edges, *venezuela.gangs, *venezuela.forces.units,
        *venezuela.forces.facilities, *venezuela.schedule, *venezuela.doctrine.rules,
    ]  # fmt: skip
    for record in records:
        for field in record.data_fields():
            assert record.provenance(field) != "no source", (record, field)
    for group in venezuela.parameters.values():
        for param in group.values():
            assert param.source or param.assumed


def test_venezuela_schedule_follows_the_seeds(venezuela: Scenario) -> None:
    zones = [d for d in venezuela.schedule if isinstance(d, DeclareZone)]
    first = min(zones, key=lambda d: d.date)
    assert (first.date.year, first.date.month) == (2013, 9)
    cota = [d for d in zones if "cota905" in d.places]
    assert [d.date.year for d in cota] == [2015, 2017]
    assert {d.action for d in venezuela.schedule} <= {
        "declare_zone", "end_zone", "crackdown", "patrol", "use_of_force",
    }  # fmt: skip


def test_the_schedule_scripts_no_outcome(venezuela: Scenario) -> None:
    """Only the state's decisions: no offensive, expansion or massacre is scheduled."""
    text = " ".join(d.model_dump_json() for d in venezuela.schedule).lower()
    for outcome in ("la vega takeover", "helicoide", "massacre", "offensive"):
        assert outcome not in text
    assert not any(d.date.year >= 2018 for d in venezuela.schedule)


def test_toy_is_small(toy: Scenario) -> None:
    assert len(toy.places) <= 8
    assert len(toy.gangs) == 3
    assert sum(isinstance(d, DeclareZone) for d in toy.schedule) == 1
    assert any(p.kind is PlaceKind.HIGHWAY for p in toy.places)
